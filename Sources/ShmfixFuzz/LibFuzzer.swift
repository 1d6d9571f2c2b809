#if SHMFIX_LIBFUZZER
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// libFuzzer's driver, for a program that has its own `main` (libFuzzer ≥ 11).
    @_extern(c, "LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// Starts libFuzzer with the command line, and exits with its status.
    enum LibFuzzer {
        static func run() -> Never {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runDriver(&argc, &argv) { fuzzOneInput($0, $1) })
        }
    }
#endif
