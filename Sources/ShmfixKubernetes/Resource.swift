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
    /// `apiVersion` (empty when absent).
    public let apiVersion: String
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
        let apiVersion = apiVersionNode?.string ?? defaultAPIVersion ?? ""
        let (nameNode, namespaceNode) = metadata?.values(ofKeys: "name", "namespace") ?? (nil, nil)
        self.root = root
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        group = Self.group(of: apiVersion)
        self.nameNode = nameNode
        self.namespaceNode = namespaceNode
    }

    /// The part of `apiVersion` before its slash (empty when there is none), read as bytes.
    private static func group(of apiVersion: String) -> String {
        var apiVersion = apiVersion
        return apiVersion.withUTF8 { bytes in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<slash]), as: UTF8.self)
        }
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
        let name = name ?? "(unnamed)"
        let namespace = namespace
        let count = kind.utf8.count + (namespace.map { $0.utf8.count + 1 } ?? 0) + 1 + name.utf8.count
        // The bytes copied into a string of the exact size: one allocation, no appends.
        return String(unsafeUninitializedCapacity: count) { buffer in
            var end = 0
            func copy(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[end...]).initialize(fromContentsOf: bytes)
                    end += bytes.count
                }
            }
            copy(kind)
            if let namespace {
                buffer[end] = UInt8(ascii: "/")
                end += 1
                copy(namespace)
            }
            buffer[end] = UInt8(ascii: "/")
            end += 1
            copy(name)
            return end
        }
    }

    /// The value of annotation `key`, when it is a scalar.
    public func annotation(_ key: String) -> String? {
        metadata?["annotations"]?[key]?.string
    }

    /// Where the resource starts in the source.
    public var offset: Int { root.node.span.lowerBound }
}
