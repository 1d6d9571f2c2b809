import ShmfixDiagnostics
import ShmfixYAML

/// Finds every pod spec in a document (README "Where pod specs are").
///
/// Built-in workload kinds are looked up in `KindTable.podSpecPaths` (a StatefulSet's claim
/// templates join its site); `List` kinds are opened item by item, an item without `kind` of a
/// typed list (`DeploymentList`) being of the list's kind; Argo Workflows and KServe
/// `InferenceService`s have their own rules (`ArgoWorkflowSites`, `KServeSites`); any other kind
/// is searched by shape: every mapping under `spec` whose `containers` is a sequence of mappings
/// is a pod spec, and the search goes neither into a pod spec it found nor into free-form
/// values (`KindTable.freeFormKeys`).
///
/// Nothing is located in kinds that are never touched (`KindTable.neverTouched`, policy groups,
/// `KindTable.freeFormKinds`), in resources annotated `shmfix.dev/skip: "true"`, in pod
/// templates annotated so, or in pod specs that select Windows nodes; each of these but the
/// silent policy kinds gets a note at what it is about.
public struct PodSpecLocator: Sendable {
    /// The annotation that opts a resource or a pod template out.
    public static let skipAnnotation = "shmfix.dev/skip"

    private let fields: FieldReader

    /// Creates a locator that reads fields with `fields`.
    public init(fields: FieldReader) { self.fields = fields }

    /// The resources of a document and their pod specs.
    public func locate(_ document: YAMLDocument) throws(Diagnostic) -> [LocatedResource] {
        guard let root = document.root, root.isMapping else { return [] }
        let located = LocatedNode(root, at: NodePath())
        guard let resource = Resource(located) else { return [] }
        if resource.kind.hasSuffix("List"), let items = root["items"]?.items {
            let itemKind = resource.kind == "List" ? nil : String(resource.kind.dropLast(4))
            var result: [LocatedResource] = []
            for (index, item) in items.enumerated() {
                let itemNode = LocatedNode(item, at: located.path.appending(key: "items").appending(index: index))
                let itemAPIVersion = itemKind == nil ? nil : resource.apiVersion
                if let itemResource = Resource(itemNode, defaultKind: itemKind, defaultAPIVersion: itemAPIVersion) {
                    result.append(try locate(itemResource))
                }
            }
            return result
        }
        return [try locate(resource)]
    }

    /// A pod spec found, and the nodes from the resource's mapping down to the one that holds
    /// it, where its claim templates and its pod template are.
    private struct FoundSite {
        var site: PodSpecSite
        /// The resource's mapping first. For a pod spec found by shape, the nodes reached by
        /// walking its path by the first entry of each key, as far as that walk goes.
        var above: [LocatedNode]
    }

    private func locate(_ resource: Resource) throws(Diagnostic) -> LocatedResource {
        let rule = KindTable.rule(kind: resource.kind, group: resource.group)
        if case .untouched(let why) = rule {
            let notes = why.map { [note("left untouched: \($0)", at: resource.offset, resource)] }
            return LocatedResource(resource: resource, sites: [], notes: notes ?? [])
        }
        if let skip = skipAnnotation(of: resource.root.node) {
            return LocatedResource(resource: resource, sites: [], notes: [skipNote(skip, resource)])
        }
        var (found, notes) = try findSites(in: resource, rule: rule)
        var kept: [PodSpecSite] = []
        kept.reserveCapacity(found.count)
        for index in found.indices where found[index].site.pods.contains(where: { !$0.containers.isEmpty }) {
            // Argo templates are skipped one by one (ArgoWorkflowSites), and a template library's
            // templates see no claim templates of the workflows that call them.
            switch rule {
            case .argoSharedVolumes:
                found[index].site.claimTemplates = try claimTemplates(in: found[index].above, resource: resource)
                kept.append(found[index].site)
            case .argoTemplateLibrary:
                kept.append(found[index].site)
            default:
                found[index].site.claimTemplates = try claimTemplates(in: found[index].above, resource: resource)
                let site = found[index].site
                if let template = podTemplate(of: found[index], in: resource), let skip = skipAnnotation(of: template) {
                    notes.append(skipNote(skip, resource, template: site.podSpec.path))
                } else if site.selectsWindows {
                    notes.append(PodSpecSite.windowsNote(site.podSpec.path, at: site.podSpec.node.span.lowerBound, resource: resource))
                } else {
                    kept.append(site)
                }
            }
        }
        return LocatedResource(resource: resource, sites: kept, notes: notes)
    }

    /// The pod specs of a resource, and notes about parts of it skipped (Argo templates).
    private func findSites(in resource: Resource, rule: KindRule) throws(Diagnostic) -> ([FoundSite], [Diagnostic]) {
        switch rule {
        case .untouched, .withoutPodSpec:
            return ([], [])
        case .podSpecPath(let path):
            guard let (podSpec, above) = try follow(path, in: resource) else { return ([], []) }
            return ([FoundSite(site: try site(podSpec, resource: resource), above: above)], [])
        case .argoSharedVolumes(let path):
            guard let (workflowSpec, above) = try follow(path, in: resource) else { return ([], []) }
            var argo = ArgoWorkflowSites(fields: fields)
            let sites = try argo.sharedVolumeSites(workflowSpec, resource: resource)
            return (sites.map { FoundSite(site: $0, above: above) }, argo.notes)
        case .argoTemplateLibrary:
            guard let (spec, _) = try follow(["spec"], in: resource) else { return ([], []) }
            var argo = ArgoWorkflowSites(fields: fields)
            let sites = try argo.templateVolumeSites(spec, resource: resource)
            return (sites.map { FoundSite(site: $0, above: []) }, argo.notes)
        case .kserve:
            guard let (spec, above) = try follow(["spec"], in: resource) else { return ([], []) }
            return (try kserveSites(spec, above: above, resource: resource), [])
        case .byShape:
            guard let spec = try fields.child(resource.root, "spec", resource: resource) else { return ([], []) }
            var sites: [PodSpecSite] = []
            try searchByShape(spec, resource: resource, into: &sites)
            return (sites.map { FoundSite(site: $0, above: mappings(along: $0.podSpec.path, in: resource)) }, [])
        }
    }

    /// The claim templates of the pod a site describes: the `volumeClaimTemplates` of the
    /// mappings from the resource down to it (a StatefulSet's or Kruise CloneSet's `spec`, a
    /// LeaderWorkerSet's `leaderWorkerTemplate`, an Argo Workflow's spec), each a volume of the
    /// pod named by its `metadata.name`.
    private func claimTemplates(in above: [LocatedNode], resource: Resource) throws(Diagnostic) -> [LocatedNode] {
        var claims: [LocatedNode] = []
        for owner in above where owner.node["volumeClaimTemplates"] != nil {
            claims += try fields.mappingItems(owner, "volumeClaimTemplates", resource: resource)
        }
        return claims
    }

    /// The nodes from the resource root down to (not including) the node at `path`, each by the
    /// first entry of its key; where a step finds nothing, the walk stops there.
    private func mappings(along path: NodePath, in resource: Resource) -> [LocatedNode] {
        var node = resource.root
        var result: [LocatedNode] = []
        for component in path.components.dropLast().dropFirst(resource.root.path.count) {
            result.append(node)
            switch component {
            case .key(let key):
                guard let next = node.child(key) else { return result }
                node = next
            case .index(let index):
                guard node.node.isSequence, index < node.node.childCount else { return result }
                node = LocatedNode(node.node.item(at: index), at: node.path.appending(index: index))
            }
        }
        return result + [node]
    }

    /// The mapping at `path` below the resource's mapping, read with `FieldReader`'s refusals,
    /// and the mappings passed on the way (the resource's first); `nil` when a key is absent or
    /// a value on the way is no mapping.
    private func follow(_ path: [String], in resource: Resource) throws(Diagnostic) -> (LocatedNode, above: [LocatedNode])? {
        var node = resource.root
        var above: [LocatedNode] = []
        above.reserveCapacity(path.count)
        for key in path {
            guard node.node.isMapping, let next = try fields.child(node, key, resource: resource) else { return nil }
            above.append(node)
            node = next
        }
        return node.node.isMapping ? (node, above) : nil
    }

    private func site(_ podSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> PodSpecSite {
        let containers = SiteContainer.listed(
            regular: try fields.mappingItems(podSpec, "containers", resource: resource),
            initContainers: try fields.mappingItems(podSpec, "initContainers", resource: resource))
        return PodSpecSite(volumesOwner: podSpec, pods: [SitePod(containers: containers)], podSpec: podSpec)
    }

    /// A KServe component (`predictor`, `transformer`, `explainer`) is a pod spec whose main
    /// container is a single mapping (`model:`, `pytorch:` …) beside its `containers` list.
    private func kserveSites(_ spec: LocatedNode, above: [LocatedNode], resource: Resource) throws(Diagnostic) -> [FoundSite] {
        var sites: [FoundSite] = []
        for key in KindTable.kserveComponents {
            guard let component = try fields.child(spec, key, resource: resource), component.node.isMapping else { continue }
            var main: [SiteContainer] = []
            for mainKey in KindTable.kserveMainContainerKeys {
                if let container = try fields.child(component, mainKey, resource: resource), container.node.isMapping {
                    main.append(
                        SiteContainer(container, role: .regular, name: container.node["name"]?.string ?? KindTable.kserveMainContainerName))
                }
            }
            var site = try self.site(component, resource: resource)
            site.pods[0].containers = main + site.pods[0].containers
            sites.append(FoundSite(site: site, above: above + [spec]))
            if let worker = try fields.child(component, "workerSpec", resource: resource), worker.node.isMapping {
                sites.append(FoundSite(site: try self.site(worker, resource: resource), above: above + [spec, component]))
            }
        }
        return sites
    }

    private func searchByShape(_ located: LocatedNode, resource: Resource, into sites: inout [PodSpecSite]) throws(Diagnostic) {
        let node = located.node
        if node.isMapping {
            if let containers = node["containers"], containers.isAlias || Self.holdsMappingOrAlias(containers) {
                sites.append(try site(located, resource: resource))
                return
            }
            for position in 0..<node.childCount {
                let pair = node.pair(at: position)
                guard pair.value.isMapping || pair.value.isSequence, let key = pair.key.string, !KindTable.freeFormKeys.contains(key)
                else { continue }
                try searchByShape(LocatedNode(pair.value, at: located.path.appending(key: key)), resource: resource, into: &sites)
            }
        } else if node.isSequence {
            for position in 0..<node.childCount {
                let item = node.item(at: position)
                guard item.isMapping || item.isSequence else { continue }
                try searchByShape(LocatedNode(item, at: located.path.appending(index: position)), resource: resource, into: &sites)
            }
        }
    }

    /// `true` for a sequence with an item that is a mapping or an alias.
    private static func holdsMappingOrAlias(_ sequence: YAMLNode) -> Bool {
        guard sequence.isSequence else { return false }
        for position in 0..<sequence.childCount {
            let item = sequence.item(at: position)
            if item.isMapping || item.isAlias { return true }
        }
        return false
    }

    /// The pod template a pod spec belongs to: the mapping whose `spec` it is, when that mapping
    /// is not the resource itself (a Deployment's `spec.template`, a RayCluster group's
    /// `template`).
    private func podTemplate(of found: FoundSite, in resource: Resource) -> YAMLNode? {
        let path = found.site.podSpec.path
        let depth = path.count - resource.root.path.count
        guard depth > 1, found.above.count == depth, path.lastComponent == .key("spec") else { return nil }
        return found.above.last?.node
    }

    /// The `shmfix.dev/skip: "true"` annotation of a resource or template, when it is there.
    private func skipAnnotation(of owner: YAMLNode) -> YAMLNode? {
        guard let value = owner["metadata"]?["annotations"]?[Self.skipAnnotation], value.hasValue("true") else { return nil }
        return value
    }

    private func skipNote(_ annotation: YAMLNode, _ resource: Resource, template: NodePath? = nil) -> Diagnostic {
        let what = template.map { "skipped '\($0.dotted)': its pod template is" } ?? "skipped:"
        return note("\(what) annotated \(Self.skipAnnotation): \"true\"", at: annotation.span.lowerBound, resource)
    }

    private func note(_ message: String, at offset: Int, _ resource: Resource) -> Diagnostic {
        Diagnostic(.note, message, at: offset, resource: resource.id)
    }
}
