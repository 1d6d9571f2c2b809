import Foundation
import Testing

/// The plugin entry modes of the `shmfix` binary (`EntryMode`), driven exactly as kustomize, kpt
/// and Helm drive it, but without the clients: the rules that pick a mode, the config object,
/// the KRM `ResourceList` answers (golden files `Tests/Fixtures/plugin-krm-*/krm/`), and the
/// refusals that must leave stdout empty.
@Suite struct IntegrationModeTests {
    static let deployment = PluginFixture(name: "kind-deployment")
    static let conflict = PluginFixture(name: "conflict-configmap-named-dshm")

    // MARK: kustomize exec transformer

    @Test func programNamedShmFixIsTheExecTransformer() throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        let plugin = scratch.appendingPathComponent("ShmFix")
        try FileManager.default.createSymbolicLink(atPath: plugin.path, withDestinationPath: TestEnvironment.binary)
        try IntegrationFiles.write(try Self.deployment.shmFixObject(), "config.yaml", in: scratch)
        let result = try PipeRunner.run(plugin.path, [scratch.appendingPathComponent("config.yaml").path], stdin: Self.deployment.input)
        let reference = try Self.deployment.commandLineOutput()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == reference.stdout.text)
    }

    @Test func aLoneShmFixConfigArgumentIsTheExecTransformer() throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        let fixture = PluginFixture(name: "flag-container")
        try IntegrationFiles.write(try fixture.shmFixObject(), "shmfix.yaml", in: scratch)
        let result = try ProcessRunner.shmfix(["shmfix.yaml"], stdin: fixture.input, in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == (try fixture.commandLineOutput()).stdout.text)
    }

    @Test func execTransformerRefusalLeavesStdoutEmpty() throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        try IntegrationFiles.write(try Self.conflict.shmFixObject(), "shmfix.yaml", in: scratch)
        let result = try PipeRunner.run(
            TestEnvironment.binary, [scratch.appendingPathComponent("shmfix.yaml").path], stdin: Self.conflict.input)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: Deployment/prod/confusing: volume 'dshm' is a configMap volume"), "\(result.stderr)")
        // The hint names the config key the user would change, not the command-line flag.
        #expect(result.stderr.hasSuffix("; choose another name with spec.volumeName\n"), "\(result.stderr)")
    }

    /// Config mistakes are usage errors (64) that name the file, the line and column, and the key.
    @Test(arguments: [
        ("spec:\n  shmSize: 2gb\n  sizeLimit: 1g\n", "shmfix.yaml:7:3: error: ShmFix/shm: unknown option 'spec.sizeLimit'"),
        ("spec:\n  shmSize: 0\n", "shmfix.yaml:6:12: error: ShmFix/shm: 'spec.shmSize': invalid size '0'"),
        ("spec:\n  volumeName: dshm\n", "shmfix.yaml:6:3: error: ShmFix/shm: 'spec.shmSize' is required"),
        ("spec:\n  shmSize: 2gb\n  gpuOnly: yes please\n", "shmfix.yaml:7:12: error: ShmFix/shm: 'spec.gpuOnly' must be true or false"),
        (
            "spec:\n  shmSize: 2gb\n  volumeName: Dev_Shm\n",
            "shmfix.yaml:7:15: error: ShmFix/shm: 'spec.volumeName': invalid volume name 'Dev_Shm'"
        ),
        (
            "spec:\n  shmSize: 2gb\n  containers: [{name: vllm}]\n",
            "shmfix.yaml:7:16: error: ShmFix/shm: 'spec.containers' must be a non-empty string"
        ),
    ])
    func configMistakesAreUsageErrors(spec: String, message: String) throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        try IntegrationFiles.write(
            "apiVersion: shmfix.dev/v1alpha1\nkind: ShmFix\nmetadata:\n  name: shm\n" + spec, "shmfix.yaml", in: scratch)
        let result = try ProcessRunner.shmfix(["shmfix.yaml"], stdin: Self.deployment.input, in: scratch)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }

    @Test func execTransformerRefusesExtraArguments() throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        let plugin = scratch.appendingPathComponent("ShmFix")
        try FileManager.default.createSymbolicLink(atPath: plugin.path, withDestinationPath: TestEnvironment.binary)
        try IntegrationFiles.write(try Self.deployment.shmFixObject(), "config.yaml", in: scratch)
        let result = try PipeRunner.run(
            plugin.path, [scratch.appendingPathComponent("config.yaml").path, "--quiet"], stdin: Self.deployment.input)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unexpected arguments '--quiet'"))
    }

    // MARK: KRM function

    static let krmFixtures = ["plugin-krm-configmap", "plugin-krm-conflict", "plugin-krm-shmfix-object"].map(PluginFixture.init)

    /// `krm/expected.yaml` is the exact stdout, `krm/status` the exit status (absent for 0);
    /// `SHMFIX_RECORD=1` re-records them.
    @Test(arguments: krmFixtures)
    func resourceListAnswer(_ fixture: PluginFixture) throws {
        let result = try PipeRunner.run(TestEnvironment.binary, [], stdin: fixture.input)
        let krm = fixture.directory.appendingPathComponent("krm")
        if TestEnvironment.isRecording {
            try IntegrationFiles.write(result.stdout, "expected.yaml", in: krm)
            try? FileManager.default.removeItem(at: krm.appendingPathComponent("status"))
            if result.status != 0 { try IntegrationFiles.write("\(result.status)\n", "status", in: krm) }
            Issue.record("recorded \(fixture.name)/krm; review the files and run again without SHMFIX_RECORD")
            return
        }
        let expectedStatus =
            (try? String(contentsOf: krm.appendingPathComponent("status"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let expected = [UInt8]((try? Data(contentsOf: krm.appendingPathComponent("expected.yaml"))) ?? Data())
        #expect(result.status == expectedStatus, "\(result.stderr)")
        #expect(result.stdoutText == expected.text)
        let original = fixture.input.lines.filter { $0 != "results: []" }
        #expect(result.stdout.lines.difference(from: original).removals.isEmpty, "a line of the ResourceList was changed or dropped")
        #expect(result.stdout.lines.filter { $0.hasPrefix("results:") }.count <= 1)
    }

    /// Every `config.kubernetes.io/*`, `internal.config.kubernetes.io/*` and `config.k8s.io/id`
    /// annotation and every comment of the list kpt sent comes back byte for byte.
    @Test func kptAnnotationsAndCommentsAreKept() throws {
        let fixture = PluginFixture(name: "plugin-krm-configmap")
        let result = try PipeRunner.run(TestEnvironment.binary, [], stdin: fixture.input)
        let kept = fixture.input.lines.filter {
            $0.contains("config.kubernetes.io/") || $0.contains("config.k8s.io/id") || $0.contains("#")
        }
        #expect(kept.count == 19)
        let output = result.stdout.lines
        for line in kept { #expect(output.contains(line), "lost: \(line)") }
        #expect(result.stdout.onlyInsertsLines(into: fixture.input))
    }

    /// The ResourceList answers are right by the independent PyYAML verifier (results aside).
    @Test func resourceListItemsAreVerifiedIndependently() throws {
        let space = try Scratch()
        defer { space.remove() }
        let scratch = space.url
        let list =
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data: {shm-size: 1536m}\nitems:\n"
        var pairs: [Verifier.Pair] = []
        for (index, name) in ["kind-deployment", "crd-raycluster", "argo-workflow", "memory-no-limit"].enumerated() {
            let items = PluginFixture(name: name).input.lines.map { "  " + $0 }.joined(separator: "\n")
            let input = Array((list + "- " + items.dropFirst(2) + "\n").utf8)
            let result = try PipeRunner.run(TestEnvironment.binary, [], stdin: input)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            try IntegrationFiles.write(input, "\(index).in.yaml", in: scratch)
            try IntegrationFiles.write(result.stdout, "\(index).out.yaml", in: scratch)
            pairs.append(
                Verifier.Pair(
                    original: scratch.appendingPathComponent("\(index).in.yaml"),
                    output: scratch.appendingPathComponent("\(index).out.yaml"), size: "1536Mi"))
        }
        let verdict = try Verifier.verify(pairs)
        #expect(verdict.status == 0, "\(verdict.stdoutText)")
    }

    @Test(arguments: [
        ("", "no functionConfig"),
        ("functionConfig:\n  apiVersion: v1\n  kind: Secret\n  metadata: {name: x}\n", "the config must be a ShmFix object"),
        (
            "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data: {shm-size: 2gb, containers: a}\n",
            "unknown option 'data.containers'"
        ),
    ])
    func resourceListConfigMistakesAreReportedInResults(config: String, message: String) throws {
        let input = Array(("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n" + config).utf8)
        let result = try PipeRunner.run(TestEnvironment.binary, [], stdin: input)
        #expect(result.status == 64)
        #expect(result.stdout.onlyInsertsLines(into: input))
        #expect(result.stdoutText.contains("results:\n- message: \"\(message)"), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("  severity: error\n"))
        #expect(result.stderr.contains(message))
    }

    // MARK: Command line

    @Test func noArgumentsAndNoResourceListIsTheUsualUsageError() throws {
        let result = try PipeRunner.run(TestEnvironment.binary, [], stdin: Self.deployment.input)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--shm-size"))
    }

    // Empty stdin (pipe, /dev/null, file) in every mode: EmptyInputTests.
}
