import ShmfixYAML

/// One place where a pod's volumes and containers are declared.
///
/// For an ordinary pod spec the volumes owner and the containers' parent are the same mapping;
/// for an Argo Workflow the volumes live at `spec.volumes` and the containers in its templates.
public struct PodSpecSite: Sendable {
    /// The mapping that holds (or will hold) `volumes`.
    public var volumesOwner: LocatedNode
    /// The regular containers of each pod that shares these volumes: one pod for an ordinary pod
    /// spec; one per template that runs containers for an Argo Workflow, whose templates each
    /// become a pod of their own (so each has its own memory limit).
    public var pods: [[LocatedNode]]
    /// The init containers.
    public var initContainers: [LocatedNode]
    /// The pod spec mapping itself, for pod-level fields (`resources`, `nodeSelector`).
    public var podSpec: LocatedNode

    /// The regular containers of every pod (`containers`, Argo's `container`, `script`,
    /// `containerSet`).
    public var containers: [LocatedNode] { pods.flatMap { $0 } }

    /// Creates a site whose volumes are shared by several pods (an Argo Workflow's templates).
    public init(volumesOwner: LocatedNode, pods: [[LocatedNode]], initContainers: [LocatedNode], podSpec: LocatedNode) {
        self.volumesOwner = volumesOwner
        self.pods = pods
        self.initContainers = initContainers
        self.podSpec = podSpec
    }

    /// Creates the site of one pod.
    public init(volumesOwner: LocatedNode, containers: [LocatedNode], initContainers: [LocatedNode], podSpec: LocatedNode) {
        self.init(volumesOwner: volumesOwner, pods: [containers], initContainers: initContainers, podSpec: podSpec)
    }

    /// `true` when the pod spec selects Windows nodes.
    public var selectsWindows: Bool {
        let selector = podSpec.node["nodeSelector"]
        let os = selector?["kubernetes.io/os"]?.string ?? selector?["beta.kubernetes.io/os"]?.string
        return os == "windows" || podSpec.node["os"]?["name"]?.string == "windows"
    }
}

/// A resource and the pod specs found in it.
public struct LocatedResource: Sendable {
    /// The resource.
    public var resource: Resource
    /// Its pod specs, in document order.
    public var sites: [PodSpecSite]
    /// Notes about what was skipped and why.
    public var notes: [String]

    /// Creates a located resource.
    public init(resource: Resource, sites: [PodSpecSite], notes: [String] = []) {
        self.resource = resource
        self.sites = sites
        self.notes = notes
    }
}
