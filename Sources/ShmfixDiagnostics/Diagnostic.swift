/// A finding about the input: an error that refuses it, or a warning or note that does not.
///
/// Diagnostics are data. They carry a byte offset into the bytes being read (one chunk of a
/// stream) and, where one applies, the resource they are about (`Deployment/ns/web`). The core
/// places each one in the whole input as a `Finding` (line and column), whose `render(file:)`
/// is the one way a finding becomes text, so tests can assert positions exactly.
public struct Diagnostic: Error, Equatable, Sendable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Error, warning or note.
    public var severity: Severity
    /// Lowercase message text, names in single quotes.
    public var message: String
    /// Byte offset in the source the finding points at.
    public var offset: Int
    /// `Kind/namespace/name` of the resource, when the finding is about one.
    public var resource: String?

    /// Creates a finding at a byte offset.
    public init(_ severity: Severity, _ message: String, at offset: Int, resource: String? = nil) {
        self.severity = severity
        self.message = message
        self.offset = offset
        self.resource = resource
    }
}
