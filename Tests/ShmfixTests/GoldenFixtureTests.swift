import Foundation
import Testing

/// Every folder of `Tests/Fixtures`: exact stdout bytes, exact stderr, exact exit status, and a
/// second run over the output that changes nothing.
@Suite struct GoldenFixtureTests {
    @Test(arguments: GoldenFixture.all)
    func fixture(_ fixture: GoldenFixture) throws {
        let result = try fixture.run()
        if TestEnvironment.isRecording {
            try fixture.record(result)
            Issue.record("recorded \(fixture.name); review the files and run again without SHMFIX_RECORD")
            return
        }
        #expect(result.status == fixture.expectedStatus, "\(result.stderr)")
        #expect(result.stdout == fixture.expectedStdout, "stdout differs:\n\(result.stdoutText)")
        #expect(result.stderr == fixture.expectedStderr)
    }

    @Test(arguments: GoldenFixture.all.filter { $0.expectedStatus == 0 && $0.isVerifiable })
    func secondRunChangesNothing(_ fixture: GoldenFixture) throws {
        let result = try ProcessRunner.shmfix(fixture.arguments + ["-q"], stdin: fixture.expectedStdout)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == fixture.expectedStdout)
    }

    @Test func fixturesExist() {
        #expect(GoldenFixture.all.count >= 30)
    }
}
