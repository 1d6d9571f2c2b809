/// Converts libyaml's character index (`yaml_mark_t.index`) into a byte offset.
///
/// libyaml counts Unicode characters from after the byte order mark, so a character's byte
/// offset is its index plus the extra bytes of the multi-byte characters before it. One pass over
/// the input (64 ASCII bytes at a time) lists those characters; a lookup then moves a cursor
/// over that list, which marks (nearly always asked in order) make a step or two. Pure-ASCII
/// input has an empty list and costs an addition. Text that is mostly multi-byte (where the list
/// would grow larger than the input) is walked byte by byte instead, with a forward cursor.
struct CharacterOffsets {
    /// A multi-byte character: its index, and the extra bytes of it and all such before it.
    private struct Wide {
        var character: Int
        var extraThrough: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let origin: Int
    /// The multi-byte characters in order (empty when there were too many to list).
    private let wide: [Wide]
    private let isListed: Bool
    /// The characters `(lowerBound, upperBound]` lie `shift` bytes after their index: those
    /// after the multi-byte character `wideCursor - 1` and up to the one at `wideCursor`. A
    /// mark in that range (nearly every one) costs two comparisons and an addition.
    private var lowerBound = Int.max
    private var upperBound = Int.min
    private var shift = 0
    private var wideCursor = 0
    private var characterCursor = 0
    private var byteCursor: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        origin = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let wide = Self.wideCharacters(bytes, from: origin, atMost: bytes.count / 32 + 16)
        self.wide = wide ?? []
        isListed = wide != nil
        byteCursor = origin
        if isListed { moveCursor(to: 0) }
    }

    @inline(__always)
    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if index > lowerBound, index <= upperBound { return min(index &+ shift, bytes.count) }
        return byteOffsetOutsideStretch(index)
    }

    private mutating func byteOffsetOutsideStretch(_ index: Int) -> Int {
        guard isListed else { return walk(to: index) }
        moveCursor(to: index)
        return min(index + shift, bytes.count)
    }

    /// Moves `wideCursor` to the first multi-byte character at or after character `index`.
    private mutating func moveCursor(to index: Int) {
        var cursor = wideCursor
        while cursor > 0, wide[cursor - 1].character >= index { cursor -= 1 }
        while cursor < wide.count, wide[cursor].character < index { cursor += 1 }
        wideCursor = cursor
        lowerBound = cursor == 0 ? Int.min : wide[cursor - 1].character
        upperBound = cursor == wide.count ? Int.max : wide[cursor].character
        shift = origin + (cursor == 0 ? 0 : wide[cursor - 1].extraThrough)
    }

    /// Lists the multi-byte characters after `start`, or returns `nil` when there are more than
    /// `limit` of them.
    private static func wideCharacters(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atMost limit: Int) -> [Wide]? {
        guard let base = bytes.baseAddress else { return [] }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var list: [Wide] = []
        var byte = start
        var extra = 0
        while byte < count {
            // 64 bytes per check while all are ASCII (`&+`: the loop condition bounds them).
            while count &- byte >= 64 {
                let low =
                    raw.loadUnaligned(fromByteOffset: byte, as: SIMD16<UInt8>.self)
                    | raw.loadUnaligned(fromByteOffset: byte &+ 16, as: SIMD16<UInt8>.self)
                let high =
                    raw.loadUnaligned(fromByteOffset: byte &+ 32, as: SIMD16<UInt8>.self)
                    | raw.loadUnaligned(fromByteOffset: byte &+ 48, as: SIMD16<UInt8>.self)
                let any = unsafeBitCast(low | high, to: SIMD2<UInt64>.self)
                guard (any[0] | any[1]) & 0x8080_8080_8080_8080 == 0 else { break }
                byte &+= 64
            }
            while count - byte >= 8 {
                // The ASCII bytes before the first one that is not are skipped at once.
                let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) & 0x8080_8080_8080_8080
                guard high == 0 else {
                    byte &+= high.trailingZeroBitCount &>> 3
                    break
                }
                byte &+= 8
            }
            guard byte < count else { break }
            let lead = base[byte]
            guard lead >= 0x80 else {
                byte += 1
                continue
            }
            let length = sequenceLength(leading: lead)
            if length > 1 {
                guard list.count < limit else { return nil }
                list.append(Wide(character: byte - start - extra, extraThrough: extra + length - 1))
                extra += length - 1
            }
            byte += length
        }
        return list
    }

    /// The byte offset of character `index`, found by walking the UTF-8 bytes from the last
    /// answer (or from the start when `index` lies before it).
    private mutating func walk(to index: Int) -> Int {
        if index < characterCursor {
            characterCursor = 0
            byteCursor = origin
        }
        let count = bytes.count
        var byte = byteCursor
        var character = characterCursor
        // Eight ASCII bytes at a time, while they are all ASCII and all wanted.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index - character >= 8, count - byte >= 8,
                raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                byte += 8
                character += 8
            }
        }
        while character < index, byte < count {
            let lead = bytes[byte]
            byte += lead < 0x80 ? 1 : Self.sequenceLength(leading: lead)
            character += 1
        }
        byteCursor = byte
        characterCursor = character
        return min(byteCursor, bytes.count)
    }

    private static func sequenceLength(leading byte: UInt8) -> Int {
        switch byte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
