import ShmfixDiagnostics

/// A path from a document's root to a node: mapping keys and sequence indexes.
///
/// Paths become RFC 6901 JSON pointers for `-o json-patch` and dotted field paths in messages.
/// A path is its last step, which points at the path before it: a path one step longer shares
/// all of its prefix, so `appending` costs one small allocation however deep the path is (every
/// located node has a path, and most are never read).
public struct NodePath: Sendable, Equatable, Hashable {
    /// One step of a path.
    public enum Component: Sendable, Equatable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The last step of a path; `parent` is the step before it.
    private final class Step: Sendable {
        let parent: Step?
        let component: Component
        /// The number of steps up to and including this one.
        let count: Int

        init(parent: Step?, component: Component) {
            self.parent = parent
            self.component = component
            count = (parent?.count ?? 0) + 1
        }
    }

    private var last: Step?

    /// Creates a path.
    public init(_ components: [Component] = []) {
        for component in components { last = Step(parent: last, component: component) }
    }

    private init(last: Step?) { self.last = last }

    /// The steps, from the root.
    public var components: [Component] {
        var result: [Component] = []
        result.reserveCapacity(count)
        var step = last
        while let current = step {
            result.append(current.component)
            step = current.parent
        }
        result.reverse()
        return result
    }

    /// The number of steps.
    public var count: Int { last?.count ?? 0 }

    /// The last step, if any.
    public var lastComponent: Component? { last?.component }

    /// The path one step further down.
    public func appending(_ component: Component) -> NodePath { NodePath(last: Step(parent: last, component: component)) }

    /// The path one key further down.
    public func appending(key: String) -> NodePath { appending(.key(key)) }

    /// The path one index further down.
    public func appending(index: Int) -> NodePath { appending(.index(index)) }

    public static func == (left: NodePath, right: NodePath) -> Bool {
        guard left.count == right.count else { return false }
        var leftStep = left.last
        var rightStep = right.last
        while let leftCurrent = leftStep, let rightCurrent = rightStep {
            if leftCurrent === rightCurrent { return true }
            guard leftCurrent.component == rightCurrent.component else { return false }
            leftStep = leftCurrent.parent
            rightStep = rightCurrent.parent
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        var step = last
        while let current = step {
            hasher.combine(current.component)
            step = current.parent
        }
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
        var text = TextBytes(capacity: 16 * count)
        appendDotted(to: &text)
        return text.text
    }

    /// Appends `dotted` to `text`.
    public func appendDotted(to text: inout TextBytes) {
        if let last { Self.appendDotted(last, from: text.count, to: &text) }
    }

    /// Appends the dotted path up to `step` (its parent's first: paths are a few steps deep);
    /// a key follows a dot when the path's text, which starts at `start`, is not empty.
    private static func appendDotted(_ step: Step, from start: Int, to text: inout TextBytes) {
        if let parent = step.parent { appendDotted(parent, from: start, to: &text) }
        switch step.component {
        case .key(let key):
            if text.count > start { text.append(ascii: ".") }
            text.append(key)
        case .index(let index):
            text.append(ascii: "[")
            text.append(index)
            text.append(ascii: "]")
        }
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
