import Foundation
import Testing

/// The real `kpt fn eval --exec shmfix -- shm-size=…` and `kpt fn render --allow-exec`, with
/// `shmfix` found on PATH where `make install` put it.
///
/// kpt writes the resources back through its own serialiser, so the reference is kpt itself:
/// a package run through shmfix must end up byte for byte like the command line's output of
/// the same fixture run through a function that changes nothing (`cat`).
@Suite(.enabled(if: IntegrationClients.mayRun("kpt", "make")))
struct IntegrationKptTests {
    static let fixtures = [
        "kind-deployment", "crd-raycluster", "crd-kubeflow-pytorchjob-mpijob", "flag-container", "flag-init-containers",
        "volumes-existing-list", "emptydir-other-size", "plugin-helm-stream",
    ].map(PluginFixture.init)

    @Test(arguments: fixtures)
    func fnEvalMatchesTheCommandLine(_ fixture: PluginFixture) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try Self.package(["resources.yaml": fixture.input], in: scratch.directory("pkg"))
        let evaluated = try Self.kpt(["fn", "eval", package.path, "--exec", "shmfix", "--"] + fixture.kptArguments)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let fixed = try fixture.commandLineOutput()
        let reference = try Self.package(["resources.yaml": fixed.stdout], in: scratch.directory("reference"))
        let unchanged = try Self.kpt(["fn", "eval", reference.path, "--exec", try IntegrationClients.path("cat")])
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(IntegrationFiles.snapshot(package) == IntegrationFiles.snapshot(reference))
        #expect(IntegrationFiles.snapshot(package)["resources.yaml"]?.contains("mountPath: /dev/shm") == true)
    }

    /// `Examples/kpt`: a Kptfile pipeline with `exec: shmfix` and a ShmFix config file.
    @Test func fnRenderExamplePipeline() throws {
        let example = TestEnvironment.packageRoot.appendingPathComponent("Examples/kpt")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try IntegrationFiles.copy(example, as: "pkg", in: scratch)
        let rendered = try Self.kpt(["fn", "render", package.path, "--allow-exec"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let reference = try IntegrationFiles.copy(example, as: "reference", in: scratch)
        for name in ["vllm.yaml", "trainer.yaml"] {
            let fixed = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", name], in: example)
            try IntegrationFiles.write(fixed.stdout, name, in: reference)
        }
        let kptfile = reference.appendingPathComponent("Kptfile")
        let original = try String(contentsOf: kptfile, encoding: .utf8)
        try IntegrationFiles.write(
            original.replacingOccurrences(of: "exec: shmfix", with: "exec: \(try IntegrationClients.path("cat"))"), "Kptfile", in: reference
        )
        let unchanged = try Self.kpt(["fn", "render", reference.path, "--allow-exec"])
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        var expected = IntegrationFiles.snapshot(reference)
        expected["Kptfile"] = original
        #expect(IntegrationFiles.snapshot(package) == expected)
        #expect(IntegrationFiles.snapshot(package)["vllm.yaml"] != IntegrationFiles.snapshot(example)["vllm.yaml"])
    }

    /// Warnings reach kpt's structured results with severity, message, resourceRef, field, file.
    @Test func fnEvalReportsWarningsAsResults() throws {
        let fixture = PluginFixture(name: "memory-above-limit")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try Self.package(["gpu.yaml": fixture.input], in: scratch.directory("pkg"))
        let results = scratch.url.appendingPathComponent("results")
        let evaluated = try Self.kpt(
            ["fn", "eval", package.path, "--exec", "shmfix", "--results-dir", results.path, "--"] + fixture.kptArguments)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let report = try String(contentsOf: results.appendingPathComponent("results.yaml"), encoding: .utf8)
        for expected in [
            "severity: warning", "resourceRef:", "kind: ", "field:", "path: spec.", "file:", "path: gpu.yaml",
            "above the pod's memory limit",
        ] {
            #expect(report.contains(expected), "missing '\(expected)' in:\n\(report)")
        }
    }

    /// A conflict fails `fn eval`: non-zero exit, an error result naming the resource and file,
    /// and every file as it was.
    @Test func fnEvalConflictFailsAndLeavesFilesAsTheyWere() throws {
        let conflict = PluginFixture(name: "conflict-configmap-named-dshm")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let files = ["ok.yaml": PluginFixture(name: "kind-deployment").input, "conflict.yaml": conflict.input]
        let package = try Self.package(files, in: scratch.directory("pkg"))
        let before = IntegrationFiles.snapshot(package)
        let results = scratch.url.appendingPathComponent("results")
        let evaluated = try Self.kpt(["fn", "eval", package.path, "--exec", "shmfix", "--results-dir", results.path, "--", "shm-size=2gb"])
        #expect(evaluated.status != 0)
        #expect(IntegrationFiles.snapshot(package) == before)
        let report = try String(contentsOf: results.appendingPathComponent("results.yaml"), encoding: .utf8)
        for expected in [
            "severity: error", "kind: Deployment", "name: confusing", "namespace: prod", "path: conflict.yaml", "is a configMap volume",
        ] {
            #expect(report.contains(expected), "missing '\(expected)' in:\n\(report)")
        }
    }

    /// The same conflict in a rendered pipeline fails the render and changes no file.
    @Test func fnRenderConflictFailsAndLeavesFilesAsTheyWere() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try IntegrationFiles.copy(TestEnvironment.packageRoot.appendingPathComponent("Examples/kpt"), as: "pkg", in: scratch)
        try IntegrationFiles.write(PluginFixture(name: "conflict-dshm-mounted-elsewhere").input, "conflict.yaml", in: package)
        let before = IntegrationFiles.snapshot(package)
        let rendered = try Self.kpt(["fn", "render", package.path, "--allow-exec"])
        #expect(rendered.status != 0)
        #expect(rendered.stderr.contains("[error]"), "\(rendered.stderr)")
        #expect(IntegrationFiles.snapshot(package) == before)
    }

    /// `directory` as a package holding `files`.
    static func package(_ files: [String: [UInt8]], in directory: URL) throws -> URL {
        for (name, bytes) in files { try IntegrationFiles.write(bytes, name, in: directory) }
        return directory
    }

    /// Runs kpt with the installed shmfix first on PATH.
    static func kpt(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(try IntegrationClients.path("kpt"), arguments, environment: ["PATH": try InstalledShmfix.shared().path])
    }
}
