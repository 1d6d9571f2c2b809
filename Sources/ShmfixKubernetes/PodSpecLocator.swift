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

    private func locate(_ resource: Resource) throws(Diagnostic) -> LocatedResource {
        if let why = KindTable.freeFormKinds[resource.group]?[resource.kind] {
            return LocatedResource(resource: resource, sites: [], notes: [note("left untouched: \(why)", at: resource.offset, resource)])
        }
        if KindTable.neverTouched.contains(resource.kind) || KindTable.neverTouchedGroups.contains(resource.group) {
            let notes = KindTable.notedNeverTouched[resource.kind].map { [note("left untouched: \($0)", at: resource.offset, resource)] }
            return LocatedResource(resource: resource, sites: [], notes: notes ?? [])
        }
        if let skip = skipAnnotation(of: resource.root.node) {
            return LocatedResource(resource: resource, sites: [], notes: [skipNote(skip, resource)])
        }
        var kept: [PodSpecSite] = []
        var (sites, notes) = try findSites(in: resource)
        // Argo templates are skipped one by one (ArgoWorkflowSites), and a template library's
        // templates see no claim templates of the workflows that call them.
        let argo = resource.group == KindTable.argoGroup && KindTable.argoWorkflowKinds.contains(resource.kind)
        for var site in sites where !site.containers.isEmpty {
            if !argo || KindTable.argoWorkflowSpecPaths[resource.kind] != nil {
                site.claimTemplates = try claimTemplates(above: site, in: resource)
            }
            if argo {
                kept.append(site)
            } else if let template = podTemplate(of: site, in: resource), let skip = skipAnnotation(of: template) {
                notes.append(skipNote(skip, resource, template: site.podSpec.path))
            } else if site.selectsWindows {
                notes.append(PodSpecSite.windowsNote(site.podSpec.path, at: site.podSpec.node.span.lowerBound, resource: resource))
            } else {
                kept.append(site)
            }
        }
        return LocatedResource(resource: resource, sites: kept, notes: notes)
    }

    /// The pod specs of a resource, and notes about parts of it skipped (Argo templates).
    private func findSites(in resource: Resource) throws(Diagnostic) -> ([PodSpecSite], [Diagnostic]) {
        let builtIn = KindTable.builtInGroups.contains(resource.group)
        if builtIn, KindTable.builtInWithoutPodSpec.contains(resource.kind) { return ([], []) }
        if builtIn, let path = KindTable.podSpecPaths[resource.kind] {
            guard let podSpec = try follow(path, from: resource.root, resource: resource) else { return ([], []) }
            return ([try site(podSpec, resource: resource)], [])
        }
        if resource.group == KindTable.argoGroup {
            var argo = ArgoWorkflowSites(fields: fields)
            if let path = KindTable.argoWorkflowSpecPaths[resource.kind] {
                guard let workflowSpec = try follow(path, from: resource.root, resource: resource) else { return ([], []) }
                let sites = try argo.sharedVolumeSites(workflowSpec, resource: resource)
                return (sites, argo.notes)
            }
            if KindTable.argoTemplateLibraryKinds.contains(resource.kind) {
                guard let spec = try follow(["spec"], from: resource.root, resource: resource) else { return ([], []) }
                let sites = try argo.templateVolumeSites(spec, resource: resource)
                return (sites, argo.notes)
            }
        }
        if resource.group == KindTable.kserveGroup, resource.kind == "InferenceService" {
            guard let spec = try follow(["spec"], from: resource.root, resource: resource) else { return ([], []) }
            return (try kserveSites(spec, resource: resource), [])
        }
        guard let spec = try fields.child(resource.root, "spec", resource: resource) else { return ([], []) }
        var sites: [PodSpecSite] = []
        try searchByShape(spec, resource: resource, into: &sites)
        return (sites, [])
    }

    /// The claim templates of the pod a site describes: the `volumeClaimTemplates` of the
    /// mappings from the resource down to it (a StatefulSet's or Kruise CloneSet's `spec`, a
    /// LeaderWorkerSet's `leaderWorkerTemplate`, an Argo Workflow's spec), each a volume of the
    /// pod named by its `metadata.name`.
    private func claimTemplates(above site: PodSpecSite, in resource: Resource) throws(Diagnostic) -> [LocatedNode] {
        guard hasClaimTemplates(above: site.podSpec.path, in: resource) else { return [] }
        var claims: [LocatedNode] = []
        for mapping in mappings(along: site.podSpec.path, in: resource) where mapping.node.isMapping {
            claims += try fields.mappingItems(mapping, "volumeClaimTemplates", resource: resource)
        }
        return claims
    }

    /// `true` when a mapping from the resource down to the node at `path` has
    /// `volumeClaimTemplates` (most have none: a walk over nodes, no paths built).
    private func hasClaimTemplates(above path: NodePath, in resource: Resource) -> Bool {
        var node = resource.root.node
        for component in path.components.dropLast().dropFirst(resource.root.path.count) {
            if node["volumeClaimTemplates"] != nil { return true }
            switch component {
            case .key(let key):
                guard let next = node[key] else { return false }
                node = next
            case .index(let index):
                guard index < node.childCount, let items = node.items else { return false }
                node = items[index]
            }
        }
        return node["volumeClaimTemplates"] != nil
    }

    /// The nodes from the resource root down to (not including) the node at `path`.
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
                guard let items = node.node.items, items.indices.contains(index) else { return result }
                node = LocatedNode(items[index], at: node.path.appending(index: index))
            }
        }
        return result + [node]
    }

    private func follow(_ path: [String], from start: LocatedNode, resource: Resource) throws(Diagnostic) -> LocatedNode? {
        var node = start
        for key in path {
            guard node.node.isMapping, let next = try fields.child(node, key, resource: resource) else { return nil }
            node = next
        }
        return node.node.isMapping ? node : nil
    }

    private func site(_ podSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> PodSpecSite {
        let containers = SiteContainer.listed(
            regular: try fields.mappingItems(podSpec, "containers", resource: resource),
            initContainers: try fields.mappingItems(podSpec, "initContainers", resource: resource))
        return PodSpecSite(volumesOwner: podSpec, pods: [SitePod(containers: containers)], podSpec: podSpec)
    }

    /// A KServe component (`predictor`, `transformer`, `explainer`) is a pod spec whose main
    /// container is a single mapping (`model:`, `pytorch:` …) beside its `containers` list.
    private func kserveSites(_ spec: LocatedNode, resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        var sites: [PodSpecSite] = []
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
            sites.append(site)
            if let worker = try fields.child(component, "workerSpec", resource: resource), worker.node.isMapping {
                sites.append(try self.site(worker, resource: resource))
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
    /// `template`). A walk over nodes: no paths are built.
    private func podTemplate(of site: PodSpecSite, in resource: Resource) -> YAMLNode? {
        let base = resource.root.path.count
        guard site.podSpec.path.count > base + 1, site.podSpec.path.lastComponent == .key("spec") else { return nil }
        let components = site.podSpec.path.components
        var node = resource.root.node
        for component in components[base..<(components.count - 1)] {
            switch component {
            case .key(let key):
                guard let next = node[key] else { return nil }
                node = next
            case .index(let index):
                guard node.isSequence, index < node.childCount else { return nil }
                node = node.item(at: index)
            }
        }
        return node
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
