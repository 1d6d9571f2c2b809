import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the fixed inputs in the form the user asked for (rendered by the core's
/// `OutputForms`), and returns the exit status. (The YAML stream is written by `StreamingRun`
/// as it is fixed.)
///
/// Every form is computed whole before any of it is written, so a refusal leaves stdout empty
/// and every file as it was.
struct OutputWriter {
    /// What to write.
    enum Mode {
        case jsonPatch, kustomize, diff, check, inPlace
    }

    let printer: DiagnosticPrinter

    func write(_ inputs: [FixedInput], mode: Mode) -> ExitStatus {
        let results = inputs.map(\.result)
        switch mode {
        case .jsonPatch:
            return emit(inputs) { () throws(OutputForms.Refusal) in try OutputForms.jsonPatch(results) }
        case .kustomize:
            return emit(inputs) { () throws(OutputForms.Refusal) in try OutputForms.kustomizePatches(results) }
        case .diff:
            return writeStdout(OutputForms.diff(results, paths: inputs.map(\.source.displayName)))
        case .check:
            let report = OutputForms.checkReport(results, paths: inputs.map(\.source.displayName))
            for line in report { printer.write(line) }
            return report.isEmpty ? .success : .changesFound
        case .inPlace:
            return InPlaceWriter(printer: printer).write(inputs)
        }
    }

    private func emit(_ inputs: [FixedInput], _ render: () throws(OutputForms.Refusal) -> [UInt8]) -> ExitStatus {
        do {
            return writeStdout(try render())
        } catch {
            printer.print(error.finding, file: inputs[error.input].source.displayName)
            return .refused
        }
    }

    /// Writes `bytes` on stdout; a failed write (a closed pipe, a full disk) is refused.
    private func writeStdout(_ bytes: [UInt8]) -> ExitStatus {
        do {
            try FileDescriptorIO.writeAll(bytes, to: STDOUT_FILENO)
            return .success
        } catch {
            printer.write("shmfix: error: stdout: \(error)")
            return .refused
        }
    }
}
