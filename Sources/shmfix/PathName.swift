#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few path operations the executable needs, on `/`-separated strings, as `NSString`'s
/// path methods do them (which `FoundationEssentials` does not offer).
enum PathName {
    /// The last component: `a/b.yaml` → `b.yaml`, `a/b/` → `b`, `/` → `/`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return trimmed == "/" ? "/" : String(trimmed[trimmed.index(after: slash)...])
    }

    /// The path without its last component: `/a/b` → `/a`, `/a` → `/`, `b` → ``.
    static func folder(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `folder/name` with exactly one `/` between them.
    static func appending(_ name: String, to folder: String) -> String {
        folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The extension of the last component, without its dot: `a.yaml` → `yaml`; `` for
    /// `a`, `a.` and `.hidden`.
    static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// What `path` is, links followed: `nil` when it does not exist (or cannot be inspected).
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile(size: Int(info.st_size))
        default: return .other
        }
    }

    /// The kinds of file `kind(_:)` tells apart.
    enum Kind: Equatable {
        case directory
        case regularFile(size: Int)
        case other
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
