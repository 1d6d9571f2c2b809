import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML

/// The whole pipeline, and the one API of shmfix: bytes in, fixed bytes and what was decided
/// out. Synchronous and deterministic; it does no I/O.
///
/// `ShmFixer` reads the documents (`YAMLReader`), finds pod specs in each (`PodSpecLocator`),
/// plans the changes for each resource (`FixPlanner`) and splices them into the original bytes
/// (`TextRenderer`). Every finding leaves it placed in the whole input (`Finding`: line and
/// column). Any error refuses the whole input, so a caller never writes a partial result.
///
/// - `fix(_:)` handles a whole input; `StreamFixer` feeds a stream through `fix(chunk:)` chunk by
///   chunk; `PipelinedFixer` (a separate layer) runs those chunks on worker threads.
/// - `OutputForms` renders results as JSON patch, kustomize patches, a diff or a `--check`
///   report; `PluginRun` answers kustomize's exec-transformer and the KRM-function protocols.
public struct ShmFixer: Sendable {
    /// What the user asked for.
    public let options: FixOptions

    /// Creates a fixer.
    public init(options: FixOptions) { self.options = options }

    /// Fixes one whole input; throws the error that refuses it.
    public func fix(_ bytes: [UInt8]) throws(Finding) -> FixResult {
        var stream = StreamFixer(fixer: self)
        let results = try stream.feed(bytes) + stream.finish()
        let resources = results.flatMap(\.resources)
        let documents = results.reduce(0) { $0 + $1.documentCount }
        guard results.contains(where: \.changed) else {
            return FixResult(input: bytes, output: bytes, resources: resources, documentCount: documents)
        }
        var output: [UInt8] = []
        output.reserveCapacity(results.reduce(0) { $0 + $1.output.count })
        for result in results { output += result.output }
        return FixResult(input: bytes, output: output, resources: resources, documentCount: documents)
    }

    /// Fixes one chunk of whole documents; positions in what it returns or throws are those of
    /// the whole input.
    public func fix(chunk: DocumentChunker.Chunk) throws(Finding) -> ChunkResult {
        let locator = SourceLocator(chunk.bytes, firstLine: chunk.firstLine)
        do {
            let stream = try YAMLReader(needsNodes: KindTriage.mayHoldPodSpec).read(chunk.bytes)
            let fields = FieldReader(source: locator)
            let locatorOfPods = PodSpecLocator(fields: fields)
            let planner = FixPlanner(options: options, fields: fields)
            let renderer = TextRenderer(source: chunk.bytes)
            var resources: [FixedResource] = []
            var edits: [TextEdit] = []
            for document in stream.documents {
                guard let root = document.root else { continue }
                var changes: [Change] = []
                for located in try locatorOfPods.locate(document) {
                    let plan = try planner.plan(located)
                    // Most documents are one resource: its changes are taken as they are, not copied.
                    if changes.isEmpty { changes = plan.changes } else { changes += plan.changes }
                    // Read before the plan moves into its result (not copied).
                    let location = locator.location(ofByte: plan.resource.offset)
                    let findings = plan.findings.map { Finding($0, in: locator, base: chunk.offset) }
                    resources.append(FixedResource(plan: plan, location: location, findings: findings))
                }
                let documentEdits = renderer.edits(for: changes, in: root)
                if edits.isEmpty { edits = documentEdits } else { edits += documentEdits }
            }
            let output = edits.isEmpty ? chunk.bytes : TextEdit.apply(edits, to: chunk.bytes)
            return ChunkResult(output: output, resources: resources, documentCount: stream.documents.count { Self.holdsSomething($0) })
        } catch {
            throw Finding(error, in: locator, base: chunk.offset)
        }
    }

    /// `false` for a document that is empty or a null (`---` alone, `~`, `null`): what a stream
    /// of only comments, blank lines and document markers holds. A document left unbuilt by
    /// `KindTriage` has a `kind:` line, so it holds something.
    static func holdsSomething(_ document: YAMLDocument) -> Bool {
        guard let root = document.root else { return true }
        return !root.isNull
    }
}

/// One resource's plan, placed in the whole input.
public struct FixedResource: Sendable {
    /// The plan: the resource, its changes and its findings as the planner made them.
    public let plan: ResourcePlan
    /// Where the resource starts.
    public let location: SourceLocator.Location
    /// Its warnings and notes, placed.
    public let findings: [Finding]

    /// `true` when the resource changes.
    public var changes: Bool { !plan.changes.isEmpty }
}

/// What `ShmFixer` produced for one chunk.
public struct ChunkResult: Sendable {
    /// The fixed bytes (the chunk itself when nothing changed).
    public let output: [UInt8]
    /// One entry per resource found, in input order.
    public let resources: [FixedResource]
    /// How many documents hold something (not empty, not a null).
    public let documentCount: Int

    /// `true` when some resource changes.
    public var changed: Bool { resources.contains(where: \.changes) }
}

/// What `ShmFixer.fix` produced for one input.
public struct FixResult: Sendable {
    /// The input bytes.
    public let input: [UInt8]
    /// The fixed bytes (the input itself when nothing changed).
    public let output: [UInt8]
    /// One entry per resource found, in input order.
    public let resources: [FixedResource]
    /// How many documents hold something (not empty, not a null); 0 for an input of only
    /// blank lines, comments and document markers.
    public let documentCount: Int

    /// `true` when some resource changes.
    public var changed: Bool { resources.contains(where: \.changes) }

    /// Every warning and note, in input order.
    public var findings: [Finding] { resources.flatMap(\.findings) }

    /// The resources that change.
    public var changedResources: [FixedResource] { resources.filter(\.changes) }
}
