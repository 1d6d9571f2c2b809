import ShmfixDiagnostics

/// Cuts a YAML stream into chunks of whole documents without parsing it, so that documents can
/// be parsed as they arrive, in parallel, with memory that follows the largest document.
///
/// A chunk ends before a line that starts with `---` followed by a space, a tab, a line break or
/// the end of the input: libyaml ends any scalar or collection at such a line, so every
/// document is parsed exactly as it would be in the whole stream. Directive lines (`%YAML`,
/// `%TAG`) belong to the document after them: no cut is made at the `---` that follows one.
/// Chunks hold at least `minimumChunkSize` bytes where the documents allow.
public struct DocumentChunker: Sendable {
    /// A piece of the stream made of whole documents.
    public struct Chunk: Sendable {
        /// Its bytes.
        public var bytes: [UInt8]
        /// Where it starts in the whole input.
        public var offset: Int
        /// The line number (1-based) of its first line.
        public var firstLine: Int
    }

    /// The size a chunk reaches before it is cut at the next document start.
    public let minimumChunkSize: Int

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var pendingLine = 1
    /// The line of `pending` where the search for the next cut goes on (always a line start).
    private var examined = 0
    /// How many bytes of the unfinished line at `examined` were searched for its end already,
    /// so that a line longer than one `feed` (a 200 MB scalar) is searched once, not once per
    /// feed.
    private var searchedInLine = 0

    /// Creates a chunker.
    public init(minimumChunkSize: Int = 128 * 1024) { self.minimumChunkSize = minimumChunkSize }

    /// Adds input and returns the chunks it completes.
    public mutating func feed(_ bytes: [UInt8]) -> [Chunk] {
        if pending.isEmpty {
            pending = bytes
        } else {
            pending += bytes
        }
        return cut(final: false)
    }

    /// Reads input straight into a buffer of the chunker's own and returns the chunks it
    /// completes, and whether the input ended. `read` writes into the room it is given, from its
    /// start, and returns how many bytes it wrote (0 at the end of the input); it is called until
    /// the buffer holds a little more than `minimumChunkSize` bytes or the input ends.
    ///
    /// Unlike `feed(_:)`, which appends each block to the bytes not yet cut, no byte is copied
    /// but those of the document cut across by the end of a read: the buffer is sized for one
    /// chunk, which then takes it as its storage.
    public mutating func feed(reading read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> (chunks: [Chunk], ended: Bool) {
        let carried = pending
        // Room for one chunk and the start of the next document; a document larger than that
        // doubles the buffer, so that it is copied a bounded number of times in all.
        let room = max(minimumChunkSize + max(minimumChunkSize / 8, 4096), 2 * carried.count)
        var ended = false
        pending = try [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            _ = buffer.initialize(from: carried)
            initialized = carried.count
            while initialized < buffer.count {
                let count = try read(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[initialized...])))
                guard count > 0 else {
                    ended = true
                    break
                }
                initialized += min(count, buffer.count - initialized)
            }
        }
        return (cut(final: false), ended)
    }

    /// Returns the rest of the input as the last chunk (if any).
    public mutating func finish() -> [Chunk] {
        cut(final: true)
    }

    /// Cuts chunks before document starts. No chunk is cut before `minimumChunkSize` bytes,
    /// so the search for a cut starts there (the lines before it are not looked at, except the
    /// few that tell whether a directive precedes the document start found).
    private mutating func cut(final: Bool) -> [Chunk] {
        var cuts: [Range<Int>] = []
        var chunkStart = 0
        var index = examined
        var searchedInLine = searchedInLine
        let minimumChunkSize = minimumChunkSize
        pending.withUnsafeBufferPointer { buffer in
            search: while true {
                if index - chunkStart < minimumChunkSize {
                    // The first line that starts at or after the minimum size.
                    let target = chunkStart + minimumChunkSize
                    guard target < buffer.count, let start = Self.lineStart(buffer, atOrAfter: target) else {
                        // More input is needed first (or there is no cut left, when `final`).
                        break search
                    }
                    index = start
                    searchedInLine = 0
                }
                while index < buffer.count {
                    let lineEnd = Self.nextLineStart(buffer, from: index + searchedInLine)
                    guard lineEnd != nil || final else {
                        searchedInLine = buffer.count - index
                        break search
                    }
                    searchedInLine = 0
                    if Self.isDocumentStart(buffer, at: index), !Self.followsDirective(buffer, line: index) {
                        cuts.append(chunkStart..<index)
                        chunkStart = index
                        index = lineEnd ?? buffer.count
                        continue search
                    }
                    index = lineEnd ?? buffer.count
                }
                break search
            }
            if final, chunkStart < buffer.count {
                cuts.append(chunkStart..<buffer.count)
                chunkStart = buffer.count
                index = buffer.count
            }
        }
        let chunks = take(cuts, consumed: chunkStart)
        pendingOffset += chunkStart
        examined = max(index - chunkStart, 0)
        self.searchedInLine = searchedInLine
        return chunks
    }

    /// `true` when the nearest line before `line` that starts with `%` or is a document start
    /// is a directive (`%YAML`, `%TAG`): the document start at `line` then belongs to that
    /// directive and is no place to cut. The walk back ends at the latest at the chunk's own
    /// start, a document start, or at the start of the input.
    private static func followsDirective(_ buffer: UnsafeBufferPointer<UInt8>, line: Int) -> Bool {
        var start = line
        while start > 0 {
            // The start of the line before the one at `start`.
            var previous = start - 1
            while previous > 0, buffer[previous - 1] != UInt8(ascii: "\n") { previous -= 1 }
            if buffer[previous] == UInt8(ascii: "%") { return true }
            if isDocumentStart(buffer, at: previous) { return false }
            start = previous
        }
        return false
    }

    /// The first line start at or after `offset` (`nil` when no line break follows it yet).
    private static func lineStart(_ buffer: UnsafeBufferPointer<UInt8>, atOrAfter offset: Int) -> Int? {
        if offset == 0 || buffer[offset - 1] == UInt8(ascii: "\n") { return offset }
        return nextLineStart(buffer, from: offset)
    }

    /// Makes the chunks of `cuts` (which end at `consumed`) and drops their bytes from
    /// `pending`. A single chunk from the start of `pending`, the usual case, takes its storage
    /// (only the rest is copied). Each chunk's first line follows from the line breaks of the
    /// chunks before it, counted here.
    private mutating func take(_ cuts: [Range<Int>], consumed: Int) -> [Chunk] {
        var chunks: [Chunk] = []
        for (number, range) in cuts.enumerated() {
            let offset = pendingOffset + range.lowerBound
            let firstLine = pendingLine
            pendingLine += pending.withUnsafeBytes { LineBreaks.count(in: UnsafeRawBufferPointer(rebasing: $0[range])) }
            if number == cuts.count - 1, range == 0..<consumed {
                let rest = Array(pending[consumed...])
                pending.removeLast(pending.count - consumed)
                chunks.append(Chunk(bytes: pending, offset: offset, firstLine: firstLine))
                pending = rest
                return chunks
            }
            chunks.append(Chunk(bytes: Array(pending[range]), offset: offset, firstLine: firstLine))
        }
        pending.removeFirst(consumed)
        return chunks
    }

    /// The start of the line after the one holding `index`, or `nil` at the end without a break.
    private static func nextLineStart(_ buffer: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        LineBreaks.first(in: buffer, from: index).map { $0 + 1 }
    }

    /// `true` when the line at `index` starts with `---` and then a blank, a break or the end.
    private static func isDocumentStart(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 3 <= buffer.count, buffer[index] == UInt8(ascii: "-"), buffer[index + 1] == UInt8(ascii: "-"),
            buffer[index + 2] == UInt8(ascii: "-")
        else { return false }
        guard index + 3 < buffer.count else { return true }
        let next = buffer[index + 3]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r")
    }
}
