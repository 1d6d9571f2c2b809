/// Finds `--name=` with nothing after the `=`.
///
/// swift-argument-parser reads an empty attached value as no value and takes the next argument
/// instead, so `--shm-size= deploy.yaml` would size `/dev/shm` as "deploy.yaml" and
/// `--shm-size= 2g` would silently work; shmfix refuses both as a usage error about the option.
enum EmptyOptionValue {
    /// The first of `options` (long names without `--`) written as `--name=` in `arguments`,
    /// before a `--` that ends the options.
    static func first(in arguments: some Sequence<String>, options: [String]) -> String? {
        for argument in arguments {
            if argument == "--" { return nil }
            if let option = options.first(where: { argument == "--\($0)=" }) { return option }
        }
        return nil
    }

    /// The usage error for `--option=`.
    static func message(_ option: String) -> String {
        "'--\(option)=' has an empty value; write '--\(option)=VALUE' or '--\(option) VALUE'"
    }
}
