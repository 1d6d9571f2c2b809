/// The one rule for an input that, as a whole, holds nothing: no YAML document with something
/// in it — no bytes, or only blank lines, comments and document markers (`---`, `...`, a lone
/// `~`) — whatever it came from: stdin (a pipe, `/dev/null`, a redirected file), one empty file,
/// a directory with no manifests, or several such inputs. It is refused (exit 2), naming each
/// path given, because an empty answer in a pipeline is almost always an upstream failure
/// (Helm rejects it too). An empty input among others that hold something is fine.
enum EmptyInput {
    /// One message per path given (`<stdin>` for `-` or no path).
    static func messages(paths: [String]) -> [String] {
        let given = paths.isEmpty ? ["-"] : paths
        return given.map { path in
            let name = path == "-" ? InputSource.standardInput.displayName : path
            return "\(name): error: \(reason(path)); there is nothing to fix and nothing to write"
        }
    }

    private static func reason(_ path: String) -> String {
        guard path != "-", PathName.kind(path) == .directory else {
            return "the input holds no YAML document (it is empty, or only comments and document markers)"
        }
        if let files = try? InputSource.expand([path]), !files.isEmpty {
            return "the files of directory '\(path)' hold no YAML document (they are empty, or only comments and document markers)"
        }
        return "directory '\(path)' holds no *.yaml, *.yml or *.json file"
    }
}
