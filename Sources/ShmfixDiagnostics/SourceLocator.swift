#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns byte offsets into 1-based line and column numbers.
///
/// Columns count Unicode scalars (as libyaml does), not bytes, so a position after a Chinese
/// comment still points at the right character. A UTF-8 byte order mark is not counted. The
/// line starts are indexed once, when the locator is made (one `memchr` pass), so each lookup
/// is a binary search and the locator is an immutable value any thread may share.
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
    /// The offset where each line starts.
    private let lineStarts: [Int]

    /// Creates a locator over the given source bytes, whose first line is line `firstLine` of
    /// the whole input (a later chunk of a stream starts further down).
    public init(_ bytes: [UInt8], firstLine: Int = 1) {
        self.bytes = bytes
        self.firstLine = firstLine
        lineStarts = Self.lineStarts(of: bytes, skippingByteOrderMark: firstLine == 1)
    }

    private static func lineStarts(of bytes: [UInt8], skippingByteOrderMark: Bool) -> [Int] {
        var starts = [skippingByteOrderMark && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while index < buffer.count, let found = memchr(base + index, Int32(UInt8(ascii: "\n")), buffer.count - index) {
                index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
                starts.append(index)
            }
        }
        return starts
    }

    /// The line and column of the byte at `offset` (clamped to the text).
    public func location(ofByte offset: Int) -> Location {
        let end = min(max(offset, 0), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= end { low = middle } else { high = middle - 1 }
        }
        let lineStart = min(lineStarts[low], end)
        var column = 1
        for index in lineStart..<end where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return Location(line: firstLine + low, column: column)
    }
}
