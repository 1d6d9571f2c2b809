import ShmfixPlanning

/// What the items of recent appends hold (`StyleNeeds` reads it), found again by the storage of
/// their array: the planner makes the volume and mount lists once for all pod specs, so most
/// appends pass one of a few arrays, and comparing two references costs less than walking the
/// values again.
///
/// It belongs to one renderer, as `RecentBlocks` does: no lock, not `Sendable`.
final class ItemShapes {
    /// What items hold, at any depth.
    struct Shape {
        /// An entry whose value is a mapping (written as a block, indented by the indent width).
        let holdsMappingEntry: Bool
        /// A sequence.
        let holdsSequence: Bool
    }

    /// Items and their shape; the array is kept so that its storage, compared by address, is
    /// not freed and reused by another array while it is kept.
    private struct Kept {
        let items: [PlainValue]
        let shape: Shape
    }

    /// The most recent first. Not checked for exclusive access at run time: `shape(of:)` alone
    /// reads and writes it, and calls nothing that could reach it in between.
    @exclusivity(unchecked) private var kept: [Kept] = []

    /// How many arrays are kept (a volume list and a mount list, and a few more).
    private static let capacity = 4

    /// The shape of `items`: the one kept for the same storage, else walked, then kept.
    func shape(of items: [PlainValue]) -> Shape {
        let address = items.withUnsafeBufferPointer { $0.baseAddress }
        for index in kept.indices where kept[index].items.count == items.count {
            if kept[index].items.withUnsafeBufferPointer({ $0.baseAddress }) == address { return kept[index].shape }
        }
        let shape = Shape(
            holdsMappingEntry: items.contains { $0.holdsMappingEntry }, holdsSequence: items.contains { $0.holdsSequence })
        if kept.count == Self.capacity { kept.removeLast() }
        kept.insert(Kept(items: items, shape: shape), at: 0)
        return shape
    }
}

extension PlainValue {
    /// `true` when the value holds, at any depth, an entry whose value is a mapping: written as
    /// a block, that mapping is indented by the indent width.
    fileprivate var holdsMappingEntry: Bool {
        switch self {
        case .string: return false
        case .mapping(let entries):
            return entries.contains { entry in
                if case .mapping = entry.value { return true }
                return entry.value.holdsMappingEntry
            }
        case .sequence(let items): return items.contains { $0.holdsMappingEntry }
        }
    }

    /// `true` when the value holds a sequence at any depth.
    fileprivate var holdsSequence: Bool {
        switch self {
        case .string: return false
        case .mapping(let entries): return entries.contains { $0.value.holdsSequence }
        case .sequence: return true
        }
    }
}
