/// A unified diff of two versions of one file, as `diff -u` and `git diff` write it.
///
/// The standard library's `CollectionDifference` (Myers) decides which lines were removed and
/// inserted; this type only lays the result out: `---`/`+++` labels, hunks with `context` lines
/// around each change, and `\ No newline at end of file` after a last line without one. Lines
/// are compared as bytes with their line ending, so a CRLF file diffs as CRLF and `patch`
/// reproduces it exactly.
public struct UnifiedDiff: Sendable {
    /// Unchanged lines shown around each change.
    public var context: Int

    /// Creates a differ with `context` lines of context (3, as `diff -u`).
    public init(context: Int = 3) { self.context = max(context, 0) }

    /// The diff from `old` to `new` under the given file labels; empty when they are equal.
    public func diff(from old: [UInt8], to new: [UInt8], oldLabel: String, newLabel: String) -> [UInt8] {
        guard old != new else { return [] }
        let oldLines = Self.lines(old)
        let newLines = Self.lines(new)
        let script = Self.script(from: oldLines, to: newLines)
        var output = Array("--- \(Self.label(oldLabel))\n+++ \(Self.label(newLabel))\n".utf8)
        for hunk in hunks(script) {
            output += hunk.header.utf8
            for step in script[hunk.range] {
                switch step {
                case .keep(let index, _): Self.append(" ", oldLines[index], to: &output)
                case .delete(let index): Self.append("-", oldLines[index], to: &output)
                case .insert(let index): Self.append("+", newLines[index], to: &output)
                }
            }
        }
        return output
    }

    /// One step of the edit script: a line kept (old and new index), deleted or inserted.
    enum Step: Equatable {
        case keep(Int, Int)
        case delete(Int)
        case insert(Int)

        var isChange: Bool {
            if case .keep = self { return false }
            return true
        }
    }

    /// The lines of `bytes`, each with its line break (the last one may have none).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// The edit script, deletions before insertions at each point of change.
    static func script(from old: [ArraySlice<UInt8>], to new: [ArraySlice<UInt8>]) -> [Step] {
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var steps: [Step] = []
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < old.count || newIndex < new.count {
            if oldIndex < old.count, removed.contains(oldIndex) {
                steps.append(.delete(oldIndex))
                oldIndex += 1
            } else if newIndex < new.count, inserted.contains(newIndex) {
                steps.append(.insert(newIndex))
                newIndex += 1
            } else {
                steps.append(.keep(oldIndex, newIndex))
                oldIndex += 1
                newIndex += 1
            }
        }
        return steps
    }

    private func hunks(_ script: [Step]) -> [Hunk] {
        var ranges: [Range<Int>] = []
        for (index, step) in script.enumerated() where step.isChange {
            let range = max(index - context, 0)..<min(index + context + 1, script.count)
            if let last = ranges.last, range.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
            } else {
                ranges.append(range)
            }
        }
        var hunks: [Hunk] = []
        var before = (old: 0, new: 0)
        var position = 0
        for range in ranges {
            let skipped = Hunk.counts(script[position..<range.lowerBound])
            before = (before.old + skipped.old, before.new + skipped.new)
            let hunk = Hunk(range: range, before: before, script: script)
            before = (before.old + hunk.counts.old, before.new + hunk.counts.new)
            position = range.upperBound
            hunks.append(hunk)
        }
        return hunks
    }

    private static func append(_ prefix: Character, _ line: ArraySlice<UInt8>, to output: inout [UInt8]) {
        output.append(contentsOf: String(prefix).utf8)
        output.append(contentsOf: line)
        if line.last != UInt8(ascii: "\n") { output += Array("\n\\ No newline at end of file\n".utf8) }
    }

    /// A file label as git writes it: C-quoted when it holds a quote, a backslash or a control
    /// character; followed by a tab when it holds a space, so that `patch` reads it whole.
    public static func label(_ name: String) -> String {
        let needsQuotes = name.unicodeScalars.contains { $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        if needsQuotes {
            var quoted = "\""
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\t": quoted += "\\t"
                case "\n": quoted += "\\n"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let octal = String(scalar.value, radix: 8)
                        quoted += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
                    } else {
                        quoted.unicodeScalars.append(scalar)
                    }
                }
            }
            return quoted + "\""
        }
        return name.contains(" ") ? name + "\t" : name
    }
}

/// One hunk: a run of the edit script and its `@@ -a,b +c,d @@` header.
private struct Hunk {
    let range: Range<Int>
    /// The old and new lines the hunk covers.
    let counts: (old: Int, new: Int)
    let header: String

    /// The hunk over `script[range]`, `before` old and new lines after the start of the files.
    init(range: Range<Int>, before: (old: Int, new: Int), script: [UnifiedDiff.Step]) {
        self.range = range
        counts = Self.counts(script[range])
        let old = Self.span(before: before.old, count: counts.old)
        let new = Self.span(before: before.new, count: counts.new)
        header = "@@ -\(old) +\(new) @@\n"
    }

    /// How many old and new lines a run of steps covers.
    static func counts(_ steps: ArraySlice<UnifiedDiff.Step>) -> (old: Int, new: Int) {
        var old = 0
        var new = 0
        for step in steps {
            switch step {
            case .keep: old += 1; new += 1
            case .delete: old += 1
            case .insert: new += 1
            }
        }
        return (old, new)
    }

    /// `start,count` (1-based), `start` alone for one line, and the line before with `,0` for none.
    private static func span(before: Int, count: Int) -> String {
        switch count {
        case 0: "\(before),0"
        case 1: "\(before + 1)"
        default: "\(before + 1),\(count)"
        }
    }
}
