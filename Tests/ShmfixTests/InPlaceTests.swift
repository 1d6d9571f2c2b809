import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `-i/--in-place`: only changed files are rewritten, atomically (a hidden temporary file in the
/// target's folder, renamed over it), keeping mode, following symlinks; any refusal writes no
/// file at all; a process killed at any point leaves each file whole, old or new.
@Suite struct InPlaceTests {
    static let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\nspec:\n  containers:\n  - name: app\n    image: busybox\n"
    static let past = Date(timeIntervalSince1970: 1_000_000_000)

    /// A scratch folder with `files` (relative path → text), each dated `past`.
    func folder(_ files: [String: String]) throws -> URL {
        let root = try TestEnvironment.temporaryDirectory()
        for (name, text) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Self.past], ofItemAtPath: url.path)
        }
        return root
    }

    func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    func attributes(_ url: URL) throws -> [FileAttributeKey: Any] { try FileManager.default.attributesOfItem(atPath: url.path) }

    func modified(_ url: URL) throws -> Date? { try attributes(url)[.modificationDate] as? Date }

    func permissions(_ url: URL) throws -> Int? { (try attributes(url)[.posixPermissions] as? NSNumber)?.intValue }

    /// What plain shmfix writes for `text`.
    func fixed(_ text: String) throws -> String {
        try ProcessRunner.shmfix(["--shm-size=2gb", "-q"], stdin: Array(text.utf8)).stdoutText
    }

    /// Every entry under `root`, hidden ones included, relative.
    func listing(_ root: URL) -> [String] {
        (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func rewritesChangedFilesAndLeavesTheOthersUntouched() throws {
        let pod = Self.pod.replacingOccurrences(of: "NAME", with: "a")
        let done = try fixed(pod)
        let root = try folder(["a.yaml": pod, "sub/done.yaml": done, "sub/cm.yml": "kind: ConfigMap\nmetadata: {name: c}\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = listing(root)
        let untouchedInodes = try ["sub/done.yaml", "sub/cm.yml"].map {
            try attributes(root.appendingPathComponent($0))[.systemFileNumber] as? NSNumber
        }
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-i", "."], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(try text(root.appendingPathComponent("a.yaml")) == done)
        #expect(try modified(root.appendingPathComponent("a.yaml")) != Self.past)
        for (index, name) in ["sub/done.yaml", "sub/cm.yml"].enumerated() {
            let url = root.appendingPathComponent(name)
            #expect(try modified(url) == Self.past, "\(name) was touched")
            #expect(try attributes(url)[.systemFileNumber] as? NSNumber == untouchedInodes[index])
        }
        #expect(listing(root) == before, "a temporary file was left behind")
        let again = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-i", "."], in: root)
        #expect(again.status == 0)
        #expect(try modified(root.appendingPathComponent("a.yaml")) != Self.past)
    }

    @Test(arguments: [0o640, 0o755, 0o600, 0o444])
    func keepsTheFileMode(_ mode: Int) throws {
        let root = try folder(["a.yaml": Self.pod.replacingOccurrences(of: "NAME", with: "a")])
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("a.yaml")
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-i", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try permissions(file) == mode)
        #expect(try text(file).contains("sizeLimit: 2Gi"))
    }

    @Test func followsSymlinksToTheirTarget() throws {
        let pod = Self.pod.replacingOccurrences(of: "NAME", with: "a")
        let root = try folder(["real/target.yaml": pod])
        defer { try? FileManager.default.removeItem(at: root) }
        let links = root.appendingPathComponent("links")
        try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: links.appendingPathComponent("link.yaml").path, withDestinationPath: "../real/target.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: links.appendingPathComponent("chain.yaml").path, withDestinationPath: "link.yaml")
        let before = listing(root)
        let result = try ProcessRunner.shmfix(
            ["--shm-size=2gb", "-q", "-i", "links/chain.yaml", "links/link.yaml", "real/target.yaml"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: links.appendingPathComponent("link.yaml").path)
                == "../real/target.yaml")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: links.appendingPathComponent("chain.yaml").path) == "link.yaml")
        #expect(try text(root.appendingPathComponent("real/target.yaml")) == fixed(pod))
        #expect(listing(root) == before, "a temporary file was left behind")
    }

    @Test(arguments: [
        "kind: Pod\nspec:\n  containers: [\n",
        "kind: Pod\nspec:\n  volumes:\n  - name: dshm\n    hostPath: {path: /x}\n  containers:\n  - name: a\n",
    ])
    func aRefusedFileLeavesEveryFileAsItWas(_ refused: String) throws {
        let files = [
            "a.yaml": Self.pod.replacingOccurrences(of: "NAME", with: "a"), "b.yaml": refused,
            "c.yaml": Self.pod.replacingOccurrences(of: "NAME", with: "c"),
        ]
        let root = try folder(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-i", "a.yaml", "b.yaml", "c.yaml"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("b.yaml:"), "\(result.stderr)")
        for (name, text) in files {
            #expect(try self.text(root.appendingPathComponent(name)) == text, "\(name) changed")
            #expect(try modified(root.appendingPathComponent(name)) == Self.past, "\(name) was touched")
        }
        #expect(listing(root) == files.keys.sorted())
    }

    /// A file whose folder cannot take the temporary file is refused while staging; the file
    /// staged before it is not written either. Run as `nobody` when the tests run as root.
    @Test(.enabled(if: geteuid() != 0 || TestEnvironment.which("setpriv") != nil))
    func aFolderThatCannotBeWrittenRefusesEveryFile() throws {
        let files = [
            "open/a.yaml": Self.pod.replacingOccurrences(of: "NAME", with: "a"),
            "shut/b.yaml": Self.pod.replacingOccurrences(of: "NAME", with: "b"),
        ]
        let root = try folder(files)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.appendingPathComponent("shut").path)
            try? FileManager.default.removeItem(at: root)
        }
        for (path, mode) in [("", 0o755), ("open", 0o777), ("open/a.yaml", 0o666), ("shut/b.yaml", 0o666), ("shut", 0o555)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: root.appendingPathComponent(path).path)
        }
        let arguments = ["--shm-size=2gb", "-q", "-i", "open/a.yaml", "shut/b.yaml"]
        let result: ProcessResult
        if geteuid() == 0, let setpriv = TestEnvironment.which("setpriv") {
            result = try ProcessRunner.run(
                setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", TestEnvironment.binary] + arguments, in: root)
        } else {
            result = try ProcessRunner.shmfix(arguments, in: root)
        }
        #expect(result.status == 2)
        #expect(result.stderr.contains("shut/b.yaml: error: cannot create a temporary file in '"), "\(result.stderr)")
        for (name, text) in files {
            #expect(try self.text(root.appendingPathComponent(name)) == text, "\(name) changed")
            #expect(try modified(root.appendingPathComponent(name)) == Self.past, "\(name) was touched")
        }
        #expect(listing(root) == ["open", "open/a.yaml", "shut", "shut/b.yaml"])
    }

    @Test(arguments: [["-i"], ["-i", "-"], ["--in-place", "a.yaml", "-"]])
    func stdinIsRefused(_ arguments: [String]) throws {
        let result = try ProcessRunner.shmfix(["--shm-size=2gb"] + arguments, stdin: Array(Self.pod.utf8))
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("stdin"))
    }

    /// SIGKILL at random points of many runs over large files: every file is always either the
    /// original or the complete output, never a mix or a truncation; what a kill can leave
    /// behind is only hidden `.NAME.shmfix-XXXXXXXX.tmp` files, which a folder search skips.
    @Test func aKilledProcessNeverLeavesAPartialFile() throws {
        let names = (0..<4).map { "part-\($0).yaml" }
        let originals = Dictionary(uniqueKeysWithValues: names.map { ($0, Self.largeStream(seed: $0)) })
        let root = try folder(originals)
        defer { try? FileManager.default.removeItem(at: root) }
        let outputs = try originals.mapValues { try ProcessRunner.shmfix(["--shm-size=2gb", "-q"], stdin: Array($0.utf8)).stdout }
        let start = Date()
        try runKilled(in: root, names: names, after: nil)
        let fullRun = Date().timeIntervalSince(start)
        var outcomes: Set<String> = []
        for iteration in 0..<16 {
            for (name, text) in originals { try Data(text.utf8).write(to: root.appendingPathComponent(name)) }
            let fraction = iteration < 4 ? Double.random(in: 0...1) : Double.random(in: 0.5...1.1)
            try runKilled(in: root, names: names, after: fullRun * fraction)
            var states = ""
            for name in names {
                let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(name)))
                let isOld = bytes == Array(originals[name, default: ""].utf8)
                #expect(isOld || bytes == outputs[name], "\(name) is partial after a kill at \(fraction)")
                states += isOld ? "o" : "n"
            }
            outcomes.insert(states)
            for entry in listing(root) where !names.contains(entry) {
                #expect(entry.hasPrefix(".part-") && entry.contains(".yaml.shmfix-") && entry.hasSuffix(".tmp"), "\(entry)")
                try FileManager.default.removeItem(at: root.appendingPathComponent(entry))
            }
        }
        #expect(outcomes.contains(String(repeating: "o", count: names.count)))
    }

    /// Runs `shmfix -i` over `names` in `root`, killing it with SIGKILL after `delay` seconds
    /// (or letting it finish).
    private func runKilled(in root: URL, names: [String], after delay: TimeInterval?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = ["--shm-size=2gb", "-q", "-i"] + names
        process.currentDirectoryURL = root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            usleep(useconds_t(max(delay, 0) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// About 2 MB: a pod, then comment lines (cheap to read, so that writing takes a good share
    /// of the run), then a second pod, so that the file changes at both ends.
    static func largeStream(seed: String) -> String {
        let comments = String(repeating: "# \(seed) " + String(repeating: "x", count: 80) + "\n", count: 20_000)
        return pod.replacingOccurrences(of: "NAME", with: "first") + comments + "---\n" + pod.replacingOccurrences(of: "NAME", with: "last")
    }
}
