import ArgumentParser
import ShmfixCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `shmfix`: gives every pod spec a memory-backed `/dev/shm` of the requested size.
@main
struct Shmfix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shmfix",
        abstract: "Give every Kubernetes pod spec a memory-backed /dev/shm of the size you ask for.",
        // One line per paragraph: argument-parser keeps every line break it is given and wraps
        // each line on its own, so a break inside a paragraph would leave a ragged line.
        discussion: """
            Reads manifests (YAML or JSON; files, directories or stdin) and adds an emptyDir \
            volume {medium: Memory, sizeLimit: SIZE} mounted at /dev/shm in every container, \
            touching no other byte.

            Exit status: 0 done, 1 --check found changes, 2 input refused (including an input \
            that holds no YAML document), 64 usage error.
            """,
        version: ShmfixVersion.current)

    /// The form of what is written on stdout.
    enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
        case yaml
        case jsonPatch = "json-patch"
        case kustomize
    }

    @Option(
        name: .customLong("shm-size"),
        help: "Size of /dev/shm: Docker syntax (2gb, 1.5g, 512m), Kubernetes (2Gi), or N% of the pod's memory limit.",
        transform: { try ShmSize(parsing: $0) })
    var shmSize: ShmSize

    @Option(
        name: [.short, .customLong("output")],
        help: "yaml (the stream with the edits), json-patch (RFC 6902, one array per changed resource) or kustomize (a patches: list).")
    var output: OutputFormat = .yaml

    @Flag(help: "Print a unified diff of what would change, nothing else.")
    var diff = false

    @Flag(help: "Change nothing; name each resource that would change on stderr; exit 1 if any would.")
    var check = false

    @Flag(name: [.short, .customLong("in-place")], help: "Rewrite the files that change, atomically.")
    var inPlace = false

    @Option(name: .customLong("volume-name"), help: "Volume name used when none is mounted at /dev/shm yet (a DNS-1123 label).")
    var volumeName = "dshm"

    @Option(name: [.short, .customLong("container")], help: "Mount only into this container (repeatable; native sidecars too).")
    var containers: [String] = []

    @Flag(name: .customLong("init-containers"), help: "Also mount into initContainers.")
    var initContainers = false

    @Option(name: .customLong("kind"), help: "Only resources of this kind (repeatable, case-insensitive).")
    var kinds: [String] = []

    @Flag(
        name: .customLong("gpu-only"),
        help: "Only pod specs that ask for a GPU: a */gpu, nvidia.com/* or gpu.intel.com/* resource, or a DRA claim.")
    var gpuOnly = false

    @Flag(name: .customLong("keep-existing"), help: "Add where missing; never change the size of an existing /dev/shm volume.")
    var keepExisting = false

    @Flag(name: [.short, .customLong("quiet")], help: "No warnings or notes.")
    var quiet = false

    @Argument(help: "Files, directories (searched for *.yaml, *.yml, *.json) or - for stdin. Default: stdin.")
    var paths: [String] = []

    func validate() throws {
        guard FixOptions.isDNSLabel(volumeName) else {
            throw ValidationError(
                "invalid volume name '\(volumeName)': it must be a DNS-1123 label (lowercase letters, digits and '-', at most 63)")
        }
        if [diff, check, inPlace, output != .yaml].filter({ $0 }).count > 1 {
            throw ValidationError("--diff, --check, --in-place and --output json-patch|kustomize cannot be combined")
        }
        if inPlace, paths.isEmpty || paths.contains("-") {
            throw ValidationError("--in-place needs files; it cannot rewrite stdin")
        }
    }

    // MARK: Plugin entry (kustomize exec transformer, KRM function, Helm post-renderer): Plugins/

    /// Runs a plugin mode when the invocation is one (`EntryMode.detect`), else the command line.
    static func main() {
        if let option = EmptyOptionValue.first(in: CommandLine.arguments.dropFirst(), options: valueOptions) {
            exit(withError: ValidationError(EmptyOptionValue.message(option)))
        }
        if let status = EntryMode.detect(CommandLine.arguments, readStandardInput: EntryMode.standardInputUnlessTerminal).run() {
            Self.exit(withError: ExitCode(status.rawValue))
        }
        main(nil)
    }

    /// The long options that take a value, whose `--name=` with nothing after the `=` is refused.
    static let valueOptions = ["shm-size", "output", "volume-name", "container", "kind"]

    func run() throws {
        let options = FixOptions(
            size: shmSize, volumeName: volumeName, containerNames: Set(containers), includeInitContainers: initContainers,
            kinds: Set(kinds), gpuOnly: gpuOnly, keepExisting: keepExisting)
        let fixer = ShmFixer(options: options)
        let printer = DiagnosticPrinter(quiet: quiet)
        let status: ExitStatus
        if let mode {
            let results = FixRun(fixer: fixer, printer: printer).run(paths)
            status = results.map { OutputWriter(printer: printer).write($0, mode: mode) } ?? .refused
        } else {
            status = StreamingRun(fixer: fixer, printer: printer).run(paths)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// The form to write once every input is fixed; `nil` for the YAML stream, which is
    /// written as it is fixed.
    private var mode: OutputWriter.Mode? {
        if check { return .check }
        if diff { return .diff }
        if inPlace { return .inPlace }
        switch output {
        case .yaml: return nil
        case .jsonPatch: return .jsonPatch
        case .kustomize: return .kustomize
        }
    }
}
