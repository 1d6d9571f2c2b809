import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning

/// `-o json-patch`: the RFC 6902 patches of the changed resources, each relative to its
/// resource (a List item is its own resource, as `kubectl patch` sees it).
///
/// When the input is one resource, the output is its bare patch: `[{"op":…},…]`, ready for
/// `kubectl patch --type=json -p`. Otherwise each changed resource gets one line, a JSON object
/// that says which resource the patch is for (`namespace` and `apiVersion` are `null` when the
/// resource has none):
///
/// ```json
/// {"apiVersion":"apps/v1","kind":"Deployment","namespace":"ml","name":"web","patch":[{"op":"add",…}]}
/// ```
public struct JSONPatchLines: Sendable {
    /// The patches, in input order.
    public private(set) var entries: [ResourcePatch] = []
    /// `true` for the bare form (the input is one resource).
    public let isSingleResource: Bool

    /// Creates an empty list in the bare form (`isSingleResource`) or the line form.
    public init(isSingleResource: Bool) { self.isSingleResource = isSingleResource }

    /// Adds the patch of one resource plan, when it changes anything; in the line form refuses
    /// a resource without a name, which no line could point at.
    public mutating func add(_ plan: ResourcePlan) throws(Diagnostic) {
        guard !plan.changes.isEmpty else { return }
        let resource = plan.resource
        if !isSingleResource, resource.name.map({ !$0.isEmpty }) != true {
            throw Diagnostic(
                .error, "-o json-patch needs 'metadata.name' to say which resource a patch is for when the input holds several",
                at: resource.offset, resource: resource.id)
        }
        let operations = JSONPatchRenderer(relativeTo: resource.root.path).operations(for: plan.changes)
        entries.append(ResourcePatch(resource: resource, operations: operations))
    }

    /// The output: one line per patch (bare arrays or objects), each ending in a line break.
    public var text: String {
        entries.map { (isSingleResource ? JSONPatchOperation.document($0.operations) : Self.object($0)) + "\n" }.joined()
    }

    /// `{"apiVersion":…,"kind":…,"namespace":…,"name":…,"patch":[…]}` on one line.
    static func object(_ entry: ResourcePatch) -> String {
        let resource = entry.resource
        let identity: [(String, String?)] = [
            ("apiVersion", resource.apiVersion.isEmpty ? nil : resource.apiVersion), ("kind", resource.kind),
            ("namespace", resource.namespace), ("name", resource.name),
        ]
        let members = identity.map { JSONPatchText.string($0.0) + ":" + ($0.1.map(JSONPatchText.string) ?? "null") }
        return "{" + members.joined(separator: ",") + ",\"patch\":" + JSONPatchOperation.document(entry.operations) + "}"
    }
}
