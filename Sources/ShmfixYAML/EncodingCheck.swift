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
        if let (offset, name, escape) = unicodeLineBreak(in: bytes) {
            throw Diagnostic(
                .error,
                "\(name) is a line break to libyaml (YAML 1.1) but not to YAML 1.2, and shmfix does not support it; "
                    + "use LF or CRLF line breaks, or write it as \\\(escape) in a double-quoted string",
                at: offset)
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

    /// The first NEL (U+0085), line separator (U+2028) or paragraph separator (U+2029): libyaml
    /// (and the Go port kubectl uses) breaks lines there too, so shmfix would place its
    /// insertions inside the wrong line, as with a lone CR. YAML 1.2 reads them as ordinary
    /// characters; either way the file means different things to different tools.
    private static func unicodeLineBreak(in bytes: [UInt8]) -> (offset: Int, name: String, escape: String)? {
        let lineBreaks: [(utf8: [UInt8], name: String, escape: String)] = [
            ([0xC2, 0x85], "a NEL (U+0085)", "u0085"),
            ([0xE2, 0x80, 0xA8], "a line separator (U+2028)", "u2028"),
            ([0xE2, 0x80, 0xA9], "a paragraph separator (U+2029)", "u2029"),
        ]
        return lineBreaks.compactMap { lineBreak in
            firstIndex(of: lineBreak.utf8, in: bytes).map { ($0, lineBreak.name, lineBreak.escape) }
        }.min { $0.offset < $1.offset }
    }

    /// Where the byte sequence `sequence` first occurs (found by its first byte with `memchr`).
    private static func firstIndex(of sequence: [UInt8], in bytes: [UInt8]) -> Int? {
        var start = 0
        while let lead = firstIndex(of: sequence[0], in: bytes, from: start) {
            if bytes[lead...].starts(with: sequence) { return lead }
            start = lead + 1
        }
        return nil
    }
}
