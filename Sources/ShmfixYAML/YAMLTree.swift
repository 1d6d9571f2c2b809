/// The storage behind the nodes of one parse: flat records, child indexes and scalar bytes.
///
/// A stream is read into three flat buffers instead of a tree of objects, so building it costs an
/// append per event and dropping it costs three deallocations, however many nodes it has. The
/// buffers are the ones the reader filled, handed over without a copy. A scalar whose value is
/// exactly its source text (most plain scalars) is not copied at all: its value is read from
/// `source` at its span.
/// `YAMLNode` is a small view (tree and index) over it. Immutable once built.
public final class YAMLTree: Sendable {
    /// What kind of node a record is.
    enum Kind: UInt8 {
        case scalar, mapping, sequence, alias
    }

    /// Where a scalar's value bytes are.
    enum Value: UInt8 {
        /// In `text`, `count` bytes from `first`.
        case text
        /// In `source`, `count` bytes from `start` (the value is the scalar's own text).
        case source
        /// Not kept (`YAMLReader.longestReadScalar`).
        case elided
    }

    /// One node.
    struct Record {
        var start: Int
        var end: Int
        /// Collections: first index in `children`; scalars kept in `text`: first byte there;
        /// aliases: index of the name in `names`.
        var first: Int32 = 0
        /// Collections: number of child indexes (keys and values alternate in a mapping);
        /// scalars: number of value bytes.
        var count: Int32 = 0
        var anchor: Int32 = -1
        var tag: Int32 = -1
        var kind: Kind
        /// Scalars: `YAMLScalar.Style`; collections: 1 for flow style.
        var style: UInt8 = 0
        /// Scalars: where the value is.
        var value = Value.text

        var isElided: Bool { value == .elided }
    }

    let records: GrowableBuffer<Record>
    let children: GrowableBuffer<Int32>
    let text: GrowableBuffer<UInt8>
    let names: [String]
    /// The bytes that were parsed.
    let source: [UInt8]

    init(
        records: consuming GrowableBuffer<Record>, children: consuming GrowableBuffer<Int32>, text: consuming GrowableBuffer<UInt8>,
        names: [String], source: [UInt8]
    ) {
        self.records = records
        self.children = children
        self.text = text
        self.names = names
        self.source = source
    }
}
