import ShmfixCore
import ShmfixDiagnostics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints findings on stderr as `file:line:column: severity: resource: message`
/// (`Finding.render(file:)`), and other lines as given.
struct DiagnosticPrinter {
    /// Warnings and notes are left out.
    let quiet: Bool

    func print(_ finding: Finding, file: String) {
        if quiet, finding.severity != .error { return }
        write(finding.render(file: file))
    }

    /// The lines that print the findings of each resource, in order (any thread may make them;
    /// `write(lines:)` prints them with one write).
    func lines(findingsOf resources: [FixedResource], file: String) -> [UInt8] {
        var text = TextBytes(capacity: 1024)
        for index in resources.indices {
            for finding in resources[index].findings where !quiet || finding.severity == .error {
                finding.render(file: file, into: &text)
                text.append(ascii: "\n")
            }
        }
        return text.isEmpty ? [] : text.withBytes { Array($0) }
    }

    /// Prints lines made by `lines(findingsOf:file:)`.
    func write(lines: [UInt8]) {
        if !lines.isEmpty { try? FileDescriptorIO.writeAll(lines, to: STDERR_FILENO) }
    }

    /// A note about the whole run (no position).
    func note(_ message: String) {
        if quiet { return }
        write("shmfix: note: \(message)")
    }

    func printFileError(_ error: InputError) {
        write("\(error.displayName): error: \(error.message)")
    }

    func write(_ line: String) {
        try? FileDescriptorIO.writeAll(Array((line + "\n").utf8), to: STDERR_FILENO)
    }
}
