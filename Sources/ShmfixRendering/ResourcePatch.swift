import ShmfixKubernetes

/// One resource and the RFC 6902 operations that fix it, pointers relative to the resource
/// (a List item's to the item).
public struct ResourcePatch: Sendable {
    /// The resource patched.
    public var resource: Resource
    /// Its operations, guards included where the renderer adds them.
    public var operations: [JSONPatchOperation]

    /// Creates a patch.
    public init(resource: Resource, operations: [JSONPatchOperation]) {
        self.resource = resource
        self.operations = operations
    }
}
