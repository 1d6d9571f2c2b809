import CYAML
import ShmfixDiagnostics

/// Reads a YAML stream with libyaml's event API into documents of spanned nodes.
///
/// This is the only file that touches C. The parser lives in memory allocated here and freed
/// before `read` returns; the input buffer stays pinned for the whole parse. Nodes are built
/// with an explicit stack, not recursion, and nesting deeper than `maximumDepth` is refused, so
/// no input can overflow the call stack of this reader or of the layers above it.
public struct YAMLReader: Sendable {
    /// The deepest nesting of collections accepted (documented in the README).
    public static let maximumDepth = 1000

    /// Creates a reader.
    public init() {}

    /// Parses `bytes`, which must be UTF-8; throws a positioned `Diagnostic` on invalid input.
    public func read(_ bytes: [UInt8]) throws(Diagnostic) -> YAMLStream {
        try EncodingCheck.verify(bytes)
        let documents = try bytes.withUnsafeBufferPointer { (buffer) throws(Diagnostic) -> [YAMLDocument] in
            var session = ParseSession(buffer)
            defer { session.close() }
            return try session.run()
        }
        return YAMLStream(bytes: bytes, documents: documents)
    }
}

/// One libyaml parse over a pinned buffer.
private struct ParseSession {
    private struct Frame {
        var isMapping: Bool
        var start: Int
        var isFlow: Bool
        var anchor: String?
        var tag: String?
        var children: [YAMLNode] = []
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let buffer: UnsafeBufferPointer<UInt8>
    private var offsets: CharacterOffsets
    private var stack: [Frame] = []
    private var documents: [YAMLDocument] = []
    private var documentStart = 0
    private var documentRoot: YAMLNode?
    /// Scalars by anchor name, so that an alias of a scalar reads as its value.
    private var anchoredScalars: [String: YAMLScalar] = [:]

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        offsets = CharacterOffsets(buffer)
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(parser, base, buffer.count)
        } else {
            yaml_parser_set_input_string(parser, "", 0)
        }
    }

    func close() {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    mutating func run() throws(Diagnostic) -> [YAMLDocument] {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw parserError() }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return documents }
            try handle(event)
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(Diagnostic) {
        let start = offsets.byteOffset(ofCharacter: event.start_mark.index)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = start
            documentRoot = nil
            anchoredScalars = [:]
        case YAML_DOCUMENT_END_EVENT:
            let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
            documents.append(YAMLDocument(root: documentRoot, span: documentStart..<max(end, documentStart)))
        case YAML_SCALAR_EVENT:
            let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
            let data = event.data.scalar
            let scalar = YAMLScalar(value: Self.string(data.value, data.length), style: Self.style(data.style))
            let anchor = Self.optionalString(data.anchor)
            if let anchor { anchoredScalars[anchor] = scalar }
            let node = YAMLNode(
                content: .scalar(scalar), span: start..<max(end, start), anchor: anchor,
                tag: Self.optionalString(data.tag))
            attach(node)
        case YAML_ALIAS_EVENT:
            let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            var node = YAMLNode(content: .alias(name), span: start..<max(end, start))
            if let scalar = anchoredScalars[name] {
                node.content = .scalar(YAMLScalar(value: scalar.value, style: .alias))
            }
            attach(node)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            if let anchor = Self.optionalString(data.anchor) { anchoredScalars[anchor] = nil }
            try push(
                Frame(
                    isMapping: false, start: start, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE,
                    anchor: Self.optionalString(data.anchor), tag: Self.optionalString(data.tag)), at: start)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            if let anchor = Self.optionalString(data.anchor) { anchoredScalars[anchor] = nil }
            try push(
                Frame(
                    isMapping: true, start: start, isFlow: data.style == YAML_FLOW_MAPPING_STYLE,
                    anchor: Self.optionalString(data.anchor), tag: Self.optionalString(data.tag)), at: start)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let end = offsets.byteOffset(ofCharacter: event.end_mark.index)
            pop(end: end)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame, at offset: Int) throws(Diagnostic) {
        guard stack.count < YAMLReader.maximumDepth else {
            throw Diagnostic(.error, "nesting deeper than \(YAMLReader.maximumDepth) levels is not supported", at: offset)
        }
        stack.append(frame)
    }

    private mutating func pop(end: Int) {
        guard let frame = stack.popLast() else { return }
        let content: YAMLNode.Content
        if frame.isMapping {
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(frame.children.count / 2)
            var index = 0
            while index + 1 < frame.children.count {
                pairs.append(YAMLPair(key: frame.children[index], value: frame.children[index + 1]))
                index += 2
            }
            content = .mapping(pairs)
        } else {
            content = .sequence(frame.children)
        }
        let node = YAMLNode(
            content: content, span: frame.start..<max(end, frame.start), isFlow: frame.isFlow,
            anchor: frame.anchor, tag: frame.tag)
        attach(node)
    }

    private mutating func attach(_ node: YAMLNode) {
        if stack.isEmpty {
            documentRoot = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }

    private mutating func parserError() -> Diagnostic {
        let problem = Self.optionalString(parser.pointee.problem) ?? "invalid YAML"
        let offset = offsets.byteOffset(ofCharacter: parser.pointee.problem_mark.index)
        var message = problem
        if let context = Self.optionalString(parser.pointee.context) {
            message = "\(context): \(problem)"
        }
        return Diagnostic(.error, "invalid YAML: \(message)", at: offset)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
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
