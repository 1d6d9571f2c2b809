import ShmfixDiagnostics
import ShmfixYAML

/// Finds every pod spec in a document, as DESIGN.md "Where pod specs are" describes.
///
/// Built-in workload kinds are looked up in `KindTable.podSpecPaths`; `List` kinds are opened
/// item by item; Argo Workflows have their own rule; any other kind is searched by shape: every
/// mapping under `spec` whose `containers` is a sequence of mappings is a pod spec, and the
/// search does not descend into a pod spec it found. Kinds in `KindTable.neverTouched` and
/// resources annotated `shmfix.dev/skip: "true"` yield no sites.
public struct PodSpecLocator: Sendable {
    /// The annotation that opts a resource out.
    public static let skipAnnotation = "shmfix.dev/skip"

    private let fields: FieldReader

    /// Creates a locator that reads fields with `fields`.
    public init(fields: FieldReader) { self.fields = fields }

    /// The resources of a document and their pod specs.
    public func locate(_ document: YAMLDocument) throws(Diagnostic) -> [LocatedResource] {
        guard let root = document.root, root.pairs != nil else { return [] }
        let located = LocatedNode(root, at: NodePath())
        guard let resource = Resource(located) else { return [] }
        if resource.kind.hasSuffix("List"), let items = root["items"]?.items {
            var result: [LocatedResource] = []
            for (index, item) in items.enumerated() {
                let itemNode = LocatedNode(item, at: located.path.appending(key: "items").appending(index: index))
                if let itemResource = Resource(itemNode) { result.append(try locate(itemResource)) }
            }
            return result
        }
        return [try locate(resource)]
    }

    private func locate(_ resource: Resource) throws(Diagnostic) -> LocatedResource {
        if KindTable.neverTouched.contains(resource.kind) || KindTable.neverTouchedGroups.contains(resource.group) {
            let notes = KindTable.notedNeverTouched[resource.kind].map { ["left untouched: \($0)"] } ?? []
            return LocatedResource(resource: resource, sites: [], notes: notes)
        }
        if resource.annotation(Self.skipAnnotation) == "true" {
            return LocatedResource(
                resource: resource, sites: [], notes: ["skipped: annotated \(Self.skipAnnotation): \"true\""])
        }
        let sites = try findSites(in: resource)
        var kept: [PodSpecSite] = []
        var notes: [String] = []
        for site in sites where !site.containers.isEmpty || !site.initContainers.isEmpty {
            if site.selectsWindows {
                notes.append(
                    "skipped '\(site.podSpec.path.dotted)': it selects Windows nodes, where a memory-backed emptyDir is not supported")
            } else {
                kept.append(site)
            }
        }
        return LocatedResource(resource: resource, sites: kept, notes: notes)
    }

    private func findSites(in resource: Resource) throws(Diagnostic) -> [PodSpecSite] {
        let builtIn = KindTable.builtInGroups.contains(resource.group)
        if builtIn, KindTable.builtInWithoutPodSpec.contains(resource.kind) { return [] }
        if builtIn, let path = KindTable.podSpecPaths[resource.kind] {
            guard let podSpec = try follow(path, from: resource.root, resource: resource) else { return [] }
            return [try site(podSpec, resource: resource)]
        }
        if resource.group == KindTable.argoGroup, let path = KindTable.argoWorkflowSpecPaths[resource.kind] {
            guard let workflowSpec = try follow(path, from: resource.root, resource: resource) else { return [] }
            return try ArgoWorkflowSites(fields: fields).sites(workflowSpec, resource: resource)
        }
        guard let spec = try fields.child(resource.root, "spec", resource: resource) else { return [] }
        var sites: [PodSpecSite] = []
        try searchByShape(spec, resource: resource, into: &sites)
        return sites
    }

    private func follow(_ path: [String], from start: LocatedNode, resource: Resource) throws(Diagnostic) -> LocatedNode? {
        var node = start
        for key in path {
            guard node.node.pairs != nil, let next = try fields.child(node, key, resource: resource) else { return nil }
            node = next
        }
        return node.node.pairs == nil ? nil : node
    }

    private func site(_ podSpec: LocatedNode, resource: Resource) throws(Diagnostic) -> PodSpecSite {
        PodSpecSite(
            volumesOwner: podSpec,
            containers: try fields.mappingItems(podSpec, "containers", resource: resource),
            initContainers: try fields.mappingItems(podSpec, "initContainers", resource: resource),
            podSpec: podSpec)
    }

    private func searchByShape(_ located: LocatedNode, resource: Resource, into sites: inout [PodSpecSite]) throws(Diagnostic) {
        switch located.node.content {
        case .mapping(let pairs):
            if let containers = pairs.first(where: { $0.key.string == "containers" })?.value,
                containers.isAlias || (containers.items?.contains { $0.pairs != nil || $0.isAlias } ?? false)
            {
                sites.append(try site(located, resource: resource))
                return
            }
            for pair in pairs {
                guard let key = pair.key.string else { continue }
                try searchByShape(LocatedNode(pair.value, at: located.path.appending(key: key)), resource: resource, into: &sites)
            }
        case .sequence:
            for item in located.items { try searchByShape(item, resource: resource, into: &sites) }
        case .scalar, .alias:
            return
        }
    }
}
