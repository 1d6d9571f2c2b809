/// The options a plugin config may set, with their names in both config shapes.
///
/// A `ShmFix` object names them in camelCase under `spec:`; a KRM `ConfigMap` function config
/// uses the command-line flag names under `data:`, as `kpt fn eval --exec shmfix -- shm-size=2gb`
/// writes them. Options that only make sense on a terminal (`--output`, `--diff`, `--check`,
/// `--in-place`) have no config form: a plugin always answers with the fixed stream.
enum ConfigOption: CaseIterable {
    case shmSize, volumeName, containers, initContainers, kinds, gpuOnly, keepExisting, quiet

    /// The key under a `ShmFix` object's `spec:`.
    var specKey: String {
        switch self {
        case .shmSize: "shmSize"
        case .volumeName: "volumeName"
        case .containers: "containers"
        case .initContainers: "initContainers"
        case .kinds: "kinds"
        case .gpuOnly: "gpuOnly"
        case .keepExisting: "keepExisting"
        case .quiet: "quiet"
        }
    }

    /// The key under a ConfigMap's `data:`: the flag's name.
    var dataKey: String {
        switch self {
        case .shmSize: "shm-size"
        case .volumeName: "volume-name"
        case .containers: "container"
        case .initContainers: "init-containers"
        case .kinds: "kind"
        case .gpuOnly: "gpu-only"
        case .keepExisting: "keep-existing"
        case .quiet: "quiet"
        }
    }
}
