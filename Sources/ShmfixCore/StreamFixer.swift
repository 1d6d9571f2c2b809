import ShmfixDiagnostics
import ShmfixYAML

/// Fixes a stream handed over in pieces, synchronously: each piece is cut into chunks of whole
/// documents (`DocumentChunker`) and every completed chunk is fixed at once, in input order.
/// Memory follows the largest chunk. `ShmFixer.fix`, the tests and the fuzzer use it;
/// `PipelinedFixer` does the same on worker threads.
public struct StreamFixer: Sendable {
    private let fixer: ShmFixer
    private var chunker: DocumentChunker

    /// Creates a stream fixer.
    public init(fixer: ShmFixer, minimumChunkSize: Int = 128 * 1024) {
        self.fixer = fixer
        chunker = DocumentChunker(minimumChunkSize: minimumChunkSize)
    }

    /// Adds input; returns the results of every chunk it completes. Throws the first error in
    /// input order.
    public mutating func feed(_ bytes: [UInt8]) throws(Finding) -> [ChunkResult] {
        var results: [ChunkResult] = []
        for chunk in chunker.feed(bytes) { results.append(try fixer.fix(chunk: chunk)) }
        return results
    }

    /// Ends the input; returns the results of the last chunks.
    public mutating func finish() throws(Finding) -> [ChunkResult] {
        var results: [ChunkResult] = []
        for chunk in chunker.finish() { results.append(try fixer.fix(chunk: chunk)) }
        return results
    }
}
