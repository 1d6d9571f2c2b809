import ShmfixCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// kustomize's legacy exec transformer: `ShmFix CONFIG_FILE`, the resources on stdin, the
/// transformed resources on stdout.
///
/// kustomize replaces its resources with what the plugin prints and deletes any that is missing,
/// so this mode prints either every input document (fixed, everything else byte for byte) or
/// nothing at all: a refusal is reported on stderr, which kustomize shows, with a non-zero exit
/// that fails the build. Options come from the config file only (`spec:` of the `ShmFix` object).
struct ExecTransformer {
    /// The config file kustomize wrote (a temporary copy of the transformer's config object).
    let configPath: String
    /// Arguments after the config file (kustomize's `argsOneLiner`): refused.
    let extraArguments: [String]

    /// Runs the transformer and returns the exit status.
    func run() -> ExitStatus {
        let printer = DiagnosticPrinter(quiet: false)
        guard extraArguments.isEmpty else {
            printer.write(
                "\(configPath): error: unexpected arguments '\(extraArguments.joined(separator: " "))'; put the options under spec: of the ShmFix object"
            )
            return .usage
        }
        guard let data = FileManager.default.contents(atPath: configPath) else {
            printer.write("\(configPath): error: the config file cannot be read")
            return .usage
        }
        let config: ShmFixConfig
        do {
            config = try ShmFixConfig.read([UInt8](data))
        } catch {
            printer.print(error, file: configPath)
            return .usage
        }
        let input: [UInt8]
        do {
            input = try InputSource.standardInput.read()
        } catch {
            printer.printFileError(error)
            return .refused
        }
        let quietPrinter = DiagnosticPrinter(quiet: config.quiet)
        let result: FixResult
        do {
            result = try ShmFixer(options: config.options).fix(input)
        } catch {
            quietPrinter.print(error, file: InputSource.standardInput.displayName)
            return .refused
        }
        for finding in result.findings { quietPrinter.print(finding, file: InputSource.standardInput.displayName) }
        do {
            try FileDescriptorIO.writeAll(result.output, to: STDOUT_FILENO)
        } catch {
            printer.write("<stdout>: error: \(error.description)")
            return .refused
        }
        return .success
    }
}
