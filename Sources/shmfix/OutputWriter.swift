import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the fixed inputs in the form the user asked for, and returns the exit status.
///
/// Every mode computes all of its output before writing any of it, so a refusal (status 2)
/// leaves stdout empty and every file as it was.
struct OutputWriter {
    /// What to write.
    enum Mode {
        case yaml, jsonPatch, kustomize, diff, check, inPlace
    }

    let printer: DiagnosticPrinter

    func write(_ inputs: [FixedInput], mode: Mode) throws -> Int32 {
        switch mode {
        case .yaml:
            try writeStdout(StreamConcatenation.join(inputs.map(\.result.output)))
            return 0
        case .jsonPatch:
            return try emit { () throws(Refusal) in try jsonPatchLines(inputs) }
        case .kustomize:
            return try emit { () throws(Refusal) in try kustomizePatches(inputs) }
        case .diff:
            try writeStdout(diff(inputs))
            return 0
        case .check:
            return check(inputs)
        case .inPlace:
            return InPlaceWriter(printer: printer).write(inputs)
        }
    }

    /// A rendering error, already located in its input.
    private struct Refusal: Error {
        let diagnostic: Diagnostic
        let input: FixedInput
    }

    private func emit(_ render: () throws(Refusal) -> [UInt8]) throws -> Int32 {
        let bytes: [UInt8]
        do {
            bytes = try render()
        } catch {
            printer.print(error.diagnostic, file: error.input.source.displayName, source: error.input.result.input)
            return 2
        }
        try writeStdout(bytes)
        return 0
    }

    /// One RFC 6902 array per changed resource, one per line, across all inputs in order.
    private func jsonPatchLines(_ inputs: [FixedInput]) throws(Refusal) -> [UInt8] {
        var text = ""
        for input in inputs {
            for plan in input.result.changedPlans {
                do {
                    text += try JSONPatchRenderer().patch(for: plan.changes) + "\n"
                } catch {
                    throw Refusal(diagnostic: error, input: input)
                }
            }
        }
        return Array(text.utf8)
    }

    /// One `patches:` list for every changed resource of every input.
    private func kustomizePatches(_ inputs: [FixedInput]) throws(Refusal) -> [UInt8] {
        var patches = JSONPatchKustomization()
        for input in inputs {
            for plan in input.result.plans {
                do {
                    try patches.add(plan)
                } catch {
                    throw Refusal(diagnostic: error, input: input)
                }
            }
        }
        return Array(patches.yaml.utf8)
    }

    /// A unified diff per changed input, labelled with its name on both sides.
    private func diff(_ inputs: [FixedInput]) -> [UInt8] {
        var output: [UInt8] = []
        for input in inputs where input.result.output != input.result.input {
            let name = input.source.displayName
            output += UnifiedDiff().diff(from: input.result.input, to: input.result.output, oldLabel: name, newLabel: name)
        }
        return output
    }

    /// Names each resource that would change on stderr; 1 when any would.
    private func check(_ inputs: [FixedInput]) -> Int32 {
        var changed = false
        for input in inputs {
            for plan in input.result.changedPlans {
                let location = plan.location ?? SourceLocator(input.result.input).location(ofByte: plan.resource.offset)
                printer.write("\(input.source.displayName):\(location.line):\(location.column): \(plan.resource.id) would change")
                changed = true
            }
        }
        return changed ? 1 : 0
    }

    private func writeStdout(_ bytes: [UInt8]) throws {
        try FileDescriptorIO.writeAll(bytes, to: STDOUT_FILENO)
    }
}

/// Joins several inputs into one stream: a line break where one is missing, and `---` between
/// inputs unless the next one starts with a document marker.
enum StreamConcatenation {
    static func join(_ outputs: [[UInt8]]) -> [UInt8] {
        guard outputs.count > 1 else { return outputs.first ?? [] }
        var stream: [UInt8] = []
        for output in outputs {
            if !stream.isEmpty {
                if stream.last != UInt8(ascii: "\n") { stream.append(UInt8(ascii: "\n")) }
                if !output.starts(with: Array("---".utf8)) { stream += Array("---\n".utf8) }
            }
            stream += output
        }
        return stream
    }
}
