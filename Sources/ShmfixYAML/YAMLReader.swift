import CYAML
import ShmfixDiagnostics

/// Reads a YAML stream with libyaml's event API into documents of spanned nodes.
///
/// This is the only file that touches C. The parser lives in memory allocated here and freed
/// before `read` returns; the input buffer stays pinned for the whole parse. Nodes are built
/// with an explicit stack, not recursion, and nesting deeper than `maximumDepth` is refused, so
/// no input can overflow the call stack of this reader or of the layers above it.
///
/// Every document is parsed (so invalid YAML is always refused), but a caller can say, from a
/// document's text, that it needs no nodes (`needsNodes`): such a document is only validated,
/// which is as cheap as libyaml itself. Nodes go into one flat `YAMLTree` per read. Scalars
/// longer than `longestReadScalar` bytes keep their span and style but not their value
/// (`YAMLScalar.isElided`): nothing shmfix reads is that long.
public struct YAMLReader: Sendable {
    /// The deepest nesting of collections accepted (documented in the README).
    public static let maximumDepth = 1000
    /// The longest scalar whose value is kept.
    public static let longestReadScalar = 256

    /// Decides from the text of a document (from its start to the end of the input) whether
    /// its nodes are needed.
    public typealias Triage = @Sendable (UnsafeBufferPointer<UInt8>) -> Bool

    private let needsNodes: Triage?

    /// Creates a reader; `needsNodes` (default: always) selects the documents to build.
    public init(needsNodes: Triage? = nil) { self.needsNodes = needsNodes }

    /// The longest input accepted: the tree keeps byte offsets as `Int32`.
    public static let longestInput = Int(Int32.max)

    /// Parses `bytes`, which must be UTF-8; throws a positioned `Diagnostic` on invalid input,
    /// and on input longer than `longestInput` (at the first byte past it).
    public func read(_ bytes: [UInt8]) throws(Diagnostic) -> YAMLStream {
        guard bytes.count <= Self.longestInput else {
            throw Diagnostic(.error, "YAML input of more than \(Self.longestInput) bytes (2 GiB) is not supported", at: Self.longestInput)
        }
        try EncodingCheck.verify(bytes)
        let documents = try bytes.withUnsafeBufferPointer { (buffer) throws(Diagnostic) -> [YAMLDocument] in
            try ParseSession(buffer, needsNodes: needsNodes).run(source: bytes)
        }
        return YAMLStream(bytes: bytes, documents: documents)
    }
}

/// One libyaml parse over a pinned buffer, appending records to flat buffers.
private struct ParseSession: ~Copyable {
    /// An open collection: its record and where its children start on the scratch stack.
    private struct OpenCollection {
        var record: Int32
        var scratchStart: Int32
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let buffer: UnsafeBufferPointer<UInt8>
    private let needsNodes: YAMLReader.Triage?
    private var offsets: CharacterOffsets
    private var records: GrowableBuffer<YAMLTree.Record>
    private var children: GrowableBuffer<Int32>
    private var text: GrowableBuffer<UInt8>
    private var names: [String] = []
    private var decorations: [YAMLTree.Decoration] = []
    private var scratch = GrowableBuffer<Int32>(capacity: 256)
    private var open = GrowableBuffer<OpenCollection>(capacity: 64)
    private var skippedDepth = 0
    private var buildingNodes = true
    private var documents: [(root: Int32?, span: Range<Int>)] = []
    private var documentStart = 0
    private var documentRoot: Int32?
    /// Scalar records by anchor name, so that an alias of a scalar reads as its value.
    private var anchoredScalars: [String: Int32] = [:]

    init(_ buffer: UnsafeBufferPointer<UInt8>, needsNodes: YAMLReader.Triage?) {
        self.buffer = buffer
        self.needsNodes = needsNodes
        // Typical manifests hold about one node per 12 bytes and a third of their bytes in values:
        // room for more, so that the buffers do not grow (room never written is never touched, so
        // it takes no memory).
        records = GrowableBuffer(capacity: buffer.count / 8)
        children = GrowableBuffer(capacity: buffer.count / 8)
        text = GrowableBuffer(capacity: buffer.count / 2)
        offsets = CharacterOffsets(buffer)
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        // No `yaml_parser_set_encoding`: libyaml then detects the encoding itself, and only then
        // skips a UTF-8 byte order mark without counting it. With UTF-8 preset, the mark is read
        // as a character at column 0 that shifts every index by one and every column of the
        // first line, so `\u{FEFF}a: 1\nb: 2` no longer parses. UTF-16 never gets this far
        // (`EncodingCheck`), so the detection always picks UTF-8.
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(parser, base, buffer.count)
        } else {
            yaml_parser_set_input_string(parser, "", 0)
        }
    }

    /// Parses the whole buffer, frees the parser, and hands the records over to the tree.
    consuming func run(source: [UInt8]) throws(Diagnostic) -> [YAMLDocument] {
        let parser = parser
        defer {
            yaml_parser_delete(parser)
            parser.deallocate()
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw parserError() }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            // `&event`: read, not changed; by reference, so its 100 bytes are not copied per call.
            if buildingNodes {
                try handle(&event)
            } else {
                try validate(&event)
            }
        }
        let documents = documents
        let tree = YAMLTree(records: records, children: children, text: text, names: names, decorations: decorations, source: source)
        return documents.map { document in
            YAMLDocument(root: document.root.map { YAMLNode(tree: tree, index: $0) }, span: document.span)
        }
    }

    /// A document whose nodes are not needed: only depth and boundaries are followed.
    @inline(__always)
    private mutating func validate(_ event: inout yaml_event_t) throws(Diagnostic) {
        switch event.type {
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            skippedDepth += 1
            if skippedDepth > YAMLReader.maximumDepth {
                throw Self.depthError(at: offsets.byteOffset(ofCharacter: event.start_mark.index))
            }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            skippedDepth -= 1
        case YAML_DOCUMENT_END_EVENT:
            endDocument(&event, root: nil)
            buildingNodes = true
        default:
            break
        }
    }

    /// Builds nodes from one event. The common events (a scalar or collection with neither anchor
    /// nor tag, the end of a collection) take the short paths here; the others go through
    /// functions kept out of line (`addScalar`, `decorate`, `handleRare`), so that the
    /// common paths are not slowed by their code.
    @inline(__always)
    private mutating func handle(_ event: inout yaml_event_t) throws(Diagnostic) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let length = data.length
            // A plain scalar on one line is its own text: only line breaks fold, and libyaml's end
            // mark leaves out trailing spaces. When that text has as many characters as the value
            // has bytes, it is ASCII, so it is `start..<start + length` (no need to convert the end
            // mark) and the value is read from there, not copied. Any other scalar (or one with an
            // anchor or tag, whose text does not start with the value) goes to `addScalar`.
            if data.style == YAML_PLAIN_SCALAR_STYLE, data.anchor == nil, data.tag == nil, length <= YAMLReader.longestReadScalar,
                event.start_mark.line == event.end_mark.line, length == event.end_mark.index &- event.start_mark.index
            {
                let start = offsets.byteOffset(ofCharacter: event.start_mark.index)
                attach(
                    append(
                        YAMLTree.Record(
                            start: start, end: start &+ length, count: Int32(truncatingIfNeeded: length), kind: .scalar, value: .source)))
            } else {
                addScalar(&event)
            }
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try openCollection(.mapping, &event, isFlow: data.style == YAML_FLOW_MAPPING_STYLE, anchor: data.anchor, tag: data.tag)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try openCollection(.sequence, &event, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, anchor: data.anchor, tag: data.tag)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            closeCollection(end: offsets.byteOffset(ofCharacter: event.end_mark.index))
        default:
            handleRare(&event)
        }
    }

    /// A document's start or end, or an alias.
    @inline(never)
    private mutating func handleRare(_ event: inout yaml_event_t) {
        let start = offsets.byteOffset(ofCharacter: event.start_mark.index)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = start
            documentRoot = nil
            anchoredScalars = [:]
            if let needsNodes, let base = buffer.baseAddress, start < buffer.count {
                buildingNodes = needsNodes(UnsafeBufferPointer(start: base + start, count: buffer.count - start))
                skippedDepth = 0
            }
        case YAML_DOCUMENT_END_EVENT:
            endDocument(&event, root: documentRoot)
        case YAML_ALIAS_EVENT:
            let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            if let anchored = anchoredScalars[name] {
                // An anchored scalar's value is in `text` (`addScalar`), not at its span.
                var record = records[Int(anchored)]
                record.start = start
                record.end = max(end, start)
                record.style = YAMLScalar.Style.alias.rawValue
                record.isDecorated = false
                attach(append(record))
            } else {
                attach(append(YAMLTree.Record(start: start, end: max(end, start), first: intern(name), kind: .alias)))
            }
        default:
            break
        }
    }

    @inline(never)
    private mutating func endDocument(_ event: inout yaml_event_t, root: Int32?) {
        let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
        documents.append((root, documentStart..<max(end, documentStart)))
    }

    /// A scalar whose value is not read from the source: its value is appended to `text` (unless
    /// elided). Even a plain one with an anchor is: an alias of it copies its record, not its span.
    @inline(never)
    private mutating func addScalar(_ event: inout yaml_event_t) {
        let data = event.data.scalar
        let start = offsets.byteOffset(ofCharacter: event.start_mark.index)
        var end = offsets.byteOffset(ofCharacter: event.end_mark.index)
        if data.style == YAML_LITERAL_SCALAR_STYLE || data.style == YAML_FOLDED_SCALAR_STYLE {
            end = blockScalarTextEnd(start: start, libyamlEnd: end)
        }
        var record = YAMLTree.Record(start: start, end: max(end, start), kind: .scalar, style: Self.style(data.style).rawValue)
        if data.length > YAMLReader.longestReadScalar {
            record.value = .elided
        } else {
            record.first = text.count32
            record.count = Int32(truncatingIfNeeded: data.length)  // at most `longestReadScalar`
            if let value = data.value { text.append(contentsOf: UnsafeBufferPointer(start: value, count: data.length)) }
        }
        if data.anchor != nil || data.tag != nil { decorate(&record, anchor: data.anchor, tag: data.tag) }
        attach(append(record))
    }

    @inline(__always)
    private mutating func append(_ record: YAMLTree.Record) -> Int32 {
        let index = records.count32
        records.append(record)
        return index
    }

    private mutating func intern(_ name: String) -> Int32 {
        names.append(name)
        return Int32(names.count - 1)
    }

    @inline(__always)
    private mutating func openCollection(
        _ kind: YAMLTree.Kind, _ event: inout yaml_event_t, isFlow: Bool, anchor: UnsafeMutablePointer<yaml_char_t>?,
        tag: UnsafeMutablePointer<yaml_char_t>?
    ) throws(Diagnostic) {
        let start = offsets.byteOffset(ofCharacter: event.start_mark.index)
        guard open.count < YAMLReader.maximumDepth else { throw Self.depthError(at: start) }
        var record = YAMLTree.Record(start: start, end: start, kind: kind, style: isFlow ? 1 : 0)
        if anchor != nil || tag != nil { decorate(&record, anchor: anchor, tag: tag) }
        open.append(OpenCollection(record: append(record), scratchStart: scratch.count32))
    }

    /// Keeps the anchor and tag of `record`, the next one appended, in `decorations`; an anchor
    /// on a scalar is noted in `anchoredScalars` (and one on a collection replaces it there).
    @inline(never)
    private mutating func decorate(
        _ record: inout YAMLTree.Record, anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?
    ) {
        var decoration = YAMLTree.Decoration(record: records.count32)
        if let anchor {
            let name = String(cString: anchor)
            decoration.anchor = intern(name)
            anchoredScalars[name] = record.kind == .scalar ? records.count32 : nil
        }
        if let tag { decoration.tag = intern(String(cString: tag)) }
        decorations.append(decoration)
        record.isDecorated = true
    }

    @inline(never)
    private static func depthError(at offset: Int) -> Diagnostic {
        Diagnostic(.error, "nesting deeper than \(YAMLReader.maximumDepth) levels is not supported", at: offset)
    }

    /// Where a literal or folded scalar's text ends. libyaml ends it after the line breaks and
    /// blank lines that follow it; unless its header keeps them (`|+`, where they are part of
    /// the value), they belong to no node, so the scalar ends with its last line that holds more
    /// than spaces (that line's trailing spaces are part of a literal's value and stay in).
    private func blockScalarTextEnd(start: Int, libyamlEnd: Int) -> Int {
        guard let base = buffer.baseAddress, start < libyamlEnd, libyamlEnd <= buffer.count else { return libyamlEnd }
        // The indicator follows the scalar's tag and anchor, if any, on the same line.
        var indicator = start
        while indicator < libyamlEnd, base[indicator] != UInt8(ascii: "|"), base[indicator] != UInt8(ascii: ">"),
            base[indicator] != UInt8(ascii: "\n")
        {
            indicator += 1
        }
        var header = indicator + 1
        while header < libyamlEnd, header < indicator + 3 {
            let byte = base[header]
            if byte == UInt8(ascii: "+") { return libyamlEnd }
            guard byte == UInt8(ascii: "-") || (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) else { break }
            header += 1
        }
        var last = libyamlEnd - 1
        while last >= header, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(base[last]) {
            last -= 1
        }
        var end = max(last + 1, header)
        while end < libyamlEnd, base[end] != UInt8(ascii: "\n"), base[end] != UInt8(ascii: "\r") { end += 1 }
        return end
    }

    @inline(__always)
    private mutating func closeCollection(end: Int) {
        guard let collection = open.popLast() else { return }
        let index = Int(collection.record)
        var record = records[index]
        record.first = children.count32
        record.count = scratch.count32 &- collection.scratchStart
        record.end = max(end, record.start)
        records[index] = record
        children.append(movingSuffixOf: &scratch, from: Int(collection.scratchStart))
        attach(collection.record)
    }

    @inline(__always)
    private mutating func attach(_ index: Int32) {
        if open.count == 0 {
            documentRoot = index
        } else {
            scratch.append(index)
        }
    }

    private mutating func parserError() -> Diagnostic {
        var problem = Self.optionalString(parser.pointee.problem) ?? "invalid YAML"
        let offset: Int
        if parser.pointee.error == YAML_READER_ERROR {
            // Bad UTF-8 or a control character: libyaml gives a byte offset (and the value at
            // fault), and no mark at all.
            offset = min(parser.pointee.problem_offset, buffer.count)
            problem += Self.describe(value: parser.pointee.problem_value, utf8: problem.contains("UTF-8"))
        } else {
            offset = offsets.byteOffset(ofCharacter: parser.pointee.problem_mark.index)
        }
        var message = problem
        if let context = Self.optionalString(parser.pointee.context) {
            message = "\(context): \(problem)"
        }
        return Diagnostic(.error, "invalid YAML: \(message)", at: offset)
    }

    /// ` (byte 0xC3)` for an octet of bad UTF-8, ` (U+0007)` for a character; empty without one.
    private static func describe(value: Int32, utf8: Bool) -> String {
        guard value >= 0 else { return "" }
        let hex = String(value, radix: 16, uppercase: true)
        if utf8 { return " (byte 0x\(String(repeating: "0", count: max(0, 2 - hex.count)))\(hex))" }
        return " (U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))"
    }

    private static func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
