import ShmfixDiagnostics
import ShmfixYAML

/// Finds every pod spec in a document (README "Where pod specs are").
///
/// Built-in workload kinds are looked up in `KindTable.podSpecPaths` (a StatefulSet's claim
/// templates join its site); `List` kinds are opened item by item, an item without `kind` of a
/// typed list (`DeploymentList`) being of the list's kind; Argo Workflows and KServe
/// `InferenceService`s have their own rules (`ArgoWorkflowSites`, `kserveSites(_:resource:)`); any other kind
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
    /// The kinds table's rules of the built-in groups.
    private let rules = BuiltInRules()

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

    private func locate(_ resource: Resource) throws(Diagnostic) -> LocatedResource {
        let rule = rules.rule(kind: resource.kind, group: resource.group)
        if case .untouched(let why) = rule {
            let notes = why.map { [note("left untouched: \($0)", at: resource.offset, resource)] }
            return LocatedResource(resource: resource, sites: [], notes: notes ?? [])
        }
        if let skip = skipAnnotation(in: resource.metadata) {
            return LocatedResource(resource: resource, sites: [], notes: [skipNote(skip, resource)])
        }
        var located = LocatedResource(resource: resource, sites: [])
        // Every pod spec of a resource is read before the claim templates of any.
        switch rule {
        case .untouched, .withoutPodSpec:
            break
        case .podSpecPath(let path):
            guard let (podSpec, ancestry) = try follow(path, in: resource) else { break }
            try keep(try site(podSpec, resource: resource), ancestry, rule: rule, resource: resource, in: &located)
        case .argoSharedVolumes(let path):
            guard let (workflowSpec, ancestry) = try follow(path, in: resource) else { break }
            var argo = ArgoWorkflowSites(fields: fields)
            let sites = try argo.sharedVolumeSites(workflowSpec, resource: resource)
            located.notes = argo.notes
            for site in sites { try keep(site, ancestry, rule: rule, resource: resource, in: &located) }
        case .argoTemplateLibrary:
            guard let (spec, ancestry) = try follow(.spec, in: resource) else { break }
            var argo = ArgoWorkflowSites(fields: fields)
            let sites = try argo.templateVolumeSites(spec, resource: resource)
            located.notes = argo.notes
            for site in sites { try keep(site, ancestry, rule: rule, resource: resource, in: &located) }
        case .kserve:
            guard let (spec, ancestry) = try follow(.spec, in: resource) else { break }
            for (site, ancestry) in try kserveSites(spec, ancestry, resource: resource) {
                try keep(site, ancestry, rule: rule, resource: resource, in: &located)
            }
        case .byShape:
            guard let spec = try fields.child(resource.root, "spec", resource: resource) else { break }
            var sites: [PodSpecSite] = []
            try searchByShape(spec, resource: resource, into: &sites)
            for site in sites {
                try keep(
                    site, PodSpecAncestry(walking: site.podSpec.path, from: resource.root), rule: rule, resource: resource, in: &located)
            }
        }
        return located
    }

    /// Adds a pod spec found to `located`, with its claim templates, when it has containers and
    /// is not skipped (a note says why it is).
    private func keep(
        _ site: consuming PodSpecSite, _ ancestry: PodSpecAncestry, rule: KindRule, resource: Resource,
        in located: inout LocatedResource
    ) throws(Diagnostic) {
        guard site.pods.contains(where: { !$0.containers.isEmpty }) else { return }
        switch rule {
        case .argoTemplateLibrary:
            // A template library's templates see no claim templates of the workflows calling them.
            located.sites.append(site)
        case .argoSharedVolumes:
            // Argo templates are skipped one by one (ArgoWorkflowSites).
            site.claimTemplates = try claimTemplates(of: ancestry, resource: resource)
            located.sites.append(site)
        default:
            site.claimTemplates = try claimTemplates(of: ancestry, resource: resource)
            if let template = ancestry.podTemplate(of: site.podSpec.path, below: resource.root), let skip = skipAnnotation(of: template) {
                located.notes.append(skipNote(skip, resource, template: site.podSpec.path))
            } else if site.selectsWindows {
                located.notes.append(PodSpecSite.windowsNote(site.podSpec.path, at: site.podSpec.node.span.lowerBound, resource: resource))
            } else {
                located.sites.append(site)
            }
        }
    }

    /// The claim templates of the pod a site describes: the `volumeClaimTemplates` of the
    /// mappings from the resource down to it (a StatefulSet's or Kruise CloneSet's `spec`, a
    /// LeaderWorkerSet's `leaderWorkerTemplate`, an Argo Workflow's spec), each a volume of the
    /// pod named by its `metadata.name`.
    private func claimTemplates(of ancestry: PodSpecAncestry, resource: Resource) throws(Diagnostic) -> [LocatedNode] {
        var claims: [LocatedNode] = []
        for owner in ancestry.claimOwners {
            claims += try fields.mappingItems(owner, "volumeClaimTemplates", resource: resource)
        }
        return claims
    }

    /// The mapping at `route` below the resource's mapping, read with `FieldReader`'s refusals,
    /// and the mappings passed on the way; `nil` when a key is absent or a value on the way is
    /// no mapping. The paths are the route's own for a document's resource (an item of a List
    /// has a path of its own above it).
    private func follow(_ route: FieldRoute, in resource: Resource) throws(Diagnostic) -> (LocatedNode, PodSpecAncestry)? {
        var node = resource.root
        var ancestry = PodSpecAncestry()
        let isDocument = resource.root.path.count == 0
        for (step, key) in route.keys.enumerated() {
            guard node.node.isMapping,
                let next = try isDocument
                    ? fields.child(node, key, at: route.paths[step], resource: resource) : fields.child(node, key, resource: resource)
            else { return nil }
            ancestry.pass(node)
            node = next
        }
        return node.node.isMapping ? (node, ancestry) : nil
    }

    /// The pod spec `podSpec` as a site of one pod: its `containers`, then its `initContainers`.
    private func site(_ podSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> PodSpecSite {
        let regular = try fields.list("containers", in: podSpec.node, resource: resource) { podSpec }
        let initial = try fields.list("initContainers", in: podSpec.node, resource: resource) { podSpec }
        var containers: [SiteContainer] = []
        containers.reserveCapacity((regular?.childCount ?? 0) + (initial?.childCount ?? 0))
        if let regular { appendContainers(regular, key: "containers", of: podSpec, to: &containers) { _ in .regular } }
        if let initial { appendContainers(initial, key: "initContainers", of: podSpec, to: &containers, role: SiteContainer.role(ofInit:)) }
        return PodSpecSite(volumesOwner: podSpec, pods: [SitePod(containers: containers)], podSpec: podSpec)
    }

    /// Appends the mapping items of `list`, the list `key` of `owner`, as containers.
    private func appendContainers(
        _ list: YAMLNode, key: String, of owner: LocatedNode, to containers: inout [SiteContainer],
        role: (YAMLNode) -> SiteContainer.Role
    ) {
        var listPath: NodePath?
        for position in 0..<list.childCount {
            let item = list.item(at: position)
            guard item.isMapping else { continue }
            let path = listPath ?? owner.path.appending(key: key)
            listPath = path
            containers.append(SiteContainer(LocatedNode(item, at: path.appending(index: position)), role: role(item)))
        }
    }

    /// A KServe component (`predictor`, `transformer`, `explainer`) is a pod spec whose main
    /// container is a single mapping (`model:`, `pytorch:` …) beside its `containers` list.
    private func kserveSites(
        _ spec: LocatedNode, _ ancestry: PodSpecAncestry, resource: Resource
    ) throws(Diagnostic) -> [(PodSpecSite, PodSpecAncestry)] {
        var sites: [(PodSpecSite, PodSpecAncestry)] = []
        var componentAncestry = ancestry
        componentAncestry.pass(spec)
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
            sites.append((site, componentAncestry))
            if let worker = try fields.child(component, "workerSpec", resource: resource), worker.node.isMapping {
                var workerAncestry = componentAncestry
                workerAncestry.pass(component)
                sites.append((try self.site(worker, resource: resource), workerAncestry))
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

    /// The `shmfix.dev/skip: "true"` annotation of a template, when it is there.
    private func skipAnnotation(of template: YAMLNode) -> YAMLNode? {
        skipAnnotation(in: template["metadata"])
    }

    /// The `shmfix.dev/skip: "true"` annotation in the `metadata` of a resource or template,
    /// when it is there.
    private func skipAnnotation(in metadata: YAMLNode?) -> YAMLNode? {
        guard let value = metadata?["annotations"]?[Self.skipAnnotation], value.hasValue("true") else { return nil }
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
