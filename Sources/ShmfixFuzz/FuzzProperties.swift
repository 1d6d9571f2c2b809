import ShmfixCore
import ShmfixDiagnostics
import ShmfixYAML

/// The properties every input must satisfy, whatever its bytes.
///
/// - No crash or trap anywhere in the pipeline (the sanitizers watch memory).
/// - On success: the output parses, running shmfix on it again gives the same bytes, and an
///   input that needs no change comes out as it went in.
/// - On refusal: an error (not a warning) at an offset inside the input, with a message; the
///   caller gets no output at all, since `fix` returns nothing when it throws.
/// - Streaming changes nothing: the input fed in small pieces and cut at every document start
///   (`StreamFixer`) gives the same verdict and the same bytes as the whole input at once, and a
///   refusal at the same offset (or, when the whole input is not valid YAML, possibly earlier).
enum FuzzProperties {
    /// Option sets chosen by the input's length, so mutations explore each without a prefix
    /// byte that would spoil the seeds.
    static let optionSets: [FixOptions] = [
        FixOptions(size: .bytes(2 << 30)),
        FixOptions(size: .bytes(1_000_000), volumeName: "shm", keepExisting: true),
        FixOptions(size: .percentOfMemoryLimit(50), containerNames: ["main", "app"], includeInitContainers: true),
        FixOptions(size: .bytes(1536 << 20), kinds: ["deployment", "job", "raycluster"], gpuOnly: true),
    ]

    static func check(_ bytes: [UInt8]) {
        let fixer = ShmFixer(options: optionSets[bytes.count % optionSets.count])
        let verdict = Result { () throws(Finding) -> FixResult in try fixer.fix(bytes) }
        checkStreaming(bytes, fixer: fixer, against: verdict)
        switch verdict {
        case .failure(let error): checkRefusal(error, of: bytes)
        case .success(let result): checkOutput(result, of: bytes, fixer: fixer)
        }
    }

    private static func checkOutput(_ first: FixResult, of bytes: [UInt8], fixer: ShmFixer) {
        if !first.changed { require(first.output == bytes, "an unchanged input came out different", bytes) }
        do {
            _ = try YAMLReader().read(first.output)
        } catch {
            fail("the output does not parse: \(error.message)", bytes, output: first.output)
        }
        let second: FixResult
        do {
            second = try fixer.fix(first.output)
        } catch {
            fail("the output is refused on a second run: \(error.message)", bytes, output: first.output)
        }
        require(second.output == first.output, "a second run changed the output", bytes, output: first.output)
    }

    /// A refusal is an error with a message, at an offset inside the input, whose line and
    /// column (placed by the chunk that found it) are those of that offset in the whole input.
    private static func checkRefusal(_ error: Finding, of bytes: [UInt8]) {
        require(error.severity == .error, "a refusal that is not an error", bytes)
        require(!error.message.isEmpty, "a refusal without a message", bytes)
        require((0...bytes.count).contains(error.offset), "a refusal at offset \(error.offset) outside the input", bytes)
        let position = SourceLocator(bytes).location(ofByte: error.offset)
        require(
            error.location == position,
            "a refusal placed at \(error.location.line):\(error.location.column), but its offset is at \(position.line):\(position.column)",
            bytes)
    }

    /// Feeds the input in four pieces (cut mid-line, mid-character) to a stream fixer that cuts
    /// at a document start after 1 to 512 bytes, and compares with the whole-input verdict.
    /// (Smaller pieces and chunks cost far more under the sanitizers and find nothing more.)
    private static func checkStreaming(_ bytes: [UInt8], fixer: ShmFixer, against whole: Result<FixResult, Finding>) {
        var stream = StreamFixer(fixer: fixer, minimumChunkSize: 1 + bytes.count % 512)
        let piece = 1 + bytes.count / 4
        var output: [UInt8] = []
        let streamed = Result { () throws(Finding) -> [UInt8] in
            var start = 0
            while start < bytes.count {
                let end = min(start + piece, bytes.count)
                for result in try stream.feed(Array(bytes[start..<end])) { output += result.output }
                start = end
            }
            for result in try stream.finish() { output += result.output }
            return output
        }
        switch (whole, streamed) {
        case (.success(let result), .success(let streamedOutput)):
            require(streamedOutput == result.output, "streaming gives other bytes", bytes, output: streamedOutput)
        case (.failure(let error), .failure(let streamedError)):
            // The wording of a YAML error may differ (a chunk ends where the whole input goes
            // on). When the whole input does not even parse, the stream may stop earlier, at a
            // document that parses but is refused; otherwise both stop at the same place.
            let parses = (try? YAMLReader().read(bytes)) != nil
            require(
                streamedError.offset == error.offset || (!parses && streamedError.offset < error.offset),
                "streaming refuses elsewhere: '\(streamedError.message)' at \(streamedError.offset), not '\(error.message)' at \(error.offset)",
                bytes)
        case (.success, .failure(let streamedError)):
            fail("streaming refuses what the whole input accepts: \(streamedError.message) at \(streamedError.offset)", bytes)
        case (.failure(let error), .success):
            fail("streaming accepts what the whole input refuses (\(error.message) at \(error.offset))", bytes)
        }
    }

    private static func require(_ condition: Bool, _ why: @autoclosure () -> String, _ bytes: [UInt8], output: [UInt8]? = nil) {
        if !condition { fail(why(), bytes, output: output) }
    }

    private static func fail(_ why: String, _ bytes: [UInt8], output: [UInt8]? = nil) -> Never {
        var report = "shmfix fuzz property violated: \(why)\n--- input (\(bytes.count) bytes)\n"
        report += String(decoding: bytes.prefix(4096), as: UTF8.self)
        if let output {
            report += "\n--- output (\(output.count) bytes)\n" + String(decoding: output.prefix(4096), as: UTF8.self)
        }
        FuzzLog.write(report + "\n")
        fatalError(why)
    }
}
