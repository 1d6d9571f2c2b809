import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The default mode (`-o yaml` to stdout) as a stream: each input is read in blocks, fixed
/// chunk by chunk as documents complete (in parallel), and spooled; stdout gets the spool only
/// when every input was accepted. Memory follows the largest document, not the stream.
struct StreamingRun {
    let fixer: ShmFixer
    let printer: DiagnosticPrinter
    static let blockSize = 1 << 20

    /// Returns `false` when any input was refused (everything refused was reported).
    func run(_ paths: [String]) throws -> Bool {
        let sources: [InputSource]
        do {
            sources = try InputSource.expand(paths)
        } catch {
            printer.printFileError(error)
            return false
        }
        let spool = OutputSpool()
        var refused = false
        for source in sources {
            var separatorPending = !spool.isEmpty
            do {
                try stream(source) { output in
                    if separatorPending {
                        try spool.append(InputJoin.separator(after: spool.lastByte, before: output))
                        separatorPending = false
                    }
                    try spool.append(output)
                }
            } catch let error as InputError {
                printer.printFileError(error)
                refused = true
            } catch let error as Diagnostic {
                printer.print(error, file: source.displayName, source: [])
                refused = true
            }
        }
        if !refused { try spool.drain() }
        return !refused
    }

    private func stream(_ source: InputSource, _ emit: ([UInt8]) throws -> Void) throws {
        let descriptor: Int32
        if let path = source.path {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw InputError(displayName: source.displayName, message: "'\(path)' cannot be read: \(String(cString: strerror(errno)))")
            }
        } else {
            descriptor = STDIN_FILENO
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var stream = PipelinedFixer(fixer: fixer)
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, Self.blockSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(
                    displayName: source.displayName, message: "'\(source.displayName)' cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            try stream.feed(Array(block[0..<count])) { try deliver($0, source: source, emit) }
        }
        try stream.finish { try deliver($0, source: source, emit) }
    }

    private func deliver(_ result: ChunkResult, source: InputSource, _ emit: ([UInt8]) throws -> Void) throws {
        for finding in result.plans.flatMap(\.findings) { printer.print(finding, file: source.displayName, source: []) }
        try emit(result.output)
    }
}
