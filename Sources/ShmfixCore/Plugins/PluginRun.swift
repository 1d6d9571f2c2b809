import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixYAML

/// How a plugin run ended, for the caller to turn into an exit status.
public enum PluginVerdict: Sendable, Equatable {
    /// Done; the output is the answer.
    case done
    /// The input was refused (YAML error, conflict).
    case refused
    /// The plugin was configured wrongly (bad or missing config object).
    case misconfigured
}

/// A `ResourceList` read from stdin (`kpt fn eval --exec shmfix`, a Kptfile pipeline's `exec:`,
/// kustomize `--enable-exec`): recognised by `init?(_:)`, answered by `answer()`.
///
/// The list is edited as text, exactly like any other input: `items` is a `*List`, so each item
/// is a resource of its own for `PodSpecLocator`, and everything else — kpt's
/// `config.kubernetes.io/*`, `internal.config.kubernetes.io/*` and `config.k8s.io/id`
/// annotations, comments, the `functionConfig` — stays byte for byte. The options come from
/// `functionConfig` (`ShmFixConfig`). On a refusal the items are written back unchanged with the
/// error in `results:`, and the verdict is not `.done`, which is what kpt and kustomize judge by.
public struct ResourceListInput: Sendable {
    /// The kind of the list a KRM function reads and writes.
    public static let listKind = "ResourceList"

    let bytes: [UInt8]
    let list: YAMLNode

    /// The input when it is exactly one `kind: ResourceList` document.
    public init?(_ bytes: [UInt8]) {
        guard let stream = try? YAMLReader().read(bytes) else { return nil }
        let roots = stream.documents.compactMap(\.root)
        guard roots.count == 1, let root = roots.first, root["kind"]?.string == Self.listKind else { return nil }
        self.bytes = bytes
        list = root
    }

    /// The answer: the list with its items fixed and every finding in `results:`, the verdict,
    /// and the errors as lines for stderr (kustomize shows a failing function's stderr, not its
    /// results).
    public func answer() -> (output: [UInt8], verdict: PluginVerdict, errors: [String]) {
        var output = bytes
        var findings: [Finding] = []
        var verdict = PluginVerdict.done
        var quiet = false
        switch configuration() {
        case .failure(let error):
            findings = [error]
            verdict = .misconfigured
        case .success(let config):
            quiet = config.quiet
            do {
                let result = try ShmFixer(options: config.options).fix(bytes)
                output = result.output
                findings = result.findings
            } catch {
                findings = [error]
                verdict = .refused
            }
        }
        let locator = ResultLocator(list: list)
        let results = findings.filter { !quiet || $0.severity == .error }.map(locator.result(for:))
        var errors = results.filter { $0.severity == "error" }.map(\.errorLine)
        do {
            output = try ResultsField.adding(results, to: output)
        } catch {
            errors.append("shmfix: error: results could not be added: \(error.message)")
        }
        return (output, verdict, errors)
    }

    private func configuration() -> Result<ShmFixConfig, Finding> {
        let locator = SourceLocator(bytes)
        guard let config = list["functionConfig"], config.isMapping else {
            let error = Diagnostic(
                .error, "no functionConfig: give the options, e.g. kpt fn eval DIR --exec shmfix -- shm-size=2gb",
                at: list.span.lowerBound)
            return .failure(Finding(error, in: locator))
        }
        do {
            return .success(try ShmFixConfig(config))
        } catch {
            return .failure(Finding(error, in: locator))
        }
    }
}

extension ShmFixConfig {
    /// Reads a config file's bytes (kustomize's exec transformer config): its first document
    /// must be the config object.
    public static func read(_ bytes: [UInt8]) throws(Finding) -> ShmFixConfig {
        let locator = SourceLocator(bytes)
        do throws(Diagnostic) {
            let stream = try YAMLReader().read(bytes)
            guard let root = stream.documents.first?.root, root.isMapping else {
                throw Diagnostic(.error, "the config file holds no ShmFix object", at: 0)
            }
            return try ShmFixConfig(root)
        } catch {
            throw Finding(error, in: locator)
        }
    }

    /// `true` when `bytes` is a YAML stream whose first document is a `kind: ShmFix` object.
    public static func isConfig(_ bytes: [UInt8]) -> Bool {
        guard let stream = try? YAMLReader().read(bytes) else { return false }
        return stream.documents.first?.root?["kind"]?.string == kind
    }
}

extension KRMResult {
    /// The result as one stderr line: `file: error: apiVersion/kind/namespace/name: field: message`.
    var errorLine: String {
        var reference: [String: String] = [:]
        for entry in resourceRef {
            if case .string(let text) = entry.value { reference[entry.key] = text }
        }
        let identity = ["apiVersion", "kind", "namespace", "name"].compactMap { reference[$0] }
        let subject = identity.isEmpty ? "" : identity.joined(separator: "/") + ": "
        let fieldText = field.map { "\($0): " } ?? ""
        return "\(file ?? "<stdin>"): error: \(subject)\(fieldText)\(message)"
    }
}
