import ShmfixYAML

/// How a document lays out its block collections, read from the document itself so that
/// inserted lines look like their neighbours.
struct DocumentStyle: Equatable {
    /// Spaces between a key and the keys of its block mapping value.
    var indentWidth = 2
    /// Spaces between a key and the `-` of its block sequence value (0: kubectl style).
    var sequenceIndent = 0
    /// Spaces between a `-` and its item's content.
    var itemOffset = 2
    /// The document is JSON: every inserted value is JSON too.
    var isJSON = false
    /// The document spreads over several lines (so inserted JSON is indented, not on one line).
    /// Read for JSON documents only: nothing else depends on it.
    var isMultiLine = true

    /// The style of the document whose root is `root`, as far as its root alone tells (JSON,
    /// several lines); `detect` reads the rest.
    static func basics(_ root: YAMLNode, in layout: SourceLayout) -> DocumentStyle {
        var style = DocumentStyle()
        style.isJSON = root.isFlow && root.firstKey?.scalarStyle == .doubleQuoted
        // Finding where the root's content ends walks down its last entries: only JSON needs it.
        if style.isJSON { style.isMultiLine = layout.onDifferentLines(root.span.lowerBound, root.contentEnd) }
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
                let shown = Shown(node, in: layout)
                if !foundMapping, let width = shown.indentWidth {
                    style.indentWidth = width
                    foundMapping = true
                }
                if !foundSequence, let sequence = shown.sequence {
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

    /// The style for edits of the mapping `local`, whose keys stand at `keysColumn`, that read
    /// the parts `needs`: what `local` itself shows of them, completed from the whole document
    /// (`detect`, read only when `local` does not show all of them). `read` keeps what has been
    /// read of the document for its next edits.
    static func forEdits(
        of local: YAMLNode, keysColumn: Int, root: YAMLNode, in layout: SourceLayout, needs: StyleNeeds, read: inout ReadSoFar
    ) -> DocumentStyle {
        let shown = Shown(local, keysColumn: keysColumn, in: layout, needs: needs)
        var style: DocumentStyle
        if shown.indentWidth != nil || !needs.indentWidth, shown.sequence != nil || !needs.sequenceLayout {
            style = read.basics ?? basics(root, in: layout)
            read.basics = style
        } else {
            style = read.detected ?? detect(root, in: layout)
            read.detected = style
        }
        if let width = shown.indentWidth { style.indentWidth = width }
        if let sequence = shown.sequence { (style.sequenceIndent, style.itemOffset) = sequence }
        return style
    }

    /// What has been read of one document's style: its basics, and all of it once an edit
    /// needed that.
    struct ReadSoFar {
        /// `basics` of the document.
        var basics: DocumentStyle?
        /// `detect` of the document.
        var detected: DocumentStyle?
    }

    /// What one mapping shows of the style, read in one pass over its entries.
    private struct Shown {
        /// The indent of its first mapping value that sits on its own lines.
        var indentWidth: Int?
        /// The dash indent and item offset of its first block sequence value.
        var sequence: (Int, Int)?

        init(_ mapping: YAMLNode, in layout: SourceLayout) {
            let isEmpty = !mapping.isMapping || mapping.childCount == 0
            self.init(mapping, keysColumn: isEmpty ? 0 : layout.column(layout.keysStart(of: mapping)), in: layout)
        }

        /// What `mapping`, whose keys stand at `keysColumn`, shows of the parts `needs`.
        init(_ mapping: YAMLNode, keysColumn: Int, in layout: SourceLayout, needs: StyleNeeds = StyleNeeds()) {
            guard needs.indentWidth || needs.sequenceLayout else { return }
            let count = mapping.isMapping ? mapping.childCount : 0
            let readsSequences = needs.sequenceLayout && !mapping.isFlow
            for position in 0..<count {
                let pair = mapping.pair(at: position)
                if pair.value.isMapping {
                    if needs.indentWidth, indentWidth == nil {
                        indentWidth = Self.indentWidth(of: pair, parentColumn: keysColumn, in: layout)
                    }
                } else if sequence == nil, readsSequences, pair.value.isSequence {
                    sequence = Self.sequenceLayout(of: pair, in: layout)
                }
                if indentWidth != nil || !needs.indentWidth, sequence != nil || !readsSequences { return }
            }
        }

        /// The indent of `pair`'s value (a mapping) when it stands on lines of its own, deeper
        /// than the keys at `parentColumn`.
        private static func indentWidth(of pair: YAMLPair, parentColumn: Int, in layout: SourceLayout) -> Int? {
            guard pair.value.childCount > 0 else { return nil }
            let keysStart = layout.keysStart(of: pair.value)
            let lineStart = layout.lineStart(keysStart)
            guard layout.onDifferentLines(pair.key.span.lowerBound, keysStart, secondLineStart: lineStart) else { return nil }
            let width = keysStart - lineStart - parentColumn
            return width > 0 ? width : nil
        }

        /// The dash indent and item offset of `pair`'s value (a sequence) when it is a block
        /// sequence on lines of its own.
        private static func sequenceLayout(of pair: YAMLPair, in layout: SourceLayout) -> (Int, Int)? {
            let value = pair.value
            guard !value.isFlow, let first = value.firstItem, !first.isEmptyNull else { return nil }
            let keyStart = pair.key.span.lowerBound
            let dashStart = value.span.lowerBound
            let dashLineStart = layout.lineStart(dashStart)
            guard layout.onDifferentLines(keyStart, dashStart, secondLineStart: dashLineStart) else { return nil }
            let keyColumn = layout.column(keyStart)
            let dashColumn = dashStart - dashLineStart
            guard dashColumn >= keyColumn else { return nil }
            let contentStart = layout.itemContentStart(first)
            // On the dash's line, the content's column is the dash's plus the bytes between them.
            let offset = layout.onDifferentLines(dashStart, contentStart) ? 2 : contentStart - dashStart
            return (dashColumn - keyColumn, max(offset, 2))
        }
    }
}
