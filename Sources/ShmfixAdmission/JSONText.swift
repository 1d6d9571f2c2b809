import Foundation
import ShmfixCore

/// The few JSON text helpers the webhook needs: a string literal written, one read.
enum JSONText {
    /// `text` as a JSON string literal: the core's writer (`JSONPatchText.string`), which the
    /// patches use too.
    static func quoted(_ text: String) -> String { JSONPatchText.string(text) }

    /// The string a JSON string literal's content (without its quotes) means, or `nil`.
    static func decodeString(_ content: [UInt8]) -> String? {
        let literal = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
        return (try? JSONSerialization.jsonObject(with: Data(literal), options: [.fragmentsAllowed])) as? String
    }
}
