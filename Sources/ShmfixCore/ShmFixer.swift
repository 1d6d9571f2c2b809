@_exported import ShmfixDiagnostics
@_exported import ShmfixKubernetes
@_exported import ShmfixPlanning
@_exported import ShmfixRendering
@_exported import ShmfixYAML

/// The whole pipeline for one chunk of documents: bytes in, fixed bytes (and what was decided)
/// out.
///
/// `ShmFixer` reads the documents (`YAMLReader`), finds pod specs in each (`PodSpecLocator`),
/// plans the changes for each resource (`FixPlanner`) and splices them into the original bytes
/// (`TextRenderer`). It does no I/O: the executable reads and writes files and prints the
/// findings. Any error refuses the whole input, so a caller never writes a partial result.
/// `fix(_:)` handles a whole input; `StreamFixer` feeds a stream through it chunk by chunk.
public struct ShmFixer: Sendable {
    /// What the user asked for.
    public let options: FixOptions

    /// Creates a fixer.
    public init(options: FixOptions) { self.options = options }

    /// Fixes one whole input; throws a positioned error when the input is refused.
    public func fix(_ bytes: [UInt8]) throws(Diagnostic) -> FixResult {
        var stream = StreamFixer(fixer: self)
        let results = try stream.feed(bytes) + stream.finish()
        let plans = results.flatMap(\.plans)
        let documents = results.reduce(0) { $0 + $1.documentCount }
        guard results.contains(where: \.changed) else {
            return FixResult(input: bytes, output: bytes, plans: plans, documentCount: documents)
        }
        var output: [UInt8] = []
        output.reserveCapacity(results.reduce(0) { $0 + $1.output.count })
        for result in results { output += result.output }
        return FixResult(input: bytes, output: output, plans: plans, documentCount: documents)
    }

    /// Fixes one chunk of whole documents; positions in what it returns or throws are those of
    /// the whole input.
    public func fix(_ chunk: DocumentChunker.Chunk) throws(Diagnostic) -> ChunkResult {
        let locator = SourceLocator(chunk.bytes, firstLine: chunk.firstLine)
        func globalized(_ diagnostic: Diagnostic) -> Diagnostic {
            var moved = diagnostic
            moved.location = locator.location(ofByte: diagnostic.offset)
            moved.offset += chunk.offset
            return moved
        }
        do {
            let stream = try YAMLReader(needsNodes: KindTriage.mayHoldPodSpec).read(chunk.bytes)
            let fields = FieldReader(source: locator)
            let locatorOfPods = PodSpecLocator(fields: fields)
            let planner = FixPlanner(options: options, fields: fields)
            let renderer = TextRenderer(source: chunk.bytes)
            var plans: [ResourcePlan] = []
            var edits: [TextEdit] = []
            for document in stream.documents {
                guard let root = document.root else { continue }
                var changes: [Change] = []
                for located in try locatorOfPods.locate(document) {
                    var plan = try planner.plan(located)
                    plan.findings = plan.findings.map(globalized)
                    plan.location = locator.location(ofByte: plan.resource.offset)
                    changes += plan.changes
                    plans.append(plan)
                }
                edits += renderer.edits(for: changes, in: root)
            }
            let output = edits.isEmpty ? chunk.bytes : TextEdit.apply(edits, to: chunk.bytes)
            return ChunkResult(output: output, plans: plans, documentCount: stream.documents.count { Self.holdsSomething($0) })
        } catch {
            throw globalized(error)
        }
    }
}

extension ShmFixer {
    /// `false` for a document that is empty or a null (`---` alone, `~`, `null`): what a stream
    /// of only comments, blank lines and document markers holds. A document left unbuilt by
    /// `KindTriage` has a `kind:` line, so it holds something.
    static func holdsSomething(_ document: YAMLDocument) -> Bool {
        guard let root = document.root else { return true }
        return !root.isNull
    }
}

/// What `ShmFixer` produced for one chunk.
public struct ChunkResult: Sendable {
    /// The fixed bytes (the chunk itself when nothing changed).
    public let output: [UInt8]
    /// One plan per resource found, in input order.
    public let plans: [ResourcePlan]
    /// How many documents hold something (not empty, not a null).
    public let documentCount: Int

    /// `true` when some resource changes.
    public var changed: Bool { plans.contains { !$0.changes.isEmpty } }
}

/// What `ShmFixer.fix` produced for one input.
public struct FixResult: Sendable {
    /// The input bytes.
    public let input: [UInt8]
    /// The fixed bytes (the input itself when nothing changed).
    public let output: [UInt8]
    /// One plan per resource found, in input order.
    public let plans: [ResourcePlan]
    /// How many documents hold something (not empty, not a null); 0 for an input of only
    /// blank lines, comments and document markers.
    public let documentCount: Int

    /// `true` when some resource changes.
    public var changed: Bool { plans.contains { !$0.changes.isEmpty } }

    /// Every warning and note, in input order.
    public var findings: [Diagnostic] { plans.flatMap(\.findings) }

    /// The plans of the resources that change.
    public var changedPlans: [ResourcePlan] { plans.filter { !$0.changes.isEmpty } }

    /// The resources that change.
    public var changedResources: [Resource] { changedPlans.map(\.resource) }
}
