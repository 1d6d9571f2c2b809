import ShmfixDiagnostics
import ShmfixYAML

/// Questions about the source text around an edit: lines, columns, line endings.
struct SourceLayout {
    let bytes: [UInt8]
    /// The line ending the file uses (`\r\n` when its first line ends so).
    let eol: LineEnding

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")), newline > 0, bytes[newline - 1] == UInt8(ascii: "\r") {
            eol = .carriageReturnLineFeed
        } else {
            eol = .lineFeed
        }
    }

    /// The line ending of the line holding `offset` (of the line before it on a last line
    /// without one): a CRLF document inside an LF stream keeps CRLF.
    func lineEnding(at offset: Int) -> LineEnding {
        var index = newline(from: min(max(offset, 0), bytes.count)) ?? bytes.count
        if index == bytes.count {
            index = lineStart(min(offset, bytes.count)) - 1
            guard index >= 0 else { return eol }
        }
        return index > 0 && bytes[index - 1] == UInt8(ascii: "\r") ? .carriageReturnLineFeed : .lineFeed
    }

    /// Where the keys of a block mapping stand: its own start when that is on its first key's
    /// line (so `? key` counts from the `?`, `&a key:` from the `&`), else its first key.
    func keysStart(of mapping: YAMLNode) -> Int { keysStart(of: mapping, firstKey: mapping.firstKey) }

    /// `keysStart(of: mapping)` when its first key (`mapping.firstKey`) is read already.
    func keysStart(of mapping: YAMLNode, firstKey: YAMLNode?) -> Int {
        guard let firstKey else { return mapping.span.lowerBound }
        let start = mapping.span.lowerBound
        return onDifferentLines(start, firstKey.span.lowerBound) ? firstKey.span.lowerBound : start
    }

    /// Where a sequence item's content starts, for the space after its `-`: a block mapping's
    /// keys, else the node itself (the `{` of a flow mapping, a scalar).
    func itemContentStart(_ item: YAMLNode) -> Int {
        item.isFlow || !item.isMapping ? item.span.lowerBound : keysStart(of: item)
    }

    /// The offset between a block sequence's first dash and its first item's content when both
    /// stand on one line (`-   name: x`: 4), which items appended to it take; `nil` when that
    /// item is empty or starts on a line below its dash.
    func firstItemOffset(of sequence: YAMLNode) -> Int? {
        guard let first = sequence.firstItem, !first.isEmptyNull else { return nil }
        let dashStart = sequence.span.lowerBound
        let contentStart = itemContentStart(first)
        // On the dash's line, the content's column is the dash's plus the bytes between them.
        return onDifferentLines(dashStart, contentStart) ? nil : contentStart - dashStart
    }

    /// The offset where the line holding `offset` starts.
    func lineStart(_ offset: Int) -> Int {
        // Through the buffer: no bounds check per byte stepped over, and eight bytes at a time.
        bytes.withUnsafeBufferPointer { bytes in
            var index = min(offset, bytes.count)
            if let base = bytes.baseAddress {
                while index >= 8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index - 8, as: UInt64.self))
                    if let last = Self.lastNewline(in: word) { return index - 8 + last + 1 }
                    index -= 8
                }
            }
            while index > 0, bytes[index - 1] != UInt8(ascii: "\n") { index -= 1 }
            return index
        }
    }

    /// The position (0 for the lowest byte) of the highest `\n` byte of `word`, if any.
    private static func lastNewline(in word: UInt64) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = ones &* 0x7F
        let spread = word ^ (ones &* UInt64(UInt8(ascii: "\n")))
        // The top bit of each byte that is zero in `spread` (exact: no carry crosses bytes).
        let zeros = ~(((spread & low7) &+ low7) | spread | low7)
        guard zeros != 0 else { return nil }
        return (63 - zeros.leadingZeroBitCount) / 8
    }

    /// The offset of the first line break (`\n`) at or after `offset`, if any: `memchr` over
    /// what may be a long line (a comment, a flow collection), a plain loop over a short rest.
    func newline(from offset: Int) -> Int? {
        bytes.withUnsafeBufferPointer { bytes in
            var index = max(offset, 0)
            guard index < bytes.count else { return nil }
            if bytes.count - index > Self.shortScan { return LineBreaks.first(in: bytes, from: index) }
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            return index < bytes.count ? index : nil
        }
    }

    /// Bytes below which a loop finds a line break sooner than a call to `memchr` does.
    private static let shortScan = 16

    /// The column (0-based, in bytes) of `offset`.
    func column(_ offset: Int) -> Int { offset - lineStart(offset) }

    /// The indentation (leading spaces) of the line holding `offset`.
    func indentation(_ offset: Int) -> Int {
        var index = lineStart(offset)
        var count = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
            index += 1
            count += 1
        }
        return count
    }

    /// Where new lines go after content ending at `offset`: the start of the next line (after a
    /// comment on the same line), or `offset`'s own line start when only spaces precede it.
    /// `nil` when the content ends on the last line with no line break after it.
    func lineBreakAfter(_ offset: Int) -> Int? {
        var back = min(offset, bytes.count)
        while back > 0, bytes[back - 1] == UInt8(ascii: " ") || bytes[back - 1] == UInt8(ascii: "\t") { back -= 1 }
        if back == 0 || bytes[back - 1] == UInt8(ascii: "\n") { return back }
        return newline(from: offset).map { $0 + 1 }
    }

    /// The offset just after the `:` that follows a key ending at `keyEnd` (across spaces, line
    /// breaks and comments, as after an explicit `? key`); `nil` for a key written without one
    /// (`{name, image: x}`, `? name` alone), whose value is empty.
    func colonAfter(_ keyEnd: Int) -> Int? {
        var index = keyEnd
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ":"): return index + 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            default: return nil
            }
        }
        return nil
    }

    /// The offset after trailing spaces before `offset` (and line breaks, with
    /// `acrossLineBreaks`) have been stepped back over, not below `floor`.
    func skippingSpacesBack(from offset: Int, floor: Int, acrossLineBreaks: Bool = false) -> Int {
        var index = offset
        while index > floor {
            let byte = bytes[index - 1]
            let isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            let isLineBreak = byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
            guard isSpace || (acrossLineBreaks && isLineBreak) else { return index }
            index -= 1
        }
        return index
    }

    /// `true` when `first` and `second` lie on different lines.
    func onDifferentLines(_ first: Int, _ second: Int) -> Bool {
        let lower = min(first, second)
        let upper = min(max(first, second), bytes.count)
        guard lower < upper else { return false }
        if upper - lower <= Self.shortScan {
            return bytes.withUnsafeBufferPointer { bytes in bytes[lower..<upper].contains(UInt8(ascii: "\n")) }
        }
        guard let found = newline(from: lower) else { return false }
        return found < upper
    }

    /// `onDifferentLines(first, second)` when `secondLineStart` is `lineStart(second)` already:
    /// for `first` before `second`, a line break lies between them when `second`'s line starts
    /// after `first`, so the one backward scan that found the line start answers both.
    func onDifferentLines(_ first: Int, _ second: Int, secondLineStart: Int) -> Bool {
        guard first <= second else { return onDifferentLines(first, second) }
        return secondLineStart > first
    }
}
