import ShmfixYAML

/// How a document lays out its block collections, read from the document itself so that
/// inserted lines look like their neighbours.
struct DocumentStyle: Hashable {
    /// Spaces between a key and the keys of its block mapping value.
    var indentWidth = 2
    /// Spaces between a key and the `-` of its block sequence value (0: kubectl style).
    var sequenceIndent = 0
    /// Spaces between a `-` and its item's content.
    var itemOffset = 2
    /// The document is JSON: every inserted value is JSON too.
    var isJSON = false
    /// The document spreads over several lines (so inserted JSON is indented, not on one line).
    var isMultiLine = true

    /// The style of the document whose root is `root`, as far as its root alone tells (JSON,
    /// several lines); `detect` reads the rest.
    static func basics(_ root: YAMLNode, in layout: SourceLayout) -> DocumentStyle {
        var style = DocumentStyle()
        style.isJSON = root.isFlow && root.firstKey?.scalarStyle == .doubleQuoted
        style.isMultiLine = layout.onDifferentLines(root.span.lowerBound, root.contentEnd)
        return style
    }

    /// Reads the style of the document whose root is `root`.
    static func detect(_ root: YAMLNode, in layout: SourceLayout) -> DocumentStyle {
        var style = basics(root, in: layout)
        var foundMapping = false
        var foundSequence = false
        var stack = [root]
        while let node = stack.popLast(), !(foundMapping && foundSequence) {
            if node.isMapping {
                if !foundMapping, let width = mappingWidth(node, in: layout) {
                    style.indentWidth = width
                    foundMapping = true
                }
                if !foundSequence, let sequence = sequenceLayout(node, in: layout) {
                    (style.sequenceIndent, style.itemOffset) = sequence
                    foundSequence = true
                }
                for position in stride(from: node.childCount - 1, through: 0, by: -1) { stack.append(node.pair(at: position).value) }
            } else if node.isSequence {
                for position in stride(from: node.childCount - 1, through: 0, by: -1) { stack.append(node.item(at: position)) }
            }
        }
        return style
    }

    /// The same style, adjusted to what the mapping `local` itself shows.
    func adjusted(to local: YAMLNode, in layout: SourceLayout) -> DocumentStyle {
        var style = self
        if let width = Self.mappingWidth(local, in: layout) { style.indentWidth = width }
        if let sequence = Self.sequenceLayout(local, in: layout) { (style.sequenceIndent, style.itemOffset) = sequence }
        return style
    }

    /// The style for edits of the mapping `local`: what `local` itself shows, completed from
    /// the whole document (`detect`, read only when `local` does not show everything).
    static func forEdits(
        of local: YAMLNode, root: YAMLNode, in layout: SourceLayout, detected: inout DocumentStyle?
    ) -> DocumentStyle {
        if let width = mappingWidth(local, in: layout), let sequence = sequenceLayout(local, in: layout) {
            var style = basics(root, in: layout)
            style.indentWidth = width
            (style.sequenceIndent, style.itemOffset) = sequence
            return style
        }
        let document = detected ?? detect(root, in: layout)
        detected = document
        return document.adjusted(to: local, in: layout)
    }

    /// The indent of the first mapping value of `mapping` that sits on its own lines.
    private static func mappingWidth(_ mapping: YAMLNode, in layout: SourceLayout) -> Int? {
        guard mapping.isMapping, mapping.childCount > 0 else { return nil }
        let parentColumn = layout.column(layout.keysStart(of: mapping))
        for position in 0..<mapping.childCount {
            let pair = mapping.pair(at: position)
            guard pair.value.isMapping, pair.value.childCount > 0,
                layout.onDifferentLines(pair.key.span.lowerBound, layout.keysStart(of: pair.value))
            else { continue }
            let width = layout.column(layout.keysStart(of: pair.value)) - parentColumn
            if width > 0 { return width }
        }
        return nil
    }

    /// The dash indent and item offset of the first block sequence value of `mapping`.
    private static func sequenceLayout(_ mapping: YAMLNode, in layout: SourceLayout) -> (Int, Int)? {
        guard mapping.isMapping, !mapping.isFlow else { return nil }
        for position in 0..<mapping.childCount {
            let pair = mapping.pair(at: position)
            guard let first = pair.value.firstItem, !pair.value.isFlow, !first.isEmptyNull else { continue }
            let keyColumn = layout.column(pair.key.span.lowerBound)
            let dashColumn = layout.column(pair.value.span.lowerBound)
            guard layout.onDifferentLines(pair.key.span.lowerBound, pair.value.span.lowerBound), dashColumn >= keyColumn else {
                continue
            }
            let contentStart = layout.itemContentStart(first)
            let offset = layout.onDifferentLines(pair.value.span.lowerBound, contentStart) ? 2 : layout.column(contentStart) - dashColumn
            return (dashColumn - keyColumn, max(offset, 2))
        }
        return nil
    }
}
