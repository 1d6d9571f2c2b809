import ShmfixCore

/// The libFuzzer entry point: runs the whole pipeline over one input and checks its contract
/// (`FuzzProperties`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzProperties.check(bytes)
    return 0
}

// SwiftPM links every executable with `main` aliased to this file's entry point, so libFuzzer's
// own `main` can never win (`-parse-as-library` fails to link). The fuzz build (`make fuzz`:
// `-sanitize=fuzzer,address -DSHMFIX_LIBFUZZER`) therefore hands control to libFuzzer from
// here; a plain build replays saved inputs: `ShmfixFuzz FILE...`.
#if SHMFIX_LIBFUZZER
    LibFuzzer.run()
#else
    FuzzReplay.run(CommandLine.arguments.dropFirst())
#endif
