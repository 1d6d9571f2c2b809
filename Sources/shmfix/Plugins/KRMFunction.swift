import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A KRM function run (`kpt fn eval --exec shmfix`, a Kptfile pipeline's `exec: shmfix`,
/// kustomize `--enable-exec`): a `ResourceList` on stdin, the same list on stdout with its items
/// fixed and every finding added to `results:`.
///
/// The list is edited as text, exactly like any other input: `items` is a `*List`, so each item
/// is a resource of its own for `PodSpecLocator`, and everything else — kpt's
/// `config.kubernetes.io/*`, `internal.config.kubernetes.io/*` and `config.k8s.io/id`
/// annotations, comments, the `functionConfig` — stays byte for byte. The options come from
/// `functionConfig` (`ShmFixConfig`). On a refusal the items are written back unchanged with the
/// error in `results:` and the exit status is non-zero, which is what kpt and kustomize judge by.
struct KRMFunction {
    /// The kind of the list a KRM function reads and writes.
    static let listKind = "ResourceList"

    /// The bytes read from stdin.
    let input: [UInt8]
    /// Their root mapping.
    let list: YAMLNode

    /// Runs the function and returns the exit status.
    func run() -> Int32 {
        var output = input
        var findings: [Diagnostic] = []
        var status = PluginStatus.success
        var quiet = false
        switch configuration() {
        case .failure(let error):
            findings = [error]
            status = PluginStatus.usage
        case .success(let config):
            quiet = config.quiet
            switch fix(config.options) {
            case .success(let result):
                output = result.output
                findings = result.findings
            case .failure(let error):
                findings = [error]
                status = PluginStatus.refused
            }
        }
        let locator = ResultLocator(list: list)
        let results = findings.filter { !quiet || $0.severity == .error }.map(locator.result(for:))
        for result in results where result.severity == "error" { report(result) }
        var answer = output
        do {
            answer = try ResultsField.adding(results, to: output)
        } catch {
            DiagnosticPrinter(quiet: false).write("shmfix: error: results could not be added: \(error.message)")
        }
        do {
            try FileDescriptorIO.writeAll(answer, to: STDOUT_FILENO)
        } catch {
            DiagnosticPrinter(quiet: false).write("<stdout>: error: \(error.description)")
            return PluginStatus.refused
        }
        return status
    }

    private func configuration() -> Result<ShmFixConfig, Diagnostic> {
        guard let config = list["functionConfig"], config.pairs != nil else {
            return .failure(
                Diagnostic(
                    .error, "no functionConfig: give the options, e.g. kpt fn eval DIR --exec shmfix -- shm-size=2gb",
                    at: list.span.lowerBound))
        }
        do {
            return .success(try ShmFixConfig(config))
        } catch {
            return .failure(error)
        }
    }

    private func fix(_ options: FixOptions) -> Result<FixResult, Diagnostic> {
        do {
            return .success(try ShmFixer(options: options).fix(input))
        } catch {
            return .failure(error)
        }
    }

    /// Errors also go to stderr: kustomize shows a failing function's stderr, not its results.
    private func report(_ result: KRMResult) {
        var reference: [String: String] = [:]
        for entry in result.resourceRef {
            if case .string(let text) = entry.value { reference[entry.key] = text }
        }
        let identity = ["apiVersion", "kind", "namespace", "name"].compactMap { reference[$0] }
        let subject = identity.isEmpty ? "" : identity.joined(separator: "/") + ": "
        let field = result.field.map { "\($0): " } ?? ""
        DiagnosticPrinter(quiet: false).write("\(result.file ?? "<stdin>"): error: \(subject)\(field)\(result.message)")
    }
}
