/// The storage behind the nodes of one parse: flat records, child indexes and scalar bytes.
///
/// A stream is read into three flat buffers instead of a tree of objects, so building it costs an
/// append per event and dropping it costs three deallocations, however many nodes it has. The
/// buffers are the ones the reader filled, handed over without a copy. Records are 20 bytes
/// (`Record`); the few anchors and tags are kept apart, in `decorations`. A scalar whose value is
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

    /// One node, in 20 bytes (about one per 11 input bytes, so their size is most of the tree's
    /// memory traffic): byte offsets and indexes are `Int32`, as `YAMLReader` refuses inputs of
    /// more than `Int32.max` bytes and `GrowableBuffer` holds at most `Int32.max` elements. The
    /// rare anchor and tag are not stored here but in `decorations`.
    struct Record {
        private var start32: Int32
        private var end32: Int32
        /// Collections: first index in `children`; scalars kept in `text`: first byte there;
        /// aliases: index of the name in `names`.
        var first: Int32 = 0
        /// Collections: number of child indexes (keys and values alternate in a mapping);
        /// scalars: number of value bytes.
        var count: Int32 = 0
        var kind: Kind
        /// Scalars: `YAMLScalar.Style`; collections: 1 for flow style.
        var style: UInt8 = 0
        /// Scalars: where the value is.
        var value = Value.text
        /// `true` when `decorations` holds an anchor or tag for this record.
        var isDecorated = false

        /// `start` and `end` must lie in `0...Int32.max` (offsets into an input `YAMLReader` took).
        init(start: Int, end: Int, first: Int32 = 0, count: Int32 = 0, kind: Kind, style: UInt8 = 0, value: Value = .text) {
            start32 = Int32(truncatingIfNeeded: start)
            end32 = Int32(truncatingIfNeeded: end)
            self.first = first
            self.count = count
            self.kind = kind
            self.style = style
            self.value = value
        }

        /// The byte offset where the node's text starts.
        var start: Int {
            get { Int(start32) }
            set { start32 = Int32(truncatingIfNeeded: newValue) }
        }

        /// The byte offset where the node's text ends.
        var end: Int {
            get { Int(end32) }
            set { end32 = Int32(truncatingIfNeeded: newValue) }
        }

        var isElided: Bool { value == .elided }
    }

    /// The anchor and tag of a record that has either (indexes in `names`, -1 for none).
    struct Decoration {
        var record: Int32
        var anchor: Int32 = -1
        var tag: Int32 = -1
    }

    let records: GrowableBuffer<Record>
    let children: GrowableBuffer<Int32>
    let text: GrowableBuffer<UInt8>
    let names: [String]
    /// The decorated records' anchors and tags, by increasing record index.
    let decorations: [Decoration]
    /// The bytes that were parsed.
    let source: [UInt8]

    init(
        records: consuming GrowableBuffer<Record>, children: consuming GrowableBuffer<Int32>, text: consuming GrowableBuffer<UInt8>,
        names: [String], decorations: [Decoration], source: [UInt8]
    ) {
        self.records = records
        self.children = children
        self.text = text
        self.names = names
        self.decorations = decorations
        self.source = source
    }

    /// The position in `decorations` of the first one whose record is `index` or after it.
    func firstDecoration(from index: Int32) -> Int {
        var low = 0
        var high = decorations.count
        while low < high {
            let middle = (low + high) / 2
            if decorations[middle].record < index { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The anchor and tag of record `index`, if it has either.
    func decoration(of index: Int32) -> Decoration? {
        guard records[Int(index)].isDecorated else { return nil }
        let position = firstDecoration(from: index)
        return position < decorations.count && decorations[position].record == index ? decorations[position] : nil
    }
}
