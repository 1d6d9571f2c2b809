/// The size asked for with `--shm-size`: a byte count in Docker's syntax, or a percentage of the
/// pod's memory limit.
///
/// Docker's syntax (go-units `RAMInBytes`): a decimal number, an optional space, an optional
/// unit `b k m g t p` (any case), optionally followed by `b` or `ib`; every unit is binary and
/// fractions truncate to whole bytes (`1.5g` = 1536 MiB). Kubernetes' binary suffixes
/// `Ki Mi Gi Ti Pi Ei` are accepted too. The value written is what the API server would store:
/// `canonical(bytes:)`.
public enum ShmSize: Sendable, Equatable {
    /// An exact number of bytes.
    case bytes(Int)
    /// A percentage (1...100) of the pod's memory limit.
    case percentOfMemoryLimit(Int)

    /// Why a size text was refused.
    public struct ParseError: Error, Equatable, Sendable {
        /// The message, quoting the text.
        public let message: String
    }

    private static let unitExponents: [Character: Int] = ["k": 1, "m": 2, "g": 3, "t": 4, "p": 5, "e": 6]

    /// Parses `--shm-size` text.
    public init(parsing text: String) throws(ParseError) {
        let refusal = ParseError(
            message: "invalid size '\(text)': use a positive number with an optional unit, e.g. 2gb, 1.5g, 512m, 2Gi or 50%")
        if text.hasSuffix("%") {
            guard let percent = Int(text.dropLast()), (1...100).contains(percent) else {
                throw ParseError(message: "invalid size '\(text)': a percentage must be a whole number from 1% to 100%")
            }
            self = .percentOfMemoryLimit(percent)
            return
        }
        guard let bytes = Self.bytes(in: text), bytes > 0 else { throw refusal }
        self = .bytes(bytes)
    }

    private static func bytes(in text: String) -> Int? {
        var rest = Substring(text)
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        rest = rest.dropFirst(number.count)
        if rest.hasPrefix(" ") { rest = rest.dropFirst() }
        let unit = rest.lowercased()
        let exponent: Int
        switch unit {
        case "", "b": exponent = 0
        default:
            guard let first = unit.first, let value = unitExponents[first],
                ["", "b", "i", "ib"].contains(String(unit.dropFirst())),
                first != "e" || unit == "ei"
            else { return nil }
            exponent = value
        }
        return scaled(number, by: exponent)
    }

    /// `number × 1024^exponent`, fraction truncated; `nil` on overflow or a malformed number.
    private static func scaled(_ number: Substring, by exponent: Int) -> Int? {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), !parts[0].isEmpty else { return nil }
        var multiplier = 1
        for _ in 0..<exponent {
            let (next, overflow) = multiplier.multipliedReportingOverflow(by: 1024)
            if overflow { return nil }
            multiplier = next
        }
        let (wholeBytes, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        if overflow { return nil }
        guard parts.count == 2 else { return wholeBytes }
        guard !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else { return nil }
        var fractionBytes = 0.0
        var scale = Double(multiplier)
        for digit in parts[1].prefix(18) {
            scale /= 10
            fractionBytes += Double(digit.wholeNumberValue ?? 0) * scale
        }
        let (total, sumOverflow) = wholeBytes.addingReportingOverflow(Int(fractionBytes.rounded(.down)))
        return sumOverflow ? nil : total
    }

    /// The Kubernetes quantity the API server would store for `bytes`: the largest exact binary
    /// suffix for a multiple of 1024 (`2Gi`, `1536Mi`), otherwise the decimal canonical form
    /// (`1000000` → `1M`, `1126` → `1126`).
    public static func canonical(bytes: Int) -> String {
        let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        var value = bytes
        var suffix = ""
        for next in binary where value % 1024 == 0 && value != 0 {
            value /= 1024
            suffix = next
        }
        if !suffix.isEmpty { return "\(value)\(suffix)" }
        for next in ["k", "M", "G", "T", "P", "E"] where value % 1000 == 0 && value != 0 {
            value /= 1000
            suffix = next
        }
        return "\(value)\(suffix)"
    }
}
