import Foundation

/// Runs the independent Python/PyYAML oracle (`Tests/verify/verify_fix.py`) over pairs of
/// original and output files.
enum Verifier {
    struct Pair {
        var original: URL
        var output: URL
        var size: String
        var volumeName: String = ""
    }

    /// Checks every pair in one python run; returns the verifier's result.
    static func verify(_ pairs: [Pair]) throws -> ProcessResult {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let list = scratch.appendingPathComponent("pairs.tsv")
        let lines = pairs.map { "\($0.original.path)\t\($0.output.path)\t\($0.size)\t\($0.volumeName)\n" }
        try Data(lines.joined().utf8).write(to: list)
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/verify/verify_fix.py").path
        guard let python = TestEnvironment.which("python3") else {
            return ProcessResult(status: 127, stdout: [], stderr: "python3 not found")
        }
        return try ProcessRunner.run(python, [script, "--canonical", "--batch", list.path])
    }
}
