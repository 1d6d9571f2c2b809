import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixYAML

/// Reads the fields planning looks at with `FieldReader`'s refusals (a key written twice, a value
/// that is only an alias, a list that is not one), without building paths or arrays
/// (`FieldReader.value(of:in:)`, `FieldReader.list(_:in:)`: the mapping is located only to
/// refuse, so that every refusal is `FieldReader`'s word for word).
struct PlanFields {
    /// What refuses, and the messages it refuses with.
    let reader: FieldReader
    /// The resource read, named in refusals.
    let resource: Resource

    /// The value of `key` in `mapping` (`FieldReader.child`); `located` gives the mapping with its
    /// path, and is called only to refuse.
    func child(_ mapping: YAMLNode, _ key: String, located: () -> LocatedNode) throws(Diagnostic) -> YAMLNode? {
        try reader.value(of: key, in: mapping, resource: resource, located: located)
    }

    /// The value of `key` in the located `mapping` (`FieldReader.child`).
    func child(_ mapping: LocatedNode, _ key: String) throws(Diagnostic) -> YAMLNode? {
        try child(mapping.node, key) { mapping }
    }

    /// The list `key` of `owner`, whose mapping items are read (`FieldReader.mappingItems`): an
    /// absent or null list has none; a value that is no list, or an alias among its items, is
    /// refused.
    func mappingList(_ owner: LocatedNode, _ key: String) throws(Diagnostic) -> MappingList {
        let list = try reader.list(key, in: owner.node, resource: resource) { owner }
        return MappingList(owner: owner, key: key, list: list)
    }
}

/// The mapping items of the list `key` of `owner`, in order, each with its position in the list
/// (made a `LocatedNode` only when it is needed).
struct MappingList: Sequence {
    /// The mapping that holds the list.
    let owner: LocatedNode
    /// The list's key.
    let key: String
    /// The list (`nil`: absent or null).
    let list: YAMLNode?

    /// The item `node` at `position`, with its path, as `FieldReader.mappingItems` gives it.
    func located(_ node: YAMLNode, at position: Int) -> LocatedNode {
        LocatedNode(node, at: owner.path.appending(key: key).appending(index: position))
    }

    /// Iterates the mapping items and their positions.
    struct Iterator: IteratorProtocol {
        let list: YAMLNode?
        var position = 0

        mutating func next() -> (node: YAMLNode, position: Int)? {
            guard let list else { return nil }
            while position < list.childCount {
                let node = list.item(at: position)
                position += 1
                if node.isMapping { return (node, position - 1) }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(list: list) }
}

/// A mapping item of a list (`volumes`), and where it is.
struct ListItem {
    /// The item.
    let node: YAMLNode
    /// The item with its path.
    var located: LocatedNode { list.located(node, at: position) }
    /// The list.
    let list: MappingList
    /// The item's position in the list.
    let position: Int
}
