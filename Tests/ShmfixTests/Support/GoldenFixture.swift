import Foundation
import Testing

/// A folder of `Tests/Fixtures`: an input, the arguments, and the exact expected stdout, stderr
/// and exit status.
///
/// - `input.yaml` (or `input.json`, `input.yml`): what shmfix reads (named as a file argument,
///   so messages say `input.yaml:line:column`).
/// - `args`: one argument per line (default `--shm-size=2gb`).
/// - `expected.yaml` / `expected.json` / `expected.txt`: stdout, byte for byte (absent when stdout must be empty).
/// - `stderr.txt`: stderr, exactly (absent when it must be empty).
/// - `status`: the exit status (absent for 0).
///
/// `SHMFIX_RECORD=1 make test` rewrites these files from the current binary, and the test fails
/// so that a recording is always reviewed before it counts.
struct GoldenFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let directory: URL

    var testDescription: String { name }

    /// Every fixture folder, sorted.
    static let all: [GoldenFixture] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestEnvironment.fixtures.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map {
            GoldenFixture(name: $0, directory: TestEnvironment.fixtures.appendingPathComponent($0))
        }
    }()

    var inputName: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.first { $0.hasPrefix("input.") } ?? "input.yaml"
    }

    var arguments: [String] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8) else {
            return ["--shm-size=2gb"]
        }
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    var expectedStdoutName: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if let existing = names.first(where: { $0.hasPrefix("expected.") }) { return existing }
        return "expected." + ((inputName as NSString).pathExtension)
    }

    func contents(_ name: String) -> [UInt8]? {
        (try? Data(contentsOf: directory.appendingPathComponent(name))).map { [UInt8]($0) }
    }

    var expectedStdout: [UInt8] { contents(expectedStdoutName) ?? [] }
    var expectedStderr: String { contents("stderr.txt").map { String(decoding: $0, as: UTF8.self) } ?? "" }
    var expectedStatus: Int32 {
        contents("status").flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// Runs shmfix as the fixture says.
    func run() throws -> ProcessResult {
        try ProcessRunner.shmfix(arguments + [inputName], in: directory)
    }

    /// Writes the result as the new golden files.
    func record(_ result: ProcessResult) throws {
        let fileManager = FileManager.default
        let stdoutName = expectedStdoutName  // before the old file is removed: it keeps its name
        for name in (try fileManager.contentsOfDirectory(atPath: directory.path))
        where name.hasPrefix("expected.") || name == "stderr.txt" || name == "status" {
            try fileManager.removeItem(at: directory.appendingPathComponent(name))
        }
        if !result.stdout.isEmpty { try Data(result.stdout).write(to: directory.appendingPathComponent(stdoutName)) }
        if !result.stderr.isEmpty { try Data(result.stderr.utf8).write(to: directory.appendingPathComponent("stderr.txt")) }
        if result.status != 0 { try Data("\(result.status)\n".utf8).write(to: directory.appendingPathComponent("status")) }
    }

    /// `true` when the output is the YAML stream and only size, volume name or quiet were given,
    /// so the independent verifier can check it.
    var isVerifiable: Bool {
        expectedStatus == 0
            && arguments.allSatisfy { $0.hasPrefix("--shm-size=") && !$0.hasSuffix("%") || $0.hasPrefix("--volume-name=") || $0 == "-q" }
    }
}
