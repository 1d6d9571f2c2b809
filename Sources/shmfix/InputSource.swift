#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input: a file (as named on the command line or found in a directory) or stdin.
struct InputSource: Equatable {
    /// The name used in messages (`<stdin>` for standard input).
    let displayName: String
    /// The file path, `nil` for stdin.
    let path: String?

    static let standardInput = InputSource(displayName: "<stdin>", path: nil)

    /// Reads the whole input.
    func read() throws(InputError) -> [UInt8] {
        guard let path else {
            do {
                return try FileDescriptorIO.readAll(STDIN_FILENO)
            } catch {
                throw InputError(displayName: displayName, message: "'\(displayName)' cannot be read: \(error.reason)")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw InputError(displayName: displayName, message: "'\(path)' \(reason)")
        }
        return [UInt8](data)
    }

    /// The inputs named by `paths`: files as given, directories searched recursively for
    /// `*.yaml`, `*.yml` and `*.json` (hidden entries skipped, each real directory visited once
    /// so that symlink loops end), `-` for stdin; no path means stdin.
    static func expand(_ paths: [String]) throws(InputError) -> [InputSource] {
        guard !paths.isEmpty else { return [.standardInput] }
        var sources: [InputSource] = []
        for path in paths {
            if path == "-" {
                sources.append(.standardInput)
                continue
            }
            guard let kind = PathName.kind(path) else {
                throw InputError(displayName: path, message: "'\(path)' does not exist")
            }
            if kind == .directory {
                var visited: Set<String> = []
                sources += try directoryFiles(path, visited: &visited)
            } else {
                sources.append(InputSource(displayName: path, path: path))
            }
        }
        return sources
    }

    private static let extensions: Set<String> = ["yaml", "yml", "json"]

    private static func directoryFiles(_ directory: String, visited: inout Set<String>) throws(InputError) -> [InputSource] {
        // realpath(3) resolves every link (Foundation's resolvingSymlinksInPath gives up on loops),
        // so each real folder is searched once and a loop of links ends.
        guard let resolved = realpath(directory, nil) else {
            throw InputError(displayName: directory, message: "directory '\(directory)' cannot be read")
        }
        let real = String(cString: resolved)
        free(resolved)
        guard visited.insert(real).inserted else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw InputError(displayName: directory, message: "directory '\(directory)' cannot be read")
        }
        var result: [InputSource] = []
        for name in names where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let kind = PathName.kind(path) else { continue }
            if kind == .directory {
                result += try directoryFiles(path, visited: &visited)
            } else if extensions.contains(PathName.pathExtension(name).lowercased()) {
                result.append(InputSource(displayName: path, path: path))
            }
        }
        return result
    }
}

/// A file that could not be read.
struct InputError: Error {
    let displayName: String
    let message: String
}
