import ShmfixPlanning
import ShmfixYAML

/// The parts of a document's style that the edits of one change read. Reading a part walks the
/// target's entries (and, when they do not show it, the whole document), so the parts no edit
/// reads are not looked for: appending a mount to a list whose first item stands on its dash's
/// line (`- name: x`) reads neither. A part not read keeps its default in the style, which no
/// text written for the change then depends on.
struct StyleNeeds {
    /// The indent width: what is written holds an entry whose value is a block mapping.
    var indentWidth = true
    /// The dash indent and item offset: what is written holds a block sequence whose items
    /// take the document's offset.
    var sequenceLayout = true
    /// For items appended to a block sequence, the offset its first item shows on its dash's
    /// line (`SourceLayout.firstItemOffset(of:)`), which they take instead of the document's;
    /// read here, as it decides whether the document's item offset is needed.
    var firstItemOffset: Int?

    /// Every part, as `DocumentStyle.detect` reads them.
    init() {}

    /// What the edits of `action` on the mapping `target` read (every part, but for the
    /// common block appends), with what the items appended hold found in `shapes`. A function,
    /// not an initializer, so that `action` is borrowed rather than copied.
    static func reading(_ action: Change.Action, target: YAMLNode, in layout: SourceLayout, shapes: ItemShapes) -> StyleNeeds {
        var needs = StyleNeeds()
        switch action {
        case .append(_, let items, .absent) where !target.isFlow:
            // `key:` and a block sequence at the document's dash indent and item offset.
            needs.indentWidth = shapes.shape(of: items).holdsMappingEntry
        case .append(_, let items, .sequence(let sequence)) where !sequence.isFlow:
            let shape = shapes.shape(of: items)
            needs.firstItemOffset = layout.firstItemOffset(of: sequence)
            needs.indentWidth = shape.holdsMappingEntry
            needs.sequenceLayout = needs.firstItemOffset == nil || shape.holdsSequence
        default:
            break
        }
        return needs
    }
}
