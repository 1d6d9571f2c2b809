/// Converts libyaml's character index (`yaml_mark_t.index`) into a byte offset.
///
/// libyaml counts Unicode characters from after the byte order mark. Pure-ASCII input (the
/// common case) needs no work; otherwise a cursor walks forward through the UTF-8 bytes, and
/// starts over only in the rare case that a mark lies before the previous one.
struct CharacterOffsets {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let origin: Int
    private let isASCII: Bool
    private var characterCursor = 0
    private var byteCursor: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        origin = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        isASCII = Self.isASCII(bytes)
        byteCursor = origin
    }

    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if isASCII { return min(origin + index, bytes.count) }
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

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while bytes.count - index >= 8 {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
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
