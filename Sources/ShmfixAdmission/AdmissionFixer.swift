import ShmfixCore

/// The webhook's one use of the core: an admitted object in, an `AdmissionResponse` out.
///
/// Every request is allowed. The object (JSON, which is YAML) goes through `ShmFixer` with the
/// webhook's options, or with the size of its `shmfix.dev/shm-size` annotation when that is a
/// valid size; the changes become one RFC 6902 patch. A refusal (a conflict, a size the pod
/// cannot take) allows the object unchanged and says why in a warning (`shmfix: not changed: …`,
/// the reason first, since warnings are cut at 120 characters). Warnings and notes
/// become the response's warnings; unless `quiet`, in which case only refusals and an invalid
/// annotation are reported.
public struct AdmissionFixer: Sendable {
    /// What the webhook was started with.
    public let options: FixOptions
    /// No warnings or notes from the plan (refusals and invalid annotations are still sent).
    public let quiet: Bool

    /// The annotation that overrides the size for one object.
    public static let sizeAnnotation = "shmfix.dev/shm-size"

    /// What happened to one request, for metrics and logs.
    public enum Outcome: String, Sendable, CaseIterable {
        /// A patch was sent.
        case patched
        /// Nothing to change (already fixed, skipped, not selected, no object).
        case unchanged
        /// The core refused the object; allowed unchanged with the reason as a warning.
        case refused
    }

    /// Creates an adapter.
    public init(options: FixOptions, quiet: Bool = false) {
        self.options = options
        self.quiet = quiet
    }

    /// The answer to one request, and what happened.
    public func review(_ request: AdmissionRequest) -> (response: AdmissionResponse, outcome: Outcome) {
        guard let object = request.object else {
            return (AdmissionResponse(uid: request.uid, patch: nil, warnings: []), .unchanged)
        }
        var warnings: [String] = []
        var options = self.options
        if let text = request.annotations[Self.sizeAnnotation] {
            if let size = try? ShmSize(parsing: text) {
                options.size = size
            } else {
                warnings.append("shmfix: \(Self.sizeAnnotation) '\(text)' is not a size (e.g. 8Gi, 512m, 50%); the default applies")
            }
        }
        // The core is synchronous: the object is fixed on the calling thread, with no hand-off.
        do {
            let result = try ShmFixer(options: options).fix(object)
            if !quiet { warnings += result.findings.map(Self.warning) }
            guard let patch = OutputForms.objectPatch(result) else {
                return (AdmissionResponse(uid: request.uid, patch: nil, warnings: warnings), .unchanged)
            }
            return (AdmissionResponse(uid: request.uid, patch: patch, warnings: warnings), .patched)
        } catch {
            warnings.append("shmfix: not changed: \(error.message)")
            return (AdmissionResponse(uid: request.uid, patch: nil, warnings: warnings), .refused)
        }
    }

    /// `shmfix: severity: message`, without the resource (the client knows which object it sent).
    private static func warning(_ finding: Finding) -> String {
        "shmfix: \(finding.severity.rawValue): \(finding.message)"
    }
}
