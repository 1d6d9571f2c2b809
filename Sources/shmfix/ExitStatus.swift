import ShmfixCore

/// The exit statuses of every mode (README "Exit status"), in one place.
enum ExitStatus: Int32 {
    /// Done.
    case success = 0
    /// `--check` found resources that would change.
    case changesFound = 1
    /// The input was refused (YAML error, conflict, unreadable file, empty input, a write that
    /// failed): nothing was written to stdout or to any file.
    case refused = 2
    /// A usage error: bad flags, a plugin called or configured wrongly.
    case usage = 64

    /// The status of a plugin run.
    init(_ verdict: PluginVerdict) {
        switch verdict {
        case .done: self = .success
        case .refused: self = .refused
        case .misconfigured: self = .usage
        }
    }
}
