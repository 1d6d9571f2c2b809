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
    public func operations(for changes: [Change]) throws(Diagnostic) -> [JSONPatchOperation] {
        var operations: [JSONPatchOperation] = []
        for change in changes { operations += try self.operations(for: change) }
        return operations
    }

    /// The patch for `changes` as one JSON array on one line.
    public func patch(for changes: [Change]) throws(Diagnostic) -> String {
        JSONPatchOperation.document(try operations(for: changes))
    }

    private func operations(for change: Change) throws(Diagnostic) -> [JSONPatchOperation] {
        let target = change.target
        let pointer = try relativePath(of: target).jsonPointer
        switch change.action {
        case .append(let key, let item):
            let keyPointer = pointer + NodePath([.key(key)]).jsonPointer
            guard let value = target.node[key], !value.isNull else {
                return [JSONPatchOperation(.add, keyPointer, .sequence([item]))]
            }
            guard value.items != nil else {
                throw Diagnostic(
                    .error, "'\(target.path.appending(key: key).dotted)' is not a list", at: value.span.lowerBound)
            }
            return [JSONPatchOperation(.add, keyPointer + "/-", item)]
        case .set(let entries):
            return entries.map { entry in
                let op: JSONPatchOperation.Operation = target.node[entry.key] == nil ? .add : .replace
                return JSONPatchOperation(op, pointer + NodePath([.key(entry.key)]).jsonPointer, entry.value)
            }
        }
    }

    private func relativePath(of target: LocatedNode) throws(Diagnostic) -> NodePath {
        let components = target.path.components
        guard components.starts(with: base.components) else {
            throw Diagnostic(
                .error, "'\(target.path.dotted)' lies outside the resource at '\(base.dotted)'",
                at: target.node.span.lowerBound)
        }
        return NodePath(Array(components.dropFirst(base.components.count)))
    }
}
