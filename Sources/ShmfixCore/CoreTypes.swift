import ShmfixDiagnostics
import ShmfixPlanning
import ShmfixRendering

// The types of the floors below that cross `ShmfixCore`'s API: a caller (the executable, the
// webhook, the fuzzer) imports `ShmfixCore` alone and names them through these aliases.

/// What the user asked for (`ShmfixPlanning.FixOptions`).
public typealias FixOptions = ShmfixPlanning.FixOptions
/// The requested size (`ShmfixPlanning.ShmSize`).
public typealias ShmSize = ShmfixPlanning.ShmSize
/// A finding placed in the input (`ShmfixDiagnostics.Finding`).
public typealias Finding = ShmfixDiagnostics.Finding
/// Error, warning or note (`ShmfixDiagnostics.Diagnostic.Severity`).
public typealias Severity = ShmfixDiagnostics.Diagnostic.Severity
/// JSON text on one line: string literals and values (`ShmfixRendering.JSONPatchText`).
public typealias JSONPatchText = ShmfixRendering.JSONPatchText
