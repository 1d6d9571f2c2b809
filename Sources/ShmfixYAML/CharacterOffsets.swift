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
        isASCII = !bytes.contains { $0 >= 0x80 }
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
