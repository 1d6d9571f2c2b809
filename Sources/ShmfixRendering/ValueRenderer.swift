import ShmfixPlanning
import ShmfixYAML

/// Writes a `PlainValue` as block YAML, flow YAML or JSON, in a document's own style.
///
/// Block text is written straight into one byte array. The same volume and mount recur in every
/// pod spec: the texts written last are kept (`RecentBlocks`) and found again by comparing
/// values, which costs less than writing them again (hashing a value would cost more). It is
/// plain data, so that copying one costs nothing and the kept texts compare it as such.
struct ValueRenderer: Equatable {
    let eol: LineEnding
    let style: DocumentStyle
    /// How the keys around the insertion are quoted; new keys are quoted the same way.
    let keyStyle: YAMLScalar.Style

    // MARK: Block

    /// Lines (each ending in `eol`) of a block sequence whose dashes stand at `dashColumn`;
    /// `recent` keeps the block texts written last (the same volume and mount recur in every pod
    /// spec), as for the other block texts.
    func blockSequence(_ items: [PlainValue], dashColumn: Int, recent: RecentBlocks) -> [UInt8] {
        recent.text(for: .sequence(items), setting: RecentBlocks.Setting(column: dashColumn, renderer: self)) {
            var text: [UInt8] = []
            text.reserveCapacity(Self.typicalBlockLength)
            appendBlockSequence(items, dashColumn: dashColumn, to: &text)
            return text
        }
    }

    /// Lines (each ending in `eol`) of block mapping entries whose keys stand at `column`.
    func blockMapping(_ entries: [PlainEntry], column: Int, recent: RecentBlocks) -> [UInt8] {
        recent.text(for: .mapping(entries), setting: RecentBlocks.Setting(column: column, renderer: self)) {
            var text: [UInt8] = []
            text.reserveCapacity(Self.typicalBlockLength)
            appendBlockMapping(entries, column: column, to: &text)
            return text
        }
    }

    /// Lines (each ending in `eol`) of one block mapping entry whose key stands at `column`: what
    /// `blockMapping([PlainEntry(key, value)], column: column)` returns.
    func blockEntry(_ key: String, _ value: PlainValue, column: Int, recent: RecentBlocks) -> [UInt8] {
        recent.text(for: .entry(key: key, value: value), setting: RecentBlocks.Setting(column: column, renderer: self)) {
            var text: [UInt8] = []
            text.reserveCapacity(Self.typicalBlockLength)
            appendBlockEntry(key, value, column: column, indentingKey: true, to: &text)
            return text
        }
    }

    /// Room for a volume or a mount with its key, so that most texts grow no more.
    private static let typicalBlockLength = 160

    private func appendBlockSequence(_ items: [PlainValue], dashColumn: Int, to text: inout [UInt8]) {
        let contentColumn = dashColumn + style.itemOffset
        for item in items {
            text.appendSpaces(dashColumn)
            text.append(UInt8(ascii: "-"))
            switch item {
            case .mapping(let entries):
                // The first key stands on the dash's line, after the item offset.
                text.appendSpaces(style.itemOffset - 1)
                appendBlockMapping(entries, column: contentColumn, indentingFirstKey: false, to: &text)
            case .sequence(let inner):
                text.append(eol)
                appendBlockSequence(inner, dashColumn: contentColumn, to: &text)
            case .string(let value):
                text.appendSpaces(style.itemOffset - 1)
                appendScalar(value, to: &text)
                text.append(eol)
            }
        }
    }

    /// Appends the entries with their keys at `column`; the first key without its indentation
    /// when `indentingFirstKey` is `false` (it follows a `- `).
    private func appendBlockMapping(_ entries: [PlainEntry], column: Int, indentingFirstKey: Bool = true, to text: inout [UInt8]) {
        for (position, entry) in entries.enumerated() {
            appendBlockEntry(entry.key, entry.value, column: column, indentingKey: position > 0 || indentingFirstKey, to: &text)
        }
    }

    /// Appends one entry with its key at `column` (without the key's indentation when
    /// `indentingKey` is `false`).
    private func appendBlockEntry(_ key: String, _ value: PlainValue, column: Int, indentingKey: Bool, to text: inout [UInt8]) {
        if indentingKey { text.appendSpaces(column) }
        appendScalar(key, like: keyStyle, to: &text)
        text.append(UInt8(ascii: ":"))
        switch value {
        case .string(let value):
            text.append(UInt8(ascii: " "))
            appendScalar(value, to: &text)
            text.append(eol)
        case .mapping(let inner):
            text.append(eol)
            appendBlockMapping(inner, column: column + style.indentWidth, to: &text)
        case .sequence(let items):
            text.append(eol)
            appendBlockSequence(items, dashColumn: column + style.sequenceIndent, to: &text)
        }
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
            return "{" + eol.text + members.joined(separator: "," + eol.text) + eol.text + spaces(column) + "}"
        case .sequence(let items):
            let members = items.map { spaces(inner) + prettyJSON($0, column: inner) }
            return "[" + eol.text + members.joined(separator: "," + eol.text) + eol.text + spaces(column) + "]"
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

    /// Appends what `scalar(text, like: existing)` returns, without making a string of it when
    /// `text` is written plain.
    private func appendScalar(_ text: String, like existing: YAMLScalar.Style = .plain, to output: inout [UInt8]) {
        guard existing != .doubleQuoted, existing != .singleQuoted else { return output.append(scalar(text, like: existing)) }
        var text = text
        let isPlain = text.withUTF8 { bytes in
            guard Self.isPlainSafe(bytes) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if !isPlain { output.append(jsonString(text)) }
    }

    /// A key, quoted as the keys around it are.
    func key(_ text: String) -> String { scalar(text, like: keyStyle) }

    /// A JSON string literal (also a valid double-quoted YAML scalar).
    func jsonString(_ text: String) -> String { JSONPatchText.string(text) }

    /// The words YAML 1.1 reads as null or a boolean (none longer than 5 bytes).
    private static let reservedWordList = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    /// The reserved words, each packed by `packed`.
    private static let reservedWords = reservedWordList.map { packed($0.utf8) }

    /// The bytes the reserved words start with, one bit per ASCII byte (0–63, then 64–127): most
    /// short texts start with none of them, and are not compared with each word.
    private static let reservedInitials: (low: UInt64, high: UInt64) = reservedWordList.reduce(into: (0, 0)) { initials, word in
        guard let first = word.utf8.first, first < 128 else { return }
        if first < 64 { initials.low |= 1 << UInt64(first) } else { initials.high |= 1 << UInt64(first - 64) }
    }

    /// `true` when a reserved word starts with `byte`.
    private static func startsReservedWord(_ byte: UInt8) -> Bool {
        guard byte < 128 else { return false }
        let half = byte < 64 ? reservedInitials.low : reservedInitials.high
        return half & (1 << UInt64(byte & 63)) != 0
    }

    /// The last 8 bytes of a text as one integer, to compare short words without hashing them.
    private static func packed(_ bytes: some Sequence<UInt8>) -> UInt64 { bytes.reduce(0) { $0 &<< 8 | UInt64($1) } }

    /// `true` when `text` written plain reads back as the same string (not a number, bool, null).
    static func isPlainSafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isPlainSafe)
    }

    /// `true` when the bytes written plain read back as a string: letters, digits, `-`, `.`, `_`
    /// and `/`, not starting with `-` or `.`, not a reserved word, and not a number (a text
    /// starting with a digit needs a letter other than the `e`, `x`, `o` of exponents and radixes).
    private static func isPlainSafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return false }
        var hasNonNumericLetter = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "e"), UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "E"), UInt8(ascii: "X"), UInt8(ascii: "O"): break
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): hasNonNumericLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"): break
            default: return false
            }
        }
        guard bytes.count > 5 || !startsReservedWord(first) || !reservedWords.contains(packed(bytes)) else { return false }
        return !isDigit(first) || hasNonNumericLetter
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func spaces(_ count: Int) -> String { String(repeating: " ", count: max(count, 0)) }
}
