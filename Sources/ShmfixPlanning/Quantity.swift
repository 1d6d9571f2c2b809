/// Reads a Kubernetes resource quantity (`2Gi`, `512M`, `1.5G`, `1e9`, `128974848`) as bytes.
///
/// Used to compare an existing `sizeLimit` with the requested size (so `2048Mi` is left as it
/// is when `2Gi` is asked for) and to sum containers' memory limits.
public enum Quantity {
    private static let suffixes: [String: Double] = [
        "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
        "Pi": 1_125_899_906_842_624, "Ei": 1_152_921_504_606_846_976,
        "m": 1e-3, "u": 1e-6, "n": 1e-9,
    ]

    /// The number of bytes `text` denotes (rounded up, as Kubernetes does), or `nil` when it is
    /// not a quantity or is too large for a `Double` (`1e400`).
    public static func bytes(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "+" || $0 == "-") }
        let suffix = String(trimmed.dropFirst(number.count))
        guard let value = Double(number), value >= 0 else { return nil }
        let bytes: Double
        if let multiplier = suffixes[suffix] {
            bytes = value * multiplier
        } else if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()) {
            bytes = value * pow10(exponent)
        } else {
            return nil
        }
        return bytes.isFinite ? bytes.rounded(.up) : nil
    }

    /// 10^exponent; exponents beyond ±400 give infinity or zero without counting up to them.
    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent.magnitude, 400) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Set where Element == Character {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t"]
}
