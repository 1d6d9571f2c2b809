import ShmfixDiagnostics
import ShmfixYAML

/// The pod spec of an Argo Workflow: volumes at the workflow spec, containers in its templates
/// (`container`, `script`, and `containerSet.containers` of each entry of `templates`). Each
/// template that runs containers becomes a pod of its own, so the site lists them per pod.
struct ArgoWorkflowSites {
    let fields: FieldReader

    func sites(_ workflowSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var pods: [[LocatedNode]] = []
        var initContainers: [LocatedNode] = []
        for template in try fields.mappingItems(workflowSpec, "templates", resource: resource) {
            var containers: [LocatedNode] = []
            for key in ["container", "script"] {
                if let container = try fields.child(template, key, resource: resource), container.node.pairs != nil {
                    containers.append(container)
                }
            }
            if let set = try fields.child(template, "containerSet", resource: resource), set.node.pairs != nil {
                containers += try fields.mappingItems(set, "containers", resource: resource)
            }
            if !containers.isEmpty { pods.append(containers) }
            initContainers += try fields.mappingItems(template, "initContainers", resource: resource)
        }
        return [
            PodSpecSite(volumesOwner: workflowSpec, pods: pods, initContainers: initContainers, podSpec: workflowSpec)
        ]
    }
}
