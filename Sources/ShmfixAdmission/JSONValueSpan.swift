/// Finds where a member's value lies in JSON text, without building any object.
///
/// The webhook hands the admitted object to the core as the bytes the API server sent: cutting
/// them out of the review is a scan; re-serializing a parsed object would cost several times the
/// fix itself (Foundation's JSON writer bridges every value). The text must already be known to
/// be valid JSON (`JSONValidator` checked it), so the scan only tracks strings and nesting.
struct JSONValueSpan {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The members of the object at `range` by name (the last of a repeated name, as
    /// `JSONSerialization` keeps it); `nil` when the value there is not an object.
    func object(at range: Range<Int>) -> [String: Range<Int>]? {
        guard let members = members(of: range) else { return nil }
        var object: [String: Range<Int>] = [:]
        for member in members {
            if let key = Self.key(member.rawKey) { object[key] = member.value }
        }
        return object
    }

    /// The members of the object at `range` (raw key text, value range), in order; `nil` when
    /// the value there is not an object.
    func members(of range: Range<Int>) -> [(rawKey: ArraySlice<UInt8>, value: Range<Int>)]? {
        var index = skipSpace(from: range.lowerBound)
        guard index < range.upperBound, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var members: [(rawKey: ArraySlice<UInt8>, value: Range<Int>)] = []
        while true {
            index = skipSpace(from: index)
            guard index < range.upperBound, bytes[index] == UInt8(ascii: "\"") else { return members }
            let keyEnd = endOfString(from: index)
            let key = bytes[(index + 1)..<(keyEnd - 1)]
            index = skipSpace(from: keyEnd)
            guard index < range.upperBound, bytes[index] == UInt8(ascii: ":") else { return members }
            let valueStart = skipSpace(from: index + 1)
            let valueEnd = endOfValue(from: valueStart)
            members.append((key, valueStart..<valueEnd))
            index = skipSpace(from: valueEnd)
            guard index < range.upperBound, bytes[index] == UInt8(ascii: ",") else { return members }
            index += 1
        }
    }

    /// The string value at `range`, or `nil` when it is not a string.
    func string(at range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let content = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        guard content.contains(UInt8(ascii: "\\")) else { return String(decoding: content, as: UTF8.self) }
        return JSONText.decodeString(Array(content))
    }

    /// The string the raw text of a key means.
    static func key(_ raw: ArraySlice<UInt8>) -> String? {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        return JSONText.decodeString(Array(raw))
    }

    /// The first byte of the value at `range` (`{`, `[`, `"`, `t`, `f`, `n` or a number's).
    func firstByte(at range: Range<Int>) -> UInt8? {
        let start = skipSpace(from: range.lowerBound)
        return start < range.upperBound ? bytes[start] : nil
    }

    /// The index after the array or object that starts at `start`: brackets counted outside
    /// strings, one pass over raw memory (this scan is most of the webhook's own parsing).
    private static func endOfContainer(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var depth = 0
        var index = start
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return bytes.count
    }

    private func skipSpace(from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// The index after the string that starts (with its quote) at `start`.
    private func endOfString(from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    /// The index after the value that starts at `start`.
    private func endOfValue(from start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return bytes.withUnsafeBufferPointer { Self.endOfContainer(in: $0, from: start) }
        default:
            var index = start
            while index < bytes.count,
                ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])
            {
                index += 1
            }
            return index
        }
    }
}
