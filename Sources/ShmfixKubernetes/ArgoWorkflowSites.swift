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
struct ArgoWorkflowSites {
    /// The name Argo gives a template's `container` or `script` container.
    static let mainContainerName = "main"

    let fields: FieldReader

    /// One site at the workflow spec, shared by every template's pod.
    func sharedVolumeSites(_ workflowSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var pods: [SitePod] = []
        for template in try fields.mappingItems(workflowSpec, "templates", resource: resource) {
            if let pod = try pod(of: template, resource: resource) { pods.append(pod) }
        }
        return [PodSpecSite(volumesOwner: workflowSpec, pods: pods, podSpec: workflowSpec)]
    }

    /// One site per template that runs containers, holding its own volumes.
    func templateVolumeSites(_ spec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var sites: [PodSpecSite] = []
        for template in try fields.mappingItems(spec, "templates", resource: resource) {
            guard var pod = try pod(of: template, resource: resource) else { continue }
            pod.volumeScopes = []
            sites.append(PodSpecSite(volumesOwner: template, pods: [pod], podSpec: template))
        }
        return sites
    }

    /// The pod a template runs, when it runs containers.
    private func pod(of template: LocatedNode, resource: Resource) throws(Diagnostic) -> SitePod? {
        var containers: [SiteContainer] = []
        for key in ["container", "script"] {
            if let container = try fields.child(template, key, resource: resource), container.node.pairs != nil {
                containers.append(SiteContainer(container, role: .regular, name: container.node["name"]?.string ?? Self.mainContainerName))
            }
        }
        if let set = try fields.child(template, "containerSet", resource: resource), set.node.pairs != nil {
            for container in try fields.mappingItems(set, "containers", resource: resource) {
                containers.append(SiteContainer(container, role: .regular, sharedMountsOwner: set))
            }
        }
        guard !containers.isEmpty else { return nil }
        containers += SiteContainer.listed(regular: [], initContainers: try fields.mappingItems(template, "initContainers", resource: resource))
        return SitePod(containers: containers, volumeScopes: [template])
    }
}
