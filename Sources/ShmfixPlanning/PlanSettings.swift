/// What every pod spec of a run is planned with: the options, and the values shmfix inserts for
/// the default volume name, made once, since nearly every pod spec gets exactly these. A class,
/// so that each pod spec's planner holds it without copying the options.
final class PlanSettings: Sendable {
    /// What the user asked for.
    let options: FixOptions
    /// The items appended to `volumeMounts` for the default volume name.
    private let defaultMountItems: [PlainValue]
    /// The items appended to `volumes` for the default name and the size asked for, when that
    /// is a byte count.
    private let defaultVolumeItems: [PlainValue]?

    /// Settings for `options`.
    init(options: FixOptions) {
        self.options = options
        defaultMountItems = [Self.mount(named: options.volumeName)]
        if case .bytes(let bytes) = options.size {
            defaultVolumeItems = [Self.volume(named: options.volumeName, bytes: bytes)]
        } else {
            defaultVolumeItems = nil
        }
    }

    /// The items appended to a container's `volumeMounts`: the mount of volume `name` at
    /// `/dev/shm`.
    func mountItems(named name: String) -> [PlainValue] {
        name == options.volumeName ? defaultMountItems : [Self.mount(named: name)]
    }

    /// The items appended to a pod spec's `volumes`: the memory-backed emptyDir volume `name`
    /// of `bytes`.
    func volumeItems(named name: String, bytes: Int) -> [PlainValue] {
        if let defaultVolumeItems, name == options.volumeName, case .bytes(bytes) = options.size { return defaultVolumeItems }
        return [Self.volume(named: name, bytes: bytes)]
    }

    private static func mount(named name: String) -> PlainValue {
        .mapping([PlainEntry("name", .string(name)), PlainEntry("mountPath", .string(FixPlanner.shmPath))])
    }

    private static func volume(named name: String, bytes: Int) -> PlainValue {
        .mapping([
            PlainEntry("name", .string(name)),
            PlainEntry(
                "emptyDir",
                .mapping([PlainEntry("medium", .string("Memory")), PlainEntry("sizeLimit", .string(ShmSize.canonical(bytes: bytes)))])),
        ])
    }
}
