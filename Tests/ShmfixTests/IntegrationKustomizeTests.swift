import Foundation
import Testing

/// The real `kubectl kustomize --enable-alpha-plugins` with shmfix installed as a legacy exec
/// transformer by `make kustomize-plugin PLUGIN_HOME=…`.
///
/// kustomize re-serialises what a transformer prints (its own key order and style), so the
/// reference is kustomize itself: building the fixture with the transformer must give exactly
/// what building the command line's output of the same fixture without it gives.
@Suite(.enabled(if: IntegrationClients.mayRun("kubectl", "make")))
struct IntegrationKustomizeTests {
    static let fixtures = [
        "kind-deployment", "crd-raycluster", "kind-cronjob", "flag-container", "flag-init-containers", "yaml-kind-list",
        "text-crlf", "plugin-helm-stream",
    ].map(PluginFixture.init)

    @Test func exampleKustomizationRenders() throws {
        let example = TestEnvironment.packageRoot.appendingPathComponent("Examples/kustomize")
        let built = try Self.build(example, pluginHome: try InstalledShmfix.shared().pluginHome)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdoutText.components(separatedBy: "sizeLimit: 2Gi").count == 3)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let reference = try scratch.directory("reference")
        for name in ["vllm.yaml", "trainer.yaml"] {
            let fixed = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", name], in: example)
            #expect(fixed.status == 0)
            try IntegrationFiles.write(fixed.stdout, name, in: reference)
        }
        try IntegrationFiles.write("resources:\n- vllm.yaml\n- trainer.yaml\n", "kustomization.yaml", in: reference)
        #expect(built.stdoutText == (try Self.build(reference, pluginHome: nil)).stdoutText)
    }

    @Test(arguments: fixtures)
    func transformerMatchesTheCommandLine(_ fixture: PluginFixture) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try Self.kustomization(for: fixture, resources: fixture.input, transformer: true, in: scratch.directory("pkg"))
        let built = try Self.build(package, pluginHome: try InstalledShmfix.shared().pluginHome)
        #expect(built.status == 0, "\(built.stderr)")
        let fixed = try fixture.commandLineOutput()
        #expect(fixed.status == 0)
        let referencePackage = try Self.kustomization(
            for: fixture, resources: fixed.stdout, transformer: false, in: scratch.directory("reference"))
        let reference = try Self.build(referencePackage, pluginHome: nil)
        #expect(reference.status == 0, "\(reference.stderr)")
        #expect(built.stdoutText == reference.stdoutText)
        #expect(built.stdoutText.contains("mountPath: /dev/shm"))
    }

    /// A conflict fails the build: non-zero exit, nothing on stdout, shmfix's reason on stderr,
    /// and every file as it was.
    @Test(arguments: ["conflict-configmap-named-dshm", "conflict-dshm-mounted-elsewhere"].map(PluginFixture.init))
    func conflictFailsTheBuild(_ fixture: PluginFixture) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let package = try Self.kustomization(for: fixture, resources: fixture.input, transformer: true, in: scratch.directory("pkg"))
        let before = IntegrationFiles.snapshot(package)
        let built = try Self.build(package, pluginHome: try InstalledShmfix.shared().pluginHome)
        #expect(built.status != 0)
        #expect(built.stdout.isEmpty)
        #expect(built.stderr.contains("error: Deployment/"), "\(built.stderr)")
        #expect(IntegrationFiles.snapshot(package) == before)
    }

    /// `directory` as a kustomization of `resources.yaml` (and, with `transformer`, the
    /// fixture's ShmFix config).
    static func kustomization(for fixture: PluginFixture, resources: [UInt8], transformer: Bool, in directory: URL) throws -> URL {
        try IntegrationFiles.write(resources, "resources.yaml", in: directory)
        var text = "resources:\n- resources.yaml\n"
        if transformer {
            try IntegrationFiles.write(try fixture.shmFixObject(), "shmfix.yaml", in: directory)
            text += "transformers:\n- shmfix.yaml\n"
        }
        try IntegrationFiles.write(text, "kustomization.yaml", in: directory)
        return directory
    }

    /// `kubectl kustomize --enable-alpha-plugins DIR` with `KUSTOMIZE_PLUGIN_HOME` set.
    static func build(_ directory: URL, pluginHome: URL?) throws -> ProcessResult {
        var environment: [String: String] = [:]
        if let pluginHome { environment["KUSTOMIZE_PLUGIN_HOME"] = pluginHome.path }
        return try ProcessRunner.run(
            try IntegrationClients.path("kubectl"), ["kustomize", "--enable-alpha-plugins", directory.path], environment: environment)
    }
}
