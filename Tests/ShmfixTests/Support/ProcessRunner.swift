import Foundation

/// What a finished process wrote and how it exited.
struct ProcessResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs real executables (the built `shmfix`, `kubectl`, `kpt`, `python3`) for end-to-end tests.
enum ProcessRunner {
    /// Runs `executable` with `arguments`, feeding `stdin`, in `directory`; output goes through
    /// temporary files, so large outputs cannot dead-lock a pipe.
    static func run(
        _ executable: String, _ arguments: [String], stdin: [UInt8]? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("stdin")
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        try Data(stdin ?? []).write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try? input.close()
        try? output.close()
        try? errors.close()
        return ProcessResult(
            status: process.terminationStatus, stdout: [UInt8](try Data(contentsOf: outURL)),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs the `shmfix` under test.
    static func shmfix(_ arguments: [String], stdin: [UInt8]? = nil, in directory: URL? = nil) throws -> ProcessResult {
        try run(TestEnvironment.binary, arguments, stdin: stdin, in: directory)
    }
}
