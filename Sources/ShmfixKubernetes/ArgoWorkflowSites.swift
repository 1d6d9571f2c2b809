import ShmfixDiagnostics
import ShmfixYAML

/// The pod specs of Argo Workflows. Each template that runs containers (`container`, `script`,
/// the `containers` of a `containerSet`, whose `volumeMounts` each of them also has) becomes a
/// pod of its own. Where its volumes are depends on the kind:
///
/// - `Workflow`, `CronWorkflow`: one site at the workflow spec, whose `volumes` all templates
///   share; a template looks a volume name up in its own `volumes:` first.
/// - `WorkflowTemplate`, `ClusterWorkflowTemplate`: their templates are called through
///   `templateRef` from workflows whose volumes they cannot see, so each template is a site of
///   its own and its volume travels with it (the template's `volumes:`).
///
/// A template's `sidecars` run beside its main container (treated as native sidecars). A
/// template is skipped, with a note, when it runs only on Windows (its own `nodeSelector` or
/// `affinity`, else the workflow's, as Argo merges them) or is annotated `shmfix.dev/skip:
/// "true"` (its `metadata.annotations`, or the workflow's `podMetadata.annotations`).
struct ArgoWorkflowSites {
    /// The name Argo gives a template's `container` or `script` container.
    static let mainContainerName = "main"

    let fields: FieldReader
    /// Notes about templates skipped.
    private(set) var notes: [Diagnostic] = []

    init(fields: FieldReader) { self.fields = fields }

    /// One site at the workflow spec, shared by every template's pod.
    mutating func sharedVolumeSites(_ workflowSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var pods: [SitePod] = []
        for template in try fields.mappingItems(workflowSpec, "templates", resource: resource) {
            if let pod = try pod(of: template, in: workflowSpec, resource: resource) { pods.append(pod) }
        }
        return [PodSpecSite(volumesOwner: workflowSpec, pods: pods, podSpec: workflowSpec)]
    }

    /// One site per template that runs containers, holding its own volumes.
    mutating func templateVolumeSites(_ spec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var sites: [PodSpecSite] = []
        for template in try fields.mappingItems(spec, "templates", resource: resource) {
            guard var pod = try pod(of: template, in: spec, resource: resource) else { continue }
            pod.volumeScopes = []
            sites.append(PodSpecSite(volumesOwner: template, pods: [pod], podSpec: template))
        }
        return sites
    }

    /// The pod a template runs, when it runs containers and is not skipped.
    private mutating func pod(of template: LocatedNode, in workflowSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> SitePod? {
        var containers: [SiteContainer] = []
        for key in ["container", "script"] {
            if let container = try fields.child(template, key, resource: resource), container.node.isMapping {
                containers.append(SiteContainer(container, role: .regular, name: container.node["name"]?.string ?? Self.mainContainerName))
            }
        }
        if let set = try fields.child(template, "containerSet", resource: resource), set.node.isMapping {
            for container in try fields.mappingItems(set, "containers", resource: resource) {
                containers.append(SiteContainer(container, role: .regular, sharedMountsOwner: set))
            }
        }
        guard !containers.isEmpty else { return nil }
        if let skip = [template.node["metadata"], workflowSpec.node["podMetadata"]].lazy
            .compactMap({ $0?["annotations"]?[PodSpecLocator.skipAnnotation] }).first(where: { $0.string == "true" })
        {
            notes.append(
                Diagnostic(
                    .note, "skipped '\(template.path.dotted)': annotated \(PodSpecLocator.skipAnnotation): \"true\"",
                    at: skip.span.lowerBound, resource: resource.id))
            return nil
        }
        func merged(_ key: String) -> YAMLNode? { template.node[key] ?? workflowSpec.node[key] }
        if PodSpecSite.selectsWindows(nodeSelector: merged("nodeSelector"), affinity: merged("affinity"), os: nil) {
            notes.append(PodSpecSite.windowsNote(template.path, at: template.node.span.lowerBound, resource: resource))
            return nil
        }
        for sidecar in try fields.mappingItems(template, "sidecars", resource: resource) {
            containers.append(SiteContainer(sidecar, role: .sidecar))
        }
        containers += SiteContainer.listed(
            regular: [], initContainers: try fields.mappingItems(template, "initContainers", resource: resource))
        return SitePod(containers: containers, volumeScopes: [template])
    }
}
