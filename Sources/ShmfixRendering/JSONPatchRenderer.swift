import ShmfixDiagnostics
import ShmfixPlanning
import ShmfixYAML

/// Turns planned changes into RFC 6902 operations that apply cleanly to the original object.
///
/// `.append` becomes `add` of the whole array when the key is absent or null (an `add` at
/// `/-` needs an existing array) and `add …/-` when the array exists; `.set` becomes `replace`
/// for keys the mapping has (a null `emptyDir` included) and `add` for the others. Pointers come
/// from `NodePath.jsonPointer` (`~0`, `~1` escapes), relative to `base`: the document root or
/// the resource itself (a List item's patch then applies to the item, as kubectl patches it).
///
/// A guarded renderer (`-o kustomize`, where the patch meets the object only at build time,
/// after other patches and edits) puts `test` operations before the changes, so that a patch
/// applied to an object that is not the one shmfix read fails instead of doing harm: each
/// list item the path goes through must still have the `name` it had (a container, a volume),
/// and each member it adds must still be absent or null — an `add` of `volumes` would
/// otherwise replace a list that is there.
public struct JSONPatchRenderer: Sendable {
    private let base: NodePath
    private let guardRoot: YAMLNode?

    /// Creates a renderer whose pointers start at `base` (the document root by default); with
    /// `guardingFrom` (the node at `base`), it adds the `test` guards.
    public init(relativeTo base: NodePath = NodePath(), guardingFrom root: YAMLNode? = nil) {
        self.base = base
        guardRoot = root
    }

    /// The operations for `changes`, in their order, each preceded by its guards (once each).
    public func operations(for changes: [Change]) -> [JSONPatchOperation] {
        var operations: [JSONPatchOperation] = []
        for change in changes {
            for operation in self.operations(for: change) where !operations.contains(operation) || operation.op != .test {
                operations.append(operation)
            }
        }
        return operations
    }

    /// The patch for `changes` as one JSON array on one line.
    public func patch(for changes: [Change]) -> String {
        JSONPatchOperation.document(operations(for: changes))
    }

    private func operations(for change: Change) -> [JSONPatchOperation] {
        let target = change.target
        let relative = relativePath(of: target)
        let pointer = relative.jsonPointer
        let operations = itemGuards(along: relative)
        switch change.action {
        case .append(let key, let items, .absent), .append(let key, let items, .null):
            return operations + guarded(JSONPatchOperation(.add, pointer + NodePath([.key(key)]).jsonPointer, .sequence(items)))
        case .append(let key, let items, .sequence):
            return operations + items.map { JSONPatchOperation(.add, pointer + NodePath([.key(key)]).jsonPointer + "/-", $0) }
        case .set(let entries):
            var operations = operations
            for entry in entries {
                let entryPointer = pointer + NodePath([.key(entry.key)]).jsonPointer
                if target.node[entry.key] == nil {
                    operations += guarded(JSONPatchOperation(.add, entryPointer, entry.value))
                } else {
                    operations.append(JSONPatchOperation(.replace, entryPointer, entry.value))
                }
            }
            return operations
        }
    }

    /// `add` of a member, after a test that it is absent or null when guarding.
    private func guarded(_ add: JSONPatchOperation) -> [JSONPatchOperation] {
        guardRoot == nil ? [add] : [JSONPatchOperation(.test, add.path, nil), add]
    }

    /// A `test` of `name` for each list item on `path` that has a scalar one.
    private func itemGuards(along path: NodePath) -> [JSONPatchOperation] {
        guard var node = guardRoot else { return [] }
        var walked = NodePath()
        var guards: [JSONPatchOperation] = []
        for component in path.components {
            switch component {
            case .key(let key):
                guard let next = node[key] else { return guards }
                node = next
            case .index(let index):
                guard node.isSequence, index >= 0, index < node.childCount else { return guards }
                node = node.item(at: index)
                if let name = node["name"]?.string {
                    guards.append(
                        JSONPatchOperation(.test, walked.appending(index: index).appending(key: "name").jsonPointer, .string(name)))
                }
            }
            walked = walked.appending(component)
        }
        return guards
    }

    /// The target's path below `base` (every change of a resource lies inside it).
    private func relativePath(of target: LocatedNode) -> NodePath {
        let components = target.path.components
        guard components.starts(with: base.components) else { return target.path }
        return NodePath(Array(components.dropFirst(base.components.count)))
    }
}
