import ShmfixYAML

/// What the nodes from a resource's mapping down to a pod spec hold for it: the claim templates
/// of its pod, and the pod template it belongs to.
///
/// The nodes are passed one by one, the resource's mapping first, as a walk from it reaches the
/// pod spec; nothing is kept of those that hold neither.
struct PodSpecAncestry {
    /// The mappings passed that have `volumeClaimTemplates`, in order.
    private(set) var claimOwners: [LocatedNode] = []
    /// The node passed last.
    private var last: YAMLNode?
    /// How many nodes were passed.
    private var count = 0

    /// No node passed yet.
    init() {}

    /// The nodes from `root` down to (not including) the node at `path`, each reached by the
    /// first entry of its key; where a step finds nothing, the walk stops there (a pod spec
    /// found by shape may lie under a key written twice).
    init(walking path: NodePath, from root: LocatedNode) {
        var node = root
        for component in path.components.dropLast().dropFirst(root.path.count) {
            pass(node)
            switch component {
            case .key(let key):
                guard let next = node.child(key) else { return }
                node = next
            case .index(let index):
                guard node.node.isSequence, index < node.node.childCount else { return }
                node = LocatedNode(node.node.item(at: index), at: node.path.appending(index: index))
            }
        }
        pass(node)
    }

    /// Passes the next node down.
    mutating func pass(_ node: LocatedNode) {
        if node.node.hasEntry(ofKey: "volumeClaimTemplates") { claimOwners.append(node) }
        last = node.node
        count += 1
    }

    /// The pod template of the pod spec at `path`, these nodes being those above it from
    /// `root`: the mapping whose `spec` it is, when that mapping is not the resource itself (a
    /// Deployment's `spec.template`, a RayCluster group's `template`) and the walk reached it.
    func podTemplate(of path: NodePath, below root: LocatedNode) -> YAMLNode? {
        guard count > 1, count == path.count - root.path.count, path.lastComponent == .key("spec") else { return nil }
        return last
    }
}
