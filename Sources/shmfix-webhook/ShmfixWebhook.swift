import ArgumentParser
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import ShmfixAdmission
import ShmfixCore

/// `shmfix-webhook`: the same fix at admission, for every pod the cluster creates.
struct ShmfixWebhook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shmfix-webhook",
        abstract: "A mutating admission webhook that gives every pod a memory-backed /dev/shm.",
        discussion: """
            Serves POST /mutate (admission.k8s.io/v1 AdmissionReview), GET /healthz and GET /readyz over
            TLS 1.2+, and /metrics in plain HTTP at --metrics-address. Every request is allowed; a
            JSON patch is sent when a pod changes. Reloads the certificate when its files change;
            SIGTERM stops accepting, answers what is in flight and exits 0. See docs/webhook.md.
            """,
        version: "0.1.0")

    @Option(
        name: .customLong("shm-size"),
        help: "Default size of /dev/shm (2gb, 1.5g, 512m, 2Gi or N%); a pod's shmfix.dev/shm-size annotation overrides it.",
        transform: { try ShmSize(parsing: $0) })
    var shmSize: ShmSize

    @Option(name: .customLong("tls-cert-file"), help: "PEM certificate chain served (reloaded when it changes).")
    var certificateFile: String

    @Option(name: .customLong("tls-private-key-file"), help: "PEM private key of the certificate (reloaded when it changes).")
    var keyFile: String

    @Option(help: "Port of the TLS webhook endpoint (0: any free port).")
    var port = 9443

    @Option(help: "Address the webhook port binds to.")
    var address = "0.0.0.0"

    @Option(name: .customLong("metrics-address"), help: "HOST:PORT serving /metrics in plain HTTP (none when absent).")
    var metricsAddress: String?

    @Option(name: .customLong("volume-name"), help: "Volume name used when none is mounted at /dev/shm yet (a DNS-1123 label).")
    var volumeName = "dshm"

    @Option(name: [.short, .customLong("container")], help: "Mount only into this container (repeatable).")
    var containers: [String] = []

    @Flag(name: .customLong("init-containers"), help: "Also mount into initContainers.")
    var initContainers = false

    @Flag(name: .customLong("gpu-only"), help: "Only pods in which some container requests or limits a */gpu resource.")
    var gpuOnly = false

    @Flag(name: .customLong("keep-existing"), help: "Add where missing; never change the size of an existing /dev/shm volume.")
    var keepExisting = false

    @Flag(name: [.short, .customLong("quiet")], help: "No warnings or notes in answers (refusals are still reported).")
    var quiet = false

    @Option(
        name: .customLong("request-timeout"),
        help: "Seconds a client has to send a whole request (TLS handshake and headers included for a new connection).")
    var requestTimeout = 10

    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive connection may wait for its next request.")
    var idleTimeout = 120

    @Option(name: .customLong("cert-poll-interval"), help: "Seconds between checks of the certificate files.")
    var certificatePollInterval = 2

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard FixOptions.isDNSLabel(volumeName) else {
            throw ValidationError(
                "invalid volume name '\(volumeName)': it must be a DNS-1123 label (lowercase letters, digits and '-', at most 63)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("invalid port \(port)") }
        if let metricsAddress, HostPort(metricsAddress) == nil {
            throw ValidationError("invalid --metrics-address '\(metricsAddress)': use HOST:PORT, e.g. 0.0.0.0:9090")
        }
        guard requestTimeout > 0, idleTimeout > 0, certificatePollInterval > 0 else {
            throw ValidationError("--request-timeout, --idle-timeout and --cert-poll-interval must be positive")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("invalid --log-level '\(logLevel)'") }
    }

    func run() async throws { try await serve() }

    /// Starts the servers and returns after a graceful shutdown.
    func serve() async throws {
        var logger = Logger(label: "shmfix-webhook", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let options = FixOptions(
            size: shmSize, volumeName: volumeName, containerNames: Set(containers),
            includeInitContainers: initContainers, gpuOnly: gpuOnly, keepExisting: keepExisting)
        let certificates: CertificateReloader
        do {
            certificates = try CertificateReloader(
                certificatePath: certificateFile, keyPath: keyFile, interval: .seconds(certificatePollInterval), logger: logger)
        } catch {
            throw ValidationError("cannot serve TLS: \(error)")
        }
        let server = WebhookServer(
            fixer: AdmissionFixer(options: options, quiet: quiet), certificates: certificates,
            address: address, port: port, metricsAddress: metricsAddress.flatMap(HostPort.init),
            requestTimeout: .seconds(Int64(requestTimeout)), idleTimeout: .seconds(Int64(idleTimeout)), logger: logger)
        try await server.run()
    }
}

/// `HOST:PORT` (`[::1]:9090` for IPv6).
struct HostPort: Sendable {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
