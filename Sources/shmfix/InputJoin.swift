/// How several inputs become one output stream: a line break where the previous input lacks
/// one, and `---` between inputs unless the next one starts with a document marker.
enum InputJoin {
    /// The bytes to put between an output ending in `lastByte` and the next output.
    static func separator(after lastByte: UInt8?, before next: [UInt8]) -> [UInt8] {
        guard lastByte != nil else { return [] }
        var separator: [UInt8] = lastByte == UInt8(ascii: "\n") ? [] : [UInt8(ascii: "\n")]
        if !next.starts(with: Array("---".utf8)) { separator += Array("---\n".utf8) }
        return separator
    }

    /// Joins whole outputs.
    static func join(_ outputs: [[UInt8]]) -> [UInt8] {
        var stream: [UInt8] = []
        for output in outputs {
            stream += separator(after: stream.last, before: output)
            stream += output
        }
        return stream
    }
}
