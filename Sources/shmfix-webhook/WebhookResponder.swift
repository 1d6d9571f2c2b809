import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShmfixAdmission

/// The webhook port's routes: `POST /mutate`, `GET /healthz`, `GET /readyz`.
///
/// Everything a client controls is checked before the body is read: the path (404), the method
/// (405), the content type (415) and a declared length over the limit (413, and the connection is
/// closed so the body is never read). A body that grows past the limit while it is read gets 413
/// the same way. A body that is not an AdmissionReview v1 gets 400 with the reason. Pod contents
/// are never logged: only the uid, kind, namespace, operation and outcome.
struct WebhookResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let fixer: AdmissionFixer
    let metrics: WebhookMetrics
    /// The largest body read: 7 MiB (the API server's own request limit is 3 MiB of object).
    let maximumBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        switch request.uri.path {
        case "/mutate":
            guard request.method == .post else { return notAllowed(allow: "POST") }
            let start = ContinuousClock.now
            let response = try await mutate(request, logger: context.logger)
            metrics.recordMutate(ContinuousClock.now - start)
            return response
        case "/healthz", "/readyz":
            guard request.method == .get || request.method == .head else { return notAllowed(allow: "GET, HEAD") }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        default:
            metrics.record(.notFound)
            return text(.notFound, "not found: the webhook serves POST /mutate, GET /healthz and GET /readyz\n")
        }
    }

    private func mutate(_ request: Request, logger: Logger) async throws -> Response {
        guard Self.isJSON(request.headers[.contentType]) else {
            metrics.record(.unsupportedMediaType)
            return text(.unsupportedMediaType, "unsupported content type: send application/json\n")
        }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBodySize {
            return tooLarge()
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            return tooLarge()
        }
        let review: AdmissionRequest
        do {
            review = try AdmissionRequest.decode(Array(buffer: body))
        } catch {
            metrics.record(.badRequest)
            return text(.badRequest, "invalid AdmissionReview: \(error.message)\n")
        }
        let (answer, outcome) = fixer.review(review)
        switch outcome {
        case .patched: metrics.record(.patched)
        case .unchanged: metrics.record(.unchanged)
        case .refused: metrics.record(.refused)
        }
        logger.debug(
            "admission review",
            metadata: [
                "uid": "\(review.uid)", "kind": "\(review.kind)", "namespace": "\(review.namespace ?? "")",
                "operation": "\(review.operation)", "dryRun": "\(review.dryRun)", "outcome": "\(outcome.rawValue)",
                "warnings": "\(answer.warnings.count)",
            ])
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.encoded())))
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private func tooLarge() -> Response {
        metrics.record(.tooLarge)
        var response = text(.contentTooLarge, "request body larger than \(maximumBodySize) bytes\n")
        response.headers[.connection] = "close"
        return response
    }

    private func notAllowed(allow: String) -> Response {
        metrics.record(.methodNotAllowed)
        var response = text(.methodNotAllowed, "method not allowed: use \(allow)\n")
        response.headers[.allow] = allow
        return response
    }

    private func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
