import Dispatch

/// Fixes a stream as it arrives: input is cut into chunks of whole documents
/// (`DocumentChunker`), and the chunks completed by each `feed` are fixed in parallel, one per
/// core, and returned in input order. Memory follows the largest chunk, not the stream.
public struct StreamFixer: Sendable {
    private let fixer: ShmFixer
    private var chunker: DocumentChunker

    /// Creates a stream fixer.
    public init(fixer: ShmFixer, minimumChunkSize: Int = 128 * 1024) {
        self.fixer = fixer
        chunker = DocumentChunker(minimumChunkSize: minimumChunkSize)
    }

    /// Adds input; returns the results of the chunks it completes. Throws the first error in
    /// input order.
    public mutating func feed(_ bytes: [UInt8]) throws(Diagnostic) -> [ChunkResult] {
        try process(chunker.feed(bytes))
    }

    /// Ends the input; returns the results of the last chunks.
    public mutating func finish() throws(Diagnostic) -> [ChunkResult] {
        try process(chunker.finish())
    }

    private func process(_ chunks: [DocumentChunker.Chunk]) throws(Diagnostic) -> [ChunkResult] {
        if chunks.count == 1 { return [try fixer.fix(chunks[0])] }
        let outcomes = ParallelMap.map(chunks) { [fixer] chunk in
            Result { () throws(Diagnostic) -> ChunkResult in try fixer.fix(chunk) }
        }
        var results: [ChunkResult] = []
        results.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .success(let result): results.append(result)
            case .failure(let error): throw error
            }
        }
        return results
    }
}

/// Maps an array on all cores, keeping the order.
enum ParallelMap {
    static func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
        let slots = SlotArray<Output>(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            slots.store(transform(inputs[index]), at: index)
        }
        return slots.values()
    }
}

/// Write-once slots filled from several threads, each slot by exactly one of them; the storage
/// is a raw buffer, so no two threads ever access the same Swift property.
private final class SlotArray<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func store(_ value: Value, at index: Int) { storage[index] = value }

    func values() -> [Value] { (0..<count).compactMap { storage[$0] } }
}
