import Foundation
import ShmfixCore
import Testing

/// stdout redirected to a regular file gets output past the spool's 1 MiB as it comes, and is
/// cut back to where it started when the input is refused: whatever the redirection, a refused
/// run leaves the file as it was, and an accepted one writes what a pipe gets.
@Suite struct OutputFileTests {
    /// A stream whose output is well over 1 MiB, and the same with an invalid last document.
    static let large = String(repeating: HostileInputTests.pod.replacingOccurrences(of: "apiVersion", with: "---\napiVersion"), count: 9000)
    static let refused = large + "---\na: [\n"

    /// Runs `script` under `sh` in a scratch folder holding `input.yaml`; `$SHMFIX` is the binary.
    static func shell(_ script: String, input: String) throws -> (folder: URL, status: Int32) {
        let folder = try TestEnvironment.temporaryDirectory()
        try Data(input.utf8).write(to: folder.appendingPathComponent("input.yaml"))
        let result = try ProcessRunner.run(
            "/bin/sh", ["-c", script], in: folder, environment: ["SHMFIX": TestEnvironment.binary])
        return (folder, result.status)
    }

    static func read(_ folder: URL, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    @Test func aFileGetsWhatAPipeGets() throws {
        let run = try Self.shell(
            #"{ printf 'PREFIX\n'; "$SHMFIX" -q --shm-size=2gb input.yaml; } > file.yaml; "$SHMFIX" -q --shm-size=2gb input.yaml | cat > piped.yaml"#,
            input: Self.large)
        #expect(run.status == 0)
        let piped = try Self.read(run.folder, "piped.yaml")
        #expect(piped.count > 2 << 20)
        #expect(try Self.read(run.folder, "file.yaml") == Array("PREFIX\n".utf8) + piped)
    }

    /// The file really is written as output comes: while the stream's invalid last document has
    /// not arrived yet, more than the spool's 1 MiB stands in the file; once it arrives, the file
    /// is cut back to nothing. (Results are delivered as more input comes, up to the pipeline's
    /// window of 8 chunks behind it: the input is three times that.)
    @Test func aFileIsWrittenBeforeTheEndAndCutBackOnRefusal() throws {
        let copies = 3 * 8 * PipelinedFixer<Int>.defaultChunkSize / Self.large.utf8.count + 1
        let run = try Self.shell(
            #"""
            : > file.yaml
            { cat input.yaml; while [ ! -e go ]; do sleep 0.05; done; printf -- '---\na: [\n'; } | "$SHMFIX" -q --shm-size=2gb > file.yaml 2> errors &
            i=0; while [ "$(wc -c < file.yaml)" -lt 1048577 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
            wc -c < file.yaml > midway; touch go; wait $!; echo "status $?" > status
            """#,
            input: String(repeating: Self.large, count: copies))
        #expect(run.status == 0)
        let midway = Int(
            String(decoding: try Self.read(run.folder, "midway"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect((midway ?? 0) > 1 << 20, "bytes in the file before the input ended: \(midway ?? -1)")
        #expect(String(decoding: try Self.read(run.folder, "status"), as: UTF8.self) == "status 2\n")
        #expect(try Self.read(run.folder, "file.yaml").isEmpty)
        #expect(String(decoding: try Self.read(run.folder, "errors"), as: UTF8.self).contains(": error: invalid YAML: "))
    }

    @Test func aRefusedRunLeavesTheFileAsItWas() throws {
        let run = try Self.shell(
            #"""
            { printf 'PREFIX\n'; "$SHMFIX" -q --shm-size=2gb input.yaml; echo "status $?" >> statuses; printf 'AFTER\n'; } > file.yaml
            printf 'OLD\n' > appended.yaml; "$SHMFIX" -q --shm-size=2gb input.yaml >> appended.yaml 2> errors; echo "status $?" >> statuses
            "$SHMFIX" -q --shm-size=2gb input.yaml > both.yaml 2>&1; echo "status $?" >> statuses
            """#,
            input: Self.refused)
        #expect(run.status == 0)
        #expect(String(decoding: try Self.read(run.folder, "statuses"), as: UTF8.self) == "status 2\nstatus 2\nstatus 2\n")
        #expect(String(decoding: try Self.read(run.folder, "file.yaml"), as: UTF8.self) == "PREFIX\nAFTER\n")
        #expect(String(decoding: try Self.read(run.folder, "appended.yaml"), as: UTF8.self) == "OLD\n")
        // stdout and stderr in one file: the output is spooled, the file holds the message alone.
        let errors = String(decoding: try Self.read(run.folder, "errors"), as: UTF8.self)
        #expect(errors.hasPrefix("input.yaml:") && errors.contains(": error: invalid YAML: "), "\(errors)")
        #expect(String(decoding: try Self.read(run.folder, "both.yaml"), as: UTF8.self) == errors)
    }
}
