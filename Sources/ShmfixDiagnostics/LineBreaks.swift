/// Counts line breaks (`\n`) sixteen bytes at a time.
///
/// Cutting a stream into chunks and numbering lines for messages both count every line break
/// of the input; a vector compare per sixteen bytes costs a fraction of a call per line.
public enum LineBreaks {
    /// The number of `\n` in `text`.
    public static func count(in text: UnsafeRawBufferPointer) -> Int {
        var total = 0
        var index = 0
        let lineBreak = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
        let one = SIMD16<UInt8>(repeating: 1)
        while text.count - index >= 16 {
            // A lane counts up to 255: the lanes are added up at least that often.
            var lanes = SIMD16<UInt8>()
            let stop = index + 16 * min(255, (text.count - index) / 16)
            while index < stop {
                let bytes = text.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                lanes &+= SIMD16<UInt8>().replacing(with: one, where: bytes .== lineBreak)
                index += 16
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while index < text.count {
            if text[index] == UInt8(ascii: "\n") { total += 1 }
            index += 1
        }
        return total
    }
}
