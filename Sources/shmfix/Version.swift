/// shmfix's version: the one place it is written. `shmfix --version` prints it, and `make dist`
/// and `make image` read it from this file for the archive's name, the krew manifest and the
/// image's tag.
enum ShmfixVersion {
    static let current = "0.1.0"
}
