#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Holds stdout until the whole input has been accepted, so that a refused input writes
/// nothing: in memory up to `memoryLimit`, then in an unlinked temporary file (in `$TMPDIR`),
/// so memory stays bounded however large the stream is.
///
/// When stdout is a regular file of its own (`shmfix … > fixed.yaml`; not the file stderr
/// goes to), what goes past `memoryLimit` is written to it at once instead, and a refused run
/// cuts it back to the length it had (`discard`): the file ends as it was found, without the
/// whole output passing through a temporary file first. A pipe or a terminal always gets the
/// output only once the input is accepted, so `kubectl apply` never sees half a stream.
final class OutputSpool {
    /// Why the spool could not be written or read back.
    struct SpoolError: Error, CustomStringConvertible {
        let description: String
    }

    private let memoryLimit: Int
    /// What is held in memory: the arrays appended, not copies of them.
    private var held: [[UInt8]] = []
    private var heldBytes = 0
    private var descriptor: Int32 = -1
    /// The last byte appended, to join inputs.
    private(set) var lastByte: UInt8?
    /// `true` until anything is appended.
    private(set) var isEmpty = true

    /// Where stdout started, when it is a regular file written at once (see above).
    private let stdoutFileStart: off_t?
    /// `true` once output went to that file before the input was accepted.
    private var wroteToStdoutFile = false

    init(memoryLimit: Int = 1 << 20) {
        self.memoryLimit = memoryLimit
        stdoutFileStart = Self.regularFileStart(of: STDOUT_FILENO, apartFrom: STDERR_FILENO)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        isEmpty = false
        lastByte = bytes.last
        if heldBytes + bytes.count <= memoryLimit {
            held.append(bytes)
            heldBytes += bytes.count
            return
        }
        for earlier in held { try spill(earlier) }
        held.removeAll()
        heldBytes = 0
        try spill(bytes)
    }

    /// Writes everything held to stdout.
    func drain() throws {
        if descriptor >= 0 {
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw SpoolError(description: "cannot rewind the spool file") }
            #if os(Linux)
                // The kernel copies the spool to stdout itself (no pass through this process's
                // memory) when stdout is a file or a pipe; otherwise, or once it refuses, the
                // rest is read and written below, from where `sendfile` left the file offset.
                while true {
                    let count = sendfile(STDOUT_FILENO, descriptor, nil, 1 << 30)
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                }
            #endif
            let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
            defer { block.deallocate() }
            while true {
                let count = read(descriptor, block.baseAddress, block.count)
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw SpoolError(description: "cannot read the spool file back") }
                if count == 0 { break }
                try FileDescriptorIO.writeAll(UnsafeRawBufferPointer(rebasing: block[0..<count]), to: STDOUT_FILENO)
            }
        }
        for bytes in held { try FileDescriptorIO.writeAll(bytes, to: STDOUT_FILENO) }
        held = []
        heldBytes = 0
    }

    /// Undoes what a refused run wrote to a regular-file stdout: the file is cut back to where
    /// it started, and its offset set there.
    func discard() {
        held = []
        heldBytes = 0
        guard wroteToStdoutFile, let start = stdoutFileStart else { return }
        _ = ftruncate(STDOUT_FILENO, start)
        _ = lseek(STDOUT_FILENO, start, SEEK_SET)
        wroteToStdoutFile = false
    }

    /// Where output written to `output` starts, when it is a regular file other than `other`'s
    /// (which then keeps its messages apart from the output) that can be cut back: its offset,
    /// or its length when it appends; `nil` otherwise.
    private static func regularFileStart(of output: Int32, apartFrom other: Int32) -> off_t? {
        var file = stat()
        guard fstat(output, &file) == 0, file.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { return nil }
        var otherFile = stat()
        if fstat(other, &otherFile) == 0, otherFile.st_dev == file.st_dev, otherFile.st_ino == file.st_ino { return nil }
        let flags = fcntl(output, F_GETFL)
        guard flags >= 0 else { return nil }
        if flags & O_APPEND != 0 { return file.st_size }
        let offset = lseek(output, 0, SEEK_CUR)
        return offset >= 0 ? offset : nil
    }

    private func spill(_ bytes: [UInt8]) throws {
        if stdoutFileStart != nil {
            wroteToStdoutFile = true
            try FileDescriptorIO.writeAll(bytes, to: STDOUT_FILENO)
            return
        }
        if descriptor < 0 {
            let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array("\(directory)/shmfix-spool-XXXXXX".utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return -1 }
                return mkstemp(base)
            }
            guard descriptor >= 0 else { throw SpoolError(description: "cannot create a spool file in \(directory)") }
            template.withUnsafeBufferPointer { path in _ = path.baseAddress.map { unlink($0) } }
        }
        try FileDescriptorIO.writeAll(bytes, to: descriptor)
    }
}
