import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// `Tests/Corpus/real`: manifests written by other people. Every workload file goes through,
/// the independent verifier finds exactly the expected volume and mounts and nothing else
/// changed, a second run is byte-identical; non-workloads come out byte-identical; invalid files
/// are refused.
@Suite struct RealCorpusTests {
    static let root = TestEnvironment.corpus.appendingPathComponent("real")

    static func files(in folder: URL, excluding excluded: Set<String> = []) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
            .filter { url in !excluded.contains { url.path.contains("/\($0)/") } }
            .sorted { $0.path < $1.path }
    }

    let fixer = ShmFixer(options: FixOptions(size: .bytes(2 << 30)))

    @Test func workloadsAreFixedExactlyAndIdempotently() throws {
        let files = Self.files(in: Self.root, excluding: ["_invalid", "_nonworkload"])
        #expect(files.count > 800)
        let scratch = try TestEnvironment.temporaryDirectory()
        var pairs: [Verifier.Pair] = []
        var changed = 0
        for (index, file) in files.enumerated() {
            let input = [UInt8](try Data(contentsOf: file))
            let first: FixResult
            do {
                first = try fixer.fix(input)
            } catch {
                Issue.record("\(file.lastPathComponent) refused: \(error.message)")
                continue
            }
            if first.changed { changed += 1 }
            let second = try fixer.fix(first.output)
            #expect(second.output == first.output, "second run changed \(file.lastPathComponent)")
            let output = scratch.appendingPathComponent("\(index).out")
            try Data(first.output).write(to: output)
            pairs.append(Verifier.Pair(original: file, output: output, size: "2Gi"))
        }
        #expect(changed > 700)
        let verdict = try Verifier.verify(pairs)
        #expect(verdict.status == 0, "\(verdict.stdoutText.suffix(3000))")
        #expect(verdict.stdoutText.hasSuffix("\(pairs.count) passed, 0 failed\n"))
    }

    @Test func nonWorkloadsComeOutByteIdentical() throws {
        let files = Self.files(in: Self.root.appendingPathComponent("_nonworkload"))
        #expect(files.count > 20)
        for file in files {
            let input = [UInt8](try Data(contentsOf: file))
            let result = try fixer.fix(input)
            #expect(result.output == input, "\(file.lastPathComponent) changed")
            #expect(!result.changed)
        }
    }

    @Test func invalidFilesAreRefusedWithAPosition() throws {
        let files = Self.files(in: Self.root.appendingPathComponent("_invalid"))
        #expect(files.count > 5)
        for file in files {
            let result = try ProcessRunner.shmfix(["--shm-size=2gb", file.path])
            #expect(result.status == 2, "\(file.lastPathComponent)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("\(file.path):"), "\(result.stderr)")
            #expect(result.stderr.contains(": error: invalid YAML: "))
        }
    }
}
