import ShmfixDiagnostics
import ShmfixYAML

/// One place where pods' volumes are declared, and the pods that take their volumes from it.
///
/// For an ordinary pod spec it is one mapping holding `volumes`, `containers` and
/// `initContainers`, and one pod. Where a manifest spreads a pod over several mappings the site
/// says where each part is:
///
/// - an Argo `Workflow` shares `spec.volumes` between its templates, and each template that runs
///   containers is a pod of its own (`pods`), which looks a volume name up in its own
///   `volumes:` first (`SitePod.volumeScopes`);
/// - a KServe component's main container is a single mapping (`model:`, `pytorch:`) beside its
///   `containers` list;
/// - a StatefulSet's `volumeClaimTemplates` are volumes of the pod too (`claimTemplates`).
public struct PodSpecSite: Sendable {
    /// The mapping that holds (or will hold) the `volumes` a new volume is appended to.
    public var volumesOwner: LocatedNode
    /// The pods that take their volumes from here, in document order.
    public var pods: [SitePod]
    /// The pod spec mapping itself, for pod-level fields (`resources`, `hostIPC`,
    /// `nodeSelector`, `affinity`, `os`).
    public var podSpec: LocatedNode
    /// A StatefulSet's `volumeClaimTemplates` items: each is a volume of the pod named by its
    /// `metadata.name`.
    public var claimTemplates: [LocatedNode]

    /// Creates a site.
    public init(volumesOwner: LocatedNode, pods: [SitePod], podSpec: LocatedNode, claimTemplates: [LocatedNode] = []) {
        self.volumesOwner = volumesOwner
        self.pods = pods
        self.podSpec = podSpec
        self.claimTemplates = claimTemplates
    }

    /// Every container of every pod.
    public var containers: [SiteContainer] { pods.flatMap(\.containers) }

    /// `true` when the pod spec can only run on Windows nodes: `nodeSelector`
    /// `kubernetes.io/os: windows`, `os.name: windows`, or a required node affinity each of whose
    /// terms admits only `windows` for `kubernetes.io/os`.
    public var selectsWindows: Bool {
        let (nodeSelector, affinity, os) = podSpec.node.values(ofKeys: "nodeSelector", "affinity", "os")
        return Self.selectsWindows(nodeSelector: nodeSelector, affinity: affinity, os: os)
    }

    /// The note for a pod spec (or Argo template) at `path` skipped because it runs on Windows.
    static func windowsNote(_ path: NodePath, at offset: Int, resource: Resource) -> Diagnostic {
        Diagnostic(
            .note, "skipped '\(path.dotted)': it selects Windows nodes, where a memory-backed emptyDir is not supported", at: offset,
            resource: resource.id)
    }

    /// `true` when these pod fields admit only Windows nodes.
    static func selectsWindows(nodeSelector: YAMLNode?, affinity: YAMLNode?, os: YAMLNode?) -> Bool {
        let selected = nodeSelector?["kubernetes.io/os"]?.string ?? nodeSelector?["beta.kubernetes.io/os"]?.string
        if selected == "windows" || os?["name"]?.string == "windows" { return true }
        let terms = affinity?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?.items ?? []
        return !terms.isEmpty && terms.allSatisfy(termAdmitsOnlyWindows)
    }

    private static func termAdmitsOnlyWindows(_ term: YAMLNode) -> Bool {
        (term["matchExpressions"]?.items ?? []).contains { expression in
            let key = expression["key"]?.string
            guard key == "kubernetes.io/os" || key == "beta.kubernetes.io/os", expression["operator"]?.string == "In" else {
                return false
            }
            let values = (expression["values"]?.items ?? []).compactMap(\.string)
            return values == ["windows"]
        }
    }
}

/// One pod of a site: its containers, and where it looks volume names up before the site's
/// own `volumes`.
public struct SitePod: Sendable {
    /// Its containers: regular ones, then init containers (native sidecars among them), in
    /// document order within each.
    public var containers: [SiteContainer]
    /// Mappings whose `volumes` are searched for a volume name before the site's (an Argo
    /// template's own `volumes:`).
    public var volumeScopes: [LocatedNode]

    /// Creates a pod.
    public init(containers: [SiteContainer], volumeScopes: [LocatedNode] = []) {
        self.containers = containers
        self.volumeScopes = volumeScopes
    }
}

/// A container of a pod, as shmfix selects it and mounts into it.
public struct SiteContainer: Sendable {
    /// How the kubelet runs it.
    public enum Role: Sendable, Equatable {
        /// A container of `containers` (or an operator's main container).
        case regular
        /// An init container that runs to completion before the others start.
        case initContainer
        /// An init container with `restartPolicy: Always` (a native sidecar, KEP-753), or an Argo
        /// template's `sidecars`: it runs beside the regular containers for the pod's life, and is
        /// selected by `-c` or `--init-containers` only.
        case sidecar
    }

    /// The container mapping.
    public var node: LocatedNode
    /// How it runs.
    public var role: Role
    /// The name `-c` selects it by: its `name`, or the name an operator gives an unnamed main
    /// container (KServe's `kserve-container`). Read when asked: only `-c` and messages need it.
    public var name: String? { givenName ?? node.node["name"]?.string }
    /// The name given when the container was created, taken before its own `name`.
    private let givenName: String?
    /// A mapping whose `volumeMounts` the container has besides its own (an Argo
    /// `containerSet`'s, mounted into each of its containers).
    public var sharedMountsOwner: LocatedNode?

    /// Creates a container.
    public init(_ node: LocatedNode, role: Role, name: String? = nil, sharedMountsOwner: LocatedNode? = nil) {
        self.node = node
        self.role = role
        givenName = name
        self.sharedMountsOwner = sharedMountsOwner
    }

    /// The containers of a `containers` list and an `initContainers` list, with their roles.
    public static func listed(regular: [LocatedNode], initContainers: [LocatedNode]) -> [SiteContainer] {
        var containers: [SiteContainer] = []
        containers.reserveCapacity(regular.count + initContainers.count)
        for container in regular { containers.append(SiteContainer(container, role: .regular)) }
        for container in initContainers { containers.append(SiteContainer(container, role: role(ofInit: container.node))) }
        return containers
    }

    /// How an init container runs: as a native sidecar when its `restartPolicy` is `Always`.
    static func role(ofInit container: YAMLNode) -> Role {
        container["restartPolicy"]?.string == "Always" ? .sidecar : .initContainer
    }
}

/// A resource and the pod specs found in it.
public struct LocatedResource: Sendable {
    /// The resource.
    public var resource: Resource
    /// Its pod specs, in document order.
    public var sites: [PodSpecSite]
    /// Notes about what was skipped and why, each at what it is about.
    public var notes: [Diagnostic]

    /// Creates a located resource.
    public init(resource: Resource, sites: [PodSpecSite], notes: [Diagnostic] = []) {
        self.resource = resource
        self.sites = sites
        self.notes = notes
    }
}
