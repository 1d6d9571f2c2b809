#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks the fuzz properties on saved inputs without libFuzzer (a plain debug build).
enum FuzzReplay {
    static func run(_ paths: ArraySlice<String>) {
        for path in paths {
            guard let bytes = read(path) else {
                FuzzLog.write("\(path): cannot be read\n")
                exit(2)
            }
            FuzzProperties.check(bytes)
            FuzzLog.write("\(path): ok\n")
        }
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes += chunk.prefix(count)
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
