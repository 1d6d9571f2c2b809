import ShmfixCore

/// The fix of one input file, ready to be written.
struct FixedInput {
    let source: InputSource
    let result: FixResult
}

/// Reads and fixes every input, printing each finding; returns `nil` when any input was refused
/// (after reporting every refusal, so one bad file does not hide the others), or when the
/// inputs as a whole hold nothing (`EmptyInput`).
struct FixRun {
    let fixer: ShmFixer
    let printer: DiagnosticPrinter

    func run(_ paths: [String]) -> [FixedInput]? {
        let sources: [InputSource]
        do {
            sources = try InputSource.expand(paths)
        } catch {
            printer.printFileError(error)
            return nil
        }
        var fixed: [FixedInput] = []
        var refused = false
        for source in sources {
            let bytes: [UInt8]
            do {
                bytes = try source.read()
            } catch {
                printer.printFileError(error)
                refused = true
                continue
            }
            do {
                let result = try fixer.fix(bytes)
                for finding in result.findings { printer.print(finding, file: source.displayName) }
                fixed.append(FixedInput(source: source, result: result))
            } catch {
                printer.print(error, file: source.displayName)
                refused = true
            }
        }
        if !refused, fixed.allSatisfy({ $0.result.documentCount == 0 }) {
            EmptyInput.messages(paths: paths).forEach(printer.write)
            return nil
        }
        guard !refused else { return nil }
        var tally = SelectionTally(options: fixer.options)
        for input in fixed { tally.add(input.result.resources) }
        tally.unmatched.forEach(printer.note)
        return fixed
    }
}
