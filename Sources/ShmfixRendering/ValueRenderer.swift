import ShmfixPlanning
import ShmfixYAML

/// Writes a `PlainValue` as block YAML, flow YAML or JSON, in a document's own style.
struct ValueRenderer {
    let eol: String
    let style: DocumentStyle
    /// How the keys around the insertion are quoted; new keys are quoted the same way.
    var keyStyle: YAMLScalar.Style = .plain
    /// Block text already rendered (the same volume and mount recur in every pod spec).
    var memo: RenderMemo?

    // MARK: Block

    /// Lines (each ending in `eol`) of a block sequence whose dashes stand at `dashColumn`.
    func blockSequence(_ items: [PlainValue], dashColumn: Int) -> String {
        remembered(.sequence(items), column: dashColumn) { renderBlockSequence(items, dashColumn: dashColumn) }
    }

    /// Lines (each ending in `eol`) of block mapping entries whose keys stand at `column`.
    func blockMapping(_ entries: [PlainEntry], column: Int) -> String {
        remembered(.mapping(entries), column: column) { renderBlockMapping(entries, column: column) }
    }

    private func remembered(_ value: PlainValue, column: Int, _ render: () -> String) -> String {
        guard let memo else { return render() }
        let key = RenderMemo.Key(value: value, column: column, eol: eol, style: style, keyStyle: keyStyle.rawValue)
        if let text = memo.texts[key] { return text }
        let text = render()
        memo.texts[key] = text
        return text
    }

    private func renderBlockSequence(_ items: [PlainValue], dashColumn: Int) -> String {
        items.map { item in
            let contentColumn = dashColumn + style.itemOffset
            let dash = spaces(dashColumn) + "-" + spaces(style.itemOffset - 1)
            switch item {
            case .mapping(let entries):
                let body = blockMapping(entries, column: contentColumn)
                return dash + body.dropFirst(contentColumn)
            case .sequence(let inner):
                return dash.dropLast(style.itemOffset - 1) + eol + blockSequence(inner, dashColumn: contentColumn)
            case .string(let text):
                return dash + scalar(text) + eol
            }
        }.joined()
    }

    private func renderBlockMapping(_ entries: [PlainEntry], column: Int) -> String {
        entries.map { entry in
            let head = spaces(column) + key(entry.key) + ":"
            switch entry.value {
            case .string(let text):
                return head + " " + scalar(text) + eol
            case .mapping(let inner):
                return head + eol + blockMapping(inner, column: column + style.indentWidth)
            case .sequence(let items):
                return head + eol + blockSequence(items, dashColumn: column + style.sequenceIndent)
            }
        }.joined()
    }

    // MARK: Flow and JSON

    /// The value on one line: `{name: dshm, …}`, or JSON when `json`.
    func flow(_ value: PlainValue, json: Bool) -> String {
        switch value {
        case .string(let text):
            return json ? jsonString(text) : scalar(text)
        case .mapping(let entries):
            let members = entries.map { (json ? jsonString($0.key) : key($0.key)) + ": " + flow($0.value, json: json) }
            return "{" + members.joined(separator: ", ") + "}"
        case .sequence(let items):
            return "[" + items.map { flow($0, json: json) }.joined(separator: ", ") + "]"
        }
    }

    /// The value as indented JSON whose first line is already placed and whose closing bracket
    /// stands at `column`.
    func prettyJSON(_ value: PlainValue, column: Int) -> String {
        let inner = column + style.indentWidth
        switch value {
        case .string(let text):
            return jsonString(text)
        case .mapping(let entries):
            let members = entries.map { spaces(inner) + jsonString($0.key) + ": " + prettyJSON($0.value, column: inner) }
            return "{" + eol + members.joined(separator: "," + eol) + eol + spaces(column) + "}"
        case .sequence(let items):
            let members = items.map { spaces(inner) + prettyJSON($0, column: inner) }
            return "[" + eol + members.joined(separator: "," + eol) + eol + spaces(column) + "]"
        }
    }

    // MARK: Scalars

    /// A scalar that reads back as the same string: plain when that is safe, else double-quoted.
    func scalar(_ text: String, like existing: YAMLScalar.Style = .plain) -> String {
        switch existing {
        case .doubleQuoted: return jsonString(text)
        case .singleQuoted: return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        default: return Self.isPlainSafe(text) ? text : jsonString(text)
        }
    }

    /// A key, quoted as the keys around it are.
    func key(_ text: String) -> String { scalar(text, like: keyStyle) }

    /// A JSON string literal (also a valid double-quoted YAML scalar).
    func jsonString(_ text: String) -> String { JSONPatchText.string(text) }

    private static let reservedWords: Set<String> = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    /// `true` when `text` written plain reads back as the same string (not a number, bool, null).
    static func isPlainSafe(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, !reservedWords.contains(text) else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let allowed = bytes.allSatisfy { byte in
            isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "/")
        }
        guard allowed, first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return false }
        guard isDigit(first) else { return true }
        let letters = bytes.filter(isLetter).map { $0 | 0x20 }
        return !letters.isEmpty && !letters.allSatisfy { [UInt8(ascii: "e"), UInt8(ascii: "x"), UInt8(ascii: "o")].contains($0) }
    }

    private func spaces(_ count: Int) -> String { String(repeating: " ", count: max(count, 0)) }
}

/// Block text a `TextRenderer` has rendered, by value, column and style: one per renderer (one
/// chunk, one thread).
final class RenderMemo {
    struct Key: Hashable {
        let value: PlainValue
        let column: Int
        let eol: String
        let style: DocumentStyle
        let keyStyle: UInt8
    }

    var texts: [Key: String] = [:]
}
