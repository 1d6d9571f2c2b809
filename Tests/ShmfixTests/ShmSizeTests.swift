import ShmfixPlanning
import Testing

/// `--shm-size` text (Docker's `RAMInBytes` syntax, Kubernetes binary suffixes, percentages),
/// the canonical quantity written, and the reading of existing quantities.
@Suite struct ShmSizeTests {
    static let gibibyte = 1 << 30
    static let mebibyte = 1 << 20

    @Test(arguments: [
        ("2gb", 2 * gibibyte), ("2g", 2 * gibibyte), ("2G", 2 * gibibyte), ("2GB", 2 * gibibyte),
        ("2Gi", 2 * gibibyte), ("2gib", 2 * gibibyte), ("2GiB", 2 * gibibyte), ("2 gb", 2 * gibibyte),
        ("1.5g", 1536 * mebibyte), ("512m", 512 * mebibyte), ("512Mi", 512 * mebibyte), ("64k", 64 * 1024),
        ("1t", 1 << 40), ("1p", 1 << 50), ("1Ei", 1 << 60), ("100", 100), ("100b", 100), ("1.5", 1),
        ("0.5k", 512), ("1.0009765625k", 1025), (".5g", 512 * mebibyte), ("+2g", 2 * gibibyte), ("1e3", 1000),
        ("2.g", 2 * gibibyte), ("1.5Gi", 1536 * mebibyte), ("1e1k", 10 * 1024),
    ])
    func parsesBytes(_ text: String, _ bytes: Int) throws {
        #expect(try ShmSize(parsing: text) == .bytes(bytes))
    }

    @Test(arguments: [("50%", 50), ("1%", 1), ("100%", 100)])
    func parsesPercentages(_ text: String, _ percent: Int) throws {
        #expect(try ShmSize(parsing: text) == .percentOfMemoryLimit(percent))
    }

    @Test(arguments: [
        "", "0", "0g", "0.0001", "-1g", "abc", "2x", "2gg", "2  gb", "g", "1.2.3g", "1e", "2kk", "9999999999p", "++2g", "2gbb", "inf",
        "1e3.5g", "0x10", " 2g",
    ])
    func refusesBadSizesQuotingThem(_ text: String) {
        #expect(throws: ShmSize.ParseError.self) { try ShmSize(parsing: text) }
        do {
            _ = try ShmSize(parsing: text)
        } catch {
            #expect(error.message.hasPrefix("invalid size '\(text)': "))
        }
    }

    @Test(arguments: [
        ("2gi", "invalid size '2gi': write 2Gi (Kubernetes) or 2gb (Docker); both reject 'gi'"),
        ("1.5mI", "invalid size '1.5mI': write 1.5Mi (Kubernetes) or 1.5mb (Docker); both reject 'mI'"),
    ])
    func refusesAKubernetesSuffixInTheWrongCaseNamingBothSpellings(_ text: String, _ message: String) {
        do {
            _ = try ShmSize(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test(arguments: ["0%", "101%", "12.5%", "%", "-5%", "x%"])
    func refusesBadPercentages(_ text: String) {
        do {
            _ = try ShmSize(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.message == "invalid size '\(text)': a percentage must be a whole number from 1% to 100%")
        }
    }

    @Test(arguments: [
        (2 * gibibyte, "2Gi"), (1536 * mebibyte, "1536Mi"), (1024, "1Ki"), (1 << 60, "1Ei"), (2048 * 1024 * 1000, "2000Mi"),
        (1_000_000, "1M"), (1126, "1126"), (1, "1"), (2000, "2k"), (1536, "1536"), (1_500_000_000, "1500M"),
        (5870 * mebibyte, "5870Mi"),
    ])
    func canonicalQuantity(_ bytes: Int, _ text: String) {
        #expect(ShmSize.canonical(bytes: bytes) == text)
    }

    @Test(arguments: [
        ("2Gi", 2147483648.0), ("2048Mi", 2147483648.0), ("512M", 512e6), ("1.5G", 1.5e9), ("1e9", 1e9), ("1E3", 1000.0),
        ("128974848", 128974848.0), ("100m", 1.0), ("12k", 12000.0), (" 2Gi", 2147483648.0), ("0", 0.0),
        (".5Gi", 536870912.0), ("5.", 5.0), ("+1Ki", 1024.0), ("8Ei", 9223372036854775808.0), ("1E-3", 1.0), ("2e+3", 2000.0),
    ])
    func readsQuantities(_ text: String, _ bytes: Double) {
        #expect(Quantity.bytes(text) == bytes)
    }

    @Test(arguments: ["2gi", "2GB", "abc", "", "-1Gi", "Gi", "2 Gi x", "4GB", "1.2.3", "1e", "1e+", "Ki", ".", "1Eix"])
    func refusesWhatIsNotAQuantity(_ text: String) {
        #expect(Quantity.bytes(text) == nil)
    }

    @Test(arguments: [
        ("dshm", true), ("shm-2", true), ("a", true), ("Dshm", false), ("-shm", false), ("shm-", false), ("sh_m", false),
        ("", false), (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
    ])
    func volumeNamesAreDNSLabels(_ name: String, _ valid: Bool) {
        #expect(FixOptions.isDNSLabel(name) == valid)
    }
}
