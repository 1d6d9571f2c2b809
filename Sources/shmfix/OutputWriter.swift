import Foundation
import ShmfixCore

/// Writes the fixed inputs in the form the user asked for, and returns the exit status.
struct OutputWriter {
    /// What to write.
    enum Mode {
        case yaml, jsonPatch, kustomize, diff, check, inPlace
    }

    let printer: DiagnosticPrinter

    func write(_ inputs: [FixedInput], mode: Mode) throws -> Int32 {
        switch mode {
        case .yaml:
            writeStdout(StreamConcatenation.join(inputs.map(\.result.output)))
            return 0
        case .check:
            var changed = false
            for input in inputs {
                for resource in input.result.changedResources {
                    let location = SourceLocator(input.result.input).location(ofByte: resource.offset)
                    printer.write("\(input.source.displayName):\(location.line):\(location.column): \(resource.id) would change")
                    changed = true
                }
            }
            return changed ? 1 : 0
        case .jsonPatch, .kustomize, .diff, .inPlace:
            printer.write("shmfix: this output mode is not implemented yet")
            return 64
        }
    }

    private func writeStdout(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
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
