import ShmfixKubernetes
import ShmfixYAML

/// The memory limit of a pod: the pod-level `resources.limits.memory`, or the sum of the
/// containers' limits when every container has one. Where several pods share the volumes (the
/// templates of an Argo Workflow), the limit is the smallest of theirs, and there is none when
/// one of them has none: `/dev/shm` must fit in every one of them.
///
/// `resources` and `limits` are read through aliases (`resources: *limits`, a common way to
/// share limits between containers): an alias stands for the last node anchored with its name
/// before it in the resource.
struct PodMemory {
    /// The resource's root, where anchors are looked up.
    let root: YAMLNode

    func limit(of site: PodSpecSite) -> Double? {
        if let podLevel = value(site.podSpec.node, ["resources", "limits", "memory"])?.string {
            return Quantity.bytes(podLevel)
        }
        var smallest: Double?
        for pod in site.pods {
            guard let podLimit = sumOfLimits(pod) else { return nil }
            smallest = min(smallest ?? podLimit, podLimit)
        }
        return smallest
    }

    /// The sum of the containers' memory limits, when every one of them has one.
    private func sumOfLimits(_ containers: [LocatedNode]) -> Double? {
        var total = 0.0
        for container in containers {
            guard let text = value(container.node, ["resources", "limits", "memory"])?.string,
                let bytes = Quantity.bytes(text)
            else { return nil }
            total += bytes
        }
        return containers.isEmpty ? nil : total
    }

    /// `true` when some container requests or limits a `*/gpu` resource.
    func requestsGPU(_ site: PodSpecSite) -> Bool {
        (site.containers + site.initContainers).contains { container in
            ["limits", "requests"].contains { section in
                (value(container.node, ["resources", section])?.pairs ?? []).contains { $0.key.string?.hasSuffix("/gpu") == true }
            }
        }
    }

    /// A byte count for messages: its canonical quantity.
    static func describe(_ bytes: Double) -> String {
        bytes < Double(Int.max) ? ShmSize.canonical(bytes: Int(bytes)) : String(bytes)
    }

    /// The node at `keys` below `node`, each step through an alias to its anchored node.
    private func value(_ node: YAMLNode, _ keys: [String]) -> YAMLNode? {
        var current = resolved(node)
        for key in keys {
            guard let next = current[key] else { return nil }
            current = resolved(next)
        }
        return current
    }

    /// The node an alias stands for (the alias itself when no anchor before it has its name).
    private func resolved(_ node: YAMLNode) -> YAMLNode {
        guard node.isAlias, case .alias(let name) = node.content else { return node }
        var found: YAMLNode?
        var stack = [root]
        while let candidate = stack.popLast() {
            guard candidate.span.lowerBound < node.span.lowerBound else { continue }
            if candidate.anchor == name, (found?.span.lowerBound ?? -1) < candidate.span.lowerBound { found = candidate }
            switch candidate.content {
            case .mapping(let pairs): stack += pairs.flatMap { [$0.key, $0.value] }
            case .sequence(let items): stack += items
            case .scalar, .alias: break
            }
        }
        return found ?? node
    }
}
