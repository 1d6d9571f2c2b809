import Foundation
import ShmfixYAML
import Testing

/// shmfix as a Helm post-renderer, run exactly as Helm runs it (Helm itself is not installed
/// here): the rendered stream through a pipe on stdin, the answer from stdout.
///
/// - Helm 3: `--post-renderer shmfix --post-renderer-args=--shm-size=2gb` execs the binary with
///   those arguments.
/// - Helm 4: `Examples/helm/shmfix/plugin.yaml` (`type: postrenderer/v1`, subprocess runtime);
///   Helm picks the `platformCommand`, expands `$VARS` (with `HELM_PLUGIN_DIR` and
///   `HELM_PLUGIN_NAME` set), appends `--post-renderer-args` and runs it — `HelmPlugin` does the
///   same.
///
/// Helm treats an empty answer as a failure; shmfix never exits 0 with one.
@Suite(.enabled(if: IntegrationClients.mayRun("make")))
struct IntegrationHelmTests {
    static let stream = PluginFixture(name: "plugin-helm-stream")

    @Test func helm3PostRendererKeepsCommentsAndAnnotationsByteForByte() throws {
        let installed = try InstalledShmfix.shared()
        let shmfix = installed.binDirectory.appendingPathComponent("shmfix").path
        let result = try PipeRunner.run(shmfix, ["--shm-size=2gb"], stdin: Self.stream.input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == Self.stream.golden.expectedStdout.text)
        try Self.expectHelmMarkersKept(result.stdout)
    }

    @Test func helm4PluginKeepsCommentsAndAnnotationsByteForByte() throws {
        let plugin = try HelmPlugin(directory: TestEnvironment.packageRoot.appendingPathComponent("Examples/helm/shmfix"))
        #expect(plugin.apiVersion == "v1")
        #expect(plugin.type == "postrenderer/v1")
        #expect(plugin.runtime == "subprocess")
        let result = try plugin.postRender(Self.stream.input, extraArgs: ["--shm-size=2gb"], path: try InstalledShmfix.shared().path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == Self.stream.golden.expectedStdout.text)
        try Self.expectHelmMarkersKept(result.stdout)
    }

    /// Every failure is a non-zero exit with nothing on stdout, whichever Helm runs shmfix.
    @Test(arguments: [
        ("empty stream", [UInt8](), ["--shm-size=2gb"], Int32(2)),
        ("conflict", PluginFixture(name: "conflict-configmap-named-dshm").input, ["--shm-size=2gb"], 2),
        ("YAML error", Array("---\n# Source: c/templates/x.yaml\nkind: Pod\nspec: [\n".utf8), ["--shm-size=2gb"], 2),
        ("no --post-renderer-args", PluginFixture(name: "plugin-helm-stream").input, [], 64),
    ])
    func neverAnEmptySuccess(case name: String, input: [UInt8], extraArgs: [String], status: Int32) throws {
        let installed = try InstalledShmfix.shared()
        let plugin = try HelmPlugin(directory: TestEnvironment.packageRoot.appendingPathComponent("Examples/helm/shmfix"))
        let helm4 = try plugin.postRender(input, extraArgs: extraArgs, path: installed.path)
        let helm3 = try PipeRunner.run(installed.binDirectory.appendingPathComponent("shmfix").path, extraArgs, stdin: input)
        for result in [helm3, helm4] {
            #expect(result.status == status, "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(name): \(result.stdoutText)")
            #expect(result.stderr.lowercased().contains("error"), "\(name)")
        }
    }

    /// The `# Source:` comments and filename annotations of the input, in order, unchanged.
    static func expectHelmMarkersKept(_ output: [UInt8]) throws {
        let markers = stream.input.lines.filter { $0.hasPrefix("# Source:") || $0.contains("postrenderer.helm.sh/postrender-filename") }
        #expect(markers.count == 8)
        #expect(output.lines.filter { markers.contains($0) } == markers)
        #expect(output.onlyInsertsLines(into: stream.input))
    }
}

/// A Helm 4 subprocess plugin, read from its `plugin.yaml` and invoked the way Helm's subprocess
/// runtime invokes a `postrenderer/v1` plugin.
struct HelmPlugin {
    let directory: URL
    let apiVersion: String
    let type: String
    let runtime: String
    let name: String
    let command: [String]
    let args: [String]

    init(directory: URL) throws {
        self.directory = directory
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent("plugin.yaml")))
        guard let root = try YAMLReader().read(bytes).documents.first?.root else { throw IntegrationFailure("plugin.yaml is empty") }
        apiVersion = root["apiVersion"]?.string ?? ""
        type = root["type"]?.string ?? ""
        runtime = root["runtime"]?.string ?? ""
        name = root["name"]?.string ?? ""
        // Helm's getPlatformCommand: the entry for this OS and arch, else one without a selector.
        let entries = root["runtimeConfig"]?["platformCommand"]?.items ?? []
        let matching =
            entries.first { ($0["os"]?.string ?? "").lowercased() == "linux" } ?? entries.first { $0["os"] == nil && $0["arch"] == nil }
        guard let entry = matching, let command = entry["command"]?.string else {
            throw IntegrationFailure("plugin.yaml has no platformCommand for linux")
        }
        self.command = command.split(separator: " ").map(String.init)
        args = (entry["args"]?.items ?? []).compactMap(\.string)
    }

    /// Runs the plugin on `manifests` as Helm 4's `runPostrenderer` does.
    func postRender(_ manifests: [UInt8], extraArgs: [String], path: String) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path
        environment["HELM_PLUGIN_NAME"] = name
        environment["HELM_PLUGIN_DIR"] = directory.path
        let main = Self.expand(command[0], environment)
        let arguments = (command.dropFirst() + args).map { Self.expand($0, environment) } + extraArgs
        let executable = main.contains("/") ? main : try Self.lookPath(main, in: path)
        return try PipeRunner.run(executable, arguments, stdin: manifests, environment: environment)
    }

    /// Go's `os.Expand`: `$NAME` and `${NAME}` replaced from `environment` (unset: empty).
    static func expand(_ text: String, _ environment: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            let name: Substring
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                name = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest.dropFirst(name.count)
            }
            result += environment[String(name)] ?? ""
        }
        return result + rest
    }

    /// Go's `exec.LookPath` for a bare name.
    static func lookPath(_ name: String, in path: String) throws -> String {
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw IntegrationFailure("'\(name)' is not on PATH")
    }
}
