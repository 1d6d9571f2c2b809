import Foundation

/// Holds stdout until the whole input has been accepted, so that a refused input writes
/// nothing: in memory up to `memoryLimit`, then in an unlinked temporary file, so memory stays
/// bounded however large the stream is.
final class OutputSpool {
    private let memoryLimit: Int
    private var buffer: [UInt8] = []
    private var file: FileHandle?
    /// The last byte appended, to join inputs.
    private(set) var lastByte: UInt8?
    /// `true` once anything was appended.
    private(set) var isEmpty = true

    init(memoryLimit: Int = 4 << 20) { self.memoryLimit = memoryLimit }

    func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        isEmpty = false
        lastByte = bytes.last
        buffer += bytes
        if buffer.count >= memoryLimit { try spill() }
    }

    /// Writes everything held to stdout.
    func drain() throws {
        let stdout = FileHandle.standardOutput
        if let file {
            try file.seek(toOffset: 0)
            while let block = try file.read(upToCount: 1 << 20), !block.isEmpty { stdout.write(block) }
        }
        if !buffer.isEmpty { stdout.write(Data(buffer)) }
        buffer = []
    }

    private func spill() throws {
        if file == nil {
            let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            var template = Array("\(directory)/shmfix-spool-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return -1 }
                return mkstemp(base)
            }
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            let path = String(cString: template)
            unlink(path)
            file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        file?.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
