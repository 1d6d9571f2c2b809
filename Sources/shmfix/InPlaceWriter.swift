import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--in-place`: rewrites the files whose output differs from their input, in two phases.
///
/// First every changed file is staged: its real path is found (symlinks followed, so the link
/// stays a link and its target gets the new text), the file is checked to be a regular file that
/// still holds the bytes that were read, and the new bytes are written to a temporary file
/// beside it (`.NAME.shmfix-XXXXXXXX.tmp`, hidden, so a directory search skips it), with the
/// original's mode and owner, and flushed with `fsync`. Only when every file is staged are the
/// temporary files renamed over their targets, and the folders synced. Any refusal while staging
/// removes the temporary files and writes nothing at all (status 2). A rename replaces a file
/// atomically, so a process killed at any point leaves each file either as it was or complete.
/// Files that need no change are not opened for writing, so their mtime stays.
struct InPlaceWriter {
    let printer: DiagnosticPrinter

    /// Writes the changed inputs; returns the exit status (refused when any file was).
    func write(_ inputs: [FixedInput]) -> ExitStatus {
        var staged: [StagedFile] = []
        var refused = false
        var seen: Set<String> = []
        for input in inputs where input.result.output != input.result.input {
            do {
                let target = try realPath(of: input)
                guard seen.insert(target).inserted else { continue }
                staged.append(try StagedFile(target: target, expected: input.result.input, contents: input.result.output))
            } catch {
                printer.printFileError(InputError(displayName: input.source.displayName, message: error.message))
                refused = true
            }
        }
        if refused {
            for file in staged { file.discard() }
            return .refused
        }
        return commit(staged)
    }

    private func commit(_ staged: [StagedFile]) -> ExitStatus {
        var status = ExitStatus.success
        for (index, file) in staged.enumerated() {
            do {
                try file.commit()
            } catch {
                printer.printFileError(InputError(displayName: file.target, message: error.message))
                for rest in staged[(index + 1)...] { rest.discard() }
                status = .refused
                break
            }
        }
        for folder in Set(staged.map(\.folder)) { StagedFile.syncFolder(folder) }
        return status
    }

    private func realPath(of input: FixedInput) throws(StagingError) -> String {
        guard let path = input.source.path else { throw StagingError("--in-place cannot rewrite stdin") }
        guard let resolved = realpath(path, nil) else {
            throw StagingError("cannot resolve '\(path)': \(StagingError.systemMessage())")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
