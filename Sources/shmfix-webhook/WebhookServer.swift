import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import ShmfixAdmission

/// The running webhook: the TLS admission server, the plain-HTTP metrics server and the
/// certificate reloader, in one service group that SIGTERM and SIGINT shut down gracefully.
///
/// On SIGTERM the admission server is shut down first: it closes its listening socket, answers
/// the requests already received on open connections, closes them, and only then the metrics
/// server and the reloader stop; `run()` returns and the process exits 0.
struct WebhookServer: Sendable {
    let fixer: AdmissionFixer
    let certificates: CertificateReloader
    let address: String
    let port: Int
    let metricsAddress: HostPort?
    let requestTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let logger: Logger

    /// The body limit of `/mutate`.
    static let maximumBodySize = 7 * 1024 * 1024

    func run() async throws {
        let metrics = WebhookMetrics()
        let requestTimeout = self.requestTimeout
        let idleTimeout = self.idleTimeout
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(requestTimeout: requestTimeout, idleTimeout: idleTimeout)])
        let logger = self.logger
        let webhook = Application(
            responder: WebhookResponder(fixer: fixer, metrics: metrics, maximumBodySize: Self.maximumBodySize),
            server: try .tls(.http1(configuration: http), tlsConfiguration: certificates.serverConfiguration()),
            configuration: .init(address: .hostname(address, port: port), serverName: "shmfix-webhook"),
            onServerRunning: { channel in
                logger.info("webhook listening on https://\(Self.describe(channel.localAddress))")
            },
            logger: logger)
        var services: [any Service] = [certificates]
        if let metricsAddress {
            let router = Router()
            router.get("/metrics") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
            }
            services.append(
                Application(
                    router: router, configuration: .init(address: .hostname(metricsAddress.host, port: metricsAddress.port)),
                    onServerRunning: { channel in
                        logger.info("metrics listening on http://\(Self.describe(channel.localAddress))")
                    },
                    logger: logger))
        }
        services.append(webhook)
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }

    /// `127.0.0.1:9443`, `[::1]:9443`.
    private static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "?" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
