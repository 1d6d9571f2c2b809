/// What the user asked for: the size, the volume name and which pod specs and containers.
public struct FixOptions: Sendable {
    /// The `/dev/shm` size.
    public var size: ShmSize
    /// The volume name used when no volume is mounted at `/dev/shm` yet.
    public var volumeName: String
    /// Only these containers (all when empty).
    public var containerNames: Set<String>
    /// Also mount into init containers.
    public var includeInitContainers: Bool
    /// Only these kinds, lowercased (all when empty).
    public var kinds: Set<String>
    /// Only pod specs in which some container requests or limits a `*/gpu` resource.
    public var gpuOnly: Bool
    /// Never change the size of an existing `/dev/shm` volume.
    public var keepExisting: Bool
    /// How messages name the size and volume-name settings where the user set them.
    public var settingNames: SettingNames

    /// The names of the settings a message may tell the user to change: the flags on the
    /// command line, the config keys (`data.volume-name`, `spec.volumeName`) in a plugin.
    public struct SettingNames: Sendable {
        /// The size setting (`--shm-size`).
        public var size: String
        /// The volume-name setting (`--volume-name`).
        public var volumeName: String
        /// The container selection (`-c`).
        public var containers: String
        /// The kind selection (`--kind`).
        public var kinds: String

        /// The command line's flags.
        public static let flags = SettingNames(size: "--shm-size", volumeName: "--volume-name", containers: "-c", kinds: "--kind")

        /// Creates setting names.
        public init(size: String, volumeName: String, containers: String, kinds: String) {
            self.size = size
            self.volumeName = volumeName
            self.containers = containers
            self.kinds = kinds
        }
    }

    /// Creates options; the defaults are those of the command line.
    public init(
        size: ShmSize, volumeName: String = "dshm", containerNames: Set<String> = [], includeInitContainers: Bool = false,
        kinds: Set<String> = [], gpuOnly: Bool = false, keepExisting: Bool = false, settingNames: SettingNames = .flags
    ) {
        self.size = size
        self.volumeName = volumeName
        self.containerNames = containerNames
        self.includeInitContainers = includeInitContainers
        self.kinds = Set(kinds.map { $0.lowercased() })
        self.gpuOnly = gpuOnly
        self.keepExisting = keepExisting
        self.settingNames = settingNames
    }

    /// `true` when `name` is a DNS-1123 label, as a volume name must be.
    public static func isDNSLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return alphanumeric(first) && alphanumeric(last) && bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}
