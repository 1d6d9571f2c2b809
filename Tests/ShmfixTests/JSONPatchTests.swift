import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// `-o json-patch`: the operations built from planned changes, exactly, and — for every golden
/// fixture — each emitted patch applied by the real `kubectl patch --local` to the original
/// object gives the object of shmfix's YAML output.
@Suite struct JSONPatchTests {
    let fixer = ShmFixer(options: FixOptions(size: .bytes(2 << 30)))

    /// The patch lines of `yaml`, one per changed resource.
    func patches(_ yaml: String, base: (Resource) -> NodePath = { _ in NodePath() }) throws -> [String] {
        try fixer.fix(Array(yaml.utf8)).changedResources.map(\.plan).map { plan in
            JSONPatchRenderer(relativeTo: base(plan.resource)).patch(for: plan.changes)
        }
    }

    static let volume = #"{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"2Gi"}}"#
    static let mount = #"{"name":"dshm","mountPath":"/dev/shm"}"#

    @Test func absentArraysAreAddedWhole() throws {
        let yaml = """
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: a
            """
        #expect(
            try patches(yaml) == [
                #"[{"op":"add","path":"/spec/volumes","value":[\#(Self.volume)]},"#
                    + #"{"op":"add","path":"/spec/containers/0/volumeMounts","value":[\#(Self.mount)]}]"#
            ])
    }

    @Test func nullArraysAreReplacedByAWholeArray() throws {
        let yaml = """
            kind: Pod
            spec:
              volumes: ~
              containers:
              - name: a
                volumeMounts: null
            """
        #expect(
            try patches(yaml) == [
                #"[{"op":"add","path":"/spec/volumes","value":[\#(Self.volume)]},"#
                    + #"{"op":"add","path":"/spec/containers/0/volumeMounts","value":[\#(Self.mount)]}]"#
            ])
    }

    @Test func existingArraysGetAppends() throws {
        let yaml = """
            kind: Pod
            spec:
              volumes: []
              containers:
              - name: a
                volumeMounts:
                - {name: data, mountPath: /data}
            """
        #expect(
            try patches(yaml) == [
                #"[{"op":"add","path":"/spec/volumes/-","value":\#(Self.volume)},"#
                    + #"{"op":"add","path":"/spec/containers/0/volumeMounts/-","value":\#(Self.mount)}]"#
            ])
    }

    @Test func existingEmptyDirMembersAreReplacedOrAdded() throws {
        let yaml = """
            kind: Pod
            spec:
              volumes:
              - name: dshm
                emptyDir: {sizeLimit: 1Gi}
              containers:
              - name: a
                volumeMounts: [{name: dshm, mountPath: /dev/shm}]
            """
        #expect(
            try patches(yaml) == [
                #"[{"op":"add","path":"/spec/volumes/0/emptyDir/medium","value":"Memory"},"#
                    + #"{"op":"replace","path":"/spec/volumes/0/emptyDir/sizeLimit","value":"2Gi"}]"#
            ])
    }

    @Test func nullEmptyDirIsReplaced() throws {
        let yaml = """
            kind: Pod
            spec:
              volumes:
              - name: dshm
                emptyDir:
              containers:
              - name: a
                volumeMounts: [{name: dshm, mountPath: /dev/shm}]
            """
        #expect(
            try patches(yaml) == [
                #"[{"op":"replace","path":"/spec/volumes/0/emptyDir","value":{"medium":"Memory","sizeLimit":"2Gi"}}]"#
            ])
    }

    @Test func pointersEscapeTildeAndSlash() throws {
        let yaml = """
            apiVersion: example.com/v1
            kind: Trainer
            spec:
              "roles/a~b":
                containers:
                - name: a
            """
        let lines = try patches(yaml)
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""path":"/spec/roles~1a~0b/volumes""#) == true)
        #expect(lines.first?.contains(#""path":"/spec/roles~1a~0b/containers/0/volumeMounts""#) == true)
    }

    @Test func listItemsGoThroughItemsOrAreTargetedThemselves() throws {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
            - apiVersion: v1
              kind: Pod
              metadata: {name: p}
              spec:
                containers: [{name: a}]
            """
        #expect(try patches(yaml).first?.hasPrefix(#"[{"op":"add","path":"/items/1/spec/volumes","#) == true)
        let relative = try patches(yaml, base: { $0.root.path })
        #expect(relative.first?.hasPrefix(#"[{"op":"add","path":"/spec/volumes","#) == true)
    }

    @Test func jsonTextEscapesWhatYAMLWouldReadAsALineBreak() {
        #expect(JSONPatchText.string("a\"b\\c\n\u{1}\u{85}\u{2028}\u{FEFF}é") == #""a\"b\\c\n\u0001\u0085\u2028\ufeffé""#)
    }

    /// Every patch says which resource it is for and, applied by the real `kubectl patch
    /// --local --type=json` to that resource alone (a List item extracted as its own resource),
    /// gives the resource of shmfix's YAML output, as parsed objects. One resource in: one bare
    /// array out.
    @Test(.enabled(if: OutputModeSupport.canRun("kubectl")), arguments: OutputModeSupport.plainFixtures)
    func kubectlPatchGivesTheYAMLOutput(_ fixture: GoldenFixture) throws {
        guard let kubectl = OutputModeSupport.client("kubectl") else { return }
        let yaml = try OutputModeSupport.run(fixture)
        let patch = try OutputModeSupport.run(fixture, ["-o", "json-patch"])
        try #require(yaml.status == 0 && patch.status == 0, "\(yaml.stderr)\(patch.stderr)")
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("output." + (fixture.inputName as NSString).pathExtension)
        try Data(yaml.stdout).write(to: output)
        let pairs = try OutputModeSupport.resourcePairs(
            original: fixture.directory.appendingPathComponent(fixture.inputName), output: output, folder: scratch)
        let changed = pairs.resources.filter(\.changed)
        let lines = patch.stdoutText.split(separator: "\n").map(String.init)
        try #require(lines.count == changed.count, "\(patch.stdoutText)")
        #expect(patch.stdout.isEmpty || patch.stdout.last == UInt8(ascii: "\n"))
        for (step, (line, resource)) in zip(lines, changed).enumerated() {
            let operations: String
            if pairs.single {
                #expect(line.hasPrefix("[{"), "one resource in: a bare array")
                operations = line
            } else {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(Array(object.keys).sorted() == ["apiVersion", "kind", "name", "namespace", "patch"])
                #expect(object["apiVersion"] as? String == resource.apiVersion && object["kind"] as? String == resource.kind)
                #expect(object["namespace"] as? String == resource.namespace && object["name"] as? String == resource.name)
                #expect(line.hasPrefix("{\"apiVersion\":"), "the identity first: \(line)")
                let array = try #require(object["patch"] as? [Any])
                operations = String(
                    decoding: try JSONSerialization.data(withJSONObject: array, options: .withoutEscapingSlashes), as: UTF8.self)
            }
            let result = try ProcessRunner.run(
                kubectl, ["patch", "--local", "-f", resource.original, "--type=json", "-p", operations, "-o", "json"])
            try #require(result.status == 0, "\(resource.kind)/\(resource.name ?? ""): \(operations)\n\(result.stderr)")
            let patched = scratch.appendingPathComponent("patched-\(step).json")
            try Data(result.stdout).write(to: patched)
            #expect(
                try OutputModeSupport.canonicalFile(patched) == OutputModeSupport.canonicalFile(URL(fileURLWithPath: resource.expected)),
                "\(resource.kind)/\(resource.name ?? "")")
        }
    }

    /// The whole output of a single resource is what `kubectl patch --type=json -p` takes.
    @Test(.enabled(if: OutputModeSupport.canRun("kubectl")))
    func singleResourceIsDirectlyUsable() throws {
        guard let kubectl = OutputModeSupport.client("kubectl") else { return }
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("web.yaml")
        try Data(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx

            """.utf8
        ).write(to: file)
        let patch = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "json-patch", file.path])
        #expect(patch.status == 0)
        let argument = patch.stdoutText.trimmingCharacters(in: .newlines)
        let result = try ProcessRunner.run(
            kubectl,
            [
                "patch", "--local", "-f", file.path, "--type=json", "-p", argument, "-o",
                "jsonpath={.spec.template.spec.volumes[0].emptyDir.sizeLimit}",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "2Gi")
    }

    /// In the line form a patch must name its resource; a resource without a name is refused.
    @Test func lineFormRefusesAResourceWithoutAName() throws {
        let input =
            "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a}]}\n---\n"
            + "kind: Pod\nmetadata: {generateName: b-}\nspec: {containers: [{name: b}]}\n"
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "json-patch"], stdin: Array(input.utf8))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "<stdin>:5:1: error: Pod/(unnamed): -o json-patch needs 'metadata.name' to say which resource a patch is for "
                + "when the input holds several\n")
        let alone = try ProcessRunner.shmfix(
            ["--shm-size=2gb", "-q", "-o", "json-patch"],
            stdin: Array(input.split(separator: "---\n").last.map(String.init)?.utf8 ?? "".utf8))
        #expect(alone.status == 0, "one resource in needs no name: \(alone.stderr)")
        #expect(alone.stdoutText.hasPrefix(#"[{"op":"add","path":"/spec/volumes""#))
    }
}
