import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells, without reading a byte, whether stdin is known to be empty — so that shmfix, as a
/// Helm post-renderer or any pipe stage, never exits 0 having written nothing.
///
/// An empty regular file (from the current position) is empty. A pipe is empty when `poll`
/// reports the writer gone with nothing to read (`POLLHUP` without `POLLIN`, as Linux reports
/// it; a platform that sets `POLLIN` at end of input is never refused). Terminals, sockets and
/// devices are never judged empty, so this probe can only refuse what is surely empty.
enum StandardInputProbe {
    /// `true` when stdin surely holds no byte.
    static func isKnownEmpty() -> Bool {
        var info = stat()
        guard fstat(STDIN_FILENO, &info) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            let position = lseek(STDIN_FILENO, 0, SEEK_CUR)
            return position >= 0 && info.st_size <= position
        case S_IFIFO:
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            while poll(&descriptor, 1, -1) < 0 {
                if errno != EINTR { return false }
            }
            return descriptor.revents & Int16(POLLIN) == 0 && descriptor.revents & Int16(POLLHUP) != 0
        default:
            return false
        }
    }

    /// Refuses a run that would print the fixed stream read from stdin alone when stdin is
    /// empty: the output would be empty, and an empty answer must never look like success.
    static func refuseEmptyStream(paths: [String], writesStream: Bool) throws {
        guard writesStream, paths.allSatisfy({ $0 == "-" }), isKnownEmpty() else { return }
        DiagnosticPrinter(quiet: false).write(
            "\(InputSource.standardInput.displayName): error: the input is empty; there is nothing to fix and nothing to write")
        throw ExitCode(PluginStatus.refused)
    }
}
