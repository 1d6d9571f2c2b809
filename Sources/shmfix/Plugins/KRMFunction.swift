import Foundation
import ShmfixCore

/// A KRM function run: the ResourceList read from stdin is answered by the core
/// (`ResourceListInput.answer()`); this writes the answer and the errors, and gives the status.
struct KRMFunction {
    let input: ResourceListInput

    /// Writes the answer; returns the exit status.
    func run() -> ExitStatus {
        let answer = input.answer()
        let printer = DiagnosticPrinter(quiet: false)
        for line in answer.errors { printer.write(line) }
        FileHandle.standardOutput.write(Data(answer.output))
        return ExitStatus(answer.verdict)
    }
}
