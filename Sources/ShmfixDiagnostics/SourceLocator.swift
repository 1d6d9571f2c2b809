/// Turns byte offsets into 1-based line and column numbers.
///
/// Columns count Unicode scalars (as libyaml does), not bytes, so a position after a Chinese
/// comment still points at the right character. A UTF-8 byte order mark is not counted. The
/// line breaks are counted once, when the locator is made, per stretch of 512 bytes
/// (`LineBreaks`, sixteen bytes at a time), so a lookup counts at most one stretch, and the
/// locator is an immutable value any thread may share.
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
    private let firstLine: Int
    /// Where the first line's text starts: after a UTF-8 byte order mark, which is not counted.
    private let origin: Int
    /// The line breaks before each stretch of `stretch` bytes (and before the end).
    private let breaksBefore: [Int]
    private static let stretch = 512

    /// Creates a locator over the given source bytes, whose first line is line `firstLine` of
    /// the whole input (a later chunk of a stream starts further down).
    public init(_ bytes: [UInt8], firstLine: Int = 1) {
        self.bytes = bytes
        self.firstLine = firstLine
        origin = firstLine == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var breaksBefore: [Int] = []
        breaksBefore.reserveCapacity(bytes.count / Self.stretch + 1)
        bytes.withUnsafeBytes { text in
            var total = 0
            var start = 0
            while start < text.count {
                breaksBefore.append(total)
                let end = min(start + Self.stretch, text.count)
                total += LineBreaks.count(in: UnsafeRawBufferPointer(rebasing: text[start..<end]))
                start = end
            }
            breaksBefore.append(total)
        }
        self.breaksBefore = breaksBefore
    }

    /// The line and column of the byte at `offset` (clamped to the text).
    public func location(ofByte offset: Int) -> Location {
        let end = min(max(offset, 0), bytes.count)
        let stretch = end / Self.stretch
        var lineStart = end
        let breaks = bytes.withUnsafeBytes { text in
            breaksBefore[stretch] + LineBreaks.count(in: UnsafeRawBufferPointer(rebasing: text[stretch * Self.stretch..<end]))
        }
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        if breaks == 0 { lineStart = min(origin, end) }
        var column = 1
        for index in lineStart..<end where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return Location(line: firstLine + breaks, column: column)
    }
}
