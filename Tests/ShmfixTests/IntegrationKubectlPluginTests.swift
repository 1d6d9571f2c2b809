import Foundation
import Testing

/// `make install PREFIX=DIR` and the real `kubectl shmfix …` with `DIR/bin` on PATH: kubectl
/// finds `kubectl-shmfix` and runs it, and what comes out is exactly what `shmfix` writes.
@Suite(.enabled(if: IntegrationClients.mayRun("kubectl", "make")))
struct IntegrationKubectlPluginTests {
    @Test func makeInstallPutsTheBinaryAndTheKubectlLink() throws {
        let installed = try InstalledShmfix.shared()
        let bin = installed.binDirectory
        #expect(FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("shmfix").path))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("kubectl-shmfix").path) == "shmfix")
        let plugins = try ProcessRunner.run(
            try IntegrationClients.path("kubectl"), ["plugin", "list"], environment: ["PATH": installed.path])
        #expect(plugins.stdoutText.contains(bin.appendingPathComponent("kubectl-shmfix").path), "\(plugins.stdoutText)\(plugins.stderr)")
        let plugin = installed.pluginHome.appendingPathComponent("shmfix.dev/v1alpha1/shmfix/ShmFix")
        #expect(FileManager.default.isExecutableFile(atPath: plugin.path))
    }

    @Test(
        arguments: [
            "kind-deployment", "crd-raycluster", "flag-container", "text-crlf", "text-bom", "json-list", "plugin-helm-stream",
            "conflict-configmap-named-dshm",
        ].map(PluginFixture.init))
    func kubectlShmfixIsShmfix(_ fixture: PluginFixture) throws {
        let installed = try InstalledShmfix.shared()
        let viaKubectl = try ProcessRunner.run(
            try IntegrationClients.path("kubectl"), ["shmfix"] + fixture.arguments + [fixture.golden.inputName],
            in: fixture.directory, environment: ["PATH": installed.path])
        let direct = try fixture.commandLineOutput()
        #expect(viaKubectl.status == direct.status, "\(viaKubectl.stderr)")
        #expect(viaKubectl.stdoutText == direct.stdoutText)
        #expect(viaKubectl.stderr == direct.stderr)
        if fixture.golden.contents(fixture.golden.expectedStdoutName) != nil {
            #expect(viaKubectl.stdoutText == fixture.golden.expectedStdout.text)
        }
    }

    @Test func kubectlShmfixFiltersAPipe() throws {
        let fixture = PluginFixture(name: "plugin-helm-stream")
        let installed = try InstalledShmfix.shared()
        let result = try PipeRunner.run(
            try IntegrationClients.path("kubectl"), ["shmfix", "--shm-size=2gb", "-q"], stdin: fixture.input,
            environment: ["PATH": installed.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == fixture.golden.expectedStdout.text)
    }
}
