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
    /// Its description is the reason alone, as a command line shows it after naming the value
    /// (`The value '2x' is invalid for '--shm-size <shm-size>': use a positive number …`).
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text refused.
        public let text: String
        /// Why, without the text (`use a positive number …`).
        public let reason: String

        /// Creates a refusal.
        public init(_ text: String, _ reason: String) {
            self.text = text
            self.reason = reason
        }

        /// The reason.
        public var description: String { reason }

        /// The message, quoting the text: `invalid size '2x': use a positive number …`.
        public var message: String { "invalid size '\(text)': \(reason)" }
    }

    /// The `/dev/shm` size Docker gives every container: 64Mi.
    public static let dockerDefaultBytes = 64 * 1_048_576

    private static let dockerUnits: [Character: Int] = ["k": 1, "m": 2, "g": 3, "t": 4, "p": 5]
    private static let kubernetesSuffixes = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

    /// Parses `--shm-size` text.
    public init(parsing text: String) throws(ParseError) {
        if text.hasSuffix("%") {
            guard let percent = Int(text.dropLast()), (1...100).contains(percent) else {
                throw ParseError(text, "a percentage must be a whole number from 1% to 100%")
            }
            self = .percentOfMemoryLimit(percent)
            return
        }
        let suffix = text.suffix(2)
        if suffix.last == "i" || suffix.last == "I", let unit = suffix.first, Self.dockerUnits[Character(unit.lowercased())] != nil,
            Self.kubernetesSuffixes[String(suffix)] == nil, text.count > 2
        {
            let number = text.dropLast(2)
            throw ParseError(
                text,
                "write \(number)\(unit.uppercased())i (Kubernetes) or \(number)\(unit.lowercased())b (Docker); both reject '\(suffix)'")
        }
        guard let bytes = Self.kubernetesBytes(in: text) ?? Self.dockerBytes(in: text), bytes > 0 else {
            throw ParseError(text, "use a positive number with an optional unit, e.g. 2gb, 1.5g, 512m, 2Gi or 50%")
        }
        self = .bytes(bytes)
    }

    /// A number with a Kubernetes binary suffix (`2Gi`, `1.5Gi`), exact, fraction truncated.
    private static func kubernetesBytes(in text: String) -> Int? {
        guard let exponent = kubernetesSuffixes[String(text.suffix(2))] else { return nil }
        let number = text.dropLast(2)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        return scaled(number, by: exponent)
    }

    /// Docker's reading (go-units `RAMInBytes`): the number is everything up to the last digit,
    /// dot or space (a space there separates it from the unit) and is a Go float (`.5`, `2.`,
    /// `+2`, `1e3`); the unit is empty, `b`, or one of `k m g t p` followed by nothing, `b` or
    /// `ib`, in any case; every unit is binary and the product truncates to whole bytes.
    private static func dockerBytes(in text: String) -> Int? {
        guard let separator = text.lastIndex(where: { "0123456789. ".contains($0) }) else { return nil }
        let number = text[separator] == " " ? text[..<separator] : text[...separator]
        let unit = text[text.index(after: separator)...].lowercased()
        guard isGoFloat(number), let value = Double(number), value >= 0 else { return nil }
        var exponent = 0
        if let first = unit.first, first != "b" {
            guard let found = dockerUnits[first], ["", "b", "ib"].contains(String(unit.dropFirst())) else { return nil }
            exponent = found
        } else if unit.count > 1 {
            return nil
        }
        var bytes = value
        for _ in 0..<exponent { bytes *= 1024 }
        guard bytes < 9.223372036854775807e18 else { return nil }
        return Int(bytes.rounded(.towardZero))
    }

    /// `[+-]digits[.digits]` or `[+-].digits`, with an optional `e[+-]digits`: the decimal floats
    /// Go's `strconv.ParseFloat` reads (not its `Inf`, `NaN` or hexadecimal forms).
    private static func isGoFloat(_ text: Substring) -> Bool {
        var rest = text.drop { $0 == "+" || $0 == "-" }
        guard text.count - rest.count <= 1 else { return false }
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(whole.count)
        var fraction: Substring = ""
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return false }
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
        }
        return rest.isEmpty
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
        return decimalCanonical(bytes: bytes)
    }

    /// The decimal canonical form of `bytes`: the largest exact decimal suffix (`4G`, `1126`).
    public static func decimalCanonical(bytes: Int) -> String {
        var value = bytes
        var suffix = ""
        for next in ["k", "M", "G", "T", "P", "E"] where value % 1000 == 0 && value != 0 {
            value /= 1000
            suffix = next
        }
        return "\(value)\(suffix)"
    }
}
