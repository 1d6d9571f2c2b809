import Foundation
import Synchronization
import Testing

/// A real `shmfix-webhook` process on loopback, with a certificate made by `openssl`, driven by
/// real clients (`curl`, `openssl s_client`, `kubectl`).
///
/// Each test starts its own server on a free port (`--port 0`; the port is read from the
/// server's "listening on" log line), so tests never share state.
final class WebhookServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let metricsPort: Int?
    private let log = Locked("")

    /// The `shmfix-webhook` binary under test: `$SHMFIX_WEBHOOK_BIN`, else next to `shmfix`.
    static var binary: String {
        ProcessInfo.processInfo.environment["SHMFIX_WEBHOOK_BIN"]
            ?? URL(fileURLWithPath: TestEnvironment.binary).deletingLastPathComponent().appendingPathComponent("shmfix-webhook").path
    }

    /// Starts the server with `arguments` (plus loopback address, port 0 and the certificate)
    /// and waits until it listens.
    convenience init(certificate: TestCertificate, arguments: [String] = ["--shm-size=2gb"], metrics: Bool = false) throws {
        try self.init(
            certificatePath: certificate.certificatePath, keyPath: certificate.keyPath, arguments: arguments, metrics: metrics)
    }

    /// Starts the server with the certificate and key at these paths.
    init(certificatePath: String, keyPath: String, arguments: [String] = ["--shm-size=2gb"], metrics: Bool = false) throws {
        var all =
            arguments + [
                "--address", "127.0.0.1", "--port", "0", "--tls-cert-file", certificatePath, "--tls-private-key-file", keyPath,
            ]
        if metrics { all += ["--metrics-address", "127.0.0.1:0"] }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = all
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let log = self.log
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            log.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: (Int, Int?)?
        while Date() < deadline, process.isRunning {
            let text = log.withLock { $0 }
            if let webhook = Self.port(after: "webhook listening on https://127.0.0.1:", in: text) {
                let metricsPort = Self.port(after: "metrics listening on http://127.0.0.1:", in: text)
                if !metrics || metricsPort != nil {
                    found = (webhook, metricsPort)
                    break
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw IntegrationFailure("shmfix-webhook did not start: \(log.withLock { $0 })")
        }
        port = found.0
        metricsPort = found.1
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the server has logged so far.
    var logText: String { log.withLock { $0 } }

    /// `https://127.0.0.1:PORT`.
    var baseURL: String { "https://127.0.0.1:\(port)" }

    /// Sends `signal` and waits up to `timeout` seconds for the exit status (`nil`: still running).
    func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 15) -> Int32? {
        kill(process.processIdentifier, signal)
        return waitForExit(timeout: timeout)
    }

    /// Waits up to `timeout` seconds for the process to end; its status, or `nil`.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    private static func port(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}

/// A self-signed certificate for `127.0.0.1` and `localhost`, made by `openssl` in a temporary
/// folder (removed with the value).
final class TestCertificate: @unchecked Sendable {
    let directory: URL
    var certificatePath: String { directory.appendingPathComponent("tls.crt").path }
    var keyPath: String { directory.appendingPathComponent("tls.key").path }

    init(commonName: String = "shmfix-webhook-test") throws {
        directory = try TestEnvironment.temporaryDirectory()
        try Self.make(commonName: commonName, certificate: certificatePath, key: keyPath)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes a new key and self-signed certificate with `openssl req -x509`.
    static func make(commonName: String, certificate: String, key: String) throws {
        let openssl = try IntegrationClients.path("openssl")
        let result = try ProcessRunner.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key, "-out", certificate,
            ])
        guard result.status == 0 else { throw IntegrationFailure("openssl req failed: \(result.stderr)") }
    }

    /// The SHA-256 fingerprint of a PEM certificate file (`openssl x509 -fingerprint`).
    static func fingerprint(ofFile path: String) throws -> String {
        let result = try ProcessRunner.run(
            try IntegrationClients.path("openssl"), ["x509", "-noout", "-fingerprint", "-sha256", "-in", path])
        guard result.status == 0 else { throw IntegrationFailure("openssl x509 failed: \(result.stderr)") }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The fingerprint of the certificate a new TLS connection to `port` is served.
    static func servedFingerprint(port: Int) throws -> String {
        let openssl = try IntegrationClients.path("openssl")
        let hello = try ProcessRunner.run(openssl, ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"], stdin: [])
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pem = scratch.appendingPathComponent("served.pem")
        try Data(hello.stdout).write(to: pem)
        return try fingerprint(ofFile: pem.path)
    }
}

/// One HTTP answer: status and body.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Requests through the real `curl`, trusting `caFile`.
struct CurlClient: Sendable {
    let baseURL: String
    let caFile: String

    /// One request; `contentType` `nil` sends none.
    func send(
        _ method: String = "POST", _ path: String = "/mutate", body: [UInt8]? = nil, contentType: String? = "application/json",
        extraArguments: [String] = []
    ) throws -> HTTPAnswer {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("body")
        var arguments = ["-sS", "--tlsv1.2", "--cacert", caFile, "-X", method, "-o", output.path, "-w", "%{http_code}"]
        arguments += ["-H", contentType.map { "Content-Type: \($0)" } ?? "Content-Type:"]
        if let body {
            let input = scratch.appendingPathComponent("request")
            try Data(body).write(to: input)
            arguments += ["--data-binary", "@\(input.path)"]
        }
        let result = try ProcessRunner.run(try IntegrationClients.path("curl"), arguments + extraArguments + [baseURL + path])
        let body = (try? Data(contentsOf: output)).map { [UInt8]($0) } ?? []
        guard let status = Int(result.stdoutText), status > 0 else {
            throw IntegrationFailure("curl \(method) \(path) failed (\(result.status)): \(result.stderr)")
        }
        return HTTPAnswer(status: status, body: body)
    }

    /// `count` POSTs of `body` to `/mutate` by one `curl --parallel` (keep-alive connections, at
    /// most `parallel` at once); each transfer's status, curl exit code and body, in order.
    func batch(_ body: [UInt8], count: Int, parallel: Int = 8) throws -> [(status: Int, exitCode: Int, body: [UInt8])] {
        let scratch = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("request")
        try Data(body).write(to: input)
        var config = [
            "silent", "show-error", "tlsv1.2", "cacert = \"\(caFile)\"", "header = \"Content-Type: application/json\"",
            "data-binary = \"@\(input.path)\"", "write-out = \"%{urlnum} %{http_code} %{exitcode}\\n\"",
        ]
        for index in 0..<count {
            config.append("url = \"\(baseURL)/mutate?n=\(index)\"")
            config.append("output = \"\(scratch.appendingPathComponent("out-\(index)").path)\"")
        }
        let configFile = scratch.appendingPathComponent("curl.config")
        try Data((config.joined(separator: "\n") + "\n").utf8).write(to: configFile)
        let result = try ProcessRunner.run(
            try IntegrationClients.path("curl"), ["--parallel", "--parallel-max", "\(parallel)", "-K", configFile.path])
        var answers = Array(repeating: (status: 0, exitCode: -1, body: [UInt8]()), count: count)
        for line in result.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            guard fields.count == 3, answers.indices.contains(fields[0]) else { continue }
            let body = (try? Data(contentsOf: scratch.appendingPathComponent("out-\(fields[0])"))).map { [UInt8]($0) } ?? []
            answers[fields[0]] = (fields[1], fields[2], body)
        }
        return answers
    }
}

/// A raw client whose bytes the test sends when it chooses: a TLS one (`openssl s_client`) for
/// a slow client or a request in flight at a precise moment, or a plain TCP one (bash's
/// `/dev/tcp`) that never even starts TLS.
final class RawTLSClient: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Locked<[UInt8]>([])
    private let closed = Locked<Date?>(nil)

    /// A TLS connection to `127.0.0.1:port`, trusting `caFile`.
    convenience init(port: Int, caFile: String) throws {
        try self.init(
            executable: try IntegrationClients.path("openssl"),
            arguments: ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", caFile, "-quiet", "-ign_eof"])
    }

    /// A TCP connection to `127.0.0.1:port` that sends nothing.
    static func silentTCP(port: Int) throws -> RawTLSClient {
        try RawTLSClient(
            executable: try IntegrationClients.path("bash"),
            arguments: ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(port) && cat <&3"])
    }

    private init(executable: String, arguments: [String]) throws {
        // Writing to a client the server has cut must fail with EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outputPipe = Pipe()
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = FileHandle.nullDevice
        let output = self.output
        outputPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            output.withLock { $0 += [UInt8](data) }
        }
        let closed = self.closed
        process.terminationHandler = { _ in closed.withLock { $0 = Date() } }
        try process.run()
    }

    /// When the connection ended (the process exited), if it has.
    var closedAt: Date? { closed.withLock { $0 } }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Sends bytes (ignoring a closed connection: the test checks what came back).
    func send(_ bytes: [UInt8]) {
        try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
    }

    /// What the server sent so far.
    var received: [UInt8] { output.withLock { $0 } }

    /// Waits until the process ends (the server closed the connection); `true` when it did.
    func waitForClose(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        // Waits for `closedAt`, not for `isRunning` to turn false: the termination handler that
        // records the time runs a moment after that, and a test reads the time next.
        while closedAt == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return closedAt != nil
    }

    /// Waits until `marker` is in what the server sent; `true` when it is.
    func waitFor(_ marker: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if String(decoding: received, as: UTF8.self).contains(marker) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }
}

/// AdmissionReview requests and answers as JSON objects.
enum AdmissionJSON {
    /// An AdmissionReview v1 request for `object` (parsed JSON), with `uid`.
    static func review(
        object: Any, uid: String, kind: String = "Pod", operation: String = "CREATE", dryRun: Bool = false
    ) throws -> [UInt8] {
        let review: [String: Any] = [
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": [
                "uid": uid, "kind": ["group": "", "version": "v1", "kind": kind],
                "resource": ["group": "", "version": "v1", "resource": "pods"],
                "requestKind": ["group": "", "version": "v1", "kind": kind],
                "namespace": "ml-serving", "operation": operation,
                "userInfo": ["username": "system:serviceaccount:kube-system:replicaset-controller"],
                "object": object, "oldObject": NSNull(), "dryRun": dryRun,
                "options": ["apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"],
            ],
        ]
        return [UInt8](try JSONSerialization.data(withJSONObject: review, options: [.prettyPrinted]))
    }

    /// Parses JSON bytes.
    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// `true` when two parsed JSON values are equal.
    static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        (lhs as? NSObject)?.isEqual(rhs as? NSObject) ?? false
    }
}

/// A value shared between threads of a test (pipe readers, load threads), behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` with the value locked.
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
