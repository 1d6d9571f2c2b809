import Foundation
import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// Cutting a stream into chunks must never change what shmfix decides: for every file of the
/// real corpus and every case of the YAML test suite, feeding the input in small pieces with one
/// document per chunk gives the same bytes (or the same refusal, at the same position) as
/// parsing it whole.
@Suite struct ChunkingTests {
    static var inputs: [URL] {
        let real = RealCorpusTests.files(in: RealCorpusTests.root)
        let suite = TestEnvironment.corpus.appendingPathComponent("yaml-test-suite")
        let cases = ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []).sorted().map {
            suite.appendingPathComponent($0).appendingPathComponent("in.yaml")
        }
        return real + cases
    }

    let fixer = ShmFixer(options: FixOptions(size: .bytes(1 << 30)))

    func wholeOutcome(_ bytes: [UInt8]) -> Result<[UInt8], Finding> {
        var stream = StreamFixer(fixer: fixer, minimumChunkSize: Int.max)
        return Result { () throws(Finding) in try (stream.feed(bytes) + stream.finish()).flatMap(\.output) }
    }

    func chunkedOutcome(_ bytes: [UInt8], pieceSize: Int) -> Result<[UInt8], Finding> {
        var stream = StreamFixer(fixer: fixer, minimumChunkSize: 0)
        return Result { () throws(Finding) in
            var output: [UInt8] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + pieceSize, bytes.count)
                output += try stream.feed(Array(bytes[start..<end])).flatMap(\.output)
                start = end
            }
            return output + (try stream.finish().flatMap(\.output))
        }
    }

    @Test func chunkedEqualsWhole() throws {
        let inputs = Self.inputs
        #expect(inputs.count > 1000)
        for (index, url) in inputs.enumerated() {
            guard let data = try? Data(contentsOf: url) else { continue }
            let bytes = [UInt8](data)
            let whole = wholeOutcome(bytes)
            let chunked = chunkedOutcome(bytes, pieceSize: 1 + index % 97)
            switch (whole, chunked) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(url.path)")
            case (.failure(let a), .failure(let b)):
                #expect(a.location == b.location, "\(url.path): \(a.message) / \(b.message)")
            default:
                Issue.record("\(url.path): whole \(whole) vs chunked \(chunked)")
            }
        }
    }

    @Test func chunksCarryLineNumbers() throws {
        let text = "a: 1\n---\nb: 2\n---\nc: [\n"
        var stream = StreamFixer(fixer: fixer, minimumChunkSize: 0)
        #expect(throws: Finding.self) { _ = try stream.feed(Array(text.utf8)) + stream.finish() }
        var again = StreamFixer(fixer: fixer, minimumChunkSize: 0)
        do {
            _ = try again.feed(Array(text.utf8)) + again.finish()
        } catch {
            #expect(error.location == SourceLocator.Location(line: 6, column: 1))
            #expect(error.offset == text.utf8.count)
        }
    }

    /// The chunker's cuts are those of its rule applied line by line (below), for every input
    /// of both corpora, with minimum chunk sizes from 0 to a few kilobytes and the input fed in
    /// pieces, or read into the chunker's buffers: it skips the lines before the minimum size,
    /// and must still see every directive.
    @Test func cutsFollowTheRuleLineByLine() throws {
        for (index, url) in Self.inputs.enumerated() {
            guard let data = try? Data(contentsOf: url) else { continue }
            let bytes = [UInt8](data)
            let minimum = [0, 1, 7, 64, 300, 4096][index % 6]
            var chunker = DocumentChunker(minimumChunkSize: minimum)
            var chunks: [DocumentChunker.Chunk] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + 1 + index % 113, bytes.count)
                chunks += chunker.feed(Array(bytes[start..<end]))
                start = end
            }
            chunks += chunker.finish()
            let expected = Self.cutsLineByLine(bytes, minimum: minimum)
            #expect(chunks.map(\.offset) == expected.map(\.offset), "\(url.path), minimum \(minimum)")
            #expect(chunks.map(\.firstLine) == expected.map(\.line), "\(url.path), minimum \(minimum)")
            #expect(chunks.flatMap(\.bytes) == bytes, "\(url.path)")

            // The same input read into the chunker's own buffers, by reads of varying length
            // (as from a pipe), gives the same chunks.
            var reader = DocumentChunker(minimumChunkSize: minimum)
            var read: [DocumentChunker.Chunk] = []
            var position = 0
            var reads = 0
            while true {
                let (more, ended) = reader.feed { room in
                    reads += 1
                    let count = min(room.count, bytes.count - position, 1 + (reads * 37 + index) % 5000)
                    room.copyBytes(from: bytes[position..<position + count])
                    position += count
                    return count
                }
                read += more
                if ended { break }
            }
            read += reader.finish()
            #expect(read.map(\.offset) == expected.map(\.offset), "\(url.path), minimum \(minimum), read")
            #expect(read.map(\.firstLine) == expected.map(\.line), "\(url.path), minimum \(minimum), read")
            #expect(read.flatMap(\.bytes) == bytes, "\(url.path), read")
        }
    }

    /// `DocumentChunker`'s rule, every line looked at in order: cut before a `---` line (then a
    /// blank, a break or the end) once the chunk holds `minimum` bytes, unless a `%` line came
    /// after the last such line.
    static func cutsLineByLine(_ bytes: [UInt8], minimum: Int) -> [(offset: Int, line: Int)] {
        var cuts: [(offset: Int, line: Int)] = []
        var chunkStart = 0
        var chunkLine = 1
        var directivePending = false
        var lineStart = 0
        var line = 1
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            let text = bytes[lineStart..<lineEnd]
            let isDocumentStart =
                text.starts(with: Array("---".utf8)) && (text.count == 3 || [UInt8(ascii: " "), 9, 10, 13].contains(text[lineStart + 3]))
            if text.first == UInt8(ascii: "%") {
                directivePending = true
            } else if isDocumentStart {
                if directivePending {
                    directivePending = false
                } else if lineStart - chunkStart >= minimum {
                    cuts.append((chunkStart, chunkLine))
                    chunkStart = lineStart
                    chunkLine = line
                }
            }
            lineStart = lineEnd
            line += 1
        }
        if chunkStart < bytes.count { cuts.append((chunkStart, chunkLine)) }
        return cuts
    }
}
