import ShmfixYAML

/// A value shmfix inserts, with no text in it yet: rendering decides the syntax. (Not `indirect`:
/// the arrays already hold the nesting, and a box per value would cost an allocation each.)
public enum PlainValue: Sendable, Hashable {
    case string(String)
    case mapping([PlainEntry])
    case sequence([PlainValue])
}

/// One `key: value` of a `PlainValue.mapping`.
public struct PlainEntry: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: PlainValue

    /// Creates an entry.
    public init(_ key: String, _ value: PlainValue) {
        self.key = key
        self.value = value
    }
}

/// What stands at a list key that an item is appended to, as planning found it: rendering
/// needs no check of its own and cannot fail.
public enum ListSlot: Sendable {
    /// The key is absent.
    case absent
    /// The key is there with a null value (`volumes:`, `~`, `null`).
    case null(YAMLPair)
    /// The key holds this sequence.
    case sequence(YAMLNode)
}

/// One edit of one mapping, decided by planning and turned into text or JSON patch by rendering.
public struct Change: Sendable {
    /// What to do to the mapping.
    public enum Action: Sendable {
        /// Append `items` to the list at `key`, as it stands now (`slot`): create the key, give
        /// its null value the list `items`, or add them after the list's items.
        case append(key: String, items: [PlainValue], to: ListSlot)
        /// Give each key its value: replace the existing value, or add the key at the end.
        case set([PlainEntry])
    }

    /// The mapping edited.
    public var target: LocatedNode
    /// The edit.
    public var action: Action

    /// Creates a change.
    public init(_ target: LocatedNode, _ action: Action) {
        self.target = target
        self.action = action
    }
}
