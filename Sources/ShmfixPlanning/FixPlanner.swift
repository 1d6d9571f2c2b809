import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixYAML

/// Decides, for each pod spec of a resource, what must change so that every selected container
/// has a memory-backed `/dev/shm` of the requested size (README "What it does to a pod spec").
/// The result is a list of `Change`s with no text in them; conflicts are thrown as positioned
/// errors, and a pod spec that already has what it needs yields no change at all, which is what
/// makes a second run byte-identical.
///
/// Pod specs left alone, with a warning: `hostIPC: true` (the pod has the host's `/dev/shm`),
/// and a `/dev/shm` that is not an emptyDir shmfix may resize — a `hostPath` or other volume, a
/// `HugePages` emptyDir, a StatefulSet claim template.
public struct FixPlanner: Sendable {
    /// The mount path shmfix manages.
    public static let shmPath = "/dev/shm"

    private let options: FixOptions
    private let settings: PlanSettings
    private let fields: FieldReader

    /// Creates a planner.
    public init(options: FixOptions, fields: FieldReader) {
        self.options = options
        self.settings = PlanSettings(options: options)
        self.fields = fields
    }

    /// The plan for one located resource.
    public func plan(_ located: LocatedResource) throws(Diagnostic) -> ResourcePlan {
        guard options.kinds.isEmpty || options.kinds.contains(located.resource.kind.lowercased()) else {
            return ResourcePlan(resource: located.resource, changes: [], findings: [])
        }
        var findings = located.notes
        var changes: [Change] = []
        var containerNames: Set<String> = []
        let memory = PodMemory(root: located.resource.root.node)
        // By position: the one copy of a site is the planner's.
        for index in located.sites.indices {
            if !options.containerNames.isEmpty { containerNames.formUnion(selectedNames(in: located.sites[index])) }
            guard !options.gpuOnly || memory.requestsGPU(located.sites[index]) else { continue }
            let sitePlanner = SitePlanner(
                settings: settings, fields: PlanFields(reader: fields, resource: located.resource), site: located.sites[index])
            let sitePlan = try sitePlanner.plan()
            if changes.isEmpty { changes = sitePlan.changes } else { changes += sitePlan.changes }
            if findings.isEmpty { findings = sitePlan.findings } else { findings += sitePlan.findings }
        }
        if !changes.isEmpty, let live = livePod(located.resource) {
            findings.append(
                Diagnostic(
                    .note,
                    "this is a live Pod (it has '\(live)'): a Pod's volumes cannot be changed after it is created, so applying this output is refused; fix the workload that creates it, or use shmfix-webhook",
                    at: located.resource.offset, resource: located.resource.id))
        }
        return ResourcePlan(resource: located.resource, changes: changes, findings: findings, selectedContainerNames: containerNames)
    }

    /// The `-c` names that name a container of `site`.
    private func selectedNames(in site: PodSpecSite) -> [String] {
        var names: [String] = []
        for pod in site.pods {
            for container in pod.containers {
                if let name = container.name, options.containerNames.contains(name) { names.append(name) }
            }
        }
        return names
    }

    /// The field that marks a Pod as read from a cluster (`kubectl get -o yaml`).
    private func livePod(_ resource: Resource) -> String? {
        guard resource.kind == "Pod", KindTable.builtInGroups.contains(resource.group) else { return nil }
        if resource.root.node.hasEntry(ofKey: "status") { return "status" }
        return ["uid", "resourceVersion", "creationTimestamp"].first { resource.metadata?.hasEntry(ofKey: $0) == true }.map {
            "metadata.\($0)"
        }
    }
}

/// The plan for one pod spec. (A class: the closures that walk mounts capture it, and copying
/// all it holds for each of them costs more than the planning.)
private final class SitePlanner {
    let settings: PlanSettings
    let fields: PlanFields
    let site: PodSpecSite

    init(settings: PlanSettings, fields: PlanFields, site: PodSpecSite) {
        self.settings = settings
        self.fields = fields
        self.site = site
    }

    private var options: FixOptions { settings.options }
    private var resource: Resource { fields.resource }
    /// `resource.id`, made once for all the findings about the pod spec.
    private lazy var resourceID = resource.id

    private var offset: Int { site.podSpec.node.span.lowerBound }

    /// `true` while `groups()` has walked the mounts of every container of the site.
    private var walkedEveryContainer = true
    /// `true` when a mount `groups()` walked names the default volume (`options.volumeName`).
    /// With `walkedEveryContainer`, `false` says that no container mounts that name anywhere, so
    /// `refuseIfMountedElsewhere` need not walk the mounts again.
    private var mountsDefaultName = false

    /// A `/dev/shm` mount of a selected container.
    private struct ShmMount {
        let container: SiteContainer
        let mount: YAMLNode
        let volume: String
    }

    /// The pods whose `/dev/shm` is the same volume: its name (what their containers mount
    /// there, else the default), where it is (`nil`: nowhere yet), their selected containers and
    /// those containers' `/dev/shm` mounts.
    private struct VolumeGroup {
        let name: String
        let volume: ListItem?
        var pods: [SitePod]
        var selected: [SiteContainer]
        var mounts: [ShmMount]
    }

    func plan() throws(Diagnostic) -> (changes: [Change], findings: [Diagnostic]) {
        guard site.pods.contains(where: { $0.containers.contains(where: isSelected) }) else { return ([], []) }
        // The entry's key (where the warning points) is made only for the pod spec warned about.
        if site.podSpec.node["hostIPC"]?.hasValue("true") == true, let hostIPC = site.podSpec.node.firstValue(ofKey: "hostIPC") {
            let warning = Diagnostic(
                .warning,
                "'\(site.podSpec.path.dotted)' has hostIPC: true, so its containers share the host's \(FixPlanner.shmPath); an emptyDir would hide it — left alone",
                at: hostIPC.key.span.lowerBound, resource: resourceID)
            return ([], [warning])
        }
        let groups = try groups()
        var findings: [Diagnostic] = []
        var changes: [Change] = []
        changes.reserveCapacity(groups.reduce(1) { $0 + $1.selected.count })
        var newVolumes: [PlainValue] = []
        for index in groups.indices {  // by position: a group is not copied
            for readOnly in groups[index].mounts where readOnly.mount["readOnly"]?.hasValue("true") == true {
                findings.append(
                    Diagnostic(
                        .warning,
                        "\(FixPlanner.shmPath) is mounted read-only in container '\(Self.name(of: readOnly.container))': programs cannot create shared memory there; the mount is left as written",
                        at: readOnly.mount.span.lowerBound, resource: resourceID))
            }
            let groupPlan = try plan(groups[index], adding: &changes)
            if findings.isEmpty { findings = groupPlan.findings } else { findings += groupPlan.findings }
            if let items = groupPlan.newVolumes {
                if newVolumes.isEmpty { newVolumes = items } else { newVolumes += items }
            }
        }
        if !newVolumes.isEmpty { changes.insert(try append(newVolumes, to: "volumes", of: site.volumesOwner), at: 0) }
        return (changes, findings)
    }

    private func isSelected(_ container: SiteContainer) -> Bool {
        guard options.containerNames.isEmpty else {
            return container.role != .initContainer || options.includeInitContainers
                ? options.containerNames.contains(container.name ?? "") : false
        }
        return container.role == .regular || options.includeInitContainers
    }

    /// Groups the pods by their `/dev/shm` volume: each pod's name for it, resolved in the pod's
    /// own scopes first, then in the site's `volumes`.
    private func groups() throws(Diagnostic) -> [VolumeGroup] {
        var groups: [VolumeGroup] = []
        for pod in site.pods {
            let allSelected = pod.containers.allSatisfy(isSelected)
            if !allSelected { walkedEveryContainer = false }
            let selected = allSelected ? pod.containers : pod.containers.filter(isSelected)
            guard !selected.isEmpty else { continue }
            let mounts = try shmMounts(of: selected)
            let name = mounts.first?.volume ?? options.volumeName
            var found: ListItem?
            for owner in pod.volumeScopes where found == nil {
                found = try volume(named: name, in: owner)
            }
            if found == nil { found = try volume(named: name, in: site.volumesOwner) }
            if let index = groups.firstIndex(where: { $0.name == name && $0.volume?.located.path == found?.located.path }) {
                groups[index].pods.append(pod)
                groups[index].selected += selected
                groups[index].mounts += mounts
            } else {
                // A site of one pod (nearly all) shares its array of pods with its one group.
                let pods = site.pods.count == 1 ? site.pods : [pod]
                groups.append(VolumeGroup(name: name, volume: found, pods: pods, selected: selected, mounts: mounts))
            }
        }
        return groups
    }

    private func volume(named name: String, in owner: LocatedNode) throws(Diagnostic) -> ListItem? {
        let volumes = try fields.mappingList(owner, "volumes")
        for (volume, position) in volumes
        where try fields.child(volume, "name", located: { volumes.located(volume, at: position) })?.hasString(name) == true {
            return ListItem(node: volume, list: volumes, position: position)
        }
        return nil
    }

    /// The changes for one group, added to `changes`, and the volume to add for it when it has
    /// none yet.
    private func plan(_ group: VolumeGroup, adding changes: inout [Change]) throws(Diagnostic) -> (
        findings: [Diagnostic], newVolumes: [PlainValue]?
    ) {
        let volumeName = group.name
        let mounted = !group.mounts.isEmpty
        // A claim template replaces a volume of the same name in the pod the controller creates.
        if let claim = try claimTemplate(named: volumeName) {
            return ([try claimTemplateAtShm(claim, named: volumeName, mounted: mounted)], nil)
        }
        var sizeFindings: [Diagnostic] = []
        var findings: [Diagnostic] = []
        var newVolumes: [PlainValue]?
        if let volume = group.volume {
            guard let emptyDir = try fields.child(volume.node, "emptyDir", located: { volume.located }) else {
                return ([try notAnEmptyDir(volume.node, named: volumeName, mounted: mounted)], nil)
            }
            if let medium = try fields.child(emptyDir, "medium", located: { Self.emptyDir(emptyDir, of: volume) })?.string,
                medium.hasPrefix("HugePages")
            {
                return ([try otherMedium(medium, volume: volume.node, named: volumeName, mounted: mounted)], nil)
            }
            if !mounted { try refuseIfMountedElsewhere(volumeName) }
            let size = try sizeBytes(for: group.pods, findings: &sizeFindings)
            let resized = try emptyDirChanges(volume: volume, emptyDir: emptyDir, size: size, findings: &findings)
            if !resized.changes.isEmpty, let shm = group.mounts.first { try refuseIfSharedWithOtherMount(shm) }
            changes += resized.changes
            if resized.sizeIsRequested { findings = sizeFindings + findings }
        } else {
            // A volume added under a name some container mounts elsewhere would back that mount too.
            if !mounted {
                try refuseIfMountedElsewhere(volumeName)
            } else if let shm = group.mounts.first {
                try refuseIfSharedWithOtherMount(shm)
            }
            let size = try sizeBytes(for: group.pods, findings: &sizeFindings)
            newVolumes = settings.volumeItems(named: volumeName, bytes: size)
            findings = sizeFindings
        }
        let mount = settings.mountItems(named: volumeName)
        for container in group.selected where !group.mounts.contains(where: { $0.container.node.path == container.node.path }) {
            changes.append(try append(mount, to: "volumeMounts", of: container.node))
        }
        return (findings, newVolumes)
    }

    /// The `emptyDir` of a volume, with its path.
    private static func emptyDir(_ emptyDir: YAMLNode, of volume: ListItem) -> LocatedNode {
        LocatedNode(emptyDir, at: volume.located.path.appending(key: "emptyDir"))
    }

    /// A volume named like the shm volume that is not an emptyDir: the warning that leaves the
    /// pod spec alone when it is what `/dev/shm` mounts (a hostPath of the host's `/dev/shm`),
    /// else a conflict.
    private func notAnEmptyDir(_ volume: YAMLNode, named volumeName: String, mounted: Bool) throws(Diagnostic) -> Diagnostic {
        let type = volume.pairs?.first { $0.key.string != "name" }?.key.string ?? "volume"
        guard mounted else { throw conflict("volume '\(volumeName)' is a \(type) volume, not an emptyDir", at: volume) }
        return leftAlone("\(FixPlanner.shmPath) is volume '\(volumeName)' (\(type))", at: volume)
    }

    /// An emptyDir of huge pages (`HugePages`, `HugePages-2Mi`): a deliberate choice, not shmfix's
    /// to change. (Any other medium but `Memory` is the default disk or a value the API server
    /// rejects, and is set to `Memory`.)
    private func otherMedium(_ medium: String, volume: YAMLNode, named volumeName: String, mounted: Bool) throws(Diagnostic)
        -> Diagnostic
    {
        guard mounted else { throw conflict("volume '\(volumeName)' is an emptyDir of medium \(medium)", at: volume) }
        return leftAlone("\(FixPlanner.shmPath) is volume '\(volumeName)', an emptyDir of medium \(medium)", at: volume)
    }

    /// A StatefulSet claim template named like the shm volume: a persistent volume per pod.
    private func claimTemplateAtShm(_ claim: LocatedNode, named volumeName: String, mounted: Bool) throws(Diagnostic) -> Diagnostic {
        guard mounted else { throw conflict("'\(volumeName)' is a volumeClaimTemplate of this StatefulSet", at: claim.node) }
        return leftAlone("\(FixPlanner.shmPath) is volumeClaimTemplate '\(volumeName)', a persistent volume", at: claim.node)
    }

    private func leftAlone(_ what: String, at node: YAMLNode) -> Diagnostic {
        Diagnostic(
            .warning, "\(what); left alone — remove it to let shmfix manage \(FixPlanner.shmPath)", at: node.span.lowerBound,
            resource: resourceID)
    }

    private func claimTemplate(named name: String) throws(Diagnostic) -> LocatedNode? {
        for claim in site.claimTemplates {
            guard let metadata = try fields.child(claim, "metadata") else { continue }
            let claimName = try fields.child(metadata, "name") { LocatedNode(metadata, at: claim.path.appending(key: "metadata")) }
            if claimName?.hasString(name) == true { return claim }
        }
        return nil
    }

    /// The size in bytes, and the memory-awareness findings.
    private func sizeBytes(for pods: [SitePod], findings: inout [Diagnostic]) throws(Diagnostic) -> Int {
        let limit = PodMemory(root: resource.root.node).limit(of: pods, in: site)
        let bytes: Int
        switch (options.size, limit) {
        case (.bytes(let requested), .bytes(let limitBytes, let written, let at)):
            if Double(requested) > limitBytes {
                let shown = written ?? PodMemory.describe(limitBytes)
                let limitName = pods.count > 1 ? "the smallest memory limit of its \(pods.count) pods," : "the pod's memory limit"
                findings.append(
                    warning(
                        "\(FixPlanner.shmPath) size \(ShmSize.canonical(bytes: requested)) is above \(limitName) \(shown); the tmpfs will be capped at \(shown)",
                        at: at))
            }
            bytes = requested
        case (.bytes(let requested), .none(let container, let at)):
            var message = TextBytes(capacity: 192)
            appendNoLimit(container, to: &message)
            message.append(": ")
            message.append(FixPlanner.shmPath)
            message.append(" can grow to the node's allocatable memory, charged to the container that writes it")
            findings.append(Diagnostic(.note, message.text, at: at, resource: resourceID))
            bytes = requested
        case (.bytes(let requested), .invalid(let text, let at)):
            findings.append(warning(Self.invalidLimit(text), at: at))
            bytes = requested
        case (.percentOfMemoryLimit(let percent), .bytes(let limitBytes, let written, let at)):
            bytes = try percentBytes(percent, of: limitBytes, written: written, at: at)
        case (.percentOfMemoryLimit(let percent), .none(let container, let at)):
            var message = TextBytes(capacity: 192)
            message.append(options.settingNames.size)
            message.append(ascii: "=")
            message.append(percent)
            message.append("% needs a memory limit, and ")
            appendNoLimit(container, to: &message)
            message.append("; set resources.limits.memory or give a size")
            throw Diagnostic(.error, message.text, at: at, resource: resourceID)
        case (.percentOfMemoryLimit(let percent), .invalid(let text, let at)):
            throw Diagnostic(
                .error, "\(options.settingNames.size)=\(percent)% needs a memory limit, and \(Self.invalidLimit(text))", at: at,
                resource: resourceID)
        }
        if bytes < ShmSize.dockerDefaultBytes {
            findings.append(
                warning(
                    "\(FixPlanner.shmPath) size \(ShmSize.canonical(bytes: bytes)) is smaller than the 64Mi Docker gives every container",
                    at: offset))
        }
        return bytes
    }

    /// Why the pod has no memory limit: a container without one, or no container at all.
    private func appendNoLimit(_ container: PodMemory.Container?, to text: inout TextBytes) {
        guard let container else {
            text.append(ascii: "'")
            site.podSpec.path.appendDotted(to: &text)
            text.append("' has no memory limit")
            return
        }
        text.append("container ")
        if let name = container.name {
            text.append(ascii: "'")
            text.append(name)
            text.append(ascii: "'")
        } else {
            text.append("at '")
            container.path.appendDotted(to: &text)
            text.append(ascii: "'")
        }
        text.append(" has no memory limit, so '")
        site.podSpec.path.appendDotted(to: &text)
        text.append("' has none")
    }

    private static func invalidLimit(_ text: String) -> String {
        "the memory limit '\(text)' is not a valid quantity (the API server rejects it; e.g. 4Gi or 4G)"
    }

    private func percentBytes(_ percent: Int, of limit: Double, written: String?, at: Int) throws(Diagnostic) -> Int {
        let mebibytes = (limit * Double(percent) / 100 / 1_048_576).rounded(.down)
        guard mebibytes >= 1 else {
            let shown = written ?? PodMemory.describe(limit)
            throw Diagnostic(.error, "\(percent)% of the memory limit \(shown) is less than 1Mi", at: at, resource: resourceID)
        }
        // A sum of limits can pass Int.max bytes (two containers of 8Ei); refuse, do not trap.
        guard let bytes = Int(exactly: mebibytes * 1_048_576) else {
            throw Diagnostic(
                .error, "\(percent)% of the memory limit is more than 8Ei, the largest size shmfix can write", at: at,
                resource: resourceID)
        }
        return bytes
    }

    private func warning(_ message: String, at offset: Int) -> Diagnostic {
        Diagnostic(.warning, message, at: offset, resource: resourceID)
    }

    /// Calls `body` with each mount of the container at `index` of `containers`, and how to locate
    /// it: its own `volumeMounts`, then those it shares (Argo containerSet); both lists are read,
    /// and refused if need be, before the first call. (By position: the container is not copied.)
    private func forEachMount(
        of index: Int, in containers: [SiteContainer],
        _ body: (_ mount: YAMLNode, _ located: () -> LocatedNode) throws(Diagnostic) -> Void
    ) throws(Diagnostic) {
        let own = try fields.mappingList(containers[index].node, "volumeMounts")
        var shared: MappingList?
        if let sharedOwner = containers[index].sharedMountsOwner { shared = try fields.mappingList(sharedOwner, "volumeMounts") }
        for (mount, position) in own { try body(mount) { own.located(mount, at: position) } }
        guard let shared else { return }
        for (mount, position) in shared { try body(mount) { shared.located(mount, at: position) } }
    }

    /// The `/dev/shm` mounts of the selected containers; two different volumes is a conflict.
    private func shmMounts(of containers: [SiteContainer]) throws(Diagnostic) -> [ShmMount] {
        var result: [ShmMount] = []
        for index in containers.indices {
            try forEachMount(of: index, in: containers) { (mount, located) throws(Diagnostic) in
                if !mountsDefaultName, mount["name"]?.hasString(options.volumeName) == true { mountsDefaultName = true }
                guard try fields.child(mount, "mountPath", located: located)?.withScalarBytes(Self.isShmPath) == true,
                    let name = try fields.child(mount, "name", located: located)?.string
                else { return }
                if let other = result.first(where: { $0.volume != name }) {
                    throw Diagnostic(
                        .error,
                        "two volumes are mounted at \(FixPlanner.shmPath): '\(other.volume)' and '\(name)'; keep one of them",
                        at: mount.span.lowerBound, resource: resourceID)
                }
                result.append(ShmMount(container: containers[index], mount: mount, volume: name))
            }
        }
        return result
    }

    /// `true` for `/dev/shm`, also written with trailing slashes (compared byte by byte: no text
    /// that is not these bytes is canonically equivalent to them).
    private static func isShmPath(_ path: String) -> Bool {
        var path = path
        return path.withUTF8(isShmPath)
    }

    /// `isShmPath` of a path's bytes.
    private static func isShmPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = bytes.count
        while end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == FixPlanner.shmPath.utf8.count && bytes[..<end].elementsEqual(FixPlanner.shmPath.utf8)
    }

    /// A volume of this name is (or would be) shmfix's, but some container mounts the name at
    /// another path (or a part of it at `/dev/shm`): refused, since the edit would change that.
    private func refuseIfMountedElsewhere(_ name: String) throws(Diagnostic) {
        // No mount of any container names the default volume: nothing to refuse (the lists were
        // read, and refused if need be, by the same walk).
        if walkedEveryContainer, !mountsDefaultName, name == options.volumeName { return }
        for pod in site.pods {
            for index in pod.containers.indices {
                try forEachMount(of: index, in: pod.containers) { (mount, _) throws(Diagnostic) in
                    guard mount["name"]?.hasString(name) == true else { return }
                    let path = mount["mountPath"]?.string ?? ""
                    let subPath = mount["subPath"]?.string ?? mount["subPathExpr"]?.string ?? ""
                    if Self.isShmPath(path), subPath.isEmpty { return }
                    throw conflict("volume '\(name)' is already mounted at '\(path)'", at: mount)
                }
            }
        }
    }

    /// The shm volume is about to change (medium or size): refuse when any container of the site
    /// also mounts it elsewhere, or a part of it (`subPath`), since that mount would change too.
    private func refuseIfSharedWithOtherMount(_ shm: ShmMount) throws(Diagnostic) {
        let name = shm.volume
        for pod in site.pods {
            for index in pod.containers.indices {
                try forEachMount(of: index, in: pod.containers) { (mount, _) throws(Diagnostic) in
                    guard mount["name"]?.hasString(name) == true else { return }
                    let path = mount["mountPath"]?.string ?? ""
                    let subPath = mount["subPath"]?.string ?? mount["subPathExpr"]?.string
                    guard !Self.isShmPath(path) || (subPath.map { !$0.isEmpty } ?? false) else { return }
                    let other = subPath.map { "at '\(path)' with subPath '\($0)'" } ?? "at '\(path)'"
                    throw Diagnostic(
                        .error,
                        "volume '\(name)' is mounted at \(FixPlanner.shmPath) in container '\(Self.name(of: shm.container))' and also \(other) in container '\(Self.name(of: pod.containers[index]))'; making it a memory-backed \(FixPlanner.shmPath) would change that mount too — mount a volume of its own at \(FixPlanner.shmPath)",
                        at: mount.span.lowerBound, resource: resourceID)
                }
            }
        }
    }

    /// A container as messages name it: its name, else its path.
    private static func name(of container: SiteContainer) -> String {
        container.name ?? container.node.path.dotted
    }

    private func conflict(_ what: String, at node: YAMLNode) -> Diagnostic {
        Diagnostic(
            .error, "\(what); choose another name with \(options.settingNames.volumeName)", at: node.span.lowerBound,
            resource: resourceID)
    }

    /// The changes that make an existing emptyDir memory-backed and of the requested size, and
    /// whether its size is then the requested one (not with `--keep-existing` keeping another).
    private func emptyDirChanges(
        volume: ListItem, emptyDir: YAMLNode, size: Int, findings: inout [Diagnostic]
    ) throws(Diagnostic) -> (changes: [Change], sizeIsRequested: Bool) {
        if let typo = emptyDir.firstValue(ofKey: "size") {
            findings.append(
                Diagnostic(
                    .warning,
                    "emptyDir of volume '\(volume.node["name"]?.string ?? "")' has a 'size' key, which Kubernetes ignores; did you mean 'sizeLimit'?",
                    at: typo.key.span.lowerBound, resource: resourceID))
        }
        guard emptyDir.isMapping else {
            if options.keepExisting {
                let memoryOnly = PlainValue.mapping([PlainEntry("medium", .string("Memory"))])
                return ([Change(volume.located, .set([PlainEntry("emptyDir", memoryOnly)]))], false)
            }
            let value = PlainValue.mapping([
                PlainEntry("medium", .string("Memory")), PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: size))),
            ])
            return ([Change(volume.located, .set([PlainEntry("emptyDir", value)]))], true)
        }
        var entries: [PlainEntry] = []
        if try fields.child(emptyDir, "medium", located: { Self.emptyDir(emptyDir, of: volume) })?.string != "Memory" {
            entries.append(PlainEntry("medium", .string("Memory")))
        }
        let current = try fields.child(emptyDir, "sizeLimit", located: { Self.emptyDir(emptyDir, of: volume) })?.string
        let equal = current.flatMap(Quantity.bytes) == Double(size)
        if !options.keepExisting, !equal { entries.append(PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: size)))) }
        guard !entries.isEmpty else { return ([], equal) }
        let located = Self.emptyDir(emptyDir, of: volume)
        try refuseMerge(into: located, key: entries[0].key)
        return ([Change(located, .set(entries))], equal || !options.keepExisting)
    }

    /// The change that appends `items` to the list `key` of `mapping`, with what stands there now.
    /// The list has been read already (the mounts of a selected container, the `volumes` where
    /// the volume was looked for), so what `FieldReader` refuses in it has been refused.
    private func append(_ items: [PlainValue], to key: String, of mapping: LocatedNode) throws(Diagnostic) -> Change {
        try refuseMerge(into: mapping, key: key)
        let slot: ListSlot
        if let entry = mapping.node.firstValue(ofKey: key) {
            slot = entry.value.isNull ? .null(YAMLPair(key: entry.key, value: entry.value)) : .sequence(entry.value)
        } else {
            slot = .absent
        }
        return Change(mapping, .append(key: key, items: items, to: slot))
    }

    /// A key added next to a merge key (`<<: *base`) could hide what the merge brings in.
    private func refuseMerge(into mapping: LocatedNode, key: String) throws(Diagnostic) {
        guard mapping.node.hasEntry(ofKey: "<<"), !mapping.node.hasEntry(ofKey: key) else { return }
        throw Diagnostic(
            .error,
            "'\(mapping.path.dotted)' takes entries from a merge key ('<<'); shmfix does not add '\(key)' beside it — expand the merge first",
            at: mapping.node.span.lowerBound, resource: resourceID)
    }
}
