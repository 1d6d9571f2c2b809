import ShmfixYAML

/// A Kubernetes resource: a mapping with `kind`, as a document or as an item of a `List`.
///
/// A class whose fields never change: a resource is handed from locating to planning to its
/// result, and each hand-over shares it (one retain) instead of copying the strings and the
/// located node it holds.
public final class Resource: Sendable {
    /// The resource's mapping and its path (empty for a document, `items/N` inside a List).
    public let root: LocatedNode
    /// `kind`.
    public let kind: String
    /// `apiVersion` (empty when absent), decoded when asked (only JSON patch output reads it).
    public var apiVersion: String { apiVersionNode?.string ?? defaultAPIVersion ?? "" }
    /// The value of `apiVersion`, when there is one.
    private let apiVersionNode: YAMLNode?
    /// The `apiVersion` of a typed list's item that has none.
    private let defaultAPIVersion: String?
    /// `metadata.name`, decoded when asked (only ids in findings and patch targets read it).
    public var name: String? { nameNode?.string }
    /// `metadata.namespace`, decoded when asked.
    public var namespace: String? { namespaceNode?.string }
    /// The value of `metadata.name`, when there is one.
    private let nameNode: YAMLNode?
    /// The value of `metadata.namespace`, when there is one.
    private let namespaceNode: YAMLNode?
    /// The value of the resource's first `metadata` key (`root.node["metadata"]`), when it has one.
    public let metadata: YAMLNode?

    /// Reads the identity of a resource mapping; `nil` when the node has no scalar `kind` (and
    /// no `defaultKind`). An item of a typed list (`DeploymentList`) from the API carries no
    /// `kind` or `apiVersion`: they are the list's, passed as the defaults.
    public init?(_ root: LocatedNode, defaultKind: String? = nil, defaultAPIVersion: String? = nil) {
        let (kindNode, apiVersionNode, metadata) = root.node.values(ofKeys: "kind", "apiVersion", "metadata")
        guard let kind = kindNode?.string ?? defaultKind, !kind.isEmpty else { return nil }
        let (nameNode, namespaceNode) = metadata?.values(ofKeys: "name", "namespace") ?? (nil, nil)
        self.root = root
        self.kind = kind
        self.apiVersionNode = apiVersionNode
        self.defaultAPIVersion = defaultAPIVersion
        self.metadata = metadata
        group = Self.group(of: apiVersionNode, default: defaultAPIVersion)
        self.nameNode = nameNode
        self.namespaceNode = namespaceNode
    }

    /// The part of `apiVersion` before its slash (empty when there is none), read from the bytes
    /// of its scalar (without decoding the rest), else from the default.
    private static func group(of apiVersionNode: YAMLNode?, default defaultAPIVersion: String?) -> String {
        if let group = apiVersionNode?.withScalarBytes(group(in:)) { return group }
        var apiVersion = defaultAPIVersion ?? ""
        return apiVersion.withUTF8(group(in:))
    }

    /// The bytes of an `apiVersion` before its slash, decoded (empty when there is no slash).
    private static func group(in apiVersion: UnsafeBufferPointer<UInt8>) -> String {
        guard let slash = apiVersion.firstIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: apiVersion[..<slash]), as: UTF8.self)
    }

    /// The API group (`apps` for `apps/v1`, empty for the core group).
    public let group: String

    /// The API version (`v1` for `apps/v1`).
    public var version: String {
        guard let slash = apiVersion.utf8.firstIndex(of: UInt8(ascii: "/")) else { return apiVersion }
        return String(apiVersion[apiVersion.utf8.index(after: slash)...])
    }

    /// `Kind/namespace/name`, or `Kind/name` without a namespace, as messages name it.
    public var id: String {
        // The bytes of the parts (the name and namespace straight from their scalars, without a
        // string each) copied into one buffer, decoded once.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(kind.utf8.count + 64)
        bytes.append(contentsOf: kind.utf8)
        _ = namespaceNode?.withScalarBytes { namespace in
            bytes.append(UInt8(ascii: "/"))
            bytes.append(contentsOf: namespace)
        }
        bytes.append(UInt8(ascii: "/"))
        if nameNode?.withScalarBytes({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: "(unnamed)".utf8) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of annotation `key`, when it is a scalar.
    public func annotation(_ key: String) -> String? {
        metadata?["annotations"]?[key]?.string
    }

    /// Where the resource starts in the source.
    public var offset: Int { root.node.span.lowerBound }
}
