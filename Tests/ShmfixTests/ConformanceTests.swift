import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// The YAML test suite (`Tests/Corpus/yaml-test-suite`, 402 cases): every valid case passes
/// through byte-identical (none is a Kubernetes workload), every invalid case is refused with a
/// position, except where libyaml itself disagrees with the suite — the cases listed, with the
/// reason, in `Tests/Conformance/libyaml-exceptions.tsv`, where shmfix must do what libyaml
/// does. The list is checked in both directions: a listed case that now agrees with the suite,
/// or an unlisted disagreement, fails.
@Suite struct ConformanceTests {
    static let suite = TestEnvironment.corpus.appendingPathComponent("yaml-test-suite")
    static let folder = TestEnvironment.packageRoot.appendingPathComponent("Tests/Conformance")

    let fixer = ShmFixer(options: FixOptions(size: .bytes(2 << 30)))

    @Test func everyCaseIsAcceptedOrRefusedAsListed() throws {
        let cases = try SuiteCase.all()
        let exceptions = try LibyamlException.all()
        #expect(cases.count == 402)
        var tally = ConformanceTally()
        for suiteCase in cases {
            let verdict = verdict(on: suiteCase)
            if let failure = ConformanceTally.failure(of: suiteCase, verdict: verdict, listed: exceptions[suiteCase.id]) {
                Issue.record("\(failure)")
                tally.failed += 1
            } else {
                tally.count(suiteCase, accepted: verdict.error == nil)
            }
        }
        for id in Set(exceptions.keys).subtracting(cases.map(\.id)).sorted() {
            Issue.record("libyaml-exceptions.tsv lists '\(id)', which is not a case of the suite")
            tally.failed += 1
        }
        print(tally.summary(total: cases.count))
        #expect(tally.failed == 0)
        #expect(tally.validAccepted + tally.invalidRefused + tally.exceptions == cases.count)
    }

    @Test func exceptionListIsWellFormed() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("libyaml-exceptions.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(text.hasSuffix("\n"))
        #expect(lines.first == "id\texpected\tlibyaml\treason")
        let ids = lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).first.map(String.init) ?? "" }
        #expect(ids == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "not sorted by id")
        #expect(Set(ids).count == ids.count, "an id is listed twice")
        let cases = Dictionary(uniqueKeysWithValues: try SuiteCase.all().map { ($0.id, $0) })
        for (id, exception) in try LibyamlException.all() {
            guard let suiteCase = cases[id] else { continue }
            #expect(exception.expectsValid == suiteCase.isValid, "\(id): the 'expected' column contradicts the suite's error file")
            #expect(exception.libyamlAccepts != exception.expectsValid, "\(id): a row that states agreement, not an exception")
            #expect(
                exception.reason.hasPrefix("libyaml") && exception.reason.hasSuffix("."), "\(id): the reason should say what libyaml does")
        }
    }

    /// libyaml's own verdict (`libyaml_check --shmfix`, compiled from `Tests/Conformance`) is
    /// shmfix's on every case, and every refusal points at libyaml's `problem_mark`, exactly.
    @Test func verdictsAndPositionsAreLibyamlsOwn() throws {
        guard let checker = try LibyamlChecker.build() else {
            if TestEnvironment.isCI { Issue.record("cc or pkg-config yaml-0.1 is missing: cannot build libyaml_check") }
            return
        }
        let cases = try SuiteCase.all()
        let verdicts = try checker.check(cases.map(\.input))
        #expect(verdicts.count == cases.count)
        var refusals = 0
        for suiteCase in cases {
            let ours = verdict(on: suiteCase)
            let theirs = verdicts[suiteCase.input.path]
            #expect((ours.error == nil) == (theirs == "ok"), "\(suiteCase.id): libyaml says \(theirs ?? "nothing")")
            guard let error = ours.error, let theirs, theirs != "ok" else { continue }
            refusals += 1
            let position = error.location
            #expect(theirs == "\(position.line):\(position.column)", "\(suiteCase.id): \(error.message)")
        }
        print("yaml-test-suite positions: \(refusals) refusals at libyaml's own line:column")
    }

    /// A few cases end to end: the binary exits 2 with nothing on stdout and
    /// `file:line:column: error: invalid YAML: …` on stderr, or passes the bytes through.
    /// (`2JQS` and `8XYN`, after non-ASCII text, are valid cases that libyaml refuses.)
    @Test(arguments: ["236B", "2CMS", "4HVU", "CXX2", "DK95-06", "9MMA", "2JQS", "8XYN"])
    func refusedThroughTheBinary(_ id: String) throws {
        let suiteCase = try SuiteCase(id: id)
        let error = try #require(verdict(on: suiteCase).error)
        let position = error.location
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", suiteCase.input.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "\(suiteCase.input.path):\(position.line):\(position.column): error: \(error.message)\n")
        #expect(result.stderr.contains(": error: invalid YAML: "))
    }

    /// (`9C9N` and `CVW2` are invalid cases that libyaml accepts.)
    @Test(arguments: ["229Q", "2XXW", "6WLZ", "J7PZ", "H3Z8", "9C9N", "CVW2"])
    func passedThroughTheBinary(_ id: String) throws {
        let suiteCase = try SuiteCase(id: id)
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", suiteCase.input.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == suiteCase.bytes)
        #expect(result.stderr.isEmpty)
    }

    private func verdict(on suiteCase: SuiteCase) -> ConformanceVerdict {
        do {
            let result = try fixer.fix(suiteCase.bytes)
            return ConformanceVerdict(output: result.output, changed: result.changed)
        } catch {
            return ConformanceVerdict(error: error)
        }
    }
}

/// What shmfix did with one case.
struct ConformanceVerdict {
    var output: [UInt8]? = nil
    var changed = false
    var error: Finding? = nil
}

/// One case of the suite.
struct SuiteCase {
    let id: String
    let input: URL
    let bytes: [UInt8]
    /// `false` when the case has an `error` file.
    let isValid: Bool

    init(id: String) throws {
        let folder = ConformanceTests.suite.appendingPathComponent(id)
        self.id = id
        input = folder.appendingPathComponent("in.yaml")
        bytes = [UInt8](try Data(contentsOf: input))
        isValid = !FileManager.default.fileExists(atPath: folder.appendingPathComponent("error").path)
    }

    static func all() throws -> [SuiteCase] {
        let suite = ConformanceTests.suite
        let ids = try FileManager.default.contentsOfDirectory(atPath: suite.path).sorted().filter {
            FileManager.default.fileExists(atPath: suite.appendingPathComponent("\($0)/in.yaml").path)
        }
        return try ids.map(SuiteCase.init(id:))
    }
}

/// One row of `libyaml-exceptions.tsv`.
struct LibyamlException {
    let expectsValid: Bool
    let libyamlAccepts: Bool
    let reason: String

    static func all() throws -> [String: LibyamlException] {
        let url = ConformanceTests.folder.appendingPathComponent("libyaml-exceptions.tsv")
        var rows: [String: LibyamlException] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, ["valid", "invalid"].contains(fields[1]), ["accepts", "rejects"].contains(fields[2]) else {
                Issue.record("malformed row in libyaml-exceptions.tsv: \(line)")
                continue
            }
            rows[fields[0]] = LibyamlException(
                expectsValid: fields[1] == "valid", libyamlAccepts: fields[2] == "accepts", reason: fields[3])
        }
        return rows
    }
}

/// Counts of the conformance run, and the judgement of one case.
struct ConformanceTally {
    var validAccepted = 0
    var invalidRefused = 0
    var invalidAccepted = 0
    var validRefused = 0
    var failed = 0

    var exceptions: Int { invalidAccepted + validRefused }

    mutating func count(_ suiteCase: SuiteCase, accepted: Bool) {
        switch (suiteCase.isValid, accepted) {
        case (true, true): validAccepted += 1
        case (false, false): invalidRefused += 1
        case (false, true): invalidAccepted += 1
        case (true, false): validRefused += 1
        }
    }

    /// Why the case fails, or `nil` when shmfix did what the suite (or the listed exception) says.
    static func failure(of suiteCase: SuiteCase, verdict: ConformanceVerdict, listed: LibyamlException?) -> String? {
        let accepted = verdict.error == nil
        let id = suiteCase.id
        if let listed {
            if accepted == suiteCase.isValid {
                return "\(id): listed in libyaml-exceptions.tsv, but shmfix now agrees with the suite; remove the row"
            }
            if accepted != listed.libyamlAccepts { return "\(id): shmfix does not do what the listed exception says" }
        } else if accepted != suiteCase.isValid {
            let what = accepted ? "accepts this invalid case" : "refuses this valid case (\(verdict.error?.message ?? ""))"
            return "\(id): shmfix \(what); fix it, or list it in libyaml-exceptions.tsv with the reason"
        }
        if let output = verdict.output {
            if output != suiteCase.bytes || verdict.changed { return "\(id): accepted but not passed through byte-identical" }
        } else if let error = verdict.error {
            if error.severity != .error || error.message.isEmpty || !(0...suiteCase.bytes.count).contains(error.offset) {
                return "\(id): refused without an error message at a position in the input"
            }
        }
        return nil
    }

    func summary(total: Int) -> String {
        "yaml-test-suite conformance: \(total - failed)/\(total) cases pass — \(validAccepted) valid passed through "
            + "byte-identical, \(invalidRefused) invalid refused with a position, \(exceptions) libyaml exceptions as listed "
            + "(\(invalidAccepted) invalid accepted, \(validRefused) valid refused); \(failed) failed"
    }
}

/// `Tests/Conformance/libyaml_check.c`, compiled for this run.
struct LibyamlChecker {
    let executable: URL

    /// Compiles the checker; `nil` when no C compiler or no libyaml development files.
    static func build() throws -> LibyamlChecker? {
        let folder = try TestEnvironment.temporaryDirectory()
        let executable = folder.appendingPathComponent("libyaml_check")
        let source = ConformanceTests.folder.appendingPathComponent("libyaml_check.c")
        let script = "cc -O2 -o '\(executable.path)' '\(source.path)' $(pkg-config --cflags --libs yaml-0.1)"
        let result = try ProcessRunner.run("/bin/sh", ["-c", script])
        return result.status == 0 ? LibyamlChecker(executable: executable) : nil
    }

    /// `ok` or `LINE:COL` for each file, by path.
    func check(_ files: [URL]) throws -> [String: String] {
        let result = try ProcessRunner.run(executable.path, ["--shmfix"] + files.map(\.path))
        var verdicts: [String: String] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            verdicts[fields[0]] = fields[1] == "ok" ? "ok" : (fields.count > 2 ? fields[2] : "?")
        }
        return verdicts
    }
}
