/// Fixes a stream handed over in pieces and returns, for each piece, the results of the chunks
/// it completes, in input order: a `PipelinedFixer` whose results are collected instead of
/// delivered (for callers that want arrays: `ShmFixer.fix`, the tests, the fuzzer). Memory
/// follows the largest piece.
public struct StreamFixer: Sendable {
    private var pipeline: PipelinedFixer

    /// Creates a stream fixer.
    public init(fixer: ShmFixer, minimumChunkSize: Int = 128 * 1024) {
        pipeline = PipelinedFixer(fixer: fixer, window: .max, minimumChunkSize: minimumChunkSize)
    }

    /// Adds input; returns the results of every chunk it completes. Throws the first error in
    /// input order.
    public mutating func feed(_ bytes: [UInt8]) throws(Diagnostic) -> [ChunkResult] {
        try Self.collect { results in
            try pipeline.feed(bytes) { results.append($0) }
            try pipeline.drain { results.append($0) }
        }
    }

    /// Ends the input; returns the results of the last chunks.
    public mutating func finish() throws(Diagnostic) -> [ChunkResult] {
        try Self.collect { results in try pipeline.finish { results.append($0) } }
    }

    /// Runs `body`, which only ever throws the pipeline's `Diagnostic`s, and returns what it
    /// collected.
    private static func collect(_ body: (inout [ChunkResult]) throws -> Void) throws(Diagnostic) -> [ChunkResult] {
        var results: [ChunkResult] = []
        do {
            try body(&results)
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw Diagnostic(.error, "internal error: \(error)", at: 0)
        }
        return results
    }
}
