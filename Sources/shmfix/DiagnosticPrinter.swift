import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints findings on stderr as `file:line:column: severity: resource: message`.
struct DiagnosticPrinter {
    /// Warnings and notes are left out.
    let quiet: Bool

    func print(_ diagnostic: Diagnostic, file: String, source: [UInt8]) {
        if quiet, diagnostic.severity != .error { return }
        write(diagnostic.render(file: file, in: SourceLocator(source)))
    }

    func printFileError(_ error: InputError) {
        write("\(error.displayName): error: \(error.message)")
    }

    func write(_ line: String) {
        try? FileDescriptorIO.writeAll(Array((line + "\n").utf8), to: STDERR_FILENO)
    }
}
