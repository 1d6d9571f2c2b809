import ShmfixCore

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

/// How this process was started: as the command line, or under another tool's plugin protocol.
///
/// The rules, in order (each is pinned by `IntegrationModeTests`):
/// 1. argv[0]'s basename is `ShmFix` and an argument follows — kustomize's legacy exec
///    transformer, which runs `PLUGIN_HOME/shmfix.dev/v1alpha1/shmfix/ShmFix CONFIG_FILE` with the
///    resources on stdin.
/// 2. The only argument is a file (not a flag) holding a `kind: ShmFix` object — the same
///    protocol by hand: `shmfix shmfix.yaml < resources.yaml`. (The command line could never
///    accept this call: it has no `--shm-size`.)
/// 3. No argument at all and stdin is not a terminal — stdin is read, and if it is one
///    `kind: ResourceList` document, shmfix is a KRM function (kpt passes no arguments with
///    `--exec`; the options come inside the list as its `functionConfig`).
/// 4. Anything else — the command line (without `--shm-size` that is its usual usage error).
enum EntryMode {
    /// kustomize's legacy exec transformer.
    case kustomizeExec(configPath: String, extraArguments: [String])
    /// A KRM function; stdin has been read into `input`.
    case krmFunction(ResourceListInput)
    /// The ordinary command line.
    case commandLine

    /// The basename kustomize gives the plugin executable: the config object's kind.
    static let execTransformerName = ShmFixConfig.kind
    /// The largest file read to see whether it is a config object.
    static let configSizeLimit = 1 << 20

    /// Decides the mode from argv (with argv[0]) and, only for rule 3, stdin.
    static func detect(_ argv: [String], readStandardInput: () -> [UInt8]?) -> EntryMode {
        let program = PathName.lastComponent(argv.first ?? "")
        let arguments = Array(argv.dropFirst())
        if program == execTransformerName, let config = arguments.first {
            return .kustomizeExec(configPath: config, extraArguments: Array(arguments.dropFirst()))
        }
        if arguments.count == 1, let path = arguments.first, !path.hasPrefix("-"), isConfigFile(path) {
            return .kustomizeExec(configPath: path, extraArguments: [])
        }
        if arguments.isEmpty, let input = readStandardInput(), let list = ResourceListInput(input) {
            return .krmFunction(list)
        }
        return .commandLine
    }

    /// Stdin's bytes, or `nil` when it is a terminal (nobody is piping a ResourceList).
    static func standardInputUnlessTerminal() -> [UInt8]? {
        guard isatty(STDIN_FILENO) == 0 else { return nil }
        return try? FileDescriptorIO.readAll(STDIN_FILENO)
    }

    /// `true` when `path` is a small regular file whose first document is a `kind: ShmFix` object.
    private static func isConfigFile(_ path: String) -> Bool {
        guard case .regularFile(let size) = PathName.kind(path), size <= configSizeLimit,
            let data = FileManager.default.contents(atPath: path)
        else { return false }
        return ShmFixConfig.isConfig([UInt8](data))
    }
}

extension EntryMode {
    /// Runs the plugin mode and returns its exit status; `nil` for the command line.
    func run() -> ExitStatus? {
        switch self {
        case .kustomizeExec(let configPath, let extraArguments):
            ExecTransformer(configPath: configPath, extraArguments: extraArguments).run()
        case .krmFunction(let input):
            KRMFunction(input: input).run()
        case .commandLine:
            nil
        }
    }
}
