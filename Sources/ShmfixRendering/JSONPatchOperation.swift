import ShmfixPlanning

/// One RFC 6902 operation: `add` or `replace` of a value at a JSON pointer, or a `test` that
/// guards them.
public struct JSONPatchOperation: Sendable, Equatable {
    /// The operations shmfix emits.
    public enum Operation: String, Sendable {
        /// Adds a member (or replaces an existing one), or appends to an array at `/-`.
        case add
        /// Replaces a member that exists.
        case replace
        /// Fails the whole patch unless the value there equals `value`; a `null` value passes
        /// for a member that is absent or null (kustomize's and kubectl's JSON patch library).
        case test
    }

    /// `add` or `replace`.
    public var op: Operation
    /// The RFC 6901 pointer of the target location.
    public var path: String
    /// The value written or tested there; `nil` is JSON `null`.
    public var value: PlainValue?

    /// Creates an operation.
    public init(_ op: Operation, _ path: String, _ value: PlainValue?) {
        self.op = op
        self.path = path
        self.value = value
    }

    /// The operation as one compact JSON object: `{"op":"add","path":"/a/-","value":…}`.
    public var json: String {
        "{\"op\":\"\(op.rawValue)\",\"path\":" + JSONPatchText.string(path) + ",\"value\":" + (value.map(JSONPatchText.value) ?? "null")
            + "}"
    }

    /// A whole patch: the operations as one JSON array on one line.
    public static func document(_ operations: [JSONPatchOperation]) -> String {
        "[" + operations.map(\.json).joined(separator: ",") + "]"
    }
}
