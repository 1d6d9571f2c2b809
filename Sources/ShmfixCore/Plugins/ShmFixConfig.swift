import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML

/// The options of a plugin run, read from its config object.
///
/// Two shapes are accepted: a `ShmFix` object (`apiVersion: shmfix.dev/v1alpha1`, options under
/// `spec:` in camelCase — the kustomize transformer config and a KRM function config), and a
/// `ConfigMap` whose `data:` keys are the flag names (what `kpt fn eval --exec shmfix --
/// shm-size=2gb` builds). Unknown keys, wrong types and bad values are refused with a
/// positioned `Diagnostic`, so a typo never silently falls back to a default.
public struct ShmFixConfig: Sendable {
    /// The `apiVersion` of the `ShmFix` config object.
    public static let apiVersion = "shmfix.dev/v1alpha1"
    /// The `kind` of the config object; also the name kustomize gives the plugin executable.
    public static let kind = "ShmFix"

    /// What to fix and how.
    public let options: FixOptions
    /// No warnings or notes.
    public let quiet: Bool

    /// Reads the config object whose root mapping is `root`.
    init(_ root: YAMLNode) throws(Diagnostic) {
        let resource = Resource(LocatedNode(root, at: NodePath()))
        let subject = resource?.id
        let section = try ConfigSection(root, resource: resource)
        guard let sizeNode = section.values[.shmSize] else {
            throw Diagnostic(.error, "'\(section.path(.shmSize))' is required (e.g. 2gb, 512m, 2Gi)", at: section.offset, resource: subject)
        }
        let sizeText = try section.text(.shmSize, sizeNode)
        let size: ShmSize
        do {
            size = try ShmSize(parsing: sizeText)
        } catch {
            throw Diagnostic(.error, "'\(section.path(.shmSize))': \(error.message)", at: sizeNode.span.lowerBound, resource: subject)
        }
        var volumeName = "dshm"
        if let node = section.values[.volumeName] {
            volumeName = try section.text(.volumeName, node)
            guard FixOptions.isDNSLabel(volumeName) else {
                throw Diagnostic(
                    .error, "'\(section.path(.volumeName))': invalid volume name '\(volumeName)': it must be a DNS-1123 label",
                    at: node.span.lowerBound, resource: subject)
            }
        }
        options = FixOptions(
            size: size, volumeName: volumeName, containerNames: Set(try section.list(.containers)),
            includeInitContainers: try section.flag(.initContainers), kinds: Set(try section.list(.kinds)),
            gpuOnly: try section.flag(.gpuOnly), keepExisting: try section.flag(.keepExisting),
            settingNames: FixOptions.SettingNames(
                size: section.path(.shmSize), volumeName: section.path(.volumeName), containers: section.path(.containers),
                kinds: section.path(.kinds)))
        quiet = try section.flag(.quiet)
    }
}

/// The mapping that holds the options (`spec:` or `data:`), its entries sorted by option.
private struct ConfigSection {
    let values: [ConfigOption: YAMLNode]
    /// Where a missing option is reported.
    let offset: Int
    let usesFlagNames: Bool
    let sectionKey: String
    let subject: String?

    init(_ root: YAMLNode, resource: Resource?) throws(Diagnostic) {
        subject = resource?.id
        let kind = resource?.kind ?? ""
        switch kind {
        case ShmFixConfig.kind:
            guard resource?.apiVersion == ShmFixConfig.apiVersion else {
                throw Diagnostic(
                    .error, "unsupported apiVersion '\(resource?.apiVersion ?? "")' for kind ShmFix; use \(ShmFixConfig.apiVersion)",
                    at: root["apiVersion"]?.span.lowerBound ?? root.span.lowerBound, resource: subject)
            }
            usesFlagNames = false
            sectionKey = "spec"
        case "ConfigMap":
            usesFlagNames = true
            sectionKey = "data"
        default:
            let found = kind.isEmpty ? "an object without kind" : "kind '\(kind)'"
            throw Diagnostic(
                .error, "the config must be a ShmFix object (apiVersion: \(ShmFixConfig.apiVersion)) or a ConfigMap, not \(found)",
                at: root.span.lowerBound, resource: subject)
        }
        let section = root[sectionKey]
        offset = section?.span.lowerBound ?? root.span.lowerBound
        values = try Self.read(section, key: sectionKey, usesFlagNames: usesFlagNames, subject: subject)
    }

    private static func read(_ section: YAMLNode?, key: String, usesFlagNames: Bool, subject: String?) throws(Diagnostic) -> [ConfigOption:
        YAMLNode]
    {
        guard let section, !section.isNull else { return [:] }
        guard let pairs = section.pairs else {
            throw Diagnostic(.error, "'\(key)' must be a mapping of options", at: section.span.lowerBound, resource: subject)
        }
        let byName = Dictionary(uniqueKeysWithValues: ConfigOption.allCases.map { (usesFlagNames ? $0.dataKey : $0.specKey, $0) })
        var values: [ConfigOption: YAMLNode] = [:]
        for pair in pairs {
            let name = pair.key.string ?? ""
            guard let option = byName[name] else {
                let known = ConfigOption.allCases.map { usesFlagNames ? $0.dataKey : $0.specKey }.joined(separator: ", ")
                throw Diagnostic(
                    .error, "unknown option '\(key).\(name)'; known options: \(known)", at: pair.key.span.lowerBound, resource: subject)
            }
            guard values.updateValue(pair.value, forKey: option) == nil else {
                throw Diagnostic(.error, "option '\(key).\(name)' is given twice", at: pair.key.span.lowerBound, resource: subject)
            }
        }
        return values
    }

    /// `spec.shmSize` or `data.shm-size`, as messages name an option.
    func path(_ option: ConfigOption) -> String {
        sectionKey + "." + (usesFlagNames ? option.dataKey : option.specKey)
    }

    /// The option's value as one string.
    func text(_ option: ConfigOption, _ node: YAMLNode) throws(Diagnostic) -> String {
        guard let scalar = node.scalar, !scalar.isNull, !scalar.value.isEmpty else {
            throw Diagnostic(.error, "'\(path(option))' must be a non-empty string", at: node.span.lowerBound, resource: subject)
        }
        return scalar.value
    }

    /// The option as `true` or `false` (absent: `false`); a ConfigMap's quoted `"true"` counts.
    func flag(_ option: ConfigOption) throws(Diagnostic) -> Bool {
        guard let node = values[option] else { return false }
        switch node.scalar?.value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw Diagnostic(.error, "'\(path(option))' must be true or false", at: node.span.lowerBound, resource: subject)
        }
    }

    /// The option as a list: a sequence of strings, or one comma-separated string (absent: empty).
    func list(_ option: ConfigOption) throws(Diagnostic) -> [String] {
        guard let node = values[option], !node.isNull else { return [] }
        if let items = node.items {
            var names: [String] = []
            for item in items { names.append(try text(option, item)) }
            return names
        }
        return try text(option, node).split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
