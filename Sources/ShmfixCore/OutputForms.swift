import ShmfixDiagnostics
import ShmfixRendering
import ShmfixYAML

/// The outputs other than the fixed YAML stream, made from the results of every input: what
/// `-o json-patch`, `-o kustomize`, `--diff` and `--check` print. Each is computed whole before
/// anything is written, so a refusal leaves stdout empty.
public enum OutputForms {
    /// A resource that an output form cannot express (a patch needs its name): the input it is
    /// in, and why.
    public struct Refusal: Error, Sendable {
        /// The index of the input in the results given.
        public let input: Int
        /// The error, placed in that input.
        public let finding: Finding
    }

    /// The RFC 6902 patches of every changed resource, in input order: a bare array when the
    /// inputs hold one resource, else one JSON object per line naming its resource
    /// (`JSONPatchLines`).
    public static func jsonPatch(_ results: [FixResult]) throws(Refusal) -> [UInt8] {
        var patches = JSONPatchLines(isSingleResource: isSingleResource(results))
        for (index, result) in results.enumerated() {
            for resource in result.changedResources {
                do {
                    try patches.add(resource.plan)
                } catch {
                    throw refusal(error, in: result, index: index)
                }
            }
        }
        return Array(patches.text.utf8)
    }

    /// The RFC 6902 patch of every change of one input, with pointers from its root: what an
    /// admission webhook answers for the object it was sent. `nil` when nothing changes.
    public static func objectPatch(_ result: FixResult) -> String? {
        let changes = result.resources.flatMap(\.plan.changes)
        return changes.isEmpty ? nil : JSONPatchRenderer().patch(for: changes)
    }

    /// One kustomization `patches:` list for every changed resource of every input.
    public static func kustomizePatches(_ results: [FixResult]) throws(Refusal) -> [UInt8] {
        var patches = JSONPatchKustomization()
        for (index, result) in results.enumerated() {
            for resource in result.resources {
                do {
                    try patches.add(resource.plan)
                } catch {
                    throw refusal(error, in: result, index: index)
                }
            }
        }
        return Array(patches.yaml.utf8)
    }

    /// A unified diff of every changed input, labelled with its path as given (`diffLabel`).
    public static func diff(_ results: [FixResult], paths: [String]) -> [UInt8] {
        var output: [UInt8] = []
        for (result, path) in zip(results, paths) where result.output != result.input {
            let label = diffLabel(path)
            output += UnifiedDiff().diff(from: result.input, to: result.output, oldLabel: label, newLabel: label)
        }
        return output
    }

    /// The path as given without leading `./` (`./k8s/a.yaml` → `k8s/a.yaml`): `git apply -p0`
    /// refuses a `./` label, and `patch -p0` reads both the same.
    public static func diffLabel(_ path: String) -> String {
        var label = Substring(path)
        while label.hasPrefix("./") {
            label = label.dropFirst(2).drop { $0 == "/" }
        }
        return label.isEmpty ? path : String(label)
    }

    /// `--check`'s report: `path:line:column: Kind/ns/name would change`, one line per resource
    /// that would change.
    public static func checkReport(_ results: [FixResult], paths: [String]) -> [String] {
        zip(results, paths).flatMap { result, path in
            result.changedResources.map { resource in
                "\(path):\(resource.location.line):\(resource.location.column): \(resource.plan.resource.id) would change"
            }
        }
    }

    /// `true` when the inputs hold one document, and it is a resource itself (not a List).
    public static func isSingleResource(_ results: [FixResult]) -> Bool {
        results.reduce(0) { $0 + $1.documentCount } == 1
            && results.allSatisfy { $0.resources.allSatisfy { $0.plan.resource.root.path.count == 0 } }
    }

    private static func refusal(_ diagnostic: Diagnostic, in result: FixResult, index: Int) -> Refusal {
        Refusal(input: index, finding: Finding(diagnostic, in: SourceLocator(result.input)))
    }
}

/// What the selection flags matched across a whole run, so that a `-c NAME` or `--kind KIND`
/// that matches nothing gets a note (a typo must not look like success under `--check`).
public struct SelectionTally: Sendable {
    private let options: FixOptions
    private var containers: Set<String> = []
    private var kinds: Set<String> = []

    /// Creates an empty tally for a run with `options`.
    public init(options: FixOptions) { self.options = options }

    /// Counts the resources of one result.
    public mutating func add(_ resources: [FixedResource]) {
        guard !options.containerNames.isEmpty || !options.kinds.isEmpty else { return }
        for resource in resources {
            containers.formUnion(resource.plan.selectedContainerNames)
            kinds.insert(resource.plan.resource.kind.lowercased())
        }
    }

    /// Counts what another tally of the same run counted (a chunk's, tallied on its worker).
    public mutating func add(_ other: SelectionTally) {
        containers.formUnion(other.containers)
        kinds.formUnion(other.kinds)
    }

    /// One note per `-c` name and `--kind` that matched nothing, in the setting's own words.
    public var unmatched: [String] {
        let names = options.containerNames.subtracting(containers).sorted().map {
            "\(options.settingNames.containers) '\($0)' matches no container in the input"
        }
        let kindNames = options.kinds.subtracting(kinds).sorted().map {
            "\(options.settingNames.kinds) '\($0)' matches no resource in the input"
        }
        return names + kindNames
    }
}
