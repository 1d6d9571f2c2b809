/// Reads a Kubernetes resource quantity (`2Gi`, `512M`, `1.5G`, `1e9`, `128974848`) as bytes.
///
/// Used to compare an existing `sizeLimit` with the requested size (so `2048Mi` is left as it
/// is when `2Gi` is asked for) and to read memory limits. The grammar is the API server's: a
/// signed decimal number (`1`, `1.5`, `.5`, `5.`), then a binary suffix (`Ki`…`Ei`), a decimal
/// one (`n u m k M G T P E`), or an exponent (`e3`, `E-2`); spaces around it are allowed here.
/// Anything else (`4GB`, `4gi`) is not a quantity. The text is read byte by byte, without
/// building strings: every workload's limits go through here.
public enum Quantity {
    /// The number of bytes `text` denotes (rounded up, as Kubernetes does), or `nil` when it is
    /// not a quantity, is negative, or is too large for a `Double` (`1e400`).
    public static func bytes(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes(in: $0) }
    }

    /// `bytes(_:)` of the UTF-8 text `utf8`.
    static func bytes(in utf8: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = utf8.count
        while start < end, utf8[start] == UInt8(ascii: " ") || utf8[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, utf8[end - 1] == UInt8(ascii: " ") || utf8[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        var index = start
        if index < end, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") { index += 1 }
        let negative = index > start && utf8[start] == UInt8(ascii: "-")
        var value = 0.0
        var digits = 0
        var scale = 1.0
        var seenPoint = false
        while index < end {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let digit = Double(byte - UInt8(ascii: "0"))
                if seenPoint {
                    scale /= 10
                    value += digit * scale
                } else {
                    value = value * 10 + digit
                }
                digits += 1
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digits > 0, !negative || value == 0 else { return nil }
        guard let multiplier = multiplier(utf8, from: index, to: end) else { return nil }
        let bytes = value * multiplier
        return bytes.isFinite ? bytes.rounded(.up) : nil
    }

    /// The factor of the suffix in `utf8[from..<to]`, or `nil` when it is none.
    private static func multiplier(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        switch end - start {
        case 0:
            return 1
        case 1:
            switch utf8[start] {
            case UInt8(ascii: "k"): return 1e3
            case UInt8(ascii: "M"): return 1e6
            case UInt8(ascii: "G"): return 1e9
            case UInt8(ascii: "T"): return 1e12
            case UInt8(ascii: "P"): return 1e15
            case UInt8(ascii: "E"): return 1e18
            case UInt8(ascii: "m"): return 1e-3
            case UInt8(ascii: "u"): return 1e-6
            case UInt8(ascii: "n"): return 1e-9
            default: return nil
            }
        default:
            guard end - start == 2, utf8[start + 1] == UInt8(ascii: "i") else {
                guard utf8[start] == UInt8(ascii: "e") || utf8[start] == UInt8(ascii: "E") else { return nil }
                return exponent(utf8, from: start + 1, to: end).map(pow10)
            }
            switch utf8[start] {
            case UInt8(ascii: "K"): return 1024
            case UInt8(ascii: "M"): return 1_048_576
            case UInt8(ascii: "G"): return 1_073_741_824
            case UInt8(ascii: "T"): return 1_099_511_627_776
            case UInt8(ascii: "P"): return 1_125_899_906_842_624
            case UInt8(ascii: "E"): return 1_152_921_504_606_846_976
            default: return nil
            }
        }
    }

    /// A signed decimal exponent, clamped to ±1000 (beyond ±400 the result is already 0 or ∞).
    private static func exponent(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        var sign = 1
        if index < end, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
            sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
        }
        guard index < end else { return nil }
        var value = 0
        while index < end {
            let byte = utf8[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = min(value * 10 + Int(byte - UInt8(ascii: "0")), 1000)
            index += 1
        }
        return sign * value
    }

    /// 10^exponent; exponents beyond ±400 give infinity or zero without counting up to them.
    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent.magnitude, 400) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
