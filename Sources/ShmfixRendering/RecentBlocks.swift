import ShmfixPlanning
import ShmfixYAML

/// The block texts one `TextRenderer` wrote last, found again by comparing what they were
/// written from. The planner gives every pod spec the same volume and mount values (one
/// `PlanSettings` per run), so comparing with a recent value is mostly a comparison of two
/// references to the same array storage — far cheaper than writing the text again or hashing
/// the value.
///
/// It belongs to one renderer, so to one chunk and one thread: it has no lock and is not
/// `Sendable`.
final class RecentBlocks {
    /// What a block text is written from, the cheapest comparisons first.
    struct Source: Equatable {
        let column: Int
        let style: DocumentStyle
        let keyStyle: YAMLScalar.Style
        let eol: String
        let value: PlainValue
    }

    /// The most recent first.
    private var blocks: [(source: Source, text: [UInt8])] = []

    /// How many texts are kept: a volume and a mount, and the lists and keys holding them, at the
    /// columns and in the styles of the documents of one chunk (on the bench stream: 88 % found
    /// again; most kept texts differ from a new one in their column, one integer comparison).
    private static let capacity = 32

    /// The text written from `source`: the one kept, else `write()`'s, then kept.
    func text(for source: Source, write: () -> [UInt8]) -> [UInt8] {
        if let found = blocks.first(where: { $0.source == source }) { return found.text }
        let text = write()
        if blocks.count == Self.capacity { blocks.removeLast() }
        blocks.insert((source, text), at: 0)
        return text
    }
}
