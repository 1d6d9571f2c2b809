import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML

/// One entry of a ResourceList's `results:` — the KRM functions spec's result: severity,
/// message, the resource it is about, the field and the file (as kpt prints them:
/// `[warning] apps/v1/Deployment/web spec.template.spec: message`).
struct KRMResult: Equatable {
    /// `error`, `warning` or `info`.
    var severity: String
    /// The message, as the command line prints it.
    var message: String
    /// `apiVersion`, `kind`, `name` and `namespace` of the resource, in that order (those known).
    var resourceRef: [PlainEntry] = []
    /// The dotted field path inside the resource (`spec.template.spec.volumes[0]`).
    var field: String?
    /// The file the resource came from (its `config.kubernetes.io/path` annotation).
    var file: String?

    /// The severity word of the KRM spec for a diagnostic's severity.
    static func severity(_ severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "info"
        }
    }

    /// The entry as a value the renderer writes in the list's own style.
    var plainValue: PlainValue {
        var entries = [PlainEntry("message", .string(message)), PlainEntry("severity", .string(severity))]
        if !resourceRef.isEmpty { entries.append(PlainEntry("resourceRef", .mapping(resourceRef))) }
        if let field { entries.append(PlainEntry("field", .mapping([PlainEntry("path", .string(field))]))) }
        if let file { entries.append(PlainEntry("file", .mapping([PlainEntry("path", .string(file))]))) }
        return .mapping(entries)
    }
}
