#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ShmfixDiagnostics

/// Refuses input that is not UTF-8 text before libyaml sees it, with a message that says why.
enum EncodingCheck {
    static func verify(_ bytes: [UInt8]) throws(Diagnostic) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Diagnostic(.error, "UTF-16 and UTF-32 input is not supported; convert the file to UTF-8", at: 0)
        }
        let nul = bytes.withUnsafeBytes { buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        if let nul {
            throw Diagnostic(.error, "the input contains a NUL byte; it is binary, not YAML text", at: nul)
        }
    }
}
