import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning

/// The `patches:` list of a kustomization.yaml: one entry per changed resource, each of which
/// changes only that resource and never replaces what is there.
///
/// - The `target` pins the resource: group, version and kind as the resource has them, its name
///   and its namespace as anchored regular expressions with every metacharacter escaped
///   (kustomize reads `name` and `namespace` as regexes: `web.v1` would match `webxv1`), and
///   `namespace: default` for a resource without one — kustomize's own reading of "no
///   namespace", so the patch no longer matches the same name in every namespace.
/// - A resource without a name is refused: its target would match every resource of its kind.
/// - The patch is JSON 6902 with `test` guards (`JSONPatchRenderer(guardingFrom:)`): for the
///   core group, whose empty `group` matches every group, a test of `apiVersion`; a test of the
///   `name` of every container and volume the paths go through; and a test that every member
///   it adds is absent or null. A patch that meets another object than the one shmfix read
///   fails the build instead of wiping a `volumes` list or editing the wrong container.
///
/// ```yaml
/// patches:
/// - target:
///     group: apps
///     version: v1
///     kind: Deployment
///     name: web
///     namespace: default
///   patch: |-
///     [{"op":"test","path":"/spec/template/spec/volumes","value":null},{"op":"add",…},…]
/// ```
public struct JSONPatchKustomization: Sendable {
    /// The namespace kustomize gives a resource that has none, when it selects.
    public static let defaultNamespace = "default"

    /// The entries, in input order.
    public var entries: [ResourcePatch] = []

    /// Creates an empty list.
    public init() {}

    /// Adds the entry for one resource plan, when it changes anything; refuses a resource
    /// that a target cannot single out.
    public mutating func add(_ plan: ResourcePlan) throws(Diagnostic) {
        guard !plan.changes.isEmpty else { return }
        let resource = plan.resource
        guard resource.name.map({ !$0.isEmpty }) == true else {
            throw Diagnostic(
                .error,
                "a kustomize patch needs 'metadata.name' to target this resource; without it the patch would change every '\(resource.kind)'",
                at: resource.offset, resource: resource.id)
        }
        var operations: [JSONPatchOperation] = []
        if resource.group.isEmpty {
            operations.append(JSONPatchOperation(.test, "/apiVersion", resource.apiVersion.isEmpty ? nil : .string(resource.apiVersion)))
        }
        operations += JSONPatchRenderer(relativeTo: resource.root.path, guardingFrom: resource.root.node)
            .operations(for: plan.changes)
        entries.append(ResourcePatch(resource: resource, operations: operations))
    }

    /// The YAML text: `patches:` and its entries, or `patches: []` when nothing changes.
    public var yaml: String {
        guard !entries.isEmpty else { return "patches: []\n" }
        return "patches:\n" + entries.map(Self.render).joined()
    }

    private static func render(_ entry: ResourcePatch) -> String {
        let resource = entry.resource
        let fields: [(String, String?)] = [
            ("group", resource.group.isEmpty ? nil : resource.group),
            ("version", resource.version.isEmpty ? nil : resource.version),
            ("kind", resource.kind),
            ("name", resource.name.map(escapedRegex)),
            ("namespace", escapedRegex(resource.namespace ?? defaultNamespace)),
        ]
        var text = "- target:\n"
        for case (let key, let value?) in fields { text += "    \(key): \(scalar(value))\n" }
        return text + "  patch: |-\n    " + JSONPatchOperation.document(entry.operations) + "\n"
    }

    /// `text` as a regular expression (RE2, kustomize anchors it) that matches only itself.
    static func escapedRegex(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Plain when that reads back as the same string, else a JSON (double-quoted) literal.
    private static func scalar(_ text: String) -> String {
        ValueRenderer.isPlainSafe(text) ? text : JSONPatchText.string(text)
    }
}
