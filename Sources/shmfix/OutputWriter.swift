import Foundation
import ShmfixCore

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
            writeStdout(InputJoin.join(inputs.map(\.result.output)))
            return 0
        case .jsonPatch:
            return emit { () throws(Refusal) in try jsonPatchLines(inputs) }
        case .kustomize:
            return emit { () throws(Refusal) in try kustomizePatches(inputs) }
        case .diff:
            writeStdout(diff(inputs))
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

    private func emit(_ render: () throws(Refusal) -> [UInt8]) -> Int32 {
        do {
            writeStdout(try render())
            return 0
        } catch {
            printer.print(error.diagnostic, file: error.input.source.displayName, source: error.input.result.input)
            return 2
        }
    }

    /// The patches of every changed resource across all inputs, in order: a bare RFC 6902
    /// array when the input is one resource, else one JSON object per line that names its
    /// resource (`JSONPatchLines`).
    private func jsonPatchLines(_ inputs: [FixedInput]) throws(Refusal) -> [UInt8] {
        var patches = JSONPatchLines(isSingleResource: Self.isSingleResource(inputs))
        for input in inputs {
            for plan in input.result.changedPlans {
                do {
                    try patches.add(plan)
                } catch {
                    throw Refusal(diagnostic: error, input: input)
                }
            }
        }
        return Array(patches.text.utf8)
    }

    /// `true` when the inputs hold one document, and it is a resource itself (not a List).
    static func isSingleResource(_ inputs: [FixedInput]) -> Bool {
        inputs.reduce(0) { $0 + $1.result.documentCount } == 1
            && inputs.allSatisfy { $0.result.plans.allSatisfy { $0.resource.root.path.components.isEmpty } }
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
            let name = Self.diffLabel(input.source.displayName)
            output += UnifiedDiff().diff(from: input.result.input, to: input.result.output, oldLabel: name, newLabel: name)
        }
        return output
    }

    /// The path as given without leading `./` (`./k8s/a.yaml` → `k8s/a.yaml`): `git apply -p0`
    /// refuses a `./` label, and `patch -p0` reads both the same.
    static func diffLabel(_ path: String) -> String {
        var label = Substring(path)
        while label.hasPrefix("./") {
            label = label.dropFirst(2).drop { $0 == "/" }
        }
        return label.isEmpty ? path : String(label)
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

    private func writeStdout(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
    }
}
