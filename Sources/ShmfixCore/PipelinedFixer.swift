import Dispatch
import ShmfixDiagnostics
import ShmfixYAML

/// The parallel layer, kept apart from the pipeline it runs: a stream is fixed as it arrives,
/// with reading and fixing overlapped. Each chunk of whole documents (`DocumentChunker`) goes
/// through the same synchronous `ShmFixer.fix(chunk:)` on a worker thread as soon as it is cut,
/// while the caller goes on reading; results are delivered in input order, so the output is the
/// same as `StreamFixer`'s. At most `window` chunks are in flight or waiting, so memory follows
/// the largest chunk, not the stream.
///
/// What is delivered is what `prepare` makes of each result, on the worker thread that fixed
/// the chunk: a caller that needs only some of a result (its bytes, its findings as text) has
/// the rest freed by the thread that allocated it, and the work of preparing it done in
/// parallel, not on the thread that reads and writes.
public struct PipelinedFixer<Delivered: Sendable>: Sendable {
    private let fixer: ShmFixer
    private let prepare: @Sendable (ChunkResult) -> Delivered
    private let window: Int
    private var chunker: DocumentChunker
    private var queue: [Slot<Delivered>] = []

    /// The chunk size of a pipeline, unless told otherwise. Each chunk costs a hand-over
    /// between threads (a wake-up, a context switch) and a few large allocations (its bytes, its
    /// tree, its output) that no thread cache keeps: on the 100 MB bench stream, 512 KiB chunks
    /// took ≈ 4 times fewer context switches and less CPU time than 128 KiB ones (README,
    /// "Parallel"). The last chunk of a stream is fixed by one worker while the other may idle,
    /// so much larger chunks lose at the end what they save on the way; memory is `window`
    /// chunks in flight.
    public static var defaultChunkSize: Int { 512 * 1024 }

    /// Creates a pipeline that delivers `prepare(result)` for each chunk's result.
    public init(
        fixer: ShmFixer, window: Int = 8, minimumChunkSize: Int = defaultChunkSize,
        prepare: @escaping @Sendable (ChunkResult) -> Delivered
    ) {
        self.fixer = fixer
        self.prepare = prepare
        self.window = max(window, 1)
        chunker = DocumentChunker(minimumChunkSize: minimumChunkSize)
    }

    /// Reads input with `read` into the chunker's own buffer (`DocumentChunker.feed(reading:)`,
    /// which copies no chunk) and delivers, in order, the results that are ready. Returns `true`
    /// when the input ended (then call `finish`). Throws the first error in input order (after
    /// which nothing more is delivered), or what `read` or `deliver` throws.
    public mutating func feed(
        reading read: (UnsafeMutableRawBufferPointer) throws -> Int, deliver: (Delivered) throws -> Void
    ) throws -> Bool {
        let (chunks, ended) = try chunker.feed(reading: read)
        try submit(chunks, deliver: deliver)
        return ended
    }

    /// Ends the input; delivers every remaining result in order.
    public mutating func finish(deliver: (Delivered) throws -> Void) throws {
        try submit(chunker.finish(), deliver: deliver)
        try drain(deliver: deliver)
    }

    /// Waits for every chunk submitted so far and delivers its result in order.
    public mutating func drain(deliver: (Delivered) throws -> Void) throws {
        while !queue.isEmpty { try deliver(takeHead()) }
    }

    /// Submits each chunk, waiting while the window is full, and delivers what is ready.
    private mutating func submit(_ chunks: [DocumentChunker.Chunk], deliver: (Delivered) throws -> Void) throws {
        for chunk in chunks {
            while queue.count >= window { try deliver(takeHead()) }
            submit(chunk)
            while let head = queue.first, head.isDone { try deliver(takeHead()) }
        }
    }

    private mutating func submit(_ chunk: DocumentChunker.Chunk) {
        let slot = Slot<Delivered>()
        let fixer = fixer
        let prepare = prepare
        queue.append(slot)
        DispatchQueue.global().async {
            slot.complete(Result { () throws(Finding) -> Delivered in prepare(try fixer.fix(chunk: chunk)) })
        }
    }

    /// Waits for the oldest chunk and returns its result (or throws its error).
    private mutating func takeHead() throws(Finding) -> Delivered {
        let slot = queue.removeFirst()
        return try slot.wait().get()
    }
}

/// One chunk's result, written once by a worker and read by the caller after `wait`.
private final class Slot<Delivered: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Delivered, Finding>?
    private var taken = false

    func complete(_ result: Result<Delivered, Finding>) {
        self.result = result
        done.signal()
    }

    /// `true` once the worker has finished (then `wait` returns at once).
    var isDone: Bool {
        guard !taken else { return true }
        taken = done.wait(timeout: .now()) == .success
        return taken
    }

    /// The result, once the worker has written it (`complete` always runs before `signal`).
    func wait() -> Result<Delivered, Finding> {
        if !taken {
            done.wait()
            taken = true
        }
        guard let result else { preconditionFailure("a chunk's worker signalled without a result") }
        return result
    }
}
