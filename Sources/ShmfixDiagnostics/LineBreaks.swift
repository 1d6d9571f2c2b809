#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts line breaks (`\n`) sixty-four bytes at a time, and finds the next one.
///
/// Cutting a stream into chunks and numbering lines for messages both count every line break
/// of the input; four vector compares per sixty-four bytes cost a fraction of a call per line.
/// Cutting chunks, telling a document's kind and laying out edits all look for the end of a
/// line: `first(in:from:)`, one `memchr`.
public enum LineBreaks {
    /// The offset of the first `\n` in `text` at or after `offset`; `nil` when there is none
    /// (or `offset` is past the end). Inlinable: it is called once per line by its callers.
    @inlinable
    public static func first(in text: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int? {
        guard let base = text.baseAddress, offset >= 0, offset < text.count,
            let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), text.count - offset)
        else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// The number of `\n` in `text`.
    public static func count(in text: UnsafeRawBufferPointer) -> Int {
        guard let base = text.baseAddress else { return 0 }
        var total = 0
        var index = 0
        let lineBreak = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
        let one = SIMD16<UInt8>(repeating: 1)
        // A lane counts up to 255 and gains at most four per block of 64 bytes: the lanes are
        // added up every 63 blocks. Bounds are checked once per run of blocks, hence `&+`.
        while text.count - index >= 64 {
            var lanes = SIMD16<UInt8>()
            let stop = index &+ 64 &* min(63, (text.count &- index) / 64)
            while index < stop {
                let a = base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                let b = base.loadUnaligned(fromByteOffset: index &+ 16, as: SIMD16<UInt8>.self)
                let c = base.loadUnaligned(fromByteOffset: index &+ 32, as: SIMD16<UInt8>.self)
                let d = base.loadUnaligned(fromByteOffset: index &+ 48, as: SIMD16<UInt8>.self)
                lanes &+= SIMD16<UInt8>().replacing(with: one, where: a .== lineBreak)
                lanes &+= SIMD16<UInt8>().replacing(with: one, where: b .== lineBreak)
                lanes &+= SIMD16<UInt8>().replacing(with: one, where: c .== lineBreak)
                lanes &+= SIMD16<UInt8>().replacing(with: one, where: d .== lineBreak)
                index &+= 64
            }
            total &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        var lanes = SIMD16<UInt8>()
        while text.count &- index >= 16 {
            let bytes = base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            lanes &+= SIMD16<UInt8>().replacing(with: one, where: bytes .== lineBreak)
            index &+= 16
        }
        total &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        while index < text.count {
            if base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: "\n") { total &+= 1 }
            index &+= 1
        }
        return total
    }
}
