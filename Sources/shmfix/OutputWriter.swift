import Foundation
import ShmfixCore

/// Writes the fixed inputs in the form the user asked for (rendered by the core's
/// `OutputForms`), and returns the exit status.
///
/// Every form is computed whole before any of it is written, so a refusal leaves stdout empty
/// and every file as it was.
struct OutputWriter {
    /// What to write.
    enum Mode {
        case yaml, jsonPatch, kustomize, diff, check, inPlace
    }

    let printer: DiagnosticPrinter

    func write(_ inputs: [FixedInput], mode: Mode) -> ExitStatus {
        let results = inputs.map(\.result)
        switch mode {
        case .yaml:
            writeStdout(StreamJoin.join(results.map(\.output)))
            return .success
        case .jsonPatch:
            return emit(inputs) { () throws(OutputForms.Refusal) in try OutputForms.jsonPatch(results) }
        case .kustomize:
            return emit(inputs) { () throws(OutputForms.Refusal) in try OutputForms.kustomizePatches(results) }
        case .diff:
            writeStdout(OutputForms.diff(results, paths: inputs.map(\.source.displayName)))
            return .success
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
            writeStdout(try render())
            return .success
        } catch {
            printer.print(error.finding, file: inputs[error.input].source.displayName)
            return .refused
        }
    }

    private func writeStdout(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
    }
}
