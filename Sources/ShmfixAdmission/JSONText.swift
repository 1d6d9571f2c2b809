import Foundation

/// The few JSON text helpers the webhook needs: a string literal written, one read.
enum JSONText {
    /// `text` as a JSON string literal (quotes, backslash and control characters escaped).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The string a JSON string literal's content (without its quotes) means, or `nil`.
    static func decodeString(_ content: [UInt8]) -> String? {
        let literal = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
        return (try? JSONSerialization.jsonObject(with: Data(literal), options: [.fragmentsAllowed])) as? String
    }
}
