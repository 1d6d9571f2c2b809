import ShmfixDiagnostics
import ShmfixKubernetes

/// The changes planned for one resource and what the user should be told about it.
public struct ResourcePlan: Sendable {
    /// The resource.
    public var resource: Resource
    /// Its changes, in document order of their targets.
    public var changes: [Change]
    /// Warnings and notes (never errors: those are thrown).
    public var findings: [Diagnostic]
    /// The `-c` names that name a container of this resource (so that a name matching nothing
    /// in the whole input can be reported).
    public var selectedContainerNames: Set<String> = []

    /// Creates a plan.
    public init(resource: Resource, changes: [Change], findings: [Diagnostic]) {
        self.resource = resource
        self.changes = changes
        self.findings = findings
    }

    /// Creates a plan with the `-c` names that name a container of it.
    init(resource: Resource, changes: [Change], findings: [Diagnostic], selectedContainerNames: Set<String>) {
        self.resource = resource
        self.changes = changes
        self.findings = findings
        self.selectedContainerNames = selectedContainerNames
    }
}
