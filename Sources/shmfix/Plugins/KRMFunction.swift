import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A KRM function run: the ResourceList read from stdin is answered by the core
/// (`ResourceListInput.answer()`); this writes the answer and the errors, and gives the status.
struct KRMFunction {
    let input: ResourceListInput

    /// Writes the answer; returns the exit status.
    func run() -> ExitStatus {
        let answer = input.answer()
        let printer = DiagnosticPrinter(quiet: false)
        for line in answer.errors { printer.write(line) }
        do {
            try FileDescriptorIO.writeAll(answer.output, to: STDOUT_FILENO)
        } catch {
            printer.write("<stdout>: error: \(error.description)")
            return .refused
        }
        return ExitStatus(answer.verdict)
    }
}
