/// The storage behind the nodes of one parse: flat records, child indexes and scalar bytes.
///
/// A stream is read into three flat buffers instead of a tree of objects, so building it costs an
/// append per event and dropping it costs three deallocations, however many nodes it has. The
/// buffers are the ones the reader filled, handed over without a copy.
/// `YAMLNode` is a small view (tree and index) over it. Immutable once built.
public final class YAMLTree: Sendable {
    /// What kind of node a record is.
    enum Kind: UInt8 {
        case scalar, mapping, sequence, alias
    }

    /// One node.
    struct Record {
        var start: Int
        var end: Int
        /// Collections: first index in `children`; scalars: first byte in `text`; aliases:
        /// index of the name in `names`.
        var first: Int32 = 0
        /// Collections: number of child indexes (keys and values alternate in a mapping);
        /// scalars: number of value bytes.
        var count: Int32 = 0
        var anchor: Int32 = -1
        var tag: Int32 = -1
        var kind: Kind
        /// Scalars: `YAMLScalar.Style`; collections: 1 for flow style.
        var style: UInt8 = 0
        var isElided = false
    }

    let records: GrowableBuffer<Record>
    let children: GrowableBuffer<Int32>
    let text: GrowableBuffer<UInt8>
    let names: [String]

    init(
        records: consuming GrowableBuffer<Record>, children: consuming GrowableBuffer<Int32>, text: consuming GrowableBuffer<UInt8>,
        names: [String]
    ) {
        self.records = records
        self.children = children
        self.text = text
        self.names = names
    }
}
