import Testing

@testable import ShmfixRendering

/// The byte scans the renderer takes shortcuts in (eight bytes at a time, `memchr`, one scan
/// answering two questions), each compared with the plain byte-by-byte answer at every offset of
/// texts whose line breaks fall at every position of an eight-byte word, and the edit splice.
@Suite struct RenderingPerfTests {
    /// Texts with line breaks at varied distances (0 to 40 bytes apart), CRLF, and none at all.
    static let texts: [[UInt8]] = {
        var texts: [[UInt8]] = [[], Array("\n".utf8), Array("no line break at all, longer than a word".utf8)]
        for gap in [0, 1, 7, 8, 9, 15, 16, 17, 40] {
            let line = String(repeating: "x", count: gap)
            texts.append(Array((line + "\n" + line + "\r\n" + line + "\n\n" + line).utf8))
            texts.append(Array(("\n" + line + "\n" + line).utf8))
        }
        return texts
    }()

    static func plainLineStart(_ bytes: [UInt8], _ offset: Int) -> Int {
        var index = min(offset, bytes.count)
        while index > 0, bytes[index - 1] != UInt8(ascii: "\n") { index -= 1 }
        return index
    }

    static func plainOnDifferentLines(_ bytes: [UInt8], _ first: Int, _ second: Int) -> Bool {
        bytes[min(first, second)..<min(max(first, second), bytes.count)].contains(UInt8(ascii: "\n"))
    }

    @Test(arguments: texts) func lineStartsAreThoseOfAByteByByteScan(text: [UInt8]) {
        let layout = SourceLayout(text)
        for offset in 0...text.count + 2 {
            #expect(layout.lineStart(offset) == Self.plainLineStart(text, offset), "offset \(offset)")
        }
    }

    @Test(arguments: texts) func lineTestsAreThoseOfAByteByByteScan(text: [UInt8]) {
        let layout = SourceLayout(text)
        for first in 0...text.count {
            for second in 0...text.count {
                let expected = Self.plainOnDifferentLines(text, first, second)
                #expect(layout.onDifferentLines(first, second) == expected, "\(first), \(second)")
                let lineStart = layout.lineStart(second)
                #expect(layout.onDifferentLines(first, second, secondLineStart: lineStart) == expected, "\(first), \(second)")
            }
        }
    }

    @Test(arguments: texts) func lineBreaksAfterAnOffsetAreTheFirstOnes(text: [UInt8]) {
        let layout = SourceLayout(text)
        for offset in 0...text.count + 1 {
            let expected = text.indices.first { $0 >= offset && text[$0] == UInt8(ascii: "\n") }
            #expect(layout.newline(from: offset) == expected, "offset \(offset)")
        }
    }

    @Test func overlappingEditsAreSplicedFromWhereThePreviousOneEnded() {
        let source = Array("abcdef".utf8)
        let edits = [TextEdit(1..<4, "X"), TextEdit(2..<5, "Y"), TextEdit(6..<6, "!"), TextEdit(0..<0, "<", depth: 2)]
        #expect(String(decoding: TextEdit.apply(edits, to: source), as: UTF8.self) == "<aXYf!")
        #expect(TextEdit.apply([], to: []) == [])
        #expect(TextEdit.apply([TextEdit(0..<0, "x")], to: []) == Array("x".utf8))
    }
}
