#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// How far `pending` has been scanned (always a line start), and the line breaks before it.
    private var scanned = 0
    private var breaksScanned = 0
    /// How many bytes of the unfinished line at `scanned` were searched for its end already,
    /// so that a line longer than one `feed` (a 200 MB scalar) is searched once, not once per
    /// feed.
    private var searchedInLine = 0
    private var directivePending = false

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

    /// Returns the rest of the input as the last chunk (if any).
    public mutating func finish() -> [Chunk] {
        cut(final: true)
    }

    private mutating func cut(final: Bool) -> [Chunk] {
        var cuts: [(range: Range<Int>, breaksBefore: Int)] = []
        var chunkStart = 0
        var breaksAtChunkStart = 0
        var index = scanned
        var breaks = breaksScanned
        pending.withUnsafeBufferPointer { buffer in
            while index < buffer.count {
                let searchFrom = index == scanned ? index + searchedInLine : index
                let lineEnd = Self.nextLineStart(buffer, from: searchFrom)
                guard lineEnd != nil || final else {
                    searchedInLine = buffer.count - index
                    break
                }
                if buffer[index] == UInt8(ascii: "%") {
                    directivePending = true
                } else if Self.isDocumentStart(buffer, at: index) {
                    if directivePending {
                        directivePending = false
                    } else if index - chunkStart >= minimumChunkSize {
                        cuts.append((chunkStart..<index, breaksAtChunkStart))
                        chunkStart = index
                        breaksAtChunkStart = breaks
                    }
                }
                guard let lineEnd else {
                    index = buffer.count
                    searchedInLine = 0
                    break
                }
                index = lineEnd
                searchedInLine = 0
                breaks += 1
            }
            if final, chunkStart < buffer.count {
                cuts.append((chunkStart..<buffer.count, breaksAtChunkStart))
                chunkStart = buffer.count
                breaksAtChunkStart = breaks
            }
        }
        let chunks = take(cuts, consumed: chunkStart)
        pendingOffset += chunkStart
        pendingLine += breaksAtChunkStart
        scanned = index - chunkStart
        breaksScanned = breaks - breaksAtChunkStart
        return chunks
    }

    /// Makes the chunks of `cuts` (which end at `consumed`) and drops their bytes from
    /// `pending`. A single chunk from the start of `pending`, the usual case, takes its storage
    /// (only the rest is copied).
    private mutating func take(_ cuts: [(range: Range<Int>, breaksBefore: Int)], consumed: Int) -> [Chunk] {
        var chunks: [Chunk] = []
        for (number, cut) in cuts.enumerated() {
            let offset = pendingOffset + cut.range.lowerBound
            let firstLine = pendingLine + cut.breaksBefore
            if number == cuts.count - 1, cut.range == 0..<consumed {
                let rest = Array(pending[consumed...])
                pending.removeLast(pending.count - consumed)
                chunks.append(Chunk(bytes: pending, offset: offset, firstLine: firstLine))
                pending = rest
                return chunks
            }
            chunks.append(Chunk(bytes: Array(pending[cut.range]), offset: offset, firstLine: firstLine))
        }
        pending.removeFirst(consumed)
        return chunks
    }

    /// The start of the line after the one holding `index`, or `nil` at the end without a break.
    private static func nextLineStart(_ buffer: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        guard let base = buffer.baseAddress, index < buffer.count,
            let found = memchr(base + index, Int32(UInt8(ascii: "\n")), buffer.count - index)
        else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
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
