import Foundation
import Testing

/// Shapes across fixtures: every JSON output is JSON (`python3 -m json.tool` accepts it), and a
/// single stream holding every golden input at once comes out as the golden outputs joined the
/// same way — documents do not influence each other.
@Suite struct StreamShapeTests {
    /// Fixtures that succeed with the default arguments and whose output is the YAML stream.
    static var defaultFixtures: [GoldenFixture] {
        GoldenFixture.all.filter { $0.expectedStatus == 0 && $0.arguments == ["--shm-size=2gb"] }
    }

    @Test func jsonOutputsAreJSON() throws {
        let fixtures = GoldenFixture.all.filter { $0.inputName.hasSuffix(".json") && $0.expectedStatus == 0 }
        #expect(fixtures.count >= 4)
        let python = try #require(TestEnvironment.which("python3"))
        for fixture in fixtures {
            let result = try ProcessRunner.run(python, ["-m", "json.tool"], stdin: fixture.expectedStdout)
            #expect(result.status == 0, "\(fixture.name): \(result.stderr)")
        }
    }

    @Test func oneStreamOfEveryInputGivesEveryOutput() throws {
        // A byte order mark belongs only at the start of a stream, and a file without a final
        // line break changes its last scalar's text once something follows it.
        let fixtures = Self.defaultFixtures.filter { fixture in
            let input = fixture.contents(fixture.inputName) ?? []
            return !input.starts(with: [0xEF, 0xBB, 0xBF]) && input.last == UInt8(ascii: "\n")
        }
        #expect(fixtures.count >= 40)
        let input = Self.join(fixtures.map { $0.contents($0.inputName) ?? [] })
        let expected = Self.join(fixtures.map(\.expectedStdout))
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let firstDifference =
            zip(result.stdout, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(result.stdout.count, expected.count)
        #expect(result.stdout.count == expected.count && firstDifference == expected.count, "first difference at byte \(firstDifference)")
    }

    /// Documents of several files as one stream: `---` before each file that lacks one.
    static func join(_ parts: [[UInt8]]) -> [UInt8] {
        var stream: [UInt8] = []
        for part in parts {
            if !stream.isEmpty, !part.starts(with: Array("---".utf8)), !part.starts(with: Array("%".utf8)) {
                stream += Array("---\n".utf8)
            }
            stream += part
        }
        return stream
    }
}
