/// A finding about the input: an error that refuses it, or a warning or note that does not.
///
/// Diagnostics are data. They carry a byte offset into the source they describe and, where one
/// applies, the resource they are about (`Deployment/ns/web`). Turning them into text —
/// `deploy.yaml:14:9: error: Deployment/web: message` — happens in one place, `render(in:)`,
/// so every layer reports the same way and tests can assert positions exactly.
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
    /// The line and column of `offset`, once resolved (a streamed input keeps no whole text
    /// to compute them from later).
    public var location: SourceLocator.Location?

    /// Creates a finding at a byte offset.
    public init(_ severity: Severity, _ message: String, at offset: Int, resource: String? = nil) {
        self.severity = severity
        self.message = message
        self.offset = offset
        self.resource = resource
    }

    /// Renders `file:line:column: severity: [resource: ]message`; `location` when resolved, else
    /// computed from `locator`.
    public func render(file: String, in locator: SourceLocator = SourceLocator([])) -> String {
        let position = location ?? locator.location(ofByte: offset)
        let subject = resource.map { "\($0): " } ?? ""
        return "\(file):\(position.line):\(position.column): \(severity.rawValue): \(subject)\(message)"
    }
}
