import ShmfixDiagnostics
import Testing

/// `LineBreaks.count` adds up vector lanes that each count to at most 255: every length,
/// alignment and density of line breaks must give the plain count.
@Suite struct LineBreaksTests {
    static func plainCount(_ bytes: ArraySlice<UInt8>) -> Int { bytes.count { $0 == UInt8(ascii: "\n") } }

    static func count(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { LineBreaks.count(in: $0) }
    }

    @Test func everyLengthAndAlignment() {
        var generator = SplitMix(seed: 7)
        let bytes = (0..<700).map { _ in generator.next() % 3 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "a") }
        for start in 0..<20 {
            for end in start...bytes.count {
                #expect(Self.count(bytes[start..<end]) == Self.plainCount(bytes[start..<end]), "bytes \(start)..<\(end)")
            }
        }
    }

    /// Only line breaks, for longer than one run of lanes (63 blocks of 64 bytes) and than 255
    /// blocks, so that a lane that overflowed would show.
    @Test(arguments: [0, 1, 63, 64, 65, 4031, 4032, 4033, 16_320, 16_384, 70_000])
    func onlyLineBreaks(_ length: Int) {
        let bytes = [UInt8](repeating: UInt8(ascii: "\n"), count: length)
        #expect(Self.count(bytes[...]) == length)
        #expect(Self.count(bytes.dropFirst()) == max(length - 1, 0))
    }

    /// `first(in:from:)` is the first `\n` at or after the offset, as a plain search finds it,
    /// from every offset, including those at and past the end and before the start.
    @Test func firstFromEveryOffset() {
        let bytes = Array("a\n\nbc\r\nlong line without a break".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            for offset in -2...(bytes.count + 2) {
                let plain = offset < 0 ? nil : bytes.indices.first { $0 >= offset && bytes[$0] == UInt8(ascii: "\n") }
                #expect(LineBreaks.first(in: buffer, from: offset) == plain, "from \(offset)")
            }
        }
        #expect(LineBreaks.first(in: UnsafeBufferPointer(start: nil, count: 0), from: 0) == nil)
    }

    @Test func noLineBreaksAndCarriageReturns() {
        let bytes = Array(String(repeating: "a\r\u{0B}\u{0C}é", count: 3000).utf8)
        #expect(Self.count(bytes[...]) == 0)
    }
}

/// A small deterministic generator, so that a failure can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
