import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// `--diff`, `--check` and `-o kustomize`: exact text for small cases, and for every golden
/// fixture the real tools agree — `patch -p0` and `git apply -p0` turn the input into the YAML
/// output with the diff, and `kubectl kustomize` with the patches gives the YAML output's
/// objects.
@Suite struct OutputModeTests {
    // MARK: Unified diff

    func diff(_ old: String, _ new: String, label: String = "f.yaml") -> String {
        String(decoding: UnifiedDiff().diff(from: Array(old.utf8), to: Array(new.utf8), oldLabel: label, newLabel: label), as: UTF8.self)
    }

    @Test func diffOfEqualTextsIsEmpty() {
        #expect(diff("a\nb\n", "a\nb\n").isEmpty)
    }

    @Test func diffShowsThreeLinesOfContextAndMergesCloseHunks() {
        let old = (1...12).map { "l\($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "l2\n", with: "l2\nx\n").replacingOccurrences(of: "l11\n", with: "")
        #expect(
            diff(old, new) == """
                --- f.yaml
                +++ f.yaml
                @@ -1,5 +1,6 @@
                 l1
                 l2
                +x
                 l3
                 l4
                 l5
                @@ -8,5 +9,4 @@
                 l8
                 l9
                 l10
                -l11
                 l12

                """)
        let merged = old.replacingOccurrences(of: "l2\n", with: "l2\nx\n").replacingOccurrences(of: "l8\n", with: "")
        #expect(diff(old, merged).components(separatedBy: "@@ -").count == 2)
    }

    @Test func diffMarksAMissingFinalLineBreak() {
        #expect(
            diff("a\nb", "a\nb\nc") == """
                --- f.yaml
                +++ f.yaml
                @@ -1,2 +1,3 @@
                 a
                -b
                \\ No newline at end of file
                +b
                +c
                \\ No newline at end of file

                """)
    }

    @Test func diffOfAnEmptyOldFileStartsAtLineZero() {
        #expect(diff("", "a\n").contains("@@ -0,0 +1 @@\n+a\n"))
    }

    @Test func diffLabelsAreQuotedOrEndedWithATabAsGitWritesThem() {
        #expect(UnifiedDiff.label("a b.yaml") == "a b.yaml\t")
        #expect(UnifiedDiff.label("a\"b\\c\u{1}.yaml") == #""a\"b\\c\001.yaml""#)
        #expect(UnifiedDiff.label("dir/ü.yaml") == "dir/ü.yaml")
    }

    /// Each fixture's diff, applied by GNU patch and by git to a copy of the input, gives the YAML
    /// output byte for byte (CRLF, BOM and a missing final line break included).
    @Test(.enabled(if: OutputModeSupport.canRun("patch")), arguments: OutputModeSupport.plainFixtures)
    func diffAppliesWithPatchAndGit(_ fixture: GoldenFixture) throws {
        guard let patch = OutputModeSupport.client("patch") else { return }
        let yaml = try OutputModeSupport.run(fixture)
        let diff = try OutputModeSupport.run(fixture, ["--diff"])
        try #require(yaml.status == 0 && diff.status == 0, "\(yaml.stderr)\(diff.stderr)")
        let input = try Data(contentsOf: fixture.directory.appendingPathComponent(fixture.inputName))
        guard !diff.stdout.isEmpty else {
            #expect([UInt8](input) == yaml.stdout, "no diff, but the output differs from the input")
            return
        }
        #expect(diff.stdoutText.hasPrefix("--- \(fixture.inputName)\n+++ \(fixture.inputName)\n@@ -"))
        var tools: [(String, [String])] = [(patch, ["-p0", "--quiet", "--no-backup-if-mismatch"])]
        if let git = TestEnvironment.which("git") { tools.append((git, ["apply", "-p0"])) }
        for (tool, arguments) in tools {
            let scratch = try TestEnvironment.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let copy = scratch.appendingPathComponent(fixture.inputName)
            try input.write(to: copy)
            let applied = try ProcessRunner.run(tool, arguments, stdin: diff.stdout, in: scratch)
            #expect(applied.status == 0, "\(tool): \(applied.stdoutText)\(applied.stderr)")
            #expect([UInt8](try Data(contentsOf: copy)) == yaml.stdout, "\(tool) gave another text")
        }
    }

    @Test(.enabled(if: OutputModeSupport.canRun("patch")))
    func diffOfSeveralFilesAppliesAtOnceAndNamesOnlyChangedOnes() throws {
        guard let patch = OutputModeSupport.client("patch") else { return }
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pod = "kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n"
        let files = [
            "my pod.yaml": pod, "sub/second.yml": pod.replacingOccurrences(of: "p\n", with: "q\n"), "cm.yaml": "kind: ConfigMap\n",
        ]
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: scratch.appendingPathComponent(name)) }
        let names = ["my pod.yaml", "cm.yaml", "sub/second.yml"]
        let expected = try names.map { try ProcessRunner.shmfix(["--shm-size=1g", "-q", $0], in: scratch).stdout }
        let diff = try ProcessRunner.shmfix(["--shm-size=1g", "-q", "--diff"] + names, in: scratch)
        #expect(diff.status == 0)
        #expect(diff.stdoutText.hasPrefix("--- my pod.yaml\t\n+++ my pod.yaml\t\n@@ "))
        #expect(!diff.stdoutText.contains("cm.yaml"))
        #expect(diff.stdoutText.contains("\n--- sub/second.yml\n+++ sub/second.yml\n@@ "))
        let applied = try ProcessRunner.run(patch, ["-p0", "--quiet"], stdin: diff.stdout, in: scratch)
        #expect(applied.status == 0, "\(applied.stdoutText)\(applied.stderr)")
        for (name, output) in zip(names, expected) {
            #expect([UInt8](try Data(contentsOf: scratch.appendingPathComponent(name))) == output, "\(name)")
        }
    }

    // MARK: Check

    @Test func checkNamesEachResourceThatWouldChangeAndExitsOne() throws {
        let input = """
            kind: Pod
            metadata: {name: a, namespace: ml}
            spec: {containers: [{name: a}]}
            ---
            kind: ConfigMap
            metadata: {name: c}
            ---
            kind: Pod
            metadata: {name: b}
            spec: {containers: [{name: b}]}

            """
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--check"], stdin: Array(input.utf8))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "<stdin>:1:1: Pod/ml/a would change\n<stdin>:8:1: Pod/b would change\n")
    }

    @Test func checkOfFixedInputIsSilentAndExitsZero() throws {
        let input = "kind: Pod\nspec:\n  containers:\n  - name: a\n"
        let fixed = try ProcessRunner.shmfix(["--shm-size=2gb", "-q"], stdin: Array(input.utf8))
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--check"], stdin: fixed.stdout)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test func checkOfRefusedInputExitsTwo() throws {
        let input = "kind: Pod\nspec:\n  containers: [\n"
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "--check"], stdin: Array(input.utf8))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
    }

    // MARK: JSON patch lines across inputs

    /// Several resources in: one object per changed resource that names it; one resource in:
    /// the bare array.
    @Test func jsonPatchWritesOneLinePerChangedResourceAcrossFiles() throws {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pod = "kind: Pod\nmetadata: {name: NAME}\nspec: {containers: [{name: a}]}\n"
        try Data(
            (pod.replacingOccurrences(of: "NAME", with: "a") + "---\nkind: ConfigMap\n---\n"
                + pod.replacingOccurrences(of: "NAME", with: "b")).utf8
        )
        .write(to: scratch.appendingPathComponent("one.yaml"))
        try Data("kind: Secret\n".utf8).write(to: scratch.appendingPathComponent("two.yaml"))
        try Data(pod.replacingOccurrences(of: "NAME", with: "c").utf8).write(to: scratch.appendingPathComponent("three.yaml"))
        let result = try ProcessRunner.shmfix(
            ["--shm-size=2gb", "-q", "-o", "json-patch", "one.yaml", "two.yaml", "three.yaml"], in: scratch)
        #expect(result.status == 0)
        let patch =
            #"[{"op":"add","path":"/spec/volumes","value":[{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"2Gi"}}]},"#
            + #"{"op":"add","path":"/spec/containers/0/volumeMounts","value":[{"name":"dshm","mountPath":"/dev/shm"}]}]"#
        #expect(
            result.stdoutText
                == ["a", "b", "c"].map { #"{"apiVersion":null,"kind":"Pod","namespace":null,"name":"\#($0)","patch":"# + patch + "}\n" }
                .joined())
        let single = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "json-patch", "three.yaml", "two.yaml"], in: scratch)
        #expect(
            single.stdoutText == #"{"apiVersion":null,"kind":"Pod","namespace":null,"name":"c","patch":"# + patch + "}\n",
            "one changed resource, but two in: the line form")
        let alone = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "json-patch", "three.yaml"], in: scratch)
        #expect(alone.stdoutText == patch + "\n", "one resource in: the bare array")
        let none = try ProcessRunner.shmfix(["--shm-size=2gb", "-o", "json-patch", "two.yaml"], in: scratch)
        #expect(none.status == 0 && none.stdout.isEmpty)
    }

    // MARK: Kustomize

    @Test func kustomizeTargetsOmitWhatTheResourceDoesNotHaveAndGuardTheCoreGroup() throws {
        let input = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: "123", namespace: ml}
              spec: {containers: [{name: a}]}

            """
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "kustomize"], stdin: Array(input.utf8))
        #expect(result.status == 0)
        #expect(
            result.stdoutText == """
                patches:
                - target:
                    version: v1
                    kind: Pod
                    name: "123"
                    namespace: ml
                  patch: |-
                    [{"op":"test","path":"/apiVersion","value":"v1"},{"op":"test","path":"/spec/volumes","value":null},{"op":"add","path":"/spec/volumes","value":[{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"2Gi"}}]},{"op":"test","path":"/spec/containers/0/name","value":"a"},{"op":"test","path":"/spec/containers/0/volumeMounts","value":null},{"op":"add","path":"/spec/containers/0/volumeMounts","value":[{"name":"dshm","mountPath":"/dev/shm"}]}]

                """)
        let none = try ProcessRunner.shmfix(["--shm-size=2gb", "-o", "kustomize"], stdin: Array("kind: ConfigMap\n".utf8))
        #expect(none.stdoutText == "patches: []\n")
    }

    /// Fixtures that kustomize reads otherwise than YAML does: a patch guard fails the build,
    /// with the message given.
    static let kustomizeReadsOtherwise = [
        // kyaml reads a flow key without ':' (`{name: app, volumeMounts}`) as "", YAML and
        // kubectl as null: the guard that volumeMounts is absent or null refuses it.
        "fuzz-flow-key-without-colon": "testing value /spec/template/spec/containers/0/volumeMounts failed"
    ]

    /// The patches, put in a kustomization beside the original resources, make the real
    /// `kubectl kustomize` give the objects of shmfix's YAML output (fixtures whose resources
    /// kustomize can take: each with apiVersion, kind and a name; `kustomizeReadsOtherwise`
    /// fail the build instead).
    @Test(.enabled(if: OutputModeSupport.canRun("kubectl")), arguments: OutputModeSupport.plainFixtures)
    func kubectlKustomizeGivesTheYAMLOutput(_ fixture: GoldenFixture) throws {
        guard let kubectl = OutputModeSupport.client("kubectl") else { return }
        let original = fixture.directory.appendingPathComponent(fixture.inputName)
        guard try OutputModeSupport.resources([original]).kustomizable else { return }
        let yaml = try OutputModeSupport.run(fixture)
        let patches = try OutputModeSupport.run(fixture, ["-o", "kustomize"])
        try #require(yaml.status == 0 && patches.status == 0, "\(yaml.stderr)\(patches.stderr)")
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data(contentsOf: original).write(to: scratch.appendingPathComponent(fixture.inputName))
        let kustomization = "resources:\n- \(fixture.inputName)\n" + patches.stdoutText
        try Data(kustomization.utf8).write(to: scratch.appendingPathComponent("kustomization.yaml"))
        let built = try ProcessRunner.run(kubectl, ["kustomize", scratch.path])
        if let failure = Self.kustomizeReadsOtherwise[fixture.name] {
            #expect(built.status == 1 && built.stdout.isEmpty)
            #expect(built.stderr.contains(failure), "\(built.stderr)")
            return
        }
        try #require(built.status == 0, "\(built.stderr)\n\(kustomization)")
        let builtFile = scratch.appendingPathComponent("built.yaml")
        let outputFile = scratch.appendingPathComponent("output.yaml")
        try Data(built.stdout).write(to: builtFile)
        try Data(yaml.stdout).write(to: outputFile)
        let actual = try OutputModeSupport.resources([builtFile]).objects
        let expected = try OutputModeSupport.resources([outputFile]).objects
        #expect(actual == expected)
    }
}
