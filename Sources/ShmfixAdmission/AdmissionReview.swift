import Foundation

/// One `admission.k8s.io/v1` `AdmissionReview` request, as the API server sends it.
///
/// Only what the webhook uses is kept: the `uid` it must echo, what is being admitted, and the
/// object's own JSON bytes, cut out of the body (`JSONValueSpan`). `decode(_:)` refuses anything that is not an AdmissionReview v1 with
/// a request and a uid, with a message for the 400 answer.
public struct AdmissionRequest: Sendable {
    /// The request's `uid`, echoed in the response.
    public var uid: String
    /// `request.kind.kind` (`Pod`), empty when absent.
    public var kind: String
    /// `request.operation` (`CREATE`), empty when absent.
    public var operation: String
    /// `request.namespace`, when given.
    public var namespace: String?
    /// `request.dryRun`.
    public var dryRun: Bool
    /// `request.object` serialized as JSON; `nil` when there is none (DELETE, CONNECT).
    public var object: [UInt8]?
    /// `request.object.metadata.annotations`, string values only.
    public var annotations: [String: String]

    /// Why a body is not an AdmissionReview v1 request.
    public struct DecodingError: Error, Equatable, Sendable {
        /// The message for the client.
        public let message: String
    }

    /// Reads an AdmissionReview v1 from a request body.
    ///
    /// Each object on the way is scanned once (`JSONValueSpan.members`): the body is validated,
    /// then its members, the request's, the object's and its metadata's are listed.
    public static func decode(_ body: [UInt8]) throws(DecodingError) -> AdmissionRequest {
        guard JSONValidator.isValid(body) else { throw DecodingError(message: "the body is not valid JSON") }
        let json = JSONValueSpan(body)
        guard let review = json.object(at: 0..<body.count) else { throw DecodingError(message: "the body is not a JSON object") }
        guard review["apiVersion"].flatMap(json.string(at:)) == "admission.k8s.io/v1",
            review["kind"].flatMap(json.string(at:)) == "AdmissionReview"
        else {
            throw DecodingError(message: "expected apiVersion 'admission.k8s.io/v1' and kind 'AdmissionReview'")
        }
        guard let request = review["request"].flatMap(json.object(at:)) else {
            throw DecodingError(message: "the AdmissionReview has no 'request' object")
        }
        guard let uid = request["uid"].flatMap(json.string(at:)), !uid.isEmpty else {
            throw DecodingError(message: "the AdmissionReview request has no 'uid'")
        }
        var object: [UInt8]?
        var annotations: [String: String] = [:]
        if let span = request["object"], json.firstByte(at: span) != UInt8(ascii: "n") {
            guard let members = json.object(at: span) else {
                throw DecodingError(message: "the request's 'object' is not a JSON object")
            }
            object = Array(body[span])
            let metadata = members["metadata"].flatMap(json.object(at:))
            for (key, value) in metadata?["annotations"].flatMap(json.object(at:)) ?? [:] {
                if let text = json.string(at: value) { annotations[key] = text }
            }
        }
        return AdmissionRequest(
            uid: uid, kind: request["kind"].flatMap(json.object(at:))?["kind"].flatMap(json.string(at:)) ?? "",
            operation: request["operation"].flatMap(json.string(at:)) ?? "",
            namespace: request["namespace"].flatMap(json.string(at:)),
            dryRun: request["dryRun"].map { json.firstByte(at: $0) == UInt8(ascii: "t") } ?? false, object: object,
            annotations: annotations)
    }
}

/// The webhook's answer to one request: always allowed; a JSON patch only when something changes.
public struct AdmissionResponse: Sendable, Equatable {
    /// The request's uid.
    public var uid: String
    /// The RFC 6902 patch (a JSON array), `nil` when nothing changes.
    public var patch: String?
    /// Warnings shown to the client (`kubectl` prints them), each at most `maximumWarningLength`.
    public var warnings: [String]

    /// The longest warning sent; longer ones are cut with an ellipsis.
    public static let maximumWarningLength = 120

    /// Creates a response; warnings are cut to `maximumWarningLength` characters.
    public init(uid: String, patch: String?, warnings: [String]) {
        self.uid = uid
        self.patch = patch
        self.warnings = warnings.map(Self.shortened)
    }

    /// The AdmissionReview v1 JSON the API server expects (members in a fixed order).
    public func encoded() -> [UInt8] {
        var response = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":true"#
        if let patch {
            response += #","patch":""# + Data(patch.utf8).base64EncodedString() + #"","patchType":"JSONPatch""#
        }
        response += #","uid":"# + JSONText.quoted(uid)
        if !warnings.isEmpty { response += #","warnings":["# + warnings.map(JSONText.quoted).joined(separator: ",") + "]" }
        return Array((response + "}}").utf8)
    }

    private static func shortened(_ warning: String) -> String {
        let flat = warning.replacingOccurrences(of: "\n", with: " ")
        guard flat.count > maximumWarningLength else { return flat }
        return String(flat.prefix(maximumWarningLength - 1)) + "…"
    }
}
