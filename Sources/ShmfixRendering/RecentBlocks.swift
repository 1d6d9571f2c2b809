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
    /// How a block text is written: at which column, by which renderer (style, key quoting, line
    /// ending). Plain data, compared before the value and without copying any array.
    struct Setting: Equatable {
        let column: Int
        let renderer: ValueRenderer
    }

    /// The value a block text is written from. A new key with its value is a case of its own, so
    /// that looking it up builds no array of entries: its value's array is then the one the
    /// planner made, whose comparison with a kept copy is a comparison of two references.
    enum Block: Equatable {
        /// Items of a block sequence.
        case sequence([PlainValue])
        /// Entries of a block mapping.
        case mapping([PlainEntry])
        /// One entry of a block mapping.
        case entry(key: String, value: PlainValue)

        /// What the derived `==` says, compared here rather than through `PlainValue`'s own `==`
        /// (generic over its arrays, and several times as costly when two values differ).
        static func == (left: Block, right: Block) -> Bool {
            switch (left, right) {
            case (.sequence(let left), .sequence(let right)): return Self.equal(left, right, by: Self.equal)
            case (.mapping(let left), .mapping(let right)): return Self.equal(left, right, by: Self.equal)
            case (.entry(let leftKey, let left), .entry(let rightKey, let right)): return leftKey == rightKey && Self.equal(left, right)
            default: return false
            }
        }

        private static func equal(_ left: PlainValue, _ right: PlainValue) -> Bool {
            switch (left, right) {
            case (.string(let left), .string(let right)): return left == right
            case (.mapping(let left), .mapping(let right)): return equal(left, right, by: equal)
            case (.sequence(let left), .sequence(let right)): return equal(left, right, by: equal)
            default: return false
            }
        }

        private static func equal(_ left: PlainEntry, _ right: PlainEntry) -> Bool {
            left.key == right.key && equal(left.value, right.value)
        }

        /// Arrays of equal length whose elements are `same`; at once `true` for two that share
        /// their storage (the values the planner made once for all pod specs).
        private static func equal<Element>(_ left: [Element], _ right: [Element], by same: (Element, Element) -> Bool) -> Bool {
            guard left.count == right.count else { return false }
            let shared = left.withUnsafeBufferPointer { left in right.withUnsafeBufferPointer { left.baseAddress == $0.baseAddress } }
            return shared || zip(left, right).allSatisfy(same)
        }
    }

    /// A text kept and what it was written from.
    private struct Kept {
        let setting: Setting
        let block: Block
        let text: [UInt8]
    }

    /// The most recent first. Not checked for exclusive access at run time (a check costs more
    /// than a lookup): `text(for:write:)` alone reads and writes it, and calls `write` between
    /// the two, not during either.
    @exclusivity(unchecked) private var blocks: [Kept] = []

    /// How many texts are kept: a volume and a mount, and the lists and keys holding them, at the
    /// columns and in the styles of the documents of one chunk (on the bench stream: 88 % found
    /// again; most kept texts differ from a new one in their column, one integer comparison).
    private static let capacity = 32

    /// The text written from `block` with `setting`: the one kept, else `write()`'s, then kept.
    func text(for block: Block, setting: Setting, write: () -> [UInt8]) -> [UInt8] {
        // Through the buffer: the texts kept are compared in place, their settings first (most
        // kept texts differ from a new one there), rather than each copied out of the array first.
        let found = blocks.withUnsafeBufferPointer { kept -> [UInt8]? in
            for index in kept.indices where kept[index].setting == setting && kept[index].block == block { return kept[index].text }
            return nil
        }
        if let found { return found }
        let text = write()
        if blocks.count == Self.capacity { blocks.removeLast() }
        blocks.insert(Kept(setting: setting, block: block, text: text), at: 0)
        return text
    }
}
