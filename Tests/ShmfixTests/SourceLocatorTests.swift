import Foundation
import ShmfixDiagnostics
import Testing

/// `SourceLocator` counts line breaks per stretch of bytes instead of listing every line start:
/// its answers must be those of the plain rule (lines and scalars counted from the start, a
/// UTF-8 byte order mark not counted) at every offset.
@Suite struct SourceLocatorTests {
    /// The rule, by walking from the start.
    static func plainLocation(_ bytes: [UInt8], _ offset: Int, firstLine: Int) -> SourceLocator.Location {
        let end = min(max(offset, 0), bytes.count)
        var line = firstLine
        var lineStart = firstLine == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? min(3, end) : 0
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = 1 + bytes[lineStart..<end].count { $0 & 0xC0 != 0x80 }
        return SourceLocator.Location(line: line, column: column)
    }

    static let texts: [[UInt8]] = [
        [],
        Array("a: 1".utf8),
        Array("\u{FEFF}a: 1\nb: 2\n".utf8),
        Array("a: 1\r\nb: 2\r\n\r\nc: [x,\r\n  y]".utf8),
        Array("名前: 値\n# コメント\nkey: \"ü\"\n".utf8),
        Array(String(repeating: "x", count: 1500).utf8) + Array("\n\n\nend".utf8),
        Array(String(repeating: "line\n", count: 700).utf8),
    ]

    @Test(arguments: texts.indices)
    func everyOffsetAsTheRuleSays(_ index: Int) {
        let bytes = Self.texts[index]
        for firstLine in [1, 7] {
            let locator = SourceLocator(bytes, firstLine: firstLine)
            for offset in -1...(bytes.count + 1) {
                #expect(locator.location(ofByte: offset) == Self.plainLocation(bytes, offset, firstLine: firstLine), "offset \(offset)")
            }
        }
    }

    /// Every seventh offset of every file of the real corpus (and each file's end), against a
    /// walk through the file.
    @Test func corpusFilesAtEverySeventhOffset() throws {
        let files = RealCorpusTests.files(in: RealCorpusTests.root)
        #expect(files.count > 100)
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            let locator = SourceLocator(bytes)
            var expected = SourceLocator.Location(line: 1, column: 1)
            let origin = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var mismatches = 0
            for offset in 0...bytes.count {
                if offset % 7 == 0 || offset == bytes.count, locator.location(ofByte: offset) != expected { mismatches += 1 }
                guard offset < bytes.count, offset >= origin else { continue }
                if bytes[offset] == UInt8(ascii: "\n") {
                    expected = SourceLocator.Location(line: expected.line + 1, column: 1)
                } else if bytes[offset] & 0xC0 != 0x80 {
                    expected.column += 1
                }
            }
            #expect(mismatches == 0, "\(url.path)")
        }
    }
}
