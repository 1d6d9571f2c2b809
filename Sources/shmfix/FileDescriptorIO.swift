#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole reads and writes on a file descriptor (stdin, stdout, stderr, a file), through partial
/// transfers and interruptions, with plain POSIX calls: the executable needs no `FileHandle`,
/// so it links `FoundationEssentials` without the ICU data of full Foundation.
enum FileDescriptorIO {
    /// A read or write that failed, with the system's reason.
    struct Failure: Error, CustomStringConvertible {
        /// `read` or `write`.
        let operation: String
        /// The system's text for `errno`.
        let reason: String

        var description: String { "cannot \(operation): \(reason)" }
    }

    /// The size of one `read`.
    static let blockSize = 1 << 20

    /// Everything left to read on `descriptor`, up to end of file.
    static func readAll(_ descriptor: Int32) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: blockSize)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure(operation: "read", reason: systemMessage()) }
            if count == 0 { return bytes }
            bytes += block[0..<count]
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try writeAll(raw, to: descriptor) } }
        try result.get()
    }

    /// Writes all of `raw` to `descriptor`.
    static func writeAll(_ raw: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress?.advanced(by: offset), raw.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure(operation: "write", reason: systemMessage()) }
            offset += written
        }
    }

    /// The text of the current `errno`.
    static func systemMessage() -> String { String(cString: strerror(errno)) }
}
