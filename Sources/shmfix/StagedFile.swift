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

/// The new contents of one file, written and flushed to a temporary file beside it, waiting to
/// be renamed over it.
struct StagedFile {
    /// The real path of the file replaced.
    let target: String
    /// The temporary file: `.NAME.shmfix-XXXXXXXX.tmp` in the target's folder.
    let temporary: String

    /// The target's folder.
    var folder: String { PathName.folder(of: target) }

    /// Stages `contents` for `target`, which must be a regular file still holding `expected`.
    init(target: String, expected: [UInt8], contents: [UInt8]) throws(StagingError) {
        self.target = target
        var info = stat()
        guard stat(target, &info) == 0 else {
            throw StagingError("cannot inspect '\(target)': \(StagingError.systemMessage())")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw StagingError("'\(target)' is not a regular file; --in-place rewrites regular files only")
        }
        guard let current = FileManager.default.contents(atPath: target), [UInt8](current) == expected else {
            throw StagingError("'\(target)' changed since shmfix read it; run shmfix again")
        }
        let (descriptor, name) = try Self.create(in: PathName.folder(of: target), for: target)
        temporary = name
        do throws(StagingError) {
            try Self.write(contents, to: descriptor, name: name)
            Self.copyOwnerAndMode(info, to: descriptor)
            guard fsync(descriptor) == 0 else { throw StagingError("cannot flush '\(name)': \(StagingError.systemMessage())") }
        } catch {
            _ = close(descriptor)
            _ = unlink(name)
            throw error
        }
        guard close(descriptor) == 0 else {
            let message = StagingError.systemMessage()
            _ = unlink(name)
            throw StagingError("cannot close '\(name)': \(message)")
        }
    }

    /// Renames the temporary file over the target.
    func commit() throws(StagingError) {
        guard rename(temporary, target) == 0 else {
            let message = StagingError.systemMessage()
            discard()
            throw StagingError("cannot replace '\(target)': \(message)")
        }
    }

    /// Removes the temporary file.
    func discard() { _ = unlink(temporary) }

    /// Flushes a folder's entries, so that a rename in it survives a crash.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    /// A new, exclusively created temporary file for `target` in `folder`.
    private static func create(in folder: String, for target: String) throws(StagingError) -> (Int32, String) {
        let base = shortened(PathName.lastComponent(target))
        for _ in 0..<16 {
            let suffix = String((0..<8).map { _ in randomCharacters.randomElement() ?? "x" })
            let name = PathName.appending(".\(base).shmfix-\(suffix).tmp", to: folder)
            let descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, name) }
            if errno != EEXIST {
                throw StagingError("cannot create a temporary file in '\(folder)': \(StagingError.systemMessage())")
            }
        }
        throw StagingError("cannot create a temporary file in '\(folder)': every name tried exists")
    }

    private static let randomCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// The file name cut to at most 200 bytes, so that the temporary name fits in NAME_MAX.
    private static func shortened(_ name: String) -> String {
        var result = ""
        for character in name {
            guard result.utf8.count + character.utf8.count <= 200 else { break }
            result.append(character)
        }
        return result
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32, name: String) throws(StagingError) {
        do {
            try FileDescriptorIO.writeAll(bytes, to: descriptor)
        } catch {
            throw StagingError("cannot write '\(name)': \(error.reason)")
        }
    }

    /// Gives the new file the original's owner (when allowed) and permission bits.
    private static func copyOwnerAndMode(_ info: stat, to descriptor: Int32) {
        if info.st_uid != geteuid() || info.st_gid != getegid() {
            _ = fchown(descriptor, info.st_uid, info.st_gid)
        }
        _ = fchmod(descriptor, info.st_mode & 0o7777)
    }
}

/// Why a file could not be rewritten in place.
struct StagingError: Error {
    let message: String

    init(_ message: String) { self.message = message }

    /// The text of the current `errno`.
    static func systemMessage() -> String { FileDescriptorIO.systemMessage() }
}
