import ShmfixDiagnostics
import ShmfixPlanning
import ShmfixYAML

/// Turns planned changes into text edits of the original bytes.
///
/// Every insertion follows the text around it: block entries go after the line where the
/// mapping's last entry ends (so a trailing comment or blank line stays after them), at the
/// mapping's own key column, with the document's indent width and sequence style; flow
/// collections get flow members (`[{name: dshm, …}]`), JSON gets JSON in the file's own
/// indentation; the file's line ending is used, and a file without a final line break stays
/// without one.
public struct TextRenderer {
    private let layout: SourceLayout
    private let recent = RecentBlocks()
    private let shapes = ItemShapes()

    /// Creates a renderer over the stream's bytes.
    public init(source: [UInt8]) { layout = SourceLayout(source) }

    /// The edits that carry out `changes`, all inside the document whose root is `root`.
    public func edits(for changes: [Change], in root: YAMLNode) -> [TextEdit] {
        guard !changes.isEmpty else { return [] }
        var read = DocumentStyle.ReadSoFar()
        var edits: [TextEdit] = []
        edits.reserveCapacity(changes.count + 1)
        for change in changes {
            let target = change.target.node
            let firstKey = target.firstKey
            let keysColumn = layout.column(layout.keysStart(of: target, firstKey: firstKey))
            let needs = StyleNeeds.reading(change.action, target: target, in: layout, shapes: shapes)
            let style = DocumentStyle.forEdits(of: target, keysColumn: keysColumn, root: root, in: layout, needs: needs, read: &read)
            let context = EditContext(
                target: target, depth: change.target.path.count, firstKey: firstKey, keysColumn: keysColumn,
                firstItemOffset: needs.firstItemOffset, style: style, layout: layout, recent: recent)
            context.appendEdits(for: change.action, to: &edits)
        }
        if let header = blockScalarHeaderFix(root, edits: edits) { edits.append(header) }
        return edits
    }

    /// Lines added after a literal or folded scalar that ends the file without a line break
    /// would give that scalar a trailing line break it did not have; strip chomping (`|-`)
    /// keeps its value as it was.
    private func blockScalarHeaderFix(_ root: YAMLNode, edits: [TextEdit]) -> TextEdit? {
        let end = layout.bytes.count
        guard layout.bytes.last != UInt8(ascii: "\n"), edits.contains(where: { $0.range.lowerBound == end }) else { return nil }
        var node = root
        while true {
            if node.isMapping, !node.isFlow {
                guard let last = node.lastPair else { return nil }
                node = last.value
            } else if node.isSequence, !node.isFlow {
                guard let last = node.lastItem else { return nil }
                node = last
            } else {
                guard let scalar = node.scalar, scalar.style == .literal || scalar.style == .folded else { return nil }
                // A scalar that is itself replaced (`medium: |` → `medium: Memory`) has no header left.
                let start = node.span.lowerBound
                guard !edits.contains(where: { $0.range.contains(start) }) else { return nil }
                return BlockScalarHeader(layout: layout, start: start).stripChompingEdit()
            }
        }
    }
}

/// The header of a literal or folded scalar (`|`, `>2`, `|+`), read from the source.
private struct BlockScalarHeader {
    let layout: SourceLayout
    let start: Int

    /// The edit that makes the header strip the final line break (`|` → `|-`), or `nil` when it
    /// already does.
    func stripChompingEdit() -> TextEdit? {
        var index = start + 1
        var digits = ""
        var hasStrip = false
        while index < layout.bytes.count, index < start + 3 {
            let byte = layout.bytes[index]
            if byte == UInt8(ascii: "-") {
                hasStrip = true
            } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) {
                digits.append(Character(UnicodeScalar(byte)))
            } else if byte != UInt8(ascii: "+") {
                break
            }
            index += 1
        }
        guard !hasStrip, start < layout.bytes.count else { return nil }
        let indicator = String(UnicodeScalar(layout.bytes[start]))
        return TextEdit(start..<index, indicator + digits + "-")
    }
}

/// Renders the edits of one change on one mapping.
private struct EditContext {
    /// The mapping edited.
    let target: YAMLNode
    let layout: SourceLayout
    let style: DocumentStyle
    let values: ValueRenderer
    /// Block texts written last, shared by all edits of the renderer.
    let recent: RecentBlocks
    let json: Bool
    /// The target's depth in its document (`TextEdit.depth`).
    let depth: Int
    /// The column where the target mapping's keys stand (its `?` for an explicit first key).
    let keysColumn: Int
    /// For items appended to a block sequence: the item offset its first item shows on its
    /// dash's line (`SourceLayout.firstItemOffset(of:)`).
    let firstItemOffset: Int?

    /// An edit context for `target`, whose first key (`firstKey`) is read once for all.
    init(
        target: YAMLNode, depth: Int, firstKey: YAMLNode?, keysColumn: Int, firstItemOffset: Int?, style: DocumentStyle,
        layout: SourceLayout, recent: RecentBlocks
    ) {
        self.target = target
        self.depth = depth
        self.keysColumn = keysColumn
        self.firstItemOffset = firstItemOffset
        self.layout = layout
        self.style = style
        self.recent = recent
        let keyStyle = firstKey?.scalarStyle ?? .plain
        json = style.isJSON || (target.isFlow && keyStyle == .doubleQuoted)
        values = ValueRenderer(
            eol: layout.lineEnding(at: target.span.lowerBound), style: style,
            keyStyle: json ? .doubleQuoted : (keyStyle == .singleQuoted || keyStyle == .doubleQuoted ? keyStyle : .plain))
    }

    /// Appends the edits that carry out `action` to `edits`.
    func appendEdits(for action: Change.Action, to edits: inout [TextEdit]) {
        switch action {
        case .append(let key, let items, .absent):
            insertEntry(key, .sequence(items), to: &edits)
        case .append(_, let items, .null(let pair)):
            edits += replaceNull(pair, with: .sequence(items))
        case .append(_, let items, .sequence(let value)):
            if value.isFlow {
                edits += insertFlowMembers(into: value, items: items)
            } else {
                edits.append(appendBlockItems(to: value, items: items))
            }
        case .set(let entries):
            var absent: [PlainEntry] = []
            for entry in entries {
                guard let pair = entryPair(entry.key) else {
                    absent.append(entry)
                    continue
                }
                if pair.value.isNull, entry.value != .string("") {
                    edits += replaceNull(pair, with: entry.value)
                } else if let scalar = pair.value.scalar, case .string(let text) = entry.value {
                    let written = json ? values.jsonString(text) : values.scalar(text, like: scalar.style)
                    edits.append(replaceValue(of: pair, with: written))
                } else {
                    edits.append(replaceValue(of: pair, with: values.flow(entry.value, json: json)))
                }
            }
            if !absent.isEmpty { insertEntries(absent, to: &edits) }
        }
    }

    /// The target's first entry whose key is the string `key`.
    private func entryPair(_ key: String) -> YAMLPair? {
        guard target.isMapping else { return nil }
        for position in 0..<target.childCount where target.pair(at: position).key.string == key {
            return target.pair(at: position)
        }
        return nil
    }

    // MARK: Block

    /// Appends the edits that add the key `key` with the value `value` to the target.
    private func insertEntry(_ key: String, _ value: PlainValue, to edits: inout [TextEdit]) {
        guard !target.isFlow else { return insertEntries([PlainEntry(key, value)], to: &edits) }
        edits.append(insertLines(values.blockEntry(key, value, column: keysColumn, recent: recent), after: target.contentEnd))
    }

    /// Appends the edits that add `entries` to the target.
    private func insertEntries(_ entries: [PlainEntry], to edits: inout [TextEdit]) {
        if target.isFlow {
            edits += insertFlowMembers(
                into: target,
                members: entries.map { entry in
                    { column in values.key(entry.key) + ": " + rendered(entry.value, column: column) }
                })
        } else {
            edits.append(insertLines(values.blockMapping(entries, column: keysColumn, recent: recent), after: target.contentEnd))
        }
    }

    private func appendBlockItems(to sequence: YAMLNode, items: [PlainValue]) -> TextEdit {
        var itemStyle = values
        if let firstItemOffset {
            itemStyle = ValueRenderer(eol: values.eol, style: style.with(itemOffset: firstItemOffset), keyStyle: values.keyStyle)
        }
        let dashColumn = layout.column(sequence.span.lowerBound)
        if sequence.lastItem?.isFlow == true {
            let dash = String(repeating: " ", count: dashColumn) + "-" + String(repeating: " ", count: itemStyle.style.itemOffset - 1)
            return insertLines(items.map { dash + values.flow($0, json: false) + values.eol.text }.joined(), after: sequence.contentEnd)
        }
        let text = itemStyle.blockSequence(items, dashColumn: dashColumn, recent: recent)
        return insertLines(text, after: sequence.contentEnd)
    }

    /// Replaces a key's value with one-line text, from where the value starts (its anchor or tag
    /// included) to where its text ends (`contentEnd`: a block scalar ends with its last line of
    /// text, a block collection with its last entry), so the next line stays a line of its own. A block sequence may stand on the lines below its
    /// key at the key's own column (`emptyDir:` then `- x`), where no other value may: the text
    /// that replaces it is indented one step deeper than the key.
    private func replaceValue(of pair: YAMLPair, with text: String) -> TextEdit {
        let value = pair.value
        let start = value.span.lowerBound
        let end = max(value.contentEnd, start)
        let column = layout.column(start)
        guard !target.isFlow, layout.onDifferentLines(pair.key.span.upperBound, start), column <= keysColumn else {
            return TextEdit(start..<end, text, depth: depth)
        }
        return TextEdit(start..<end, String(repeating: " ", count: keysColumn + style.indentWidth - column) + text, depth: depth)
    }

    /// Gives a key whose value is null (`key:`, `key: null`, `key: ~`, or a key with no `:` at
    /// all: `{name, image: x}`, `? name`) the value `value`.
    private func replaceNull(_ pair: YAMLPair, with value: PlainValue) -> [TextEdit] {
        let null = pair.value
        let keyEnd = pair.key.span.upperBound
        // An empty value stands just after its `:`, or the key has none and gets one.
        let colon = null.isEmptyNull ? layout.colonAfter(keyEnd) : nil
        if target.isFlow {
            let text = rendered(value, column: layout.indentation(pair.key.span.lowerBound))
            guard null.isEmptyNull else { return [TextEdit(null.span, text, depth: depth)] }
            guard let colon else { return [TextEdit(keyEnd..<keyEnd, ": " + text, depth: depth)] }
            return [TextEdit(colon..<colon, " " + text, depth: depth)]
        }
        let keyColumn = layout.column(pair.key.span.lowerBound)
        let lines: [UInt8]
        switch value {
        case .sequence(let items): lines = values.blockSequence(items, dashColumn: keyColumn + style.sequenceIndent, recent: recent)
        case .mapping(let entries): lines = values.blockMapping(entries, column: keyColumn + style.indentWidth, recent: recent)
        case .string(let text):
            guard null.isEmptyNull else { return [TextEdit(null.span, values.scalar(text), depth: depth)] }
            guard let colon else {
                return [insertLines(explicitValueIndicator + " " + values.scalar(text) + values.eol.text, after: keyEnd)]
            }
            return [TextEdit(colon..<colon, " " + values.scalar(text), depth: depth)]
        }
        if null.isEmptyNull {
            guard let colon else { return [insertLines(Array((explicitValueIndicator + values.eol.text).utf8) + lines, after: keyEnd)] }
            return [insertLines(lines, after: colon)]
        }
        let removal = layout.skippingSpacesBack(from: null.span.lowerBound, floor: keyEnd)
        return [TextEdit(removal..<null.span.upperBound, "", depth: depth), insertLines(lines, after: null.span.upperBound)]
    }

    /// The `:` line under an explicit key written without one (`? name`), at the `?`'s column.
    private var explicitValueIndicator: String { String(repeating: " ", count: keysColumn) + ":" }

    /// New lines after the line on which content ends at `offset`.
    private func insertLines(_ lines: String, after offset: Int) -> TextEdit { insertLines(Array(lines.utf8), after: offset) }

    /// New lines (UTF-8) after the line on which content ends at `offset`; on a last line without
    /// a line break, the break goes before them and their last character is left off.
    private func insertLines(_ lines: [UInt8], after offset: Int) -> TextEdit {
        if let point = layout.lineBreakAfter(offset) { return TextEdit(point..<point, bytes: lines, depth: depth) }
        let end = layout.bytes.count
        return TextEdit(end..<end, bytes: Array(values.eol.text.utf8) + Self.droppingLastCharacter(lines), depth: depth)
    }

    /// `text` without its last character: a line break (`\r\n` is one), else whatever
    /// character the text ends with.
    private static func droppingLastCharacter(_ text: [UInt8]) -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        guard text.last == newline else { return Array(String(decoding: text, as: UTF8.self).dropLast().utf8) }
        let crlf = text.count >= 2 && text[text.count - 2] == UInt8(ascii: "\r")
        return Array(text.dropLast(crlf ? 2 : 1))
    }

    // MARK: Flow

    private func insertFlowMembers(into sequence: YAMLNode, items: [PlainValue]) -> [TextEdit] {
        insertFlowMembers(into: sequence, members: items.map { item in { column in rendered(item, column: column) } })
    }

    /// Inserts members (each rendered for the column it will start at) at the end of a flow
    /// collection, on one line or each on its own line, as the collection's last member is.
    private func insertFlowMembers(into collection: YAMLNode, members: [(Int) -> String]) -> [TextEdit] {
        let lastStart: Int?
        let lastEnd: Int?
        if let last = collection.lastPair {
            lastStart = last.key.span.lowerBound
            // An empty value stands where the next `,` or `}` starts (after any `:`), so a
            // member inserted there follows it: `{name: }` → `{name: , volumeMounts: […]}`.
            lastEnd = last.value.isEmptyNull ? max(last.value.span.lowerBound, last.key.span.upperBound) : last.value.contentEnd
        } else if let last = collection.lastItem {
            lastStart = last.span.lowerBound
            lastEnd = last.contentEnd
        } else {
            lastStart = nil
            lastEnd = nil
        }
        guard let lastStart, let lastEnd else {
            let close = closingBracket(of: collection)
            let column = layout.indentation(collection.span.lowerBound)
            guard isPrettyJSON else {
                return [TextEdit(close..<close, members.map { $0(column) }.joined(separator: ", "), depth: depth)]
            }
            let inner = String(repeating: " ", count: column + style.indentWidth)
            let lines = members.map { values.eol.text + inner + $0(column + style.indentWidth) }.joined(separator: ",")
            return [TextEdit(close..<close, lines + values.eol.text + String(repeating: " ", count: column), depth: depth)]
        }
        if collection.isMapping, !isBraced(collection) {
            // `[a: 1]`: a single-pair mapping inside a flow sequence takes no second pair, so it
            // gets its braces (`[{a: 1, b: 2}]`), which mean the same.
            let start = collection.span.lowerBound
            let column = layout.indentation(lastStart)
            return [
                TextEdit(start..<start, "{", depth: depth),
                TextEdit(lastEnd..<lastEnd, members.map { ", " + $0(column) }.joined() + "}", depth: depth),
            ]
        }
        if layout.onDifferentLines(collection.span.lowerBound, lastStart) {
            let column = layout.column(lastStart)
            let text = members.map { "," + values.eol.text + String(repeating: " ", count: column) + $0(column) }.joined()
            return [TextEdit(lastEnd..<lastEnd, text, depth: depth)]
        }
        let column = layout.indentation(lastStart)
        return [TextEdit(lastEnd..<lastEnd, members.map { ", " + $0(column) }.joined(), depth: depth)]
    }

    /// `false` for a single-pair mapping written without braces inside a flow sequence
    /// (`[a: 1]`, `[? k]`): libyaml ends a braced mapping just after its `}`, and an unbraced
    /// one where the next `,` or `]` starts, which is also where its last value ends.
    private func isBraced(_ mapping: YAMLNode) -> Bool {
        let end = mapping.span.upperBound
        guard end > 0, end <= layout.bytes.count, layout.bytes[end - 1] == UInt8(ascii: "}") else { return false }
        return mapping.lastPair?.value.span.upperBound != end
    }

    private func closingBracket(of collection: YAMLNode) -> Int {
        var index = collection.span.upperBound
        while index > collection.span.lowerBound {
            index -= 1
            let byte = layout.bytes[index]
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { return index }
        }
        return collection.span.upperBound
    }

    /// A value in flow context: JSON (indented when the document is) or flow YAML.
    private func rendered(_ value: PlainValue, column: Int) -> String {
        guard json else { return values.flow(value, json: false) }
        return isPrettyJSON ? values.prettyJSON(value, column: column) : values.flow(value, json: true)
    }

    /// JSON written over several lines (`kubectl get -o json`), not on one line (`jq -c`): the
    /// document and the mapping edited (unless it is an empty `{}`) spread over several lines.
    private var isPrettyJSON: Bool {
        guard json, style.isJSON, style.isMultiLine else { return false }
        let isEmptyMapping = target.isMapping && target.childCount == 0
        return isEmptyMapping || layout.onDifferentLines(target.span.lowerBound, target.contentEnd)
    }
}

extension DocumentStyle {
    fileprivate func with(itemOffset: Int) -> DocumentStyle {
        var copy = self
        copy.itemOffset = max(itemOffset, 2)
        return copy
    }
}
