import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixYAML

/// Decides, for each pod spec of a resource, what must change so that every selected container
/// has a memory-backed `/dev/shm` of the requested size (DESIGN.md "What changes in a pod
/// spec"). The result is a list of `Change`s with no text in them; conflicts are thrown as
/// positioned errors, and a pod spec that already has what it needs yields no change at all,
/// which is what makes a second run byte-identical.
public struct FixPlanner: Sendable {
    /// The mount path shmfix manages.
    public static let shmPath = "/dev/shm"

    private let options: FixOptions
    private let fields: FieldReader

    /// Creates a planner.
    public init(options: FixOptions, fields: FieldReader) {
        self.options = options
        self.fields = fields
    }

    /// The plan for one located resource.
    public func plan(_ located: LocatedResource) throws(Diagnostic) -> ResourcePlan {
        let resource = located.resource
        var findings = located.notes.map { Diagnostic(.note, $0, at: resource.offset, resource: resource.id) }
        var changes: [Change] = []
        if !options.kinds.isEmpty, !options.kinds.contains(resource.kind.lowercased()) {
            return ResourcePlan(resource: resource, changes: [], findings: [])
        }
        let memory = PodMemory(root: resource.root.node)
        for site in located.sites where !options.gpuOnly || memory.requestsGPU(site) {
            let sitePlan = try SitePlanner(options: options, fields: fields, site: site, resource: resource).plan()
            changes += sitePlan.changes
            findings += sitePlan.findings
        }
        return ResourcePlan(resource: resource, changes: changes, findings: findings)
    }
}

/// The plan for one pod spec.
private struct SitePlanner {
    let options: FixOptions
    let fields: FieldReader
    let site: PodSpecSite
    let resource: Resource

    private var offset: Int { site.podSpec.node.span.lowerBound }

    func plan() throws(Diagnostic) -> (changes: [Change], findings: [Diagnostic]) {
        let selected = selectedContainers()
        guard !selected.isEmpty else { return ([], []) }
        let mounted = try shmMounts(of: selected)
        let volumeName = mounted.first?.volume ?? options.volumeName
        let volumes = try fields.mappingItems(site.volumesOwner, "volumes", resource: resource)
        var existing: LocatedNode?
        for volume in volumes where try fields.child(volume, "name", resource: resource)?.node.string == volumeName {
            existing = volume
            break
        }
        var emptyDir: LocatedNode?
        if let volume = existing {
            emptyDir = try fields.child(volume, "emptyDir", resource: resource)
            if emptyDir == nil { return ([], [try notAnEmptyDir(volume, named: volumeName, mounted: !mounted.isEmpty)]) }
            if mounted.isEmpty { try refuseIfMountedElsewhere(volumeName, volume: volume) }
        }
        var sizeFindings: [Diagnostic] = []
        let size = try sizeBytes(findings: &sizeFindings)
        var changes: [Change] = []
        var findings: [Diagnostic] = []
        if let volume = existing, let emptyDir {
            let resized = try emptyDirChanges(volume: volume, emptyDir: emptyDir, size: size, findings: &findings)
            changes += resized.changes
            if resized.sizeIsRequested { findings = sizeFindings + findings }
        } else {
            let item = PlainValue.mapping([
                PlainEntry("name", .string(volumeName)),
                PlainEntry(
                    "emptyDir",
                    .mapping([PlainEntry("medium", .string("Memory")), PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: size)))])),
            ])
            try refuseMerge(into: site.volumesOwner, key: "volumes")
            changes.append(Change(site.volumesOwner, .append(key: "volumes", item: item)))
            findings = sizeFindings
        }
        let mountedContainers = Set(mounted.map(\.container.path))
        for container in selected where !mountedContainers.contains(container.path) {
            try refuseMerge(into: container, key: "volumeMounts")
            let mount = PlainValue.mapping([
                PlainEntry("name", .string(volumeName)), PlainEntry("mountPath", .string(FixPlanner.shmPath)),
            ])
            changes.append(Change(container, .append(key: "volumeMounts", item: mount)))
        }
        return (changes, findings)
    }

    /// A volume named like the shm volume that is not an emptyDir: the warning that leaves the
    /// pod spec alone when it is what `/dev/shm` mounts (a hostPath of the host's `/dev/shm`),
    /// else a conflict.
    private func notAnEmptyDir(_ volume: LocatedNode, named volumeName: String, mounted: Bool) throws(Diagnostic) -> Diagnostic {
        let type = volume.node.pairs?.first { $0.key.string != "name" }?.key.string ?? "volume"
        guard mounted else { throw conflict("volume '\(volumeName)' is a \(type) volume, not an emptyDir", at: volume) }
        return Diagnostic(
            .warning,
            "\(FixPlanner.shmPath) is volume '\(volumeName)' (\(type)); left alone — remove it to let shmfix manage \(FixPlanner.shmPath)",
            at: volume.node.span.lowerBound, resource: resource.id)
    }

    private func selectedContainers() -> [LocatedNode] {
        let candidates = site.containers + (options.includeInitContainers ? site.initContainers : [])
        guard !options.containerNames.isEmpty else { return candidates }
        return candidates.filter { options.containerNames.contains($0.node["name"]?.string ?? "") }
    }

    /// The size in bytes, and the memory-awareness findings.
    private func sizeBytes(findings: inout [Diagnostic]) throws(Diagnostic) -> Int {
        let limit = PodMemory(root: resource.root.node).limit(of: site)
        let limitName = site.pods.count > 1 ? "the smallest memory limit of its \(site.pods.count) pods," : "the pod's memory limit"
        switch options.size {
        case .bytes(let bytes):
            if let limit, Double(bytes) > limit {
                findings.append(
                    Diagnostic(
                        .warning,
                        "\(FixPlanner.shmPath) size \(ShmSize.canonical(bytes: bytes)) is above \(limitName) \(PodMemory.describe(limit)); the tmpfs will be capped at \(PodMemory.describe(limit))",
                        at: offset, resource: resource.id))
            } else if limit == nil {
                findings.append(
                    Diagnostic(
                        .note,
                        "'\(site.podSpec.path.dotted)' has no memory limit: \(FixPlanner.shmPath) can grow to the node's allocatable memory, charged to the container that writes it",
                        at: offset, resource: resource.id))
            }
            return bytes
        case .percentOfMemoryLimit(let percent):
            guard let limit else {
                throw Diagnostic(
                    .error,
                    "\(options.settingNames.size)=\(percent)% needs a memory limit, and '\(site.podSpec.path.dotted)' has none; set resources.limits.memory or give a size",
                    at: offset, resource: resource.id)
            }
            let mebibytes = (limit * Double(percent) / 100 / 1_048_576).rounded(.down)
            guard mebibytes >= 1 else {
                throw Diagnostic(
                    .error, "\(percent)% of the memory limit \(PodMemory.describe(limit)) is less than 1Mi", at: offset,
                    resource: resource.id)
            }
            // A sum of limits can pass Int.max bytes (two containers of 8Ei); refuse, do not trap.
            guard let bytes = Int(exactly: mebibytes * 1_048_576) else {
                throw Diagnostic(
                    .error, "\(percent)% of the memory limit is more than 8Ei, the largest size shmfix can write",
                    at: offset, resource: resource.id)
            }
            return bytes
        }
    }

    /// The `/dev/shm` mounts of the selected containers; two different volumes is a conflict.
    private func shmMounts(of containers: [LocatedNode]) throws(Diagnostic) -> [(container: LocatedNode, volume: String)] {
        var result: [(container: LocatedNode, volume: String)] = []
        for container in containers {
            for mount in try fields.mappingItems(container, "volumeMounts", resource: resource) {
                guard let path = try fields.child(mount, "mountPath", resource: resource)?.node.string,
                    Self.isShmPath(path), let name = try fields.child(mount, "name", resource: resource)?.node.string
                else { continue }
                if let other = result.first(where: { $0.volume != name }) {
                    throw Diagnostic(
                        .error,
                        "two volumes are mounted at \(FixPlanner.shmPath): '\(other.volume)' and '\(name)'; keep one of them",
                        at: mount.node.span.lowerBound, resource: resource.id)
                }
                result.append((container, name))
            }
        }
        return result
    }

    private static func isShmPath(_ path: String) -> Bool {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed == FixPlanner.shmPath
    }

    private func refuseIfMountedElsewhere(_ name: String, volume: LocatedNode) throws(Diagnostic) {
        for container in site.containers + site.initContainers {
            for mount in try fields.mappingItems(container, "volumeMounts", resource: resource)
            where mount.node["name"]?.string == name {
                let path = mount.node["mountPath"]?.string ?? ""
                throw conflict("volume '\(name)' is already mounted at '\(path)'", at: mount)
            }
        }
    }

    private func conflict(_ what: String, at node: LocatedNode) -> Diagnostic {
        Diagnostic(
            .error, "\(what); choose another name with \(options.settingNames.volumeName)", at: node.node.span.lowerBound,
            resource: resource.id)
    }

    /// The changes that make an existing emptyDir memory-backed and of the requested size, and
    /// whether its size is then the requested one (not with `--keep-existing` keeping another).
    private func emptyDirChanges(
        volume: LocatedNode, emptyDir: LocatedNode, size: Int, findings: inout [Diagnostic]
    ) throws(Diagnostic) -> (changes: [Change], sizeIsRequested: Bool) {
        if let typo = emptyDir.node.pairs?.first(where: { $0.key.string == "size" }) {
            findings.append(
                Diagnostic(
                    .warning,
                    "emptyDir of volume '\(volume.node["name"]?.string ?? "")' has a 'size' key, which Kubernetes ignores; did you mean 'sizeLimit'?",
                    at: typo.key.span.lowerBound, resource: resource.id))
        }
        guard emptyDir.node.pairs != nil else {
            if options.keepExisting {
                let memoryOnly = PlainValue.mapping([PlainEntry("medium", .string("Memory"))])
                return ([Change(volume, .set([PlainEntry("emptyDir", memoryOnly)]))], false)
            }
            let value = PlainValue.mapping([
                PlainEntry("medium", .string("Memory")), PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: size))),
            ])
            return ([Change(volume, .set([PlainEntry("emptyDir", value)]))], true)
        }
        var entries: [PlainEntry] = []
        if try fields.child(emptyDir, "medium", resource: resource)?.node.string != "Memory" {
            entries.append(PlainEntry("medium", .string("Memory")))
        }
        let current = try fields.child(emptyDir, "sizeLimit", resource: resource)?.node.string
        let equal = current.flatMap(Quantity.bytes) == Double(size)
        if !options.keepExisting, !equal { entries.append(PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: size)))) }
        guard !entries.isEmpty else { return ([], equal) }
        try refuseMerge(into: emptyDir, key: entries[0].key)
        return ([Change(emptyDir, .set(entries))], equal || !options.keepExisting)
    }

    /// A key added next to a merge key (`<<: *base`) could hide what the merge brings in.
    private func refuseMerge(into mapping: LocatedNode, key: String) throws(Diagnostic) {
        guard mapping.node.pairs?.contains(where: { $0.key.string == "<<" }) == true, mapping.node[key] == nil else { return }
        throw Diagnostic(
            .error,
            "'\(mapping.path.dotted)' takes entries from a merge key ('<<'); shmfix does not add '\(key)' beside it — expand the merge first",
            at: mapping.node.span.lowerBound, resource: resource.id)
    }
}
