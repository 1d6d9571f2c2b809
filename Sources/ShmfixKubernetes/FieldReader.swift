import ShmfixDiagnostics
import ShmfixYAML

/// Reads the fields shmfix edits, refusing what it cannot edit safely.
///
/// A key that appears twice on the path shmfix edits, or a value that is only an alias, would
/// make any edit ambiguous: both are refused with a positioned error instead.
public struct FieldReader: Sendable {
    private let source: SourceLocator

    /// Creates a reader for a source's bytes (used to name lines in messages).
    public init(source: SourceLocator) { self.source = source }

    /// The entry `key` of `mapping`; throws when the key appears twice or its value is an alias.
    public func child(_ mapping: LocatedNode, _ key: String, resource: Resource?) throws(Diagnostic) -> LocatedNode? {
        try child(mapping, key, madePath: nil, resource: resource)
    }

    /// `child(_:_:resource:)`, whose path (`mapping.path` and `key`) is `path`, made already.
    public func child(_ mapping: LocatedNode, _ key: String, at path: NodePath, resource: Resource?) throws(Diagnostic) -> LocatedNode? {
        try child(mapping, key, madePath: path, resource: resource)
    }

    /// `child(_:_:resource:)`, with its path made already (`madePath`) or not (`nil`).
    private func child(_ mapping: LocatedNode, _ key: String, madePath: NodePath?, resource: Resource?) throws(Diagnostic)
        -> LocatedNode?
    {
        guard let first = mapping.node.valueNotingDuplicate(ofKey: key) else { return nil }
        if first.isDuplicated {
            let entries = mapping.node.entries(key)
            let lines = entries.map { String(source.location(ofByte: $0.key.span.lowerBound).line) }
            throw Diagnostic(
                .error, "duplicate key '\(key)' on lines \(lines.joined(separator: " and ")); remove one of them",
                at: entries[1].key.span.lowerBound, resource: resource?.id)
        }
        let child = LocatedNode(first.value, at: madePath ?? mapping.path.appending(key: key))
        if first.value.isAlias {
            throw Diagnostic(
                .error,
                "'\(child.path.dotted)' is an alias; shmfix does not edit through aliases — expand it first",
                at: first.value.span.lowerBound, resource: resource?.id)
        }
        return child
    }

    /// The items of a sequence `key` of `mapping` that are mappings; aliases among them are
    /// refused, and so is a value that is neither a list nor null (`volumes: {}`), which no edit
    /// of shmfix could extend.
    public func mappingItems(_ mapping: LocatedNode, _ key: String, resource: Resource?) throws(Diagnostic) -> [LocatedNode] {
        guard let sequence = try child(mapping, key, resource: resource), !sequence.node.isNull else { return [] }
        guard sequence.node.isSequence else {
            throw Diagnostic(.error, "'\(sequence.path.dotted)' is not a list", at: sequence.node.span.lowerBound, resource: resource?.id)
        }
        var result: [LocatedNode] = []
        result.reserveCapacity(sequence.node.childCount)
        for position in 0..<sequence.node.childCount {
            let item = sequence.node.item(at: position)
            if item.isAlias {
                let path = sequence.path.appending(index: position)
                throw Diagnostic(
                    .error, "'\(path.dotted)' is an alias; shmfix does not edit through aliases — expand it first",
                    at: item.span.lowerBound, resource: resource?.id)
            }
            if item.isMapping { result.append(LocatedNode(item, at: sequence.path.appending(index: position))) }
        }
        return result
    }

    /// The value of `key` in `mapping`, with the refusals of `child`, without building a path:
    /// `located` gives the mapping with its path, and is called only to refuse, so that the
    /// refusal is `child`'s word for word.
    public func value(of key: String, in mapping: YAMLNode, resource: Resource?, located: () -> LocatedNode) throws(Diagnostic)
        -> YAMLNode?
    {
        guard let entry = mapping.valueNotingDuplicate(ofKey: key) else { return nil }
        if entry.isDuplicated || entry.value.isAlias { _ = try child(located(), key, resource: resource) }
        return entry.value
    }

    /// The list `key` of `mapping`, with the refusals of `mappingItems`, without building paths
    /// or arrays; `nil` when it is absent or null. `located` is called only to refuse.
    public func list(_ key: String, in mapping: YAMLNode, resource: Resource?, located: () -> LocatedNode) throws(Diagnostic)
        -> YAMLNode?
    {
        guard let list = try value(of: key, in: mapping, resource: resource, located: located), !list.isNull else { return nil }
        if !list.isSequence || list.hasAliasItem { _ = try mappingItems(located(), key, resource: resource) }
        return list
    }
}
