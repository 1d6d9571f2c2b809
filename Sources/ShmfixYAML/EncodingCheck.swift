import ShmfixDiagnostics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Refuses input that is not UTF-8 text before libyaml sees it, with a message that says why,
/// and line breaks that shmfix could not edit around.
enum EncodingCheck {
    static func verify(_ bytes: [UInt8]) throws(Diagnostic) {
        // UTF-16 and UTF-32, with a byte order mark or without (YAML 1.2 §5.2: a NUL among the
        // first two bytes).
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || (bytes.count >= 2 && bytes[..<2].contains(0)) {
            throw Diagnostic(.error, "UTF-16 and UTF-32 input is not supported; convert the file to UTF-8", at: 0)
        }
        if let nul = firstIndex(of: 0, in: bytes) {
            throw Diagnostic(.error, "the input contains a NUL byte; it is binary, not YAML text", at: nul)
        }
        if let carriageReturn = loneCarriageReturn(in: bytes) {
            throw Diagnostic(
                .error, "a carriage return without a line feed (an old Mac line break) is not supported; use LF or CRLF line breaks",
                at: carriageReturn)
        }
    }

    private static func firstIndex(of byte: UInt8, in bytes: [UInt8], from start: Int = 0) -> Int? {
        bytes.withUnsafeBytes { buffer -> Int? in
            guard let base = buffer.baseAddress, start < buffer.count,
                let found = memchr(base + start, Int32(byte), buffer.count - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// libyaml reads a lone CR as a line break; shmfix lays out its insertions by LF (and keeps
    /// CRLF), so it would place them inside the wrong line.
    private static func loneCarriageReturn(in bytes: [UInt8]) -> Int? {
        var start = 0
        while let found = firstIndex(of: UInt8(ascii: "\r"), in: bytes, from: start) {
            if found + 1 == bytes.count || bytes[found + 1] != UInt8(ascii: "\n") { return found }
            start = found + 2
        }
        return nil
    }
}
