import Foundation
import Testing

/// Small command-line contracts: `--help` wrapped cleanly at 80 columns, an empty `--name=`
/// refused as a usage error (also pinned by the `usage-empty-shm-size` fixture), `--diff`
/// labels without `./`, and a joined stream that stays valid when a later file starts with a
/// directive.
@Suite struct CommandLineTests {
    static let width = 80

    /// No line reaches the 80th column (argument-parser leaves the last one free, so a
    /// terminal never wraps on its own), and the overview and discussion paragraphs are wrapped
    /// greedily within 79: no line could have taken the next line's first word.
    @Test func helpWrapsCleanlyAtEightyColumns() throws {
        let result = try ProcessRunner.run(TestEnvironment.binary, ["--help"], environment: ["COLUMNS": "\(Self.width)"])
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { #expect(line.count < Self.width, "too long: \(line)") }
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        let paragraphs = lines[..<usage].split(separator: "").map(Array.init)
        #expect(paragraphs.count == 3, "overview, what it does, exit status")
        for paragraph in paragraphs {
            for (line, next) in zip(paragraph, paragraph.dropFirst()) {
                let word = next.split(separator: " ").first ?? ""
                #expect(line.count + 1 + word.count > Self.width - 1, "ragged: '\(line)' could take '\(word)'")
                #expect(!line.hasSuffix("-") && !line.hasSuffix(" "), "broken: \(line)")
            }
        }
        #expect(paragraphs.first?.first?.hasPrefix("OVERVIEW: Give every Kubernetes pod spec") == true)
    }

    /// `--option=` with nothing after `=` never takes the next argument as its value.
    @Test(arguments: ["--shm-size=", "--volume-name=", "--kind=", "--container=", "--output="])
    func emptyAttachedValueIsAUsageError(_ argument: String) throws {
        let option = String(argument.dropLast())
        let arguments = argument == "--shm-size=" ? [argument, "2gb"] : ["--shm-size=2gb", argument, "pod"]
        let result = try ProcessRunner.shmfix(arguments, stdin: Array("kind: Pod\n".utf8))
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.hasPrefix("Error: '\(option)=' has an empty value; write '\(option)=VALUE' or '\(option) VALUE'\nUsage: "))
        let afterSeparator = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--", argument], stdin: [])
        #expect(afterSeparator.status == 2, "after --, '\(argument)' is a path: \(afterSeparator.stderr)")
    }

    /// `./k8s/a.yaml` and the files of `.` are labelled without `./`, so `git apply -p0` (which
    /// refuses nothing else) and `patch -p0` apply the diff.
    @Test(.enabled(if: OutputModeSupport.canRun("git")))
    func diffLabelsNeverStartWithDotSlash() throws {
        guard let git = OutputModeSupport.client("git") else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.directory("k8s")
        let pod = "kind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n"
        try IntegrationFiles.write(pod, "a.yaml", in: folder)
        try IntegrationFiles.write(pod, "top.yaml", in: scratch.url)
        let expected =
            "--- k8s/a.yaml\n+++ k8s/a.yaml\n@@ -4,3 +4,11 @@\n spec:\n   containers:\n   - name: a\n"
            + "+    volumeMounts:\n+    - name: dshm\n+      mountPath: /dev/shm\n+  volumes:\n+  - name: dshm\n+    emptyDir:\n"
            + "+      medium: Memory\n+      sizeLimit: 2Gi\n"
        for path in ["./k8s/a.yaml", ".//k8s/a.yaml", "././k8s/a.yaml", "./k8s/"] {
            let diff = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--diff", path], in: scratch.url)
            #expect(diff.status == 0)
            #expect(diff.stdoutText == expected, "\(path)")
        }
        let all = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--diff", "."], in: scratch.url)
        #expect(all.stdoutText.hasPrefix("--- k8s/a.yaml\n+++ k8s/a.yaml\n@@ "))
        #expect(all.stdoutText.contains("\n--- top.yaml\n+++ top.yaml\n@@ "))
        let applied = try ProcessRunner.run(git, ["apply", "-p0"], stdin: all.stdout, in: scratch.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        let fixed = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--check", "."], in: scratch.url)
        #expect(fixed.status == 0, "git apply -p0 left: \(fixed.stderr)")
    }

    /// A later file that starts with `%YAML` or `%TAG` (after comments) gets a document end
    /// `...` before it instead of `---`; the joined stream parses with libyaml (PyYAML's C
    /// loader) and with shmfix itself.
    @Test func joiningBeforeADirectiveEndsTheDocument() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = "kind: ConfigMap\nmetadata: {name: a}"
        let second = "# generated\n%YAML 1.1\n%TAG !k! tag:k8s.io,2024:\n---\nkind: ConfigMap\nmetadata: {name: b}\n"
        let third = "%YAML 1.1\n---\nkind: ConfigMap\nmetadata: {name: c}\n...\n"
        let fourth = "kind: ConfigMap\nmetadata: {name: d}\n"
        for (name, text) in [("1.yaml", first), ("2.yaml", second), ("3.yaml", third), ("4.yaml", fourth)] {
            try IntegrationFiles.write(text, name, in: scratch.url)
        }
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "1.yaml", "2.yaml", "3.yaml", "4.yaml"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == first + "\n...\n" + second + "...\n" + third + "---\n" + fourth)
        let again = try ProcessRunner.shmfix(["--shm-size=2gb"], stdin: result.stdout)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == result.stdout)
        let python = try #require(TestEnvironment.which("python3"))
        let parsed = try ProcessRunner.run(
            python, ["-c", "import sys, yaml; print([d['metadata']['name'] for d in yaml.load_all(sys.stdin, Loader=yaml.CSafeLoader)])"],
            stdin: result.stdout)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdoutText == "['a', 'b', 'c', 'd']\n")
    }
}
