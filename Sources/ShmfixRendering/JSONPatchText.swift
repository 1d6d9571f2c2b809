import ShmfixPlanning

/// Writes JSON text on one line: string literals and `PlainValue`s.
///
/// Besides what JSON requires, the characters YAML reads as line breaks or refuses (C1
/// controls, U+2028, U+2029, the byte-order mark) are escaped too, so the text can stand inside
/// a YAML block scalar (`-o kustomize`) and still read back the same.
public enum JSONPatchText {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if needsEscape(scalar) {
                    result += unicodeEscape(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A value as compact JSON, mapping entries in their planned order.
    public static func value(_ value: PlainValue) -> String {
        switch value {
        case .string(let text):
            return string(text)
        case .mapping(let entries):
            return "{" + entries.map { string($0.key) + ":" + Self.value($0.value) }.joined(separator: ",") + "}"
        case .sequence(let items):
            return "[" + items.map { Self.value($0) }.joined(separator: ",") + "]"
        }
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF: true
        default: false
        }
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
