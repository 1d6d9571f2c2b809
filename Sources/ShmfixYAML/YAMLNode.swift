#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A node of a YAML document with the exact byte span it occupies in the source.
///
/// The YAML layer never re-serialises anything: it reads a stream once with libyaml's event API
/// and keeps, for every node, where its text starts and ends (byte offsets into the original
/// input) together with its style. Everything shmfix writes is spliced into the original bytes at
/// those offsets, so what it does not touch stays byte for byte as it was.
///
/// A node is a view into a `YAMLTree` (an index into its flat records): copying one is free, and
/// key lookups compare bytes without building strings or arrays. Aliases of collections are
/// kept as `.alias` and never expanded: an alias bomb costs nothing. An alias of a scalar reads
/// as that scalar's value (style `.alias`), so `mountPath: *path` is understood.
public struct YAMLNode: Sendable {
    /// What a node holds.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
        case alias(String)
    }

    let tree: YAMLTree
    let index: Int32

    init(tree: YAMLTree, index: Int32) {
        self.tree = tree
        self.index = index
    }

    private var record: YAMLTree.Record { tree.records[Int(index)] }

    /// The node's value (builds arrays of children: prefer `pairs`, `items` or the subscript).
    public var content: Content {
        let record = record
        switch record.kind {
        case .scalar: return .scalar(scalarValue(record))
        case .mapping: return .mapping(pairList(record))
        case .sequence: return .sequence(childNodes(record))
        case .alias: return .alias(tree.names[Int(record.first)])
        }
    }

    /// Bytes `[start, end)` of the node's text (for a block collection, up to where libyaml
    /// reported its end, which may lie after trailing comments — see `contentEnd`).
    public var span: Range<Int> {
        let record = record
        return record.start..<record.end
    }

    /// `true` for `[…]` and `{…}` collections.
    public var isFlow: Bool {
        let record = record
        return record.kind != .scalar && record.kind != .alias && record.style == 1
    }

    /// The anchor (`&name`) set on the node, if any.
    public var anchor: String? {
        guard let anchor = tree.decoration(of: index)?.anchor, anchor >= 0 else { return nil }
        return tree.names[Int(anchor)]
    }

    /// The explicit tag, if any.
    public var tag: String? {
        guard let tag = tree.decoration(of: index)?.tag, tag >= 0 else { return nil }
        return tree.names[Int(tag)]
    }

    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        let record = record
        return record.kind == .scalar ? scalarValue(record) : nil
    }

    /// The scalar's value, when the node is a scalar whose value was kept.
    public var string: String? {
        let record = record
        guard record.kind == .scalar, !record.isElided else { return nil }
        return decodedValue(record)
    }

    /// The entries, when the node is a mapping.
    public var pairs: [YAMLPair]? {
        let record = record
        return record.kind == .mapping ? pairList(record) : nil
    }

    /// The items, when the node is a sequence.
    public var items: [YAMLNode]? {
        let record = record
        return record.kind == .sequence ? childNodes(record) : nil
    }

    /// `true` for a mapping (without building its entries, as `pairs` does).
    public var isMapping: Bool { record.kind == .mapping }

    /// `true` for a sequence (without building its items, as `items` does).
    public var isSequence: Bool { record.kind == .sequence }

    /// The number of entries of a mapping or items of a sequence (0 for a scalar or alias).
    public var childCount: Int {
        let record = record
        switch record.kind {
        case .mapping: return Int(record.count) / 2
        case .sequence: return Int(record.count)
        case .scalar, .alias: return 0
        }
    }

    /// The first item of a sequence, without building the others.
    public var firstItem: YAMLNode? {
        let record = record
        guard record.kind == .sequence, record.count > 0 else { return nil }
        return YAMLNode(tree: tree, index: tree.children[Int(record.first)])
    }

    /// The entry at `position` (below `childCount`) of a mapping, without building the others.
    public func pair(at position: Int) -> YAMLPair {
        let record = record
        precondition(record.kind == .mapping && position >= 0 && position < Int(record.count) / 2, "no such entry")
        let offset = Int(record.first) + 2 * position
        return YAMLPair(
            key: YAMLNode(tree: tree, index: tree.children[offset]), value: YAMLNode(tree: tree, index: tree.children[offset + 1]))
    }

    /// The item at `position` (below `childCount`) of a sequence, without building the others.
    public func item(at position: Int) -> YAMLNode {
        let record = record
        precondition(record.kind == .sequence && position >= 0 && position < Int(record.count), "no such item")
        return YAMLNode(tree: tree, index: tree.children[Int(record.first) + position])
    }

    /// The key of a mapping's first entry, without building the entries.
    public var firstKey: YAMLNode? {
        let record = record
        guard record.kind == .mapping, record.count > 1 else { return nil }
        return YAMLNode(tree: tree, index: tree.children[Int(record.first)])
    }

    /// The last entry of a mapping, without building the others.
    public var lastPair: YAMLPair? {
        let count = childCount
        return isMapping && count > 0 ? pair(at: count - 1) : nil
    }

    /// The last item of a sequence, without building the others.
    public var lastItem: YAMLNode? {
        let count = childCount
        return isSequence && count > 0 ? item(at: count - 1) : nil
    }

    /// The scalar style, when the node is a scalar (without reading its value, as `scalar` does).
    public var scalarStyle: YAMLScalar.Style? {
        let record = record
        return record.kind == .scalar ? YAMLScalar.Style(rawValue: record.style) ?? .plain : nil
    }

    /// The value of each entry whose key is the scalar `key`, in order: the first one, and
    /// whether another follows it (a duplicate key), without building any array.
    public func firstValue(ofKey key: String) -> (key: YAMLNode, value: YAMLNode, duplicate: YAMLNode?)? {
        let found = valuePositionsWithDuplicate(ofKey: key)
        guard let first = found.first else { return nil }
        return (
            YAMLNode(tree: tree, index: tree.children[first - 1]), YAMLNode(tree: tree, index: tree.children[first]),
            found.second.map { YAMLNode(tree: tree, index: tree.children[$0 - 1]) }
        )
    }

    /// The value of the first entry whose key is the scalar `key`, and whether another entry has
    /// that key (a duplicate): what `firstValue(ofKey:)` says, without making the key nodes.
    public func valueNotingDuplicate(ofKey key: String) -> (value: YAMLNode, isDuplicated: Bool)? {
        let found = valuePositionsWithDuplicate(ofKey: key)
        guard let first = found.first else { return nil }
        return (YAMLNode(tree: tree, index: tree.children[first]), found.second != nil)
    }

    /// `true` for an alias (`*name`) of a collection.
    public var isAlias: Bool { record.kind == .alias }

    /// `true` for a null scalar.
    public var isNull: Bool { isNull(record) }

    /// `true` for the bytes of one of `YAMLScalar.nullSpellings` (compared here byte by byte).
    private static func isNullSpelling(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        switch value.count {
        case 0: return true
        case 1: return value[0] == UInt8(ascii: "~")
        case 4:
            let rest = (value[1], value[2], value[3])
            switch value[0] {
            case UInt8(ascii: "n"): return rest == (UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l"))
            case UInt8(ascii: "N"):
                return rest == (UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l"))
                    || rest == (UInt8(ascii: "U"), UInt8(ascii: "L"), UInt8(ascii: "L"))
            default: return false
            }
        default: return false
        }
    }

    /// `true` for a null scalar that has no text at all (`key:` followed by nothing).
    public var isEmptyNull: Bool { isEmptyNull(record) }

    /// `true` when the node is a scalar whose value is `text`.
    public func hasValue(_ text: String) -> Bool {
        let record = record
        guard record.kind == .scalar, !record.isElided else { return false }
        return withValueBytes(record) { value in
            if let equal = text.utf8.withContiguousStorageIfAvailable({ utf8 in
                utf8.count == value.count && Self.bytes(value, at: 0, equal: utf8)
            }) {
                return equal
            }
            return value.elementsEqual(text.utf8)
        }
    }

    /// `true` when the node is a scalar whose value is kept and, as a string, equals `text`: what
    /// `string == text` says (which takes canonically equivalent texts as equal), without making
    /// the string when the bytes decide it — equal bytes, or two different ASCII texts.
    public func hasString(_ text: String) -> Bool {
        let record = record
        guard record.kind == .scalar, !record.isElided else { return false }
        return withValueBytes(record) { value in
            if let decided = text.utf8.withContiguousStorageIfAvailable({ utf8 -> Bool? in
                if utf8.count == value.count, Self.bytes(value, at: 0, equal: utf8) { return true }
                return Self.isASCII(value) && Self.isASCII(utf8) ? false : nil
            }), let decided {
                return decided
            }
            return String(decoding: value, as: UTF8.self) == text
        }
    }

    /// Calls `body` with the value bytes of a scalar whose value is kept (as `string` decodes
    /// them); `nil` for any other node.
    /// (Inlinable, so that it is specialized for the caller's `Result`; the reading is done by
    /// `withKeptScalarBytes`, which is not generic.)
    @inlinable
    public func withScalarBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var result: Result?
        withKeptScalarBytes { result = body($0) }
        return result
    }

    /// Calls `body` with the value bytes of a scalar whose value is kept; not at all for any
    /// other node.
    @usableFromInline
    func withKeptScalarBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let record = record
        guard record.kind == .scalar, !record.isElided else { return }
        withValueBytes(record, body)
    }

    /// `true` for a sequence with an alias (`*name`) of a collection among its items, found
    /// without making a node per item.
    public var hasAliasItem: Bool {
        let record = record
        guard record.kind == .sequence else { return false }
        for offset in Int(record.first)..<Int(record.first + record.count)
        where tree.records[Int(tree.children[offset])].kind == .alias {
            return true
        }
        return false
    }

    /// The entries whose key is the scalar `key`.
    public func entries(_ key: String) -> [YAMLPair] {
        var result: [YAMLPair] = []
        var start = 0
        while let valuePosition = valuePositions(ofKey: key, from: start, wantingDuplicate: false).first {
            result.append(
                YAMLPair(
                    key: YAMLNode(tree: tree, index: tree.children[valuePosition - 1]),
                    value: YAMLNode(tree: tree, index: tree.children[valuePosition])))
            start = valuePosition + 1 - Int(record.first)
        }
        return result
    }

    /// The value of the first entry whose key is `key`.
    public subscript(key: String) -> YAMLNode? {
        firstValuePosition(ofKey: key).map { YAMLNode(tree: tree, index: tree.children[$0]) }
    }

    /// `true` when an entry has the scalar key `key` (`self[key] != nil`, without making the node).
    public func hasEntry(ofKey key: String) -> Bool {
        firstValuePosition(ofKey: key) != nil
    }

    /// The values of the first entries whose keys are `first` and `second` (`self[first]`,
    /// `self[second]`), found in one pass over the entries.
    public func values(ofKeys first: StaticString, _ second: StaticString) -> (YAMLNode?, YAMLNode?) {
        let found = valuePositions(ofKeys: first, second, nil)
        return (node(at: found.0), node(at: found.1))
    }

    /// The values of the first entries whose keys are `first`, `second` and `third`, found in
    /// one pass over the entries.
    public func values(ofKeys first: StaticString, _ second: StaticString, _ third: StaticString) -> (YAMLNode?, YAMLNode?, YAMLNode?) {
        let found = valuePositions(ofKeys: first, second, third)
        return (node(at: found.0), node(at: found.1), node(at: found.2))
    }

    /// The node an alias stands for: the last node before it, within `root`, anchored with its
    /// name (`resources: *limits`); the node itself when it is no alias or no such anchor is
    /// there. Records, and so their decorations, are kept in document order, so this is a walk
    /// back from the alias over the decorations.
    public func dereferenced(within root: YAMLNode) -> YAMLNode {
        let record = record
        guard record.kind == .alias else { return self }
        let name = tree.names[Int(record.first)]
        var position = tree.firstDecoration(from: index)
        while position > 0 {
            position -= 1
            let decoration = tree.decorations[position]
            guard decoration.record >= root.index else { break }
            if decoration.anchor >= 0, tree.names[Int(decoration.anchor)] == name { return YAMLNode(tree: tree, index: decoration.record) }
        }
        return self
    }

    /// Where the node's own text ends: for a block collection, the end of its last entry, before
    /// any comment or blank line that libyaml counted into the collection.
    public var contentEnd: Int {
        var current = record
        while true {
            let isCollection = current.kind == .mapping || current.kind == .sequence
            guard isCollection, current.style != 1, current.count > 0 else { return current.end }
            let last = tree.records[Int(tree.children[Int(current.first + current.count - 1)])]
            if isEmptyNull(last) {
                // libyaml puts an empty value just after its `:` (after its `-` in a sequence),
                // which for an explicit key (`? key` then `:` on its own line) is past the key.
                let before = current.kind == .mapping ? tree.records[Int(tree.children[Int(current.first + current.count - 2)])].end : 0
                return max(last.start, before)
            }
            current = last
        }
    }

    // MARK: Storage access

    private func isNull(_ record: YAMLTree.Record) -> Bool {
        guard record.kind == .scalar, !record.isElided, record.style == YAMLScalar.Style.plain.rawValue else { return false }
        return withValueBytes(record) { value in Self.isNullSpelling(value) }
    }

    /// `isNull` with an empty span.
    private func isEmptyNull(_ record: YAMLTree.Record) -> Bool { record.end <= record.start && isNull(record) }

    /// Calls `body` with a scalar record's value bytes.
    private func withValueBytes<Result>(_ record: YAMLTree.Record, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if record.value == .source {
            return tree.source.withUnsafeBufferPointer { source in
                let value = record.start..<record.start + Int(record.count)
                precondition(value.lowerBound >= 0 && value.upperBound <= source.count, "a scalar's value lies outside the source")
                return body(UnsafeBufferPointer(rebasing: source[value]))
            }
        }
        return tree.text.withUnsafeBufferPointer { text in
            let value = Int(record.first)..<Int(record.first + record.count)
            precondition(value.lowerBound >= 0 && value.upperBound <= text.count, "a scalar's value lies outside the tree's text")
            return body(UnsafeBufferPointer(rebasing: text[value]))
        }
    }

    private func scalarValue(_ record: YAMLTree.Record) -> YAMLScalar {
        YAMLScalar(
            value: record.isElided ? "" : decodedValue(record),
            style: YAMLScalar.Style(rawValue: record.style) ?? .plain, isElided: record.isElided)
    }

    /// A scalar record's value as a string.
    private func decodedValue(_ record: YAMLTree.Record) -> String {
        withValueBytes(record) { String(decoding: $0, as: UTF8.self) }
    }

    private func childNodes(_ record: YAMLTree.Record) -> [YAMLNode] {
        var nodes: [YAMLNode] = []
        nodes.reserveCapacity(Int(record.count))
        for offset in Int(record.first)..<Int(record.first + record.count) {
            nodes.append(YAMLNode(tree: tree, index: tree.children[offset]))
        }
        return nodes
    }

    private func pairList(_ record: YAMLTree.Record) -> [YAMLPair] {
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(Int(record.count / 2))
        var offset = Int(record.first)
        let end = Int(record.first + record.count) - 1
        while offset < end {
            pairs.append(
                YAMLPair(
                    key: YAMLNode(tree: tree, index: tree.children[offset]), value: YAMLNode(tree: tree, index: tree.children[offset + 1])))
            offset += 2
        }
        return pairs
    }

    /// `valuePositions(ofKey: key, wantingDuplicate: true)`. (Not inlined, so that the caller
    /// retains the tree for the nodes it returns only once the key is found.)
    @inline(never)
    private func valuePositionsWithDuplicate(ofKey key: String) -> (first: Int?, second: Int?) {
        valuePositions(ofKey: key, wantingDuplicate: true)
    }

    /// `valuePositions(ofKey: key, wantingDuplicate: false).first`. (Not inlined, as
    /// `valuePositionsWithDuplicate`.)
    @inline(never)
    private func firstValuePosition(ofKey key: String) -> Int? {
        valuePositions(ofKey: key, wantingDuplicate: false).first
    }

    /// The positions in `tree.children` of the values of the first entry whose key is the scalar
    /// `key` and, when `wantingDuplicate`, of the next such entry (each key is at the position
    /// before its value); only entries from the `start`th child position of the mapping on are
    /// read. Compares bytes, with no node or string made for the keys. (Inlined: each caller's
    /// `wantingDuplicate` is a constant.)
    @inline(__always)
    private func valuePositions(ofKey key: String, from start: Int = 0, wantingDuplicate: Bool) -> (first: Int?, second: Int?) {
        let record = record
        guard record.kind == .mapping, record.count > 1 else { return (nil, nil) }
        // Without copying `key` first (as `withUTF8` needs), for the native strings keys are.
        if let found = key.utf8.withContiguousStorageIfAvailable({
            valuePositions(of: record, key: $0, from: start, wantingDuplicate: wantingDuplicate)
        }) {
            return found
        }
        var key = key
        return key.withUTF8 { valuePositions(of: record, key: $0, from: start, wantingDuplicate: wantingDuplicate) }
    }

    @inline(__always)
    private func valuePositions(
        of record: YAMLTree.Record, key wanted: UnsafeBufferPointer<UInt8>, from start: Int, wantingDuplicate: Bool
    ) -> (first: Int?, second: Int?) {
        tree.records.withUnsafeBufferPointer { records in
            tree.children.withUnsafeBufferPointer { children in
                tree.text.withUnsafeBufferPointer { text in
                    tree.source.withUnsafeBufferPointer { source in
                        var first: Int?
                        var offset = Int(record.first) + start
                        let end = Int(record.first + record.count) - 1
                        while offset < end {
                            let keyRecord = records[Int(children[offset])]
                            if keyRecord.kind == .scalar, Self.isKey(keyRecord, wanted, source: source, text: text) {
                                guard first == nil else { return (first, offset + 1) }
                                first = offset + 1
                                guard wantingDuplicate else { return (first, nil) }
                            }
                            offset += 2
                        }
                        return (first, nil)
                    }
                }
            }
        }
    }

    /// The node whose index is at `position` in `tree.children`, if any.
    private func node(at position: Int?) -> YAMLNode? {
        position.map { YAMLNode(tree: tree, index: tree.children[$0]) }
    }

    /// The positions in `tree.children` of the values of the first entries whose keys are the
    /// scalars `first`, `second` and `third` (which differ; `nil`: none), in one pass that ends
    /// when each is found.
    @inline(__always)
    private func valuePositions(ofKeys first: StaticString, _ second: StaticString, _ third: StaticString?) -> (Int?, Int?, Int?) {
        let record = record
        guard record.kind == .mapping, record.count > 1 else { return (nil, nil, nil) }
        let wanted = (Self.bytes(of: first), Self.bytes(of: second), third.map(Self.bytes(of:)))
        var found: (Int?, Int?, Int?) = (nil, nil, nil)
        var missing = third == nil ? 2 : 3
        tree.records.withUnsafeBufferPointer { records in
            tree.children.withUnsafeBufferPointer { children in
                tree.text.withUnsafeBufferPointer { text in
                    tree.source.withUnsafeBufferPointer { source in
                        func isKey(_ keyRecord: YAMLTree.Record, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
                            Self.isKey(keyRecord, key, source: source, text: text)
                        }
                        var offset = Int(record.first)
                        let end = Int(record.first + record.count) - 1
                        while offset < end, missing > 0 {
                            let keyRecord = records[Int(children[offset])]
                            if keyRecord.kind == .scalar {
                                if found.0 == nil, isKey(keyRecord, wanted.0) {
                                    found.0 = offset + 1
                                    missing -= 1
                                } else if found.1 == nil, isKey(keyRecord, wanted.1) {
                                    found.1 = offset + 1
                                    missing -= 1
                                } else if found.2 == nil, let key = wanted.2, isKey(keyRecord, key) {
                                    found.2 = offset + 1
                                    missing -= 1
                                }
                            }
                            offset += 2
                        }
                    }
                }
            }
        }
        return found
    }

    /// `true` when the scalar record `keyRecord` has the value `key` (read from `source` or
    /// `text`, where the record keeps it; an elided value is no key).
    @inline(__always)
    private static func isKey(
        _ keyRecord: YAMLTree.Record, _ key: UnsafeBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>,
        text: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        // Length first: most keys differ in it.
        Int(keyRecord.count) == key.count
            && (keyRecord.value == .source
                ? bytes(source, at: keyRecord.start, equal: key)
                : keyRecord.value == .text && bytes(text, at: Int(keyRecord.first), equal: key))
    }

    /// The bytes of a static string.
    private static func bytes(of text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// `true` when every byte of `bytes` is ASCII.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// `true` when `text` holds the bytes of `wanted` at `first` (and maybe more after them).
    private static func bytes(_ text: UnsafeBufferPointer<UInt8>, at first: Int, equal wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !wanted.isEmpty else { return true }
        guard let left = text.baseAddress, let right = wanted.baseAddress, first >= 0, first + wanted.count <= text.count else {
            return false
        }
        // First byte first: most keys of the same length differ in it.
        return left[first] == right[0] && memcmp(left + first, right, wanted.count) == 0
    }
}

/// A scalar's value and how it was written.
public struct YAMLScalar: Sendable, Equatable {
    /// How a scalar is written in the text.
    public enum Style: UInt8, Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
        /// An alias (`*name`) of an anchored scalar: the value is the anchored one's.
        case alias
    }

    /// The spellings of null in plain style.
    static let nullSpellings: [[UInt8]] = ["", "~", "null", "Null", "NULL"].map { Array($0.utf8) }

    /// The scalar's value, after unquoting and unescaping (empty when elided).
    public var value: String
    /// Its style in the source.
    public var style: Style
    /// `true` when the value was too long to be worth keeping (`YAMLReader.longestReadScalar`).
    public var isElided: Bool

    /// Creates a scalar.
    public init(value: String, style: Style, isElided: Bool = false) {
        self.value = value
        self.style = style
        self.isElided = isElided
    }

    /// `true` when the scalar is YAML null (`~`, `null`, or empty, unquoted).
    public var isNull: Bool {
        !isElided && style == .plain && YAMLScalar.nullSpellings.contains { $0.elementsEqual(value.utf8) }
    }
}

/// One `key: value` entry of a mapping.
public struct YAMLPair: Sendable {
    /// The key node.
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
