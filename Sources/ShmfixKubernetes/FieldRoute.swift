import ShmfixYAML

/// A path of keys from a resource's mapping down to a mapping (`spec.template.spec`), with the
/// `NodePath` of each mapping on the way made once, when the table that holds the route is made:
/// following it in a document's resource then builds no path (`PodSpecLocator`).
struct FieldRoute: Sendable {
    /// The keys, from the resource's mapping down.
    let keys: [String]
    /// For each key, the path from a document's root of the mapping it leads to.
    let paths: [NodePath]

    /// The route through `keys`.
    init(_ keys: [String]) {
        var path = NodePath()
        var paths: [NodePath] = []
        paths.reserveCapacity(keys.count)
        for key in keys {
            path = path.appending(key: key)
            paths.append(path)
        }
        self.keys = keys
        self.paths = paths
    }

    /// `spec`.
    static let spec = FieldRoute(["spec"])
}
