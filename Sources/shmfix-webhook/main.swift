import ArgumentParser
import NIOCore
import NIOPosix

// SwiftNIO's event loops run Swift Concurrency's jobs too, so a request is parsed, fixed and
// answered on the thread that read it, with no hop to another pool and back (measured: see
// bench/webhook.sh). Done first, on the main thread, before any task starts.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// What AsyncParsableCommand.main() does (called from here, so that the line above comes first).
do {
    let command = try ShmfixWebhook.parse()
    try await command.serve()
} catch {
    ShmfixWebhook.exit(withError: error)
}
