import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The default mode (`-o yaml` to stdout) as a stream: each input is read in blocks, fixed
/// chunk by chunk as documents complete (in parallel), and spooled; stdout gets the spool only
/// when every input was accepted and, together, they held a document (`EmptyInput`), or a
/// regular-file stdout written early is cut back (`OutputSpool`). Memory follows the largest
/// document, not the stream.
struct StreamingRun {
    let fixer: ShmFixer
    let printer: DiagnosticPrinter

    /// Fixes and writes every input; returns `.refused` when any input was refused (everything
    /// refused was reported) or the output could not be written.
    func run(_ paths: [String]) -> ExitStatus {
        let sources: [InputSource]
        do {
            sources = try InputSource.expand(paths)
        } catch {
            printer.printFileError(error)
            return .refused
        }
        let spool = OutputSpool()
        var refused = false
        var documents = 0
        var tally = SelectionTally(options: fixer.options)
        for source in sources {
            var separatorPending = !spool.isEmpty
            do {
                try stream(source) { result in
                    printer.write(lines: result.findingLines)
                    documents += result.documentCount
                    tally.add(result.tally)
                    if separatorPending, !result.output.isEmpty {
                        try spool.append(StreamJoin.separator(after: spool.lastByte, before: result.output))
                        separatorPending = false
                    }
                    try spool.append(result.output)
                }
            } catch let error as InputError {
                printer.printFileError(error)
                refused = true
            } catch let error as Finding {
                printer.print(error, file: source.displayName)
                refused = true
            } catch {
                printer.write("shmfix: error: the output cannot be spooled: \(error)")
                spool.discard()
                return .refused
            }
        }
        if !refused, documents == 0 {
            EmptyInput.messages(paths: paths).forEach(printer.write)
            refused = true
        }
        guard !refused else {
            spool.discard()
            return .refused
        }
        tally.unmatched.forEach(printer.note)
        do {
            try spool.drain()
        } catch {
            printer.write("shmfix: error: the output cannot be written: \(error)")
            spool.discard()
            return .refused
        }
        return .success
    }

    /// What the writing thread needs of a chunk's result, made on the worker that fixed the
    /// chunk (`PipelinedFixer`'s `prepare`): the plans and findings are freed there, by the
    /// thread that allocated them, and the findings are turned into text there, in parallel.
    private struct DeliveredChunk: Sendable {
        let output: [UInt8]
        let findingLines: [UInt8]
        let documentCount: Int
        let tally: SelectionTally
    }

    private func stream(_ source: InputSource, _ emit: (DeliveredChunk) throws -> Void) throws {
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
        let printer = printer
        let options = fixer.options
        let file = source.displayName
        var stream = PipelinedFixer(fixer: fixer) { result in
            var tally = SelectionTally(options: options)
            tally.add(result.resources)
            return DeliveredChunk(
                output: result.output, findingLines: printer.lines(findingsOf: result.resources, file: file),
                documentCount: result.documentCount, tally: tally)
        }
        // The input is read straight into the chunker's buffers: a chunk's bytes are not copied.
        let readInput = { (room: UnsafeMutableRawBufferPointer) throws -> Int in
            var count = read(descriptor, room.baseAddress, room.count)
            while count < 0, errno == EINTR { count = read(descriptor, room.baseAddress, room.count) }
            guard count >= 0 else {
                let failure = errno
                throw InputError(
                    displayName: source.displayName,
                    message: "'\(source.displayName)' cannot be read: \(String(cString: strerror(failure)))")
            }
            return count
        }
        while try !stream.feed(reading: readInput, deliver: emit) {}
        try stream.finish(deliver: emit)
    }
}
