import Foundation
import ShmfixYAML
import Testing

/// The real clients the integration tests drive (`kubectl`, `kpt`, `make`), found on PATH.
///
/// Outside CI a test whose client is missing is skipped (`mayRun` gates it); with `CI=true` it
/// runs anyway and fails at `path(_:)`, so a CI machine without the client can never pass.
enum IntegrationClients {
    /// `true` when a test that needs `name` should run: always in CI, else when it is on PATH.
    static func mayRun(_ names: String...) -> Bool {
        TestEnvironment.isCI || names.allSatisfy { TestEnvironment.which($0) != nil }
    }

    /// The path of `name`, or an error that fails the test.
    static func path(_ name: String) throws -> String {
        guard let path = TestEnvironment.which(name) else {
            throw IntegrationFailure("'\(name)' is not on PATH; the integration tests need the real client")
        }
        return path
    }
}

/// A failure of the test setup, with its reason.
struct IntegrationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// shmfix installed by the Makefile's own targets, once per test run: `make install
/// PREFIX=…` and `make kustomize-plugin PLUGIN_HOME=…`, with the binary under test standing in
/// for the release build (`-o release BIN_RELEASE=$SHMFIX_BIN`), so no test waits for one.
struct InstalledShmfix: Sendable {
    /// `PREFIX/bin`: `shmfix` and `kubectl-shmfix`.
    let binDirectory: URL
    /// The kustomize plugin home.
    let pluginHome: URL

    /// PATH with `binDirectory` first, so `shmfix` and `kubectl shmfix` resolve to the install.
    var path: String { binDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }

    /// Where the installation lives; removed when the test process exits.
    static let installRoot = FileManager.default.temporaryDirectory.appendingPathComponent("shmfix-install-\(getpid())")

    private static let installation: Result<InstalledShmfix, IntegrationFailure> = {
        do {
            let make = try IntegrationClients.path("make")
            let root = installRoot
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(at: InstalledShmfix.installRoot) }
            let prefix = root.appendingPathComponent("prefix")
            let pluginHome = root.appendingPathComponent("kustomize-plugins")
            let binary = "BIN_RELEASE=\(TestEnvironment.binary)"
            for target in [["install", "PREFIX=\(prefix.path)"], ["kustomize-plugin", "PLUGIN_HOME=\(pluginHome.path)"]] {
                let result = try ProcessRunner.run(make, ["-s", "-o", "release-cli"] + target + [binary], in: TestEnvironment.packageRoot)
                guard result.status == 0 else {
                    return .failure(IntegrationFailure("make \(target[0]) failed (\(result.status)): \(result.stderr)"))
                }
            }
            return .success(InstalledShmfix(binDirectory: prefix.appendingPathComponent("bin"), pluginHome: pluginHome))
        } catch {
            return .failure(IntegrationFailure("installing shmfix failed: \(error)"))
        }
    }()

    /// The installation (made on first use).
    static func shared() throws -> InstalledShmfix { try installation.get() }
}

/// A golden fixture folder used by the integration tests, with its flags translated into the
/// plugin config forms (ShmFix `spec:` keys and ConfigMap / `kpt fn eval` `key=value` pairs).
struct PluginFixture: Sendable, CustomTestStringConvertible {
    let name: String
    var testDescription: String { name }

    var directory: URL { TestEnvironment.fixtures.appendingPathComponent(name) }
    var golden: GoldenFixture { GoldenFixture(name: name, directory: directory) }
    var inputURL: URL { directory.appendingPathComponent(golden.inputName) }
    var input: [UInt8] { golden.contents(golden.inputName) ?? [] }
    var arguments: [String] { golden.arguments }

    /// The fixture's flags as config options: `(specKey, flagName, value)`; lists comma-joined.
    var options: [(spec: String, flag: String, value: String)] {
        get throws {
            var options: [(String, String, String)] = []
            var containers: [String] = []
            var kinds: [String] = []
            var remaining = arguments[...]
            while let argument = remaining.popFirst() {
                let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
                func value() throws -> String {
                    if parts.count == 2 { return parts[1] }
                    guard let next = remaining.popFirst() else { throw IntegrationFailure("\(argument) has no value") }
                    return next
                }
                switch parts[0] {
                case "--shm-size": options.append(("shmSize", "shm-size", try value()))
                case "--volume-name": options.append(("volumeName", "volume-name", try value()))
                case "-c", "--container": containers.append(try value())
                case "--kind": kinds.append(try value())
                case "--init-containers": options.append(("initContainers", "init-containers", "true"))
                case "--gpu-only": options.append(("gpuOnly", "gpu-only", "true"))
                case "--keep-existing": options.append(("keepExisting", "keep-existing", "true"))
                case "-q", "--quiet": options.append(("quiet", "quiet", "true"))
                default: throw IntegrationFailure("\(name): flag '\(argument)' has no plugin config form")
                }
            }
            if !containers.isEmpty { options.append(("containers", "container", containers.joined(separator: ","))) }
            if !kinds.isEmpty { options.append(("kinds", "kind", kinds.joined(separator: ","))) }
            return options
        }
    }

    /// A `ShmFix` config object carrying the fixture's flags.
    func shmFixObject(annotations: [String] = []) throws -> String {
        var lines = ["apiVersion: shmfix.dev/v1alpha1", "kind: ShmFix", "metadata:", "  name: shm"]
        if !annotations.isEmpty { lines += ["  annotations:"] + annotations.map { "    " + $0 } }
        lines.append("spec:")
        for option in try options {
            let isList = option.spec == "containers" || option.spec == "kinds"
            let value =
                isList ? "[" + option.value.split(separator: ",").map { "'\($0)'" }.joined(separator: ", ") + "]" : "'\(option.value)'"
            lines.append("  \(option.spec): \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fixture's flags as `kpt fn eval … -- key=value` arguments.
    var kptArguments: [String] {
        get throws { try options.map { "\($0.flag)=\($0.value)" } }
    }

    /// What the command line writes for this fixture (the reference every plugin must match).
    func commandLineOutput() throws -> ProcessResult {
        try ProcessRunner.shmfix(arguments + [golden.inputName], in: directory)
    }
}

/// A temporary directory for one test: `let scratch = try Scratch(); defer { scratch.remove() }`.
struct Scratch {
    let url: URL

    init() throws { url = try TestEnvironment.temporaryDirectory() }

    /// A new, empty directory `name` inside.
    func directory(_ name: String) throws -> URL {
        let directory = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Small file-system helpers for the integration tests.
enum IntegrationFiles {
    /// Writes `text` (or `bytes`) to `directory/name`.
    static func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws {
        try write(Array(text.utf8), name, in: directory)
    }

    /// Every regular file under `directory` with its text, by relative path (hidden ones too).
    static func snapshot(_ directory: URL) -> [String: String] {
        var files: [String: String] = [:]
        let base = directory.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return files
        }
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let data = try? Data(contentsOf: url)
            else { continue }
            let path = url.resolvingSymlinksInPath().path
            files[String(path.dropFirst(base.count + 1))] = String(decoding: data, as: UTF8.self)
        }
        return files
    }

    /// A copy of the directory `source` as `scratch/name`.
    static func copy(_ source: URL, as name: String, in scratch: Scratch) throws -> URL {
        let target = scratch.url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }
}

/// Runs a process with its stdin fed through a pipe, as Helm and kustomize feed their plugins
/// (`ProcessRunner` feeds a file), closing the pipe after the last byte.
enum PipeRunner {
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8], environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        process.standardInput = pipe
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // stdout and stderr are files, so the child never blocks while this side writes; a
        // child that exits without reading (a usage error) makes the write fail, not the test.
        signal(SIGPIPE, SIG_IGN)
        try? pipe.fileHandleForWriting.write(contentsOf: Data(stdin))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        try? output.close()
        try? errors.close()
        return ProcessResult(
            status: process.terminationStatus, stdout: [UInt8](try Data(contentsOf: outURL)),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

extension Array where Element == UInt8 {
    /// The bytes as text, for comparisons whose failures should be readable.
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The lines, each with its line break.
    var lines: [Substring] {
        String(decoding: self, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// `true` when this text is `original` with lines inserted and none removed or changed.
    func onlyInsertsLines(into original: [UInt8]) -> Bool {
        lines.difference(from: original.lines).removals.isEmpty
    }
}
