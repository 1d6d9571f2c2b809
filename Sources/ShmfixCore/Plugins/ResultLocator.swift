import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML

/// Turns diagnostics about a ResourceList into KRM results: finds the resource a byte offset
/// falls in (an item, or the `functionConfig`), and the field path to it inside that resource.
struct ResultLocator {
    /// The annotations that name a resource's file, newest first (kpt sets both).
    static let pathAnnotations = ["internal.config.kubernetes.io/path", "config.kubernetes.io/path"]

    private let resources: [YAMLNode]

    /// Creates a locator over the parsed input list.
    init(list: YAMLNode) {
        resources = (list["items"]?.items ?? []) + [list["functionConfig"]].compactMap { $0 }
    }

    /// The result for `diagnostic`, whose offset is in the input list.
    func result(for diagnostic: Finding) -> KRMResult {
        var result = KRMResult(severity: KRMResult.severity(diagnostic.severity), message: diagnostic.message)
        guard let resource = resources.first(where: { $0.isMapping && $0.span.contains(diagnostic.offset) }) else {
            if let subject = diagnostic.resource { result.message = "\(subject): \(diagnostic.message)" }
            return result
        }
        let metadata = resource["metadata"]
        let reference: [(String, YAMLNode?)] = [
            ("apiVersion", resource["apiVersion"]), ("kind", resource["kind"]),
            ("name", metadata?["name"]), ("namespace", metadata?["namespace"]),
        ]
        result.resourceRef = reference.compactMap { key, node in node?.string.map { PlainEntry(key, .string($0)) } }
        let path = Self.path(to: diagnostic.offset, in: resource)
        result.field = path.count == 0 ? nil : path.dotted
        let annotations = metadata?["annotations"]
        result.file = Self.pathAnnotations.lazy.compactMap { annotations?[$0]?.string }.first
        return result
    }

    /// The path from `root` to the deepest node that starts at or contains `offset`; a
    /// diagnostic at the start of a collection is about the collection, not its first key.
    static func path(to offset: Int, in root: YAMLNode) -> NodePath {
        var path = NodePath()
        var node = root
        while node.span.lowerBound != offset {
            switch node.content {
            case .mapping(let pairs):
                guard let pair = pairs.first(where: { $0.key.span.contains(offset) || $0.value.span.contains(offset) }),
                    let key = pair.key.string
                else { return path }
                path = path.appending(key: key)
                if pair.key.span.contains(offset) { return path }
                node = pair.value
            case .sequence(let items):
                guard let index = items.firstIndex(where: { $0.span.contains(offset) }) else { return path }
                path = path.appending(index: index)
                node = items[index]
            case .scalar, .alias:
                return path
            }
        }
        return path
    }
}
