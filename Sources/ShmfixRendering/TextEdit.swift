/// A replacement of a byte range of the source; an empty range is an insertion.
public struct TextEdit: Sendable, Equatable {
    /// The bytes replaced.
    public var range: Range<Int>
    /// What replaces them.
    public var replacement: [UInt8]
    /// Among insertions at one offset, those with the larger `depth` (deeper target) go first.
    public var depth: Int

    /// Creates an edit.
    public init(_ range: Range<Int>, _ replacement: String, depth: Int = 0) {
        self.range = range
        self.replacement = Array(replacement.utf8)
        self.depth = depth
    }

    /// Creates an edit whose replacement is already UTF-8 bytes.
    init(_ range: Range<Int>, bytes replacement: [UInt8], depth: Int = 0) {
        self.range = range
        self.replacement = replacement
        self.depth = depth
    }

    /// Splices `edits` into `source` in one forward pass; everything between edits is copied.
    public static func apply(_ edits: [TextEdit], to source: [UInt8]) -> [UInt8] {
        let ordered = edits.enumerated().sorted { lhs, rhs in
            if lhs.element.range.lowerBound != rhs.element.range.lowerBound {
                return lhs.element.range.lowerBound < rhs.element.range.lowerBound
            }
            if lhs.element.depth != rhs.element.depth { return lhs.element.depth > rhs.element.depth }
            return lhs.offset < rhs.offset
        }.map(\.element)
        var output: [UInt8] = []
        output.reserveCapacity(source.count + ordered.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        for edit in ordered {
            let start = max(edit.range.lowerBound, cursor)
            output.append(contentsOf: source[cursor..<start])
            output.append(contentsOf: edit.replacement)
            cursor = max(cursor, edit.range.upperBound)
        }
        output.append(contentsOf: source[min(cursor, source.count)...])
        return output
    }
}
