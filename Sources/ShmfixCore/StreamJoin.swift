/// How several inputs become one output stream: a line break where the previous input lacks
/// one, then `---` between inputs — none when the next one starts with its own `---`, and a
/// document end `...` instead when it starts with a directive (`%YAML`, `%TAG`), which YAML
/// allows only at the start of the stream or after a `...`.
public enum StreamJoin {
    /// The bytes to put between an output ending in `lastByte` and the next, non-empty output.
    public static func separator(after lastByte: UInt8?, before next: [UInt8]) -> [UInt8] {
        guard lastByte != nil, !next.isEmpty else { return [] }
        let lineBreak: [UInt8] = lastByte == UInt8(ascii: "\n") ? [] : [UInt8(ascii: "\n")]
        switch firstSignificantByte(of: next) {
        case UInt8(ascii: "%"):
            return lineBreak + Array("...\n".utf8)
        default:
            return next.starts(with: Array("---".utf8)) ? lineBreak : lineBreak + Array("---\n".utf8)
        }
    }

    /// The first byte of the first line that is neither blank nor a comment (a byte order mark
    /// skipped); `nil` when there is none.
    public static func firstSignificantByte(of bytes: [UInt8]) -> UInt8? {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            var first = index
            while first < bytes.count, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
            guard first < bytes.count else { return nil }
            let byte = bytes[first]
            if byte != UInt8(ascii: "#"), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
                return first == index ? byte : UInt8(ascii: " ")
            }
            guard let end = bytes[first...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            index = end + 1
        }
        return nil
    }
}
