/// A parsed YAML stream: its source bytes and its documents, each with node spans.
public struct YAMLStream: Sendable {
    /// The source, as read.
    public let bytes: [UInt8]
    /// The documents, in order.
    public let documents: [YAMLDocument]

    /// Creates a stream.
    public init(bytes: [UInt8], documents: [YAMLDocument]) {
        self.bytes = bytes
        self.documents = documents
    }
}

/// One document of a stream.
public struct YAMLDocument: Sendable {
    /// The root node (`nil` for an empty document).
    public let root: YAMLNode?
    /// Bytes from the document's start (its `---` or first node) to its end.
    public let span: Range<Int>

    /// Creates a document.
    public init(root: YAMLNode?, span: Range<Int>) {
        self.root = root
        self.span = span
    }
}
