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
        // Sorted as keys (offset, deeper first, then as given) rather than as edits, which would
        // move each edit's replacement with it.
        var order = edits.indices.map { index in (edits[index].range.lowerBound, edits[index].depth, index) }
        order.sort { ($0.0, $1.1, $0.2) < ($1.0, $0.1, $1.2) }
        let capacity = source.count + edits.reduce(0) { $0 + $1.replacement.count }
        guard capacity > 0 else { return [] }
        return source.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: capacity) { output, written in
                var cursor = 0
                for (_, _, index) in order {
                    let edit = edits[index]
                    let start = max(edit.range.lowerBound, cursor)
                    // What slicing the array checked: the buffer's slices are not checked.
                    precondition(start <= source.count, "edit past the end of the source")
                    copy(UnsafeBufferPointer(rebasing: source[cursor..<start]), to: output, at: &written)
                    edit.replacement.withUnsafeBufferPointer { copy($0, to: output, at: &written) }
                    cursor = max(cursor, edit.range.upperBound)
                }
                copy(UnsafeBufferPointer(rebasing: source[min(cursor, source.count)...]), to: output, at: &written)
            }
        }
    }

    /// Copies `bytes` into `output` at `written` and moves `written` past them.
    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to output: UnsafeMutableBufferPointer<UInt8>, at written: inout Int) {
        guard !bytes.isEmpty else { return }
        _ = output[written...].initialize(fromContentsOf: bytes)
        written += bytes.count
    }
}
