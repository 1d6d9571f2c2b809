import ShmfixKubernetes
import ShmfixYAML

/// The memory limit of a pod: the pod-level `resources.limits.memory`, or the sum of the
/// containers' limits when every container has one.
enum PodMemory {
    static func limit(of site: PodSpecSite) -> Double? {
        if let podLevel = site.podSpec.node["resources"]?["limits"]?["memory"]?.string {
            return Quantity.bytes(podLevel)
        }
        var total = 0.0
        for container in site.containers {
            guard let text = container.node["resources"]?["limits"]?["memory"]?.string,
                let bytes = Quantity.bytes(text)
            else { return nil }
            total += bytes
        }
        return site.containers.isEmpty ? nil : total
    }

    /// `true` when some container requests or limits a `*/gpu` resource.
    static func requestsGPU(_ site: PodSpecSite) -> Bool {
        (site.containers + site.initContainers).contains { container in
            ["limits", "requests"].contains { section in
                (container.node["resources"]?[section]?.pairs ?? []).contains { $0.key.string?.hasSuffix("/gpu") == true }
            }
        }
    }

    /// A byte count for messages: its canonical quantity.
    static func describe(_ bytes: Double) -> String {
        bytes < Double(Int.max) ? ShmSize.canonical(bytes: Int(bytes)) : String(bytes)
    }
}
