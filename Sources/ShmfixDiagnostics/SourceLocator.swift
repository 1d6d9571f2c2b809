/// Turns byte offsets into 1-based line and column numbers, only when a message is printed.
///
/// Columns count Unicode scalars (as libyaml does), not bytes, so a position after a Chinese
/// comment still points at the right character. A UTF-8 byte order mark is not counted.
public struct SourceLocator: Sendable {
    /// A 1-based line and column.
    public struct Location: Equatable, Sendable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    private let bytes: [UInt8]

    /// Creates a locator over the given source bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The line and column of the byte at `offset` (clamped to the text).
    public func location(ofByte offset: Int) -> Location {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = min(3, end) }
        var column = 1
        for index in lineStart..<end where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return Location(line: line, column: column)
    }
}
