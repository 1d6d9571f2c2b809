/// A path from a document's root to a node: mapping keys and sequence indexes.
///
/// Paths become RFC 6901 JSON pointers for `-o json-patch` and dotted field paths in messages.
public struct NodePath: Sendable, Equatable, Hashable {
    /// One step of a path.
    public enum Component: Sendable, Equatable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps, from the root.
    public var components: [Component]

    /// Creates a path.
    public init(_ components: [Component] = []) { self.components = components }

    /// The path one key further down.
    public func appending(key: String) -> NodePath { appending(.key(key)) }

    /// The path one index further down.
    public func appending(index: Int) -> NodePath { appending(.index(index)) }

    /// One allocation, of the right size (`components + [component]` makes two).
    private func appending(_ component: Component) -> NodePath {
        var longer: [Component] = []
        longer.reserveCapacity(components.count + 1)
        longer.append(contentsOf: components)
        longer.append(component)
        return NodePath(longer)
    }

    /// The RFC 6901 JSON pointer (`/spec/template/spec/volumes`), with `~0` and `~1` escapes.
    public var jsonPointer: String {
        components.map { component in
            switch component {
            case .key(let key): "/" + Self.escape(key)
            case .index(let index): "/\(index)"
            }
        }.joined()
    }

    private static func escape(_ key: String) -> String {
        var escaped = ""
        for character in key {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A dotted field path for messages (`spec.template.spec.volumes[0]`).
    public var dotted: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A node together with where it sits in its document.
public struct LocatedNode: Sendable {
    /// The node.
    public var node: YAMLNode
    /// Its path from the document root (or from the resource root, for a List item).
    public var path: NodePath

    /// Creates a located node.
    public init(_ node: YAMLNode, at path: NodePath) {
        self.node = node
        self.path = path
    }

    /// The entry `key` of this mapping, located.
    public func child(_ key: String) -> LocatedNode? {
        node[key].map { LocatedNode($0, at: path.appending(key: key)) }
    }

    /// The items of this sequence, located.
    public var items: [LocatedNode] {
        (node.items ?? []).enumerated().map { LocatedNode($1, at: path.appending(index: $0)) }
    }
}
