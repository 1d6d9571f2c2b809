import Foundation
import Testing

/// One rule for an input that as a whole holds nothing (no YAML document, or only empty and
/// null ones: blank lines, comments, `---`, `...`): refused with exit 2 and the path in the
/// message, in every mode and from every kind of stdin; an empty file among others is fine.
@Suite struct EmptyInputTests {
    static let stdinMessage =
        "<stdin>: error: the input holds no YAML document (it is empty, or only comments and document markers); "
        + "there is nothing to fix and nothing to write\n"

    static let modes: [[String]] = [[], ["--check"], ["--diff"], ["-o", "json-patch"], ["-o", "kustomize"]]

    /// A pipe, `/dev/null` (a character device) and a redirected empty file, in every mode.
    @Test(arguments: modes)
    func emptyStandardInputOfAnyKindIsRefused(_ mode: [String]) throws {
        let arguments = ["--shm-size=2gb"] + mode
        let results = [
            ("pipe", try PipeRunner.run(TestEnvironment.binary, arguments, stdin: [])),
            ("/dev/null", try ProcessRunner.shmfix(arguments)),
            ("empty file", try ProcessRunner.shmfix(arguments, stdin: [])),
            ("empty file as -", try ProcessRunner.shmfix(arguments + ["-"], stdin: [])),
        ]
        for (name, result) in results {
            #expect(result.status == 2, "\(name)")
            #expect(result.stdout.isEmpty, "\(name)")
            #expect(result.stderr == Self.stdinMessage, "\(name)")
        }
    }

    /// Blank lines, comments, document markers and null documents hold nothing either.
    @Test(arguments: ["\n\n", "# only a comment\n", "---\n", "---\n# Source: c/templates/x.yaml\n---\n...\n", "~\n", "--- null\n"])
    func onlyCommentsMarkersAndNullsHoldNothing(_ text: String) throws {
        let result = try PipeRunner.run(TestEnvironment.binary, ["--shm-size=2gb"], stdin: Array(text.utf8))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == Self.stdinMessage)
    }

    @Test(arguments: modes + [["-i"]])
    func directoryWithoutManifestsIsRefusedInEveryMode(_ mode: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.directory("k8s")
        try IntegrationFiles.write("not a manifest\n", "README.md", in: folder)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb"] + mode + ["k8s"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "k8s: error: directory 'k8s' holds no *.yaml, *.yml or *.json file; there is nothing to fix and nothing to write\n")
    }

    @Test func directoryOfEmptyFilesAndSeveralEmptyInputsNameEachPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.directory("k8s")
        try IntegrationFiles.write("", "a.yaml", in: folder)
        try IntegrationFiles.write("# nothing yet\n", "b.yml", in: folder)
        try IntegrationFiles.write("", "empty.yaml", in: scratch.url)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "--check", "k8s", "empty.yaml", "-"], stdin: [], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == """
                k8s: error: the files of directory 'k8s' hold no YAML document (they are empty, or only comments and document markers); there is nothing to fix and nothing to write
                empty.yaml: error: the input holds no YAML document (it is empty, or only comments and document markers); there is nothing to fix and nothing to write

                """ + Self.stdinMessage)
    }

    /// An empty file (or one of comments only) among inputs that hold something adds nothing,
    /// not even a separator.
    @Test func emptyFileAmongOthersIsFine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\nspec:\n  containers:\n  - name: a\n"
        try IntegrationFiles.write(pod.replacingOccurrences(of: "NAME", with: "a"), "a.yaml", in: scratch.url)
        try IntegrationFiles.write("", "empty.yaml", in: scratch.url)
        try IntegrationFiles.write(pod.replacingOccurrences(of: "NAME", with: "b"), "b.yaml", in: scratch.url)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "a.yaml", "empty.yaml", "b.yaml"], in: scratch.url)
        let fixed =
            "    volumeMounts:\n    - name: dshm\n      mountPath: /dev/shm\n  volumes:\n  - name: dshm\n    emptyDir:\n"
            + "      medium: Memory\n      sizeLimit: 2Gi\n"
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(
            result.stdoutText
                == pod.replacingOccurrences(of: "NAME", with: "a") + fixed + "---\n" + pod.replacingOccurrences(of: "NAME", with: "b")
                + fixed)
        let check = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "--check", "empty.yaml", "a.yaml"], in: scratch.url)
        #expect(check.status == 1)
        #expect(check.stderr == "a.yaml:1:1: Pod/a would change\n")
    }

    /// The plugin modes that read stdin are untouched by the rule: an empty KRM ResourceList is
    /// a document (answered with an empty list), and no arguments with empty stdin is still
    /// the command line's usage error.
    @Test func pluginDetectionStillWorks() throws {
        let list =
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"
            + "functionConfig:\n  apiVersion: shmfix.dev/v1alpha1\n  kind: ShmFix\n  metadata: {name: s}\n  spec: {shmSize: 2gb}\n"
        let krm = try PipeRunner.run(TestEnvironment.binary, [], stdin: Array(list.utf8))
        #expect(krm.status == 0, "\(krm.stderr)")
        #expect(krm.stdoutText.contains("kind: ResourceList"))
        let none = try PipeRunner.run(TestEnvironment.binary, [], stdin: [])
        #expect(none.status == 64)
        #expect(none.stdout.isEmpty)
    }
}
