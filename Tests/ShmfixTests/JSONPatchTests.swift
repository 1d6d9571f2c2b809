import Foundation
import ShmfixCore
import Testing

/// `-o json-patch`: the operations built from planned changes, exactly, and — for every golden
/// fixture — each emitted patch applied by the real `kubectl patch --local` to the original
/// object gives the object of shmfix's YAML output.
@Suite struct JSONPatchTests {
    let fixer = ShmFixer(options: FixOptions(size: .bytes(2 << 30)))

    /// The patch lines of `yaml`, one per changed resource.
    func patches(_ yaml: String, base: (Resource) -> NodePath = { _ in NodePath() }) throws -> [String] {
        try fixer.fix(Array(yaml.utf8)).changedPlans.map { plan in
            try JSONPatchRenderer(relativeTo: base(plan.resource)).patch(for: plan.changes)
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

    /// Each line applies to its original document with the real `kubectl patch --local` and
    /// gives the document of the YAML output (as parsed JSON objects).
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
        let documents = try OutputModeSupport.changedDocuments(
            original: fixture.directory.appendingPathComponent(fixture.inputName), output: output, folder: scratch)
        var lines = patch.stdoutText.split(separator: "\n").map(String.init)[...]
        try #require(lines.count == documents.reduce(0) { $0 + $1.patches }, "\(patch.stdoutText)")
        #expect(patch.stdout.isEmpty || patch.stdout.last == UInt8(ascii: "\n"))
        for document in documents {
            var current = URL(fileURLWithPath: document.original)
            for step in 0..<document.patches {
                guard let line = lines.popFirst() else { break }
                let operations = document.wrapped ? try OutputModeSupport.prefixingPaths(line, with: "/wrapped") : line
                let result = try ProcessRunner.run(
                    kubectl, ["patch", "--local", "-f", current.path, "--type=json", "-p", operations, "-o", "json"])
                try #require(result.status == 0, "document \(document.index): \(line)\n\(result.stderr)")
                current = scratch.appendingPathComponent("patched-\(document.index)-\(step).json")
                try Data(result.stdout).write(to: current)
            }
            let patched = try OutputModeSupport.canonicalFile(current, member: document.wrapped ? "wrapped" : nil)
            let expected = try OutputModeSupport.canonicalFile(URL(fileURLWithPath: document.expected))
            #expect(patched == expected, "document \(document.index)")
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
}
