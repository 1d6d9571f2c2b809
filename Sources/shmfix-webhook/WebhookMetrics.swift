import Prometheus

/// The webhook's Prometheus metrics: requests by outcome and the latency of `/mutate`.
///
/// One registry per server, passed where it is used (no process-wide metrics system), and
/// rendered in the text exposition format on `/metrics`.
struct WebhookMetrics: Sendable {
    /// How a request ended, as the `outcome` label.
    enum Outcome: String, Sendable, CaseIterable {
        case patched, unchanged, refused
        case badRequest = "bad_request"
        case tooLarge = "too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case methodNotAllowed = "method_not_allowed"
        case notFound = "not_found"
    }

    let registry: PrometheusCollectorRegistry
    private let requests: [Outcome: Counter]
    private let latency: DurationHistogram

    /// Latency buckets, in seconds: admission answers are expected well under 10 ms.
    static let buckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5].map {
        Duration.nanoseconds(Int64($0 * 1e9))
    }

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var requests: [Outcome: Counter] = [:]
        for outcome in Outcome.allCases {
            requests[outcome] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "shmfix", subsystem: "webhook", metricName: "requests", unitName: "total",
                    helpText: "Requests to the webhook port, by outcome."),
                labels: [("outcome", outcome.rawValue)])
        }
        self.requests = requests
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "shmfix", subsystem: "webhook", metricName: "mutate_duration", unitName: "seconds",
                helpText: "Time from a /mutate request's head to its answer, body read included."),
            buckets: Self.buckets)
    }

    /// Counts one request.
    func record(_ outcome: Outcome) { requests[outcome]?.increment() }

    /// Records how long one `/mutate` request took.
    func recordMutate(_ duration: Duration) { latency.record(duration) }

    /// The text exposition format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
