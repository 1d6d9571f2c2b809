@_exported import ShmfixDiagnostics
@_exported import ShmfixKubernetes
@_exported import ShmfixPlanning
@_exported import ShmfixRendering
@_exported import ShmfixYAML

/// The whole pipeline for one input: bytes in, fixed bytes (and what was decided) out.
///
/// `ShmFixer` reads the stream (`YAMLReader`), finds pod specs in each document
/// (`PodSpecLocator`), plans the changes for each resource (`FixPlanner`) and splices them into
/// the original bytes (`TextRenderer`). It does no I/O: the executable reads and writes files
/// and prints the findings. Any error refuses the whole input, so a caller never writes a
/// partial result.
public struct ShmFixer: Sendable {
    /// What the user asked for.
    public let options: FixOptions

    /// Creates a fixer.
    public init(options: FixOptions) { self.options = options }

    /// Fixes one input; throws a positioned error when the input is refused.
    public func fix(_ bytes: [UInt8]) throws(Diagnostic) -> FixResult {
        let stream = try YAMLReader().read(bytes)
        let fields = FieldReader(source: SourceLocator(bytes))
        let locator = PodSpecLocator(fields: fields)
        let planner = FixPlanner(options: options, fields: fields)
        let renderer = TextRenderer(source: bytes)
        var plans: [ResourcePlan] = []
        var edits: [TextEdit] = []
        for document in stream.documents {
            guard let root = document.root else { continue }
            var changes: [Change] = []
            for located in try locator.locate(document) {
                let plan = try planner.plan(located)
                changes += plan.changes
                plans.append(plan)
            }
            edits += try renderer.edits(for: changes, in: root)
        }
        let output = edits.isEmpty ? bytes : TextEdit.apply(edits, to: bytes)
        return FixResult(input: bytes, output: output, plans: plans)
    }
}

/// What `ShmFixer.fix` produced for one input.
public struct FixResult: Sendable {
    /// The input bytes.
    public let input: [UInt8]
    /// The fixed bytes (the input itself when nothing changed).
    public let output: [UInt8]
    /// One plan per resource found, in input order.
    public let plans: [ResourcePlan]

    /// `true` when some resource changes.
    public var changed: Bool { plans.contains { !$0.changes.isEmpty } }

    /// Every warning and note, in input order.
    public var findings: [Diagnostic] { plans.flatMap(\.findings) }

    /// The resources that change.
    public var changedResources: [Resource] { plans.filter { !$0.changes.isEmpty }.map(\.resource) }
}
