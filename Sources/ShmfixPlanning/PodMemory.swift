import ShmfixKubernetes
import ShmfixYAML

/// The memory limit of a pod as the kubelet computes it (KEP-753), which caps a memory-backed
/// `/dev/shm`.
///
/// A pod-level `resources.limits.memory` wins when set. Otherwise the pod's limit is the larger
/// of two figures: the sum over the regular containers and the restartable init containers
/// (native sidecars), which run side by side, and the largest limit of an init container that
/// runs to completion before them. Any of these containers without a limit means the pod has
/// none. A quantity the API server would reject (`4GB`, `4gi`) is reported as invalid, not as
/// missing. Where several pods share one volume (the templates of an Argo Workflow), the limit
/// is the smallest of theirs: `/dev/shm` must fit in every one of them.
///
/// `resources` and `limits` are read through aliases (`resources: *limits`, a common way to
/// share limits between containers): an alias stands for the last node anchored with its name
/// before it in the resource.
struct PodMemory {
    /// The resource's root, where anchors are looked up.
    let root: YAMLNode

    /// The limit of a group of pods that share a volume, read from their pod spec.
    enum Limit: Equatable {
        /// A limit in bytes, the quantity as written (`nil` for a sum, which messages show as
        /// `describe` writes it), and the offset of the quantity (or the first one summed).
        case bytes(Double, written: String?, at: Int)
        /// No limit: the container without one (messages name it `'name'`, or `at 'path'`
        /// without a name), or `nil`: the pod spec.
        case none(container: Container?, at: Int)
        /// A quantity the API server rejects, as written.
        case invalid(String, at: Int)
    }

    /// A container as a message about its limit names it.
    struct Container: Equatable {
        /// Its name.
        let name: String?
        /// Its path.
        let path: NodePath
    }

    /// The limit of the pods `pods` of `site`.
    func limit(of pods: [SitePod], in site: PodSpecSite) -> Limit {
        if let podLevel = memoryLimit(site.podSpec.node) {
            return quantity(podLevel)
        }
        var smallest: Limit?
        for index in pods.indices {  // by position: a pod is not copied
            let limit = limit(of: pods[index], podSpecAt: site.podSpec.node.span.lowerBound)
            guard case .bytes(let bytes, _, _) = limit else { return limit }
            if case .bytes(let least, _, _) = smallest, least <= bytes { continue }
            smallest = limit
        }
        return smallest ?? .none(container: nil, at: site.podSpec.node.span.lowerBound)
    }

    /// One pod's limit: max(sum of regular containers and sidecars, largest init container).
    /// The quantities are read from their bytes; only the one a `.bytes` result names is made a
    /// string.
    private func limit(of pod: SitePod, podSpecAt offset: Int) -> Limit {
        var sum = 0.0
        var running = 0
        var first: YAMLNode?
        var largestInit: (bytes: Double, node: YAMLNode)?
        for index in pod.containers.indices {  // by position: a container is not copied
            guard let node = memoryLimit(pod.containers[index].node.node) else {
                let container = pod.containers[index]
                return .none(container: Container(name: container.name, path: container.node.path), at: container.node.node.span.lowerBound)
            }
            guard let bytes = Self.bytes(of: node) else { return .invalid(node.string ?? "", at: node.span.lowerBound) }
            if pod.containers[index].role == .initContainer {
                if bytes > largestInit?.bytes ?? -1 { largestInit = (bytes, node) }
            } else {
                sum += bytes
                running += 1
                if first == nil { first = node }
            }
        }
        guard let first else { return .none(container: nil, at: offset) }
        if let largestInit, largestInit.bytes > sum {
            return .bytes(largestInit.bytes, written: largestInit.node.string ?? "", at: largestInit.node.span.lowerBound)
        }
        return .bytes(sum, written: running == 1 ? first.string ?? "" : nil, at: first.span.lowerBound)
    }

    private func quantity(_ node: YAMLNode) -> Limit {
        guard let bytes = Self.bytes(of: node) else { return .invalid(node.string ?? "", at: node.span.lowerBound) }
        return .bytes(bytes, written: node.string ?? "", at: node.span.lowerBound)
    }

    /// The bytes of the quantity `node` holds (`Quantity.bytes(node.string ?? "")`, read from the
    /// scalar's bytes without making the string), or `nil` when it holds none.
    private static func bytes(of node: YAMLNode) -> Double? {
        // No kept scalar: its text is taken as "", which is no quantity.
        guard let bytes = node.withScalarBytes({ Quantity.bytes(in: $0) }) else { return nil }
        return bytes
    }

    /// `true` when some container asks for an accelerator: a resource ending in `/gpu`
    /// (`nvidia.com/gpu`, `amd.com/gpu`), any `nvidia.com/` resource (MIG slices such as
    /// `nvidia.com/mig-1g.5gb`, `nvidia.com/gpu.shared`), any `gpu.intel.com/` resource, or a
    /// dynamic resource claim (`resourceClaims` of the pod, `resources.claims` of a container).
    func requestsGPU(_ site: PodSpecSite) -> Bool {
        if !(value(site.podSpec.node, ["resourceClaims"])?.items ?? []).isEmpty { return true }
        return site.containers.contains { container in
            if !(value(container.node.node, ["resources", "claims"])?.items ?? []).isEmpty { return true }
            return ["limits", "requests"].contains { section in
                (value(container.node.node, ["resources", section])?.pairs ?? []).contains { pair in
                    guard let name = pair.key.string else { return false }
                    return name.hasSuffix("/gpu") || name.hasPrefix("nvidia.com/") || name.hasPrefix("gpu.intel.com/")
                }
            }
        }
    }

    /// A byte count for messages: the shorter of its binary and decimal canonical forms (`4G`
    /// for 4,000,000,000 bytes, not `3906250Ki`).
    static func describe(_ bytes: Double) -> String {
        guard bytes < Double(Int.max), let whole = Int(exactly: bytes.rounded(.up)) else { return String(bytes) }
        let binary = ShmSize.canonical(bytes: whole)
        let decimal = ShmSize.decimalCanonical(bytes: whole)
        return decimal.count < binary.count ? decimal : binary
    }

    /// `resources.limits.memory` of a pod spec or container, each step through an alias to its
    /// anchored node.
    private func memoryLimit(_ node: YAMLNode) -> YAMLNode? {
        guard let resources = entry(resolved(node), "resources"), let limits = entry(resources, "limits") else { return nil }
        return entry(limits, "memory")
    }

    /// The value of `key` in `mapping`, through an alias to its anchored node.
    private func entry(_ mapping: YAMLNode, _ key: String) -> YAMLNode? {
        guard let value = mapping[key] else { return nil }
        return resolved(value)
    }

    /// The node an alias stands for, or the node itself (without a walk when it is no alias).
    private func resolved(_ node: YAMLNode) -> YAMLNode {
        node.isAlias ? node.dereferenced(within: root) : node
    }

    /// The node at `keys` below `node`, each step through an alias to its anchored node.
    private func value(_ node: YAMLNode, _ keys: [String]) -> YAMLNode? {
        var current = node.dereferenced(within: root)
        for key in keys {
            guard let next = current[key] else { return nil }
            current = next.dereferenced(within: root)
        }
        return current
    }
}
