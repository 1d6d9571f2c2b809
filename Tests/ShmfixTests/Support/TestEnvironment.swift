import Foundation

/// Where the tests find the package, the built binary, the shared corpora and the real clients.
enum TestEnvironment {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `shmfix` binary under test: `$SHMFIX_BIN`, else the debug build.
    static var binary: String {
        ProcessInfo.processInfo.environment["SHMFIX_BIN"] ?? packageRoot.appendingPathComponent(".build/debug/shmfix").path
    }

    /// The corpora kept in the repository (`Tests/Corpus`, sources and licences in its README).
    static let corpus: URL = packageRoot.appendingPathComponent("Tests/Corpus")

    /// The golden fixtures folder.
    static let fixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// `true` when running in CI, where a missing client is a failure, not a skip.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `true` when golden files should be re-recorded (`SHMFIX_RECORD=1`).
    static var isRecording: Bool { ProcessInfo.processInfo.environment["SHMFIX_RECORD"] == "1" }

    /// The full path of an executable on PATH, or `nil`.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shmfix-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
