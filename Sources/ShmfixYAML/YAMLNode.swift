/// A node of a YAML document with the exact byte span it occupies in the source.
///
/// The YAML layer never re-serialises anything: it reads a stream once with libyaml's event API
/// and keeps, for every node, where its text starts and ends (byte offsets into the original
/// input) together with its style. Everything shmfix writes is spliced into the original bytes at
/// those offsets, so what it does not touch stays byte for byte as it was.
///
/// Aliases of collections are kept as `.alias` and never expanded: an alias bomb costs nothing.
/// An alias of a scalar reads as that scalar's value (style `.alias`), so `mountPath: *path`
/// is understood.
public struct YAMLNode: Sendable {
    /// What a node holds.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
        case alias(String)
    }

    /// The node's value.
    public var content: Content
    /// Bytes `[start, end)` of the node's text (for a block collection, up to where libyaml
    /// reported its end, which may lie after trailing comments — see `contentEnd`).
    public var span: Range<Int>
    /// `true` for `[…]` and `{…}` collections.
    public var isFlow: Bool
    /// The anchor (`&name`) set on the node, if any.
    public var anchor: String?
    /// The explicit tag, if any.
    public var tag: String?

    /// Creates a node.
    public init(content: Content, span: Range<Int>, isFlow: Bool = false, anchor: String? = nil, tag: String? = nil) {
        self.content = content
        self.span = span
        self.isFlow = isFlow
        self.anchor = anchor
        self.tag = tag
    }
}

/// A scalar's value and how it was written.
public struct YAMLScalar: Sendable, Equatable {
    /// How a scalar is written in the text.
    public enum Style: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
        /// An alias (`*name`) of an anchored scalar: the value is the anchored one's.
        case alias
    }

    /// The scalar's value, after unquoting and unescaping.
    public var value: String
    /// Its style in the source.
    public var style: Style

    /// Creates a scalar.
    public init(value: String, style: Style) {
        self.value = value
        self.style = style
    }

    /// `true` when the scalar is YAML null (`~`, `null`, or empty, unquoted).
    public var isNull: Bool {
        style == .plain && (value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL")
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

extension YAMLNode {
    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The scalar's value, when the node is a scalar.
    public var string: String? { scalar?.value }

    /// The entries, when the node is a mapping.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The items, when the node is a sequence.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// `true` for an alias (`*name`).
    public var isAlias: Bool {
        if case .alias = content { return true }
        return false
    }

    /// `true` for a null scalar.
    public var isNull: Bool { scalar?.isNull ?? false }

    /// `true` for a null scalar that has no text at all (`key:` followed by nothing).
    public var isEmptyNull: Bool { isNull && span.isEmpty }

    /// The entries whose key is the scalar `key`.
    public func entries(_ key: String) -> [YAMLPair] {
        (pairs ?? []).filter { $0.key.string == key }
    }

    /// The value of the first entry whose key is `key`.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.string == key }?.value
    }

    /// Where the node's own text ends: for a block collection, the end of its last entry, before
    /// any comment or blank line that libyaml counted into the collection.
    public var contentEnd: Int {
        var node = self
        while !node.isFlow {
            switch node.content {
            case .mapping(let pairs):
                guard let last = pairs.last else { return node.span.upperBound }
                if last.value.isEmptyNull { return last.key.span.upperBound }
                node = last.value
            case .sequence(let items):
                guard let last = items.last else { return node.span.upperBound }
                if last.isEmptyNull { return last.span.lowerBound }
                node = last
            case .scalar, .alias:
                return node.span.upperBound
            }
        }
        return node.span.upperBound
    }
}
