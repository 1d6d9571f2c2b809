import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// Input built to hurt: each is a clear error (exit 2, `file:line:column: error: …`, nothing on
/// stdout, no file touched) or, when it is valid YAML, goes through in bounded time and memory.
/// Never a crash, a hang or a partial write. Big inputs are generated in a temporary folder.
@Suite struct HostileInputTests {
    static let pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
          - name: app
            image: busybox

        """
    /// What shmfix appends after the last container of `pod` (with `--shm-size=2gb`).
    static let podInsertion = """
            volumeMounts:
            - name: dshm
              mountPath: /dev/shm
          volumes:
          - name: dshm
            emptyDir:
              medium: Memory
              sizeLimit: 2Gi

        """

    // MARK: Nesting

    /// Nesting deeper than `YAMLReader.maximumDepth` (1000) is refused where the 1001st
    /// collection opens, before anything recurses: flow, block mappings, block sequences.
    @Test(arguments: [
        NestingCase("100,000 flow sequences", String(repeating: "[", count: 100_000), line: 1, column: 1001),
        NestingCase(
            "1001 flow sequences", String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001) + "\n", line: 1, column: 1001),
        NestingCase(
            "1001 flow mappings", String(repeating: "{a: ", count: 1001) + "b" + String(repeating: "}", count: 1001) + "\n", line: 1,
            column: 4001),
        NestingCase(
            "2000 block mappings", (0..<2000).map { String(repeating: " ", count: $0) + "k:\n" }.joined(), line: 1001, column: 1001),
        NestingCase("5000 block sequences", String(repeating: "- ", count: 5000) + "x\n", line: 1, column: 2001),
    ])
    func nestingDeeperThanTheBoundIsRefused(_ nesting: NestingCase) throws {
        let file = try HostileScratch.file("deep.yaml", Array(nesting.text.utf8))
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", file.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "\(file.path):\(nesting.line):\(nesting.column): error: nesting deeper than 1000 levels is not supported\n")
    }

    @Test func nestingOfExactlyTheBoundPassesThrough() throws {
        let text = String(repeating: "[", count: YAMLReader.maximumDepth) + String(repeating: "]", count: YAMLReader.maximumDepth) + "\n"
        let result = try ProcessRunner.shmfix(["--shm-size=2gb"], stdin: Array(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Array(text.utf8))
    }

    /// A pod spec 990 levels down a custom resource is found by shape and edited: every layer
    /// above the reader walks that deep without running out of stack (here in a debug build, on
    /// a test thread rather than the main thread).
    @Test func aPodSpecAtTheNestingBoundIsFixed() throws {
        let depth = 990
        let text =
            "apiVersion: x.dev/v1\nkind: Deep\nmetadata: {name: d}\nspec:\n  a: " + String(repeating: "[", count: depth)
            + "{containers: [{name: c, image: i}]}" + String(repeating: "]", count: depth) + "\n"
        let result = try ShmFixer(options: FixOptions(size: .bytes(2 << 30))).fix(Array(text.utf8))
        #expect(result.changed)
        let output = String(decoding: result.output, as: UTF8.self)
        #expect(
            output.contains("{containers: [{name: c, image: i, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}], volumes: [{name: dshm"))
        #expect(try ShmFixer(options: FixOptions(size: .bytes(2 << 30))).fix(result.output).output == result.output)
    }

    // MARK: Encodings and bytes

    @Test(arguments: [
        BadBytes(
            "a leading byte", Array("key: ".utf8) + [0xFF] + Array("\n".utf8), "1:6",
            "invalid YAML: invalid leading UTF-8 octet (byte 0xFF)"),
        BadBytes(
            "a broken sequence", Array("ab: x\n# ".utf8) + [0xC3, 0x28] + Array("\n".utf8), "2:4",
            "invalid YAML: invalid trailing UTF-8 octet (byte 0x28)"),
        BadBytes("a sequence cut at the end", Array("ab: ".utf8) + [0xE2, 0x82], "1:5", "invalid YAML: incomplete UTF-8 octet sequence"),
        BadBytes(
            "a surrogate", Array("a: ".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8), "1:4",
            "invalid YAML: invalid Unicode character (U+D800)"),
        BadBytes(
            "an overlong encoding", Array("a: ".utf8) + [0xC0, 0xAF] + Array("\n".utf8), "1:4",
            "invalid YAML: invalid length of a UTF-8 sequence"),
        BadBytes("a control character", Array("a: b\u{07}\n".utf8), "1:5", "invalid YAML: control characters are not allowed (U+0007)"),
        BadBytes(
            "bad UTF-8 after non-ASCII text", Array("é: ü\n# ✅ ".utf8) + [0xFF], "2:5",
            "invalid YAML: invalid leading UTF-8 octet (byte 0xFF)"),
    ])
    func invalidUTF8IsRefusedWithItsPosition(_ bad: BadBytes) throws {
        try expectRefusal(of: bad.bytes, at: bad.position, bad.message)
    }

    @Test func nulBytesAreRefused() throws {
        try expectRefusal(
            of: Array("apiVersion: v1\nkind: Pod\nmetadata: {name: a\u{00}b}\n".utf8), at: "3:19",
            "the input contains a NUL byte; it is binary, not YAML text")
    }

    @Test(
        arguments: [
            ("UTF-16LE with a byte order mark", [0xFF, 0xFE] + Array("a: b\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("UTF-16BE with a byte order mark", [0xFE, 0xFF] + Array("a: b\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
            ("UTF-16LE without one", Array("a: b\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("UTF-16BE without one", Array("a: b\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
            ("UTF-32BE", [0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61]),
        ] as [(String, [UInt8])])
    func utf16AndUTF32AreRefused(_ name: String, _ bytes: [UInt8]) throws {
        try expectRefusal(of: bytes, at: "1:1", "UTF-16 and UTF-32 input is not supported; convert the file to UTF-8")
    }

    /// libyaml reads a lone CR as a line break; shmfix's edits follow LF lines, so it refuses
    /// rather than insert into the wrong line (found by the fuzzer: `hostile-lone-cr`).
    @Test func aLoneCarriageReturnIsRefused() throws {
        try expectRefusal(
            of: Array("apiVersion: v1\r\nkind: Pod\rmetadata: {name: a}\r\n".utf8), at: "2:10",
            "a carriage return without a line feed (an old Mac line break) is not supported; use LF or CRLF line breaks")
    }

    /// libyaml (and kubectl's Go port of it) also breaks lines at NEL, U+2028 and U+2029, which
    /// YAML 1.2 reads as plain characters: refused like a lone CR, at the character (the
    /// fuzzer's output-parses property caught an insertion laid out on the wrong line).
    @Test(
        arguments: [
            ("\u{85}", "a NEL (U+0085)", "u0085"),
            ("\u{2028}", "a line separator (U+2028)", "u2028"),
            ("\u{2029}", "a paragraph separator (U+2029)", "u2029"),
        ])
    func unicodeLineBreaksAreRefused(_ lineBreak: String, _ name: String, _ escape: String) throws {
        try expectRefusal(
            of: Array("apiVersion: v1\nkind: Pod\nspec:\n  containers:\(lineBreak)  - name: a\n".utf8), at: "4:14",
            "\(name) is a line break to libyaml (YAML 1.1) but not to YAML 1.2, and shmfix does not support it; "
                + "use LF or CRLF line breaks, or write it as \\\(escape) in a double-quoted string")
    }

    // MARK: Size

    /// Accepted: a 200 MB scalar is valid YAML, and shmfix is not the judge of what a resource
    /// may hold (the API server refuses objects over ~1.5 MB). Linear time, memory about 4.5×
    /// the document (the input, its chunk, libyaml's copy of the scalar); the scalar is never
    /// turned into a Swift string.
    @Test func a200MBScalarIsFixedInBoundedTime() throws {
        let scalar = [UInt8](repeating: UInt8(ascii: "a"), count: 200 << 20)
        let input = Array(Self.pod.utf8) + Array("    env:\n    - name: BLOB\n      value: ".utf8) + scalar + [0x0A]
        let file = try HostileScratch.file("big.yaml", input)
        defer { HostileScratch.remove(file) }
        let started = Date()
        let result = try ProcessRunner.shmfix(["-q", "--shm-size=2gb", file.path])
        let seconds = Date().timeIntervalSince(started)
        let insertion = Array(Self.podInsertion.utf8)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.count == input.count + insertion.count)
        #expect(HostileScratch.starts(result.stdout, with: input))
        #expect(Array(result.stdout.suffix(insertion.count)) == insertion)
        print("hostile input: 200 MB scalar fixed in \(Int(seconds)) s, peak RSS of a child \(HostileScratch.peakChildMegabytes()) MB")
    }

    /// Accepted: a million labels in a Deployment's pod template; every node is built and the
    /// pod spec is edited in linear time.
    @Test func aMillionKeysAreFixedInBoundedTime() throws {
        var text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: many\nspec:\n  template:\n    metadata:\n      labels:\n"
        text.reserveCapacity(20 << 20)
        for index in 0..<1_000_000 { text += "        k\(index): v\n" }
        text += "    spec:\n      containers:\n      - name: app\n        image: busybox\n"
        let input = Array(text.utf8)
        let file = try HostileScratch.file("many.yaml", input)
        defer { HostileScratch.remove(file) }
        let started = Date()
        let result = try ProcessRunner.shmfix(["-q", "--shm-size=2gb", file.path])
        let seconds = Date().timeIntervalSince(started)
        let indented = Self.podInsertion.split(separator: "\n").map { "    " + $0 + "\n" }.joined()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == input + Array(indented.utf8))
        print("hostile input: 1,000,000 keys fixed in \(Int(seconds)) s")
    }

    // MARK: Aliases

    /// Billion laughs, 10^30 nodes if expanded: aliases are never expanded, so it passes
    /// through at once, also as the args of a container that gets its mount.
    @Test func aliasBombsAreNeverExpanded() throws {
        var bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<30 {
            bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let started = Date()
        let plain = try ProcessRunner.shmfix(["--shm-size=2gb"], stdin: Array(bomb.utf8))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == Array(bomb.utf8))

        let indentedBomb = bomb.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        let pod = "x-bombs:\n" + indentedBomb + Self.pod + "    args: *a29\n"
        let fixed = try ProcessRunner.shmfix(["-q", "--shm-size=2gb"], stdin: Array(pod.utf8))
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdoutText == pod + Self.podInsertion)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func volumesThroughAnAliasAreRefused() throws {
        let pod = Self.pod.replacingOccurrences(of: "metadata:", with: "x: &v [{name: data, emptyDir: {}}]\nmetadata:") + "  volumes: *v\n"
        try expectRefusal(
            of: Array(pod.utf8), at: "10:12", "Pod/app: 'spec.volumes' is an alias; shmfix does not edit through aliases — expand it first")
    }

    // MARK: Duplicate keys on the edit path

    /// Two keys on the path shmfix edits: which one the API server keeps is not shmfix's to
    /// guess, so it refuses and names both lines.
    @Test(arguments: [
        ("  volumes: []\n  volumes:\n  - {name: data, emptyDir: {}}\n", "10:3", "duplicate key 'volumes' on lines 9 and 10"),
        ("  containers:\n  - {name: two, image: busybox}\n", "9:3", "duplicate key 'containers' on lines 6 and 9"),
        ("    volumeMounts: []\n    volumeMounts: []\n", "10:5", "duplicate key 'volumeMounts' on lines 9 and 10"),
        ("spec: {}\n", "9:1", "duplicate key 'spec' on lines 5 and 9"),
    ])
    func duplicateKeysOnTheEditPathAreRefused(_ addition: String, _ position: String, _ message: String) throws {
        try expectRefusal(of: Array((Self.pod + addition).utf8), at: position, "Pod/app: \(message); remove one of them")
    }

    @Test func duplicateVolumesInJSONAreRefused() throws {
        let json = """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
             "spec": {"volumes": [], "containers": [{"name": "c", "image": "i"}],
                      "volumes": [{"name": "x", "emptyDir": {}}]}}

            """
        try expectRefusal(
            of: Array(json.utf8), at: "3:11", "Pod/a: duplicate key 'volumes' on lines 2 and 3; remove one of them", name: "pod.json")
    }

    // MARK: Files

    /// Permission denied: run as an unprivileged user (root reads anything), and the readable
    /// file beside the unreadable one is not written either.
    @Test func unreadableFilesAreRefused() throws {
        let folder = try HostileScratch.folder()
        let good = folder.appendingPathComponent("good.yaml")
        let locked = folder.appendingPathComponent("locked.yaml")
        try Data(Self.pod.utf8).write(to: good)
        try Data(Self.pod.utf8).write(to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        guard let result = try UnprivilegedRun.shmfix(["-q", "--shm-size=2gb", good.path, locked.path]) else { return }
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(locked.path): error: '\(locked.path)' cannot be read: Permission denied\n")
    }

    @Test func unreadableDirectoriesAreRefused() throws {
        let folder = try HostileScratch.folder()
        let inner = folder.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try Data(Self.pod.utf8).write(to: folder.appendingPathComponent("good.yaml"))
        try Data(Self.pod.utf8).write(to: inner.appendingPathComponent("hidden.yaml"))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: inner.path)
        guard let result = try UnprivilegedRun.shmfix(["-q", "--shm-size=2gb", folder.path]) else { return }
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(inner.path): error: directory '\(inner.path)' cannot be read\n")
    }

    @Test func missingFilesAreRefused() throws {
        let missing = try HostileScratch.folder().appendingPathComponent("missing.yaml").path
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", missing])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(missing): error: '\(missing)' does not exist\n")
    }

    /// `self -> .` and `up -> ../loop`: each real folder is searched once, each file read once,
    /// and the search ends (a bounded run, so a regression fails instead of hanging).
    @Test func symlinkLoopsEnd() throws {
        let folder = try HostileScratch.folder()
        let loop = folder.appendingPathComponent("loop")
        try FileManager.default.createDirectory(at: loop.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(Self.pod.utf8).write(to: loop.appendingPathComponent("sub/pod.yaml"))
        try FileManager.default.createSymbolicLink(atPath: loop.appendingPathComponent("self").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: loop.appendingPathComponent("sub/up").path, withDestinationPath: "../../loop")
        let result = try BoundedRun.shmfix(["-q", "--shm-size=2gb", loop.path], seconds: 20)
        #expect(result.status == 0, "status \(result.status): killed after 20 s, or failed: \(result.stderr.prefix(500))")
        #expect(result.stdoutText == Self.pod + Self.podInsertion)
    }

    @Test func aSymlinkToItselfIsRefused() throws {
        let link = try HostileScratch.folder().appendingPathComponent("self.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "self.yaml")
        let result = try BoundedRun.shmfix(["--shm-size=2gb", link.path], seconds: 20)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("\(link.path): error: "))
    }

    // MARK: All or nothing

    /// One refused input among several (invalid YAML; a duplicate key the planner refuses):
    /// nothing on stdout in any output mode, and with `--in-place` no file is touched (content
    /// and modification time).
    @Test(
        arguments: [["--check"], ["--diff"], ["-o", "json-patch"], ["-o", "kustomize"], ["-o", "yaml"], ["--in-place"]],
        [
            ("a: [\n", "2:1: error: invalid YAML: while parsing a flow node: did not find expected node content"),
            (pod + "  volumes: []\n  volumes: []\n", "10:3: error: Pod/app: duplicate key 'volumes' on lines 9 and 10; remove one of them"),
        ])
    func oneBadFileWritesNothing(_ mode: [String], _ bad: (text: String, error: String)) throws {
        let folder = try HostileScratch.folder()
        let names = ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        for name in names {
            let file = folder.appendingPathComponent(name)
            try Data((name == "c.yaml" ? bad.text : Self.pod).utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        }
        let paths = names.map { folder.appendingPathComponent($0).path }
        let result = try ProcessRunner.shmfix(["-q", "--shm-size=2gb"] + mode + paths)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(paths[2]):\(bad.error)\n")
        for (name, path) in zip(names, paths) {
            #expect(try String(contentsOfFile: path, encoding: .utf8) == (name == "c.yaml" ? bad.text : Self.pod))
            let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            #expect(modified == old, "\(name) was touched")
        }
    }

    /// The same with a file that cannot be read (as an unprivileged user).
    @Test func oneUnreadableFileWritesNothingInPlace() throws {
        let folder = try HostileScratch.folder()
        let paths = ["a.yaml", "b.yaml", "c.yaml"].map { folder.appendingPathComponent($0).path }
        for path in paths { try Data(Self.pod.utf8).write(to: URL(fileURLWithPath: path)) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: paths[0])
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: paths[1])
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: paths[2])
        guard let result = try UnprivilegedRun.shmfix(["-q", "--in-place", "--shm-size=2gb"] + paths) else { return }
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("\(paths[1]): error: '\(paths[1])' cannot be read"), "\(result.stderr)")
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == Self.pod)
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == Self.pod)
    }

    private func expectRefusal(of bytes: [UInt8], at position: String, _ message: String, name: String = "input.yaml") throws {
        let file = try HostileScratch.file(name, bytes)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", file.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(file.path):\(position): error: \(message)\n")
        let piped = try ProcessRunner.shmfix(["--shm-size=2gb"], stdin: bytes)
        #expect(piped.status == 2)
        #expect(piped.stdout.isEmpty)
        #expect(piped.stderr == "<stdin>:\(position): error: \(message)\n")
    }
}

/// One nesting input and where it must be refused.
struct NestingCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let line: Int
    let column: Int

    init(_ name: String, _ text: String, line: Int, column: Int) {
        self.name = name
        self.text = text
        self.line = line
        self.column = column
    }

    var testDescription: String { name }
}

/// Bytes that are not UTF-8 text, and the refusal expected.
struct BadBytes: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let position: String
    let message: String

    init(_ name: String, _ bytes: [UInt8], _ position: String, _ message: String) {
        self.name = name
        self.bytes = bytes
        self.position = position
        self.message = message
    }

    var testDescription: String { name }
}

/// Temporary files for one test (big ones are removed by the test that made them).
enum HostileScratch {
    static func folder() throws -> URL {
        let folder = try TestEnvironment.temporaryDirectory()
        // Readable by the unprivileged user of `UnprivilegedRun`.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        return folder
    }

    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = try folder().appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// `bytes.starts(with: prefix)` at memcmp speed (the generic one crawls in a debug build).
    static func starts(_ bytes: [UInt8], with prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        return bytes.withUnsafeBytes { whole in
            prefix.withUnsafeBytes { start in
                guard let wholeBase = whole.baseAddress, let startBase = start.baseAddress else { return true }
                return memcmp(wholeBase, startBase, start.count) == 0
            }
        }
    }

    /// Removes the folder of a scratch file.
    static func remove(_ file: URL) {
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
    }

    /// The largest resident set of any finished child process so far, in MB.
    static func peakChildMegabytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #else
            getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return usage.ru_maxrss / 1024
    }
}

/// Runs shmfix as `nobody` when the tests run as root, since root reads any file.
enum UnprivilegedRun {
    /// `nil` (and, in CI, an issue) when there is no way to drop privileges.
    static func shmfix(_ arguments: [String]) throws -> ProcessResult? {
        if geteuid() != 0 { return try ProcessRunner.shmfix(arguments) }
        guard let setpriv = TestEnvironment.which("setpriv") else {
            if TestEnvironment.isCI { Issue.record("running as root without setpriv: cannot test unreadable files") }
            return nil
        }
        return try ProcessRunner.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", TestEnvironment.binary] + arguments)
    }
}

/// Runs shmfix under `timeout`, so that a hang fails the test (status 124) instead of the run.
enum BoundedRun {
    static func shmfix(_ arguments: [String], seconds: Int) throws -> ProcessResult {
        guard let timeout = TestEnvironment.which("timeout") else { return try ProcessRunner.shmfix(arguments) }
        return try ProcessRunner.run(timeout, ["-s", "KILL", "\(seconds)", TestEnvironment.binary] + arguments)
    }
}
