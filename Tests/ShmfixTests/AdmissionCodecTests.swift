import Foundation
import ShmfixAdmission
import Testing

/// The adapter alone: the AdmissionReview codec's limits.
@Suite struct AdmissionResponseTests {
    @Test func longWarningsAreCutTo120Characters() {
        let long = String(repeating: "é", count: 300)
        let response = AdmissionResponse(uid: "u", patch: nil, warnings: [long, "short"])
        #expect(response.warnings.map(\.count) == [120, 5])
        #expect(response.warnings[0].hasSuffix("…"))
    }

    @Test func noPatchMeansNoPatchType() throws {
        let encoded = AdmissionResponse(uid: "u-1", patch: nil, warnings: []).encoded()
        #expect(
            String(decoding: encoded, as: UTF8.self)
                == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":true,"uid":"u-1"}}"#)
    }
}

/// The object the core sees is the body's own bytes for `request.object`, whatever the layout.
@Suite struct AdmissionRequestTests {
    @Test func objectIsCutOutOfTheBodyAsSent() throws {
        let object =
            #"{ "kind" : "Pod", "metadata": {"name": "a\"}b", "annotations": {"shmfix.dev/shm-size": "8Gi"}}, "x": [1, {"y": "]"}] }"#
        let body =
            #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"object":{"decoy":1},"uid":"u\"1","#
            + #""kind":{"kind":"Pod"},"old\u004fbject":null,"object" :  "# + object + "}}"
        let request = try AdmissionRequest.decode(Array(body.utf8))
        #expect(request.object == Array(object.utf8))
        #expect(request.uid == "u\"1")
        #expect(request.annotations == ["shmfix.dev/shm-size": "8Gi"])
    }

    @Test func uidIsEscapedInTheAnswer() throws {
        let uid = "a\"b\\c\u{1}é"
        let encoded = AdmissionResponse(uid: uid, patch: "[]", warnings: ["w \"x\""]).encoded()
        let review = try #require(try JSONSerialization.jsonObject(with: Data(encoded)) as? [String: Any])
        let response = try #require(review["response"] as? [String: Any])
        #expect(response["uid"] as? String == uid)
        #expect(response["warnings"] as? [String] == ["w \"x\""])
        #expect(response["patch"] as? String == "W10=")
    }
}

/// The validator the webhook's 400 answers rest on: exactly RFC 8259.
@Suite struct JSONValidationTests {
    @Test(arguments: [
        "{}", " [ ] ", "0", "-0.5e+3", #""a\u00e9\n""#, #"{"a":[1,{"b":null}],"c":true,"d":false}"#, "[[[]]]",
    ])
    func valid(_ text: String) throws {
        let request = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","x":"# + text + "}}"
        #expect(throws: Never.self) { try AdmissionRequest.decode(Array(request.utf8)) }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "tru", "nul", "'a'", "\"a", "{a:1}", "[1 2]", "\"\t\"", "\"\\x\"",
        "\"\\u12g4\"", "{\"a\" 1}", "NaN", "[] []",
    ])
    func invalid(_ text: String) throws {
        let request = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","x":"# + text + "}}"
        let error = #expect(throws: AdmissionRequest.DecodingError.self) { try AdmissionRequest.decode(Array(request.utf8)) }
        #expect(error?.message == "the body is not valid JSON")
    }

    @Test func deepNestingAndInvalidUTF8AreRefused() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: AdmissionRequest.DecodingError.self) { try AdmissionRequest.decode(Array(deep.utf8)) }
        #expect(throws: AdmissionRequest.DecodingError.self) { try AdmissionRequest.decode([0x22, 0xFF, 0x22]) }
    }
}
