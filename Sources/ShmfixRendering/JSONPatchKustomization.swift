import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning

/// The `patches:` list of a kustomization.yaml: one entry per changed resource, with its
/// `target` (group, version, kind, name, namespace — each only when the resource has it) and
/// its JSON 6902 patch, paths relative to the resource (a List item is targeted as itself).
///
/// ```yaml
/// patches:
/// - target:
///     group: apps
///     version: v1
///     kind: Deployment
///     name: web
///   patch: |-
///     [{"op":"add","path":"/spec/template/spec/volumes","value":[…]}]
/// ```
public struct JSONPatchKustomization: Sendable {
    /// One entry: a resource and the operations that fix it.
    public struct Entry: Sendable {
        /// The resource patched.
        public var resource: Resource
        /// Its operations, relative to the resource.
        public var operations: [JSONPatchOperation]

        /// Creates an entry.
        public init(resource: Resource, operations: [JSONPatchOperation]) {
            self.resource = resource
            self.operations = operations
        }
    }

    /// The entries, in input order.
    public var entries: [Entry] = []

    /// Creates an empty list.
    public init() {}

    /// Adds the entry for one resource plan, when it changes anything.
    public mutating func add(_ plan: ResourcePlan) {
        guard !plan.changes.isEmpty else { return }
        let operations = JSONPatchRenderer(relativeTo: plan.resource.root.path).operations(for: plan.changes)
        entries.append(Entry(resource: plan.resource, operations: operations))
    }

    /// The YAML text: `patches:` and its entries, or `patches: []` when nothing changes.
    public var yaml: String {
        guard !entries.isEmpty else { return "patches: []\n" }
        return "patches:\n" + entries.map(Self.render).joined()
    }

    private static func render(_ entry: Entry) -> String {
        let resource = entry.resource
        let fields: [(String, String?)] = [
            ("group", resource.group.isEmpty ? nil : resource.group),
            ("version", resource.version.isEmpty ? nil : resource.version),
            ("kind", resource.kind),
            ("name", resource.name),
            ("namespace", resource.namespace),
        ]
        var text = "- target:\n"
        for case (let key, let value?) in fields { text += "    \(key): \(scalar(value))\n" }
        return text + "  patch: |-\n    " + JSONPatchOperation.document(entry.operations) + "\n"
    }

    /// Plain when that reads back as the same string, else a JSON (double-quoted) literal.
    private static func scalar(_ text: String) -> String {
        ValueRenderer.isPlainSafe(text) ? text : JSONPatchText.string(text)
    }
}
