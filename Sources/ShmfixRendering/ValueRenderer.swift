import ShmfixPlanning
import ShmfixYAML

/// Writes a `PlainValue` as block YAML, flow YAML or JSON, in a document's own style.
struct ValueRenderer {
    let eol: String
    let style: DocumentStyle
    /// How the keys around the insertion are quoted; new keys are quoted the same way.
    var keyStyle: YAMLScalar.Style = .plain

    // MARK: Block

    /// Lines (each ending in `eol`) of a block sequence whose dashes stand at `dashColumn`.
    func blockSequence(_ items: [PlainValue], dashColumn: Int) -> String {
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

    /// Lines (each ending in `eol`) of block mapping entries whose keys stand at `column`.
    func blockMapping(_ entries: [PlainEntry], column: Int) -> String {
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

    /// A JSON string literal.
    func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static let reservedWords: Set<String> = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    /// `true` when `text` written plain reads back as the same string (not a number, bool, null).
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !reservedWords.contains(text) else { return false }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar) || "-._/".unicodeScalars.contains(scalar)
        }
        guard allowed, first != "-", first != "." else { return false }
        guard ("0"..."9").contains(first) else { return true }
        let letters = text.unicodeScalars.filter(\.properties.isAlphabetic).map { Character($0).lowercased() }
        return !letters.isEmpty && !letters.allSatisfy { ["e", "x", "o"].contains($0) }
    }

    private func spaces(_ count: Int) -> String { String(repeating: " ", count: max(count, 0)) }
}
