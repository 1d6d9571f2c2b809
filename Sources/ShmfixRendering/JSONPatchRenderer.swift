import ShmfixDiagnostics
import ShmfixPlanning
import ShmfixYAML

/// Turns planned changes into RFC 6902 operations that apply cleanly to the original object.
///
/// `.append` becomes `add` of the whole array when the key is absent or null (an `add` at
/// `/-` needs an existing array) and `add …/-` when the array exists; `.set` becomes `replace`
/// for keys the mapping has (a null `emptyDir` included) and `add` for the others. Pointers come
/// from `NodePath.jsonPointer` (`~0`, `~1` escapes), relative to `base`: the document root for
/// `-o json-patch` (so a List item's paths go through `/items/N`), the resource itself for a
/// kustomize patch, which targets the item.
public struct JSONPatchRenderer: Sendable {
    private let base: NodePath

    /// Creates a renderer whose pointers start at `base` (the document root by default).
    public init(relativeTo base: NodePath = NodePath()) { self.base = base }

    /// The operations for `changes`, in their order.
    public func operations(for changes: [Change]) -> [JSONPatchOperation] {
        var operations: [JSONPatchOperation] = []
        for change in changes { operations += self.operations(for: change) }
        return operations
    }

    /// The patch for `changes` as one JSON array on one line.
    public func patch(for changes: [Change]) -> String {
        JSONPatchOperation.document(operations(for: changes))
    }

    private func operations(for change: Change) -> [JSONPatchOperation] {
        let target = change.target
        let pointer = relativePath(of: target).jsonPointer
        switch change.action {
        case .append(let key, let items, .absent), .append(let key, let items, .null):
            return [JSONPatchOperation(.add, pointer + NodePath([.key(key)]).jsonPointer, .sequence(items))]
        case .append(let key, let items, .sequence):
            return items.map { JSONPatchOperation(.add, pointer + NodePath([.key(key)]).jsonPointer + "/-", $0) }
        case .set(let entries):
            return entries.map { entry in
                let op: JSONPatchOperation.Operation = target.node[entry.key] == nil ? .add : .replace
                return JSONPatchOperation(op, pointer + NodePath([.key(entry.key)]).jsonPointer, entry.value)
            }
        }
    }

    /// The target's path below `base` (every change of a resource lies inside it).
    private func relativePath(of target: LocatedNode) -> NodePath {
        let components = target.path.components
        guard components.starts(with: base.components) else { return target.path }
        return NodePath(Array(components.dropFirst(base.components.count)))
    }
}
