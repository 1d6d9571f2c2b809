import Foundation
import ShmfixAdmission
import Testing

/// A pod fixture of `Tests/WebhookFixtures`: `pod.json`, the CLI's flags for the same pod
/// (`cli-args`, default `--shm-size=2gb`), and the exact expected answer: `patch.json` (the
/// decoded patch; absent when none is sent) and `warnings.txt` (one per line; absent when none).
/// `SHMFIX_RECORD=1` rewrites the expected files and fails, so a recording is always reviewed.
struct WebhookFixture: Sendable, CustomTestStringConvertible {
    let name: String
    var testDescription: String { name }

    static let root = TestEnvironment.packageRoot.appendingPathComponent("Tests/WebhookFixtures")
    static let all: [WebhookFixture] = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
        .filter { !$0.hasPrefix(".") }.sorted().map(WebhookFixture.init)

    var directory: URL { Self.root.appendingPathComponent(name) }
    var podURL: URL { directory.appendingPathComponent("pod.json") }
    func contents(_ file: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }
    var cliArguments: [String] { contents("cli-args")?.split(separator: "\n").map(String.init) ?? ["--shm-size=2gb"] }
    var expectedPatch: String? { contents("patch.json").map { $0.trimmingCharacters(in: .newlines) } }
    var expectedWarnings: [String] { contents("warnings.txt")?.split(separator: "\n").map(String.init) ?? [] }

    func record(patch: String?, warnings: [String]) throws {
        let patchURL = directory.appendingPathComponent("patch.json")
        let warningsURL = directory.appendingPathComponent("warnings.txt")
        try? FileManager.default.removeItem(at: patchURL)
        try? FileManager.default.removeItem(at: warningsURL)
        if let patch { try Data((patch + "\n").utf8).write(to: patchURL) }
        if !warnings.isEmpty { try Data((warnings.joined(separator: "\n") + "\n").utf8).write(to: warningsURL) }
    }
}

/// One decoded AdmissionReview answer, checked for what the API server requires of every answer.
struct CheckedAnswer {
    var patch: String?
    var warnings: [String]

    /// Parses `answer` and checks: 200, AdmissionReview v1, the uid echoed, `allowed: true`,
    /// `patchType: JSONPatch` exactly when a base64 `patch` is present, warnings of at most 120
    /// characters, and no other response field.
    init(_ answer: HTTPAnswer, uid: String) throws {
        #expect(answer.status == 200, "status \(answer.status): \(answer.text)")
        let review = try #require(try AdmissionJSON.parse(answer.body) as? [String: Any])
        #expect(review["apiVersion"] as? String == "admission.k8s.io/v1")
        #expect(review["kind"] as? String == "AdmissionReview")
        let response = try #require(review["response"] as? [String: Any])
        #expect(response["uid"] as? String == uid)
        #expect(response["allowed"] as? Bool == true)
        #expect(answer.text.contains(#""allowed":true"#), "allowed is the JSON literal true")
        #expect(Set(response.keys).isSubset(of: ["uid", "allowed", "patchType", "patch", "warnings"]))
        let encoded = response["patch"] as? String
        #expect((response["patchType"] != nil) == (encoded != nil), "patchType present iff patch present")
        if response["patchType"] != nil { #expect(response["patchType"] as? String == "JSONPatch") }
        if let encoded {
            let decoded = try #require(Data(base64Encoded: encoded), "patch is not base64")
            patch = String(decoding: decoded, as: UTF8.self)
        }
        warnings = response["warnings"] as? [String] ?? []
        for warning in warnings { #expect(warning.count <= 120, "warning over 120 characters: \(warning)") }
    }
}

@Suite(
    "shmfix-webhook over real HTTPS on loopback", .serialized,
    .enabled(if: IntegrationClients.mayRun("openssl", "curl", "kubectl")))
struct WebhookTests {
    /// Each pod fixture as an AdmissionReview: the patch, applied by `kubectl patch --local`,
    /// gives what the CLI writes for the same pod; a dry run gets the same answer.
    @Test(arguments: WebhookFixture.all)
    func podFixture(_ fixture: WebhookFixture) throws {
        let certificate = try TestCertificate()
        let server = try WebhookServerProcess(certificate: certificate)
        let curl = CurlClient(baseURL: server.baseURL, caFile: certificate.certificatePath)
        let pod = try AdmissionJSON.parse([UInt8](try Data(contentsOf: fixture.podURL)))
        let uid = "7c1c2f1e-\(fixture.name)"
        let raw = try curl.send(body: try AdmissionJSON.review(object: pod, uid: uid))
        let answer = try CheckedAnswer(raw, uid: uid)
        let dryRun = try curl.send(body: try AdmissionJSON.review(object: pod, uid: uid, dryRun: true))
        #expect(dryRun.body == raw.body, "a dry run gets the same answer")

        if TestEnvironment.isRecording {
            try fixture.record(patch: answer.patch, warnings: answer.warnings)
            Issue.record("recorded \(fixture.name); review the files and run again without SHMFIX_RECORD")
            return
        }
        #expect(answer.patch == fixture.expectedPatch)
        #expect(answer.warnings == fixture.expectedWarnings)

        // The CLI on the same pod: its output, or the pod unchanged when it refuses.
        let cli = try ProcessRunner.shmfix(fixture.cliArguments + [fixture.podURL.path])
        #expect(cli.status == 0 || cli.status == 2, "shmfix: \(cli.stderr)")
        let expected = cli.status == 0 ? try AdmissionJSON.parse(cli.stdout) : pod
        let cliChanged = !AdmissionJSON.equal(expected, pod)
        #expect((answer.patch != nil) == cliChanged, "a patch is sent exactly when the CLI changes the pod")
        if cli.status == 2 { #expect(answer.warnings.contains { $0.hasPrefix("shmfix: not changed: ") }) }

        var admitted = pod
        if let patch = answer.patch {
            let kubectl = try ProcessRunner.run(
                try IntegrationClients.path("kubectl"),
                ["patch", "--local", "-f", fixture.podURL.path, "--type=json", "-p", patch, "-o", "json"])
            #expect(kubectl.status == 0, "kubectl patch: \(kubectl.stderr)")
            admitted = try AdmissionJSON.parse(kubectl.stdout)
        }
        #expect(AdmissionJSON.equal(admitted, expected), "the admitted pod differs from the CLI's output")
    }

    /// Every hostile or wrong request gets its exact status (and message), and the server still
    /// answers a good request correctly right after it.
    @Test func badRequests() throws {
        let certificate = try TestCertificate()
        let server = try WebhookServerProcess(certificate: certificate)
        let curl = CurlClient(baseURL: server.baseURL, caFile: certificate.certificatePath)
        let good = try GoodRequest()
        func review(_ fields: [String: Any]) throws -> [UInt8] { [UInt8](try JSONSerialization.data(withJSONObject: fields)) }
        let request: [String: Any] = ["uid": "u1", "object": ["kind": "Pod"]]
        let cases: [(name: String, method: String, path: String, body: [UInt8]?, contentType: String?, status: Int, message: String?)] = [
            ("GET /mutate", "GET", "/mutate", nil, nil, 405, "method not allowed: use POST\n"),
            ("PUT /mutate", "PUT", "/mutate", try review(request), "application/json", 405, "method not allowed: use POST\n"),
            ("POST /healthz", "POST", "/healthz", [], "application/json", 405, "method not allowed: use GET, HEAD\n"),
            ("DELETE /readyz", "DELETE", "/readyz", nil, nil, 405, "method not allowed: use GET, HEAD\n"),
            ("POST /validate", "POST", "/validate", [], "application/json", 404, nil),
            ("GET /", "GET", "/", nil, nil, 404, nil),
            ("text/plain", "POST", "/mutate", good.body, "text/plain", 415, "unsupported content type: send application/json\n"),
            ("form (curl's default)", "POST", "/mutate", good.body, "application/x-www-form-urlencoded", 415, nil),
            ("no content type", "POST", "/mutate", good.body, nil, 415, nil),
            (
                "invalid JSON", "POST", "/mutate", Array(#"{"apiVersion": "admission.k8s.io/v1", "#.utf8), "application/json", 400,
                "invalid AdmissionReview: the body is not valid JSON\n"
            ),
            ("empty body", "POST", "/mutate", [], "application/json", 400, "invalid AdmissionReview: the body is not valid JSON\n"),
            (
                "JSON array", "POST", "/mutate", Array("[1, 2]".utf8), "application/json", 400,
                "invalid AdmissionReview: the body is not a JSON object\n"
            ),
            (
                "AdmissionReview v1beta1", "POST", "/mutate",
                try review(["apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": request]), "application/json",
                400,
                "invalid AdmissionReview: expected apiVersion 'admission.k8s.io/v1' and kind 'AdmissionReview'\n"
            ),
            (
                "a Pod, not a review", "POST", "/mutate", try review(["apiVersion": "v1", "kind": "Pod"]), "application/json", 400,
                "invalid AdmissionReview: expected apiVersion 'admission.k8s.io/v1' and kind 'AdmissionReview'\n"
            ),
            (
                "no request", "POST", "/mutate", try review(["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"]),
                "application/json", 400, "invalid AdmissionReview: the AdmissionReview has no 'request' object\n"
            ),
            (
                "no uid", "POST", "/mutate",
                try review(["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": ["object": ["kind": "Pod"]]]),
                "application/json", 400, "invalid AdmissionReview: the AdmissionReview request has no 'uid'\n"
            ),
            (
                "object not an object", "POST", "/mutate",
                try review(["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": ["uid": "u", "object": [1]]]),
                "application/json", 400, "invalid AdmissionReview: the request's 'object' is not a JSON object\n"
            ),
        ]
        for item in cases {
            let answer = try curl.send(item.method, item.path, body: item.body, contentType: item.contentType)
            #expect(answer.status == item.status, "\(item.name): \(answer.status) \(answer.text)")
            if let message = item.message { #expect(answer.text == message, "\(item.name)") }
            try good.check(curl)
        }

        // Over 7 MiB: a declared length gets 413 before a byte of the body is sent, and the
        // connection is closed, so the body is never read.
        let raw = try RawTLSClient(port: server.port, caFile: certificate.certificatePath)
        raw.send(
            Array("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n".utf8))
        #expect(raw.waitForClose(timeout: 10), "the connection is closed after the 413")
        #expect(String(decoding: raw.received, as: UTF8.self).hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
        try good.check(curl)

        // A chunked body (no declared length) is read up to the limit, then refused the same way.
        let big = [UInt8](repeating: UInt8(ascii: " "), count: 7 * 1024 * 1024 + 1)
        let chunked = try curl.send(body: big, extraArguments: ["-H", "Transfer-Encoding: chunked"])
        #expect(chunked.status == 413)
        // Exactly 7 MiB is accepted (then refused as JSON: only spaces).
        let limit = try curl.send(body: Array(big.dropLast()))
        #expect(limit.status == 400)
        try good.check(curl)
    }

    /// Clients that never finish are cut at the request timeout — one that opens a TCP
    /// connection and never starts TLS, one that never finishes its headers, one that sends its
    /// headers and trickles its body forever — while 100 good requests on other connections all
    /// succeed meanwhile.
    @Test func slowClientsHoldUpNobody() throws {
        let certificate = try TestCertificate()
        let server = try WebhookServerProcess(certificate: certificate, arguments: ["--shm-size=2gb", "--request-timeout", "3"])
        let curl = CurlClient(baseURL: server.baseURL, caFile: certificate.certificatePath)
        let good = try GoodRequest()
        let started = Date()
        let silent = try RawTLSClient.silentTCP(port: server.port)
        let headers = try RawTLSClient(port: server.port, caFile: certificate.certificatePath)
        headers.send(Array("POST /mutate HTTP/1.1\r\nHost: localhost\r\n".utf8))
        let body = try RawTLSClient(port: server.port, caFile: certificate.certificatePath)
        body.send(Array("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{".utf8))
        let trickle = Thread {
            for _ in 0..<100 where body.process.isRunning || headers.process.isRunning {
                body.send([UInt8(ascii: " ")])
                headers.send(Array("X-Slow: 1\r\n".utf8))
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        trickle.start()
        let answers = try curl.batch(good.body, count: 100, parallel: 4)
        for answer in answers { try good.check(HTTPAnswer(status: answer.status, body: answer.body)) }
        for (name, client) in [("no TLS", silent), ("endless headers", headers), ("endless body", body)] {
            #expect(client.waitForClose(timeout: 10), "\(name): cut")
            let elapsed = client.closedAt.map { $0.timeIntervalSince(started) } ?? .infinity
            #expect(elapsed >= 2.5 && elapsed < 6, "\(name): cut after \(elapsed) s (timeout 3 s)")
            #expect(client.received.isEmpty, "\(name): no answer")
        }
        try good.check(curl)
    }

    /// The certificate files are replaced the way cert-manager does it (a symlink swap) while
    /// requests run: none fails, the process is the same, and new connections get the new
    /// certificate.
    @Test func certificateRotationDuringTraffic() throws {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fileManager = FileManager.default
        // A Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..2026_first (swapped atomically).
        for generation in ["..first", "..second"] {
            try fileManager.createDirectory(at: folder.appendingPathComponent(generation), withIntermediateDirectories: true)
            try TestCertificate.make(
                commonName: "shmfix-webhook\(generation)", certificate: folder.appendingPathComponent("\(generation)/tls.crt").path,
                key: folder.appendingPathComponent("\(generation)/tls.key").path)
        }
        try fileManager.createSymbolicLink(atPath: folder.appendingPathComponent("..data").path, withDestinationPath: "..first")
        for file in ["tls.crt", "tls.key"] {
            try fileManager.createSymbolicLink(atPath: folder.appendingPathComponent(file).path, withDestinationPath: "..data/\(file)")
        }
        let bundle = folder.appendingPathComponent("ca-bundle.pem")
        let first = try Data(contentsOf: folder.appendingPathComponent("..first/tls.crt"))
        let second = try Data(contentsOf: folder.appendingPathComponent("..second/tls.crt"))
        try (first + second).write(to: bundle)
        let secondFingerprint = try TestCertificate.fingerprint(ofFile: folder.appendingPathComponent("..second/tls.crt").path)
        let firstFingerprint = try TestCertificate.fingerprint(ofFile: folder.appendingPathComponent("..first/tls.crt").path)

        let server = try WebhookServerProcess(
            certificatePath: folder.appendingPathComponent("tls.crt").path, keyPath: folder.appendingPathComponent("tls.key").path,
            arguments: ["--shm-size=2gb", "--cert-poll-interval", "1"])
        #expect(try TestCertificate.servedFingerprint(port: server.port) == firstFingerprint)
        let curl = CurlClient(baseURL: server.baseURL, caFile: bundle.path)
        let good = try GoodRequest()
        let pid = server.process.processIdentifier

        let swap = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            let next = folder.appendingPathComponent("..data_tmp").path
            try? fileManager.createSymbolicLink(atPath: next, withDestinationPath: "..second")
            rename(next, folder.appendingPathComponent("..data").path)
        }
        swap.start()
        // Several rounds of new connections while the files change.
        var served: String?
        for _ in 0..<8 {
            let answers = try curl.batch(good.body, count: 60, parallel: 4)
            for answer in answers { try good.check(HTTPAnswer(status: answer.status, body: answer.body)) }
            served = try TestCertificate.servedFingerprint(port: server.port)
            if served == secondFingerprint { break }
        }
        #expect(served == secondFingerprint, "new connections get the new certificate")
        #expect(server.process.isRunning && server.process.processIdentifier == pid, "no restart")
        #expect(server.logText.contains("reloaded the TLS certificate and key"))
        // Only the new certificate is trusted now: requests still succeed.
        try good.check(CurlClient(baseURL: server.baseURL, caFile: folder.appendingPathComponent("..second/tls.crt").path))
    }

    /// SIGTERM while requests run: a request whose body is still arriving when the signal comes
    /// is answered; every request of the load is answered or refused before it was sent (never
    /// cut after); the process exits 0.
    @Test func sigtermUnderLoad() throws {
        let certificate = try TestCertificate()
        let server = try WebhookServerProcess(certificate: certificate)
        let curl = CurlClient(baseURL: server.baseURL, caFile: certificate.certificatePath)
        let good = try GoodRequest()
        try good.check(curl)

        // In flight: headers and half the body sent before SIGTERM, the rest after.
        let inFlight = try RawTLSClient(port: server.port, caFile: certificate.certificatePath)
        let head =
            "POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(good.body.count)\r\n\r\n"
        inFlight.send(Array(head.utf8) + good.body.prefix(good.body.count / 2))

        // More requests than the server can answer before the signal, so some come after it.
        let total = 3000
        let load = Locked<[(status: Int, exitCode: Int, body: [UInt8])]>([])
        let loadThread = Thread {
            let answers = (try? curl.batch(good.body, count: total, parallel: 8)) ?? []
            load.withLock { $0 = answers }
        }
        Thread.sleep(forTimeInterval: 0.5)
        loadThread.start()
        Thread.sleep(forTimeInterval: 0.5)
        kill(server.process.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.3)
        inFlight.send(Array(good.body.dropFirst(good.body.count / 2)))
        #expect(inFlight.waitFor("\"allowed\":true", timeout: 10), "the in-flight request is answered after SIGTERM")
        let received = String(decoding: inFlight.received, as: UTF8.self)
        #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(received.contains(good.uid))

        #expect(server.waitForExit(timeout: 15) == 0, "exit 0 after SIGTERM: \(server.logText)")
        while loadThread.isExecuting || !loadThread.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        let answers = load.withLock { $0 }
        #expect(answers.count == total)
        var answered = 0
        for answer in answers {
            if answer.exitCode == 0 {
                answered += 1
                try good.check(HTTPAnswer(status: answer.status, body: answer.body))
            } else {
                // 7: connection refused; 35: reset during the TLS handshake (a connection the
                // kernel queued but the server never accepted); 55: the connection was closed
                // while curl was still sending the request (accepted, but idle when the server
                // quiesced: no request had come in on it). In each case the server never had
                // the request; a request it had would be answered or would fail receiving (52, 56).
                let exitCode = answer.exitCode
                #expect(exitCode == 7 || exitCode == 35 || exitCode == 55, "a request was cut: curl exit \(exitCode)")
            }
        }
        let refused = Dictionary(grouping: answers.filter { $0.exitCode != 0 }, by: \.exitCode).mapValues(\.count)
        print("sigtermUnderLoad: \(answered) of \(total) answered, the rest refused before sending (curl exit: count) \(refused)")
        #expect(answered > 0 && answered < total, "the signal came during the load (\(answered) answered)")
    }

    /// `/metrics` in plain HTTP: requests by outcome and the latency histogram.
    @Test func metrics() throws {
        let certificate = try TestCertificate()
        // Logging everything (trace), so that the check below covers every log line.
        let server = try WebhookServerProcess(
            certificate: certificate, arguments: ["--shm-size=2gb", "--log-level", "trace"], metrics: true)
        let curl = CurlClient(baseURL: server.baseURL, caFile: certificate.certificatePath)
        let good = try GoodRequest()
        try good.check(curl)
        try good.check(curl)
        _ = try curl.send("GET", "/nope")
        _ = try curl.send(body: Array("{".utf8))
        let port = try #require(server.metricsPort)
        let metrics = try CurlClient(baseURL: "http://127.0.0.1:\(port)", caFile: certificate.certificatePath).send(
            "GET", "/metrics", contentType: nil)
        #expect(metrics.status == 200)
        let text = metrics.text
        #expect(text.contains(#"shmfix_webhook_requests_total{outcome="patched"} 2"#))
        #expect(text.contains(#"shmfix_webhook_requests_total{outcome="not_found"} 1"#))
        #expect(text.contains(#"shmfix_webhook_requests_total{outcome="bad_request"} 1"#))
        #expect(text.contains(#"shmfix_webhook_requests_total{outcome="refused"} 0"#))
        #expect(text.contains("shmfix_webhook_mutate_duration_seconds_count 3"))
        #expect(!text.contains("sk-not-a-real-secret"), "pod contents never appear")
        #expect(server.logText.contains("admission review"), "the trace log has the review lines")
        #expect(!server.logText.contains("sk-not-a-real-secret"), "pod contents are never logged")
    }
}

/// The GPU pod fixture as a good request, and the exact answer expected for it.
struct GoodRequest {
    let uid = "good-5f0e9c2a-request"
    let body: [UInt8]
    let fixture = WebhookFixture(name: "gpu-pod")

    init() throws {
        body = try AdmissionJSON.review(object: try AdmissionJSON.parse([UInt8](try Data(contentsOf: fixture.podURL))), uid: uid)
    }

    /// Sends it and checks the answer exactly.
    func check(_ curl: CurlClient) throws { try check(try curl.send(body: body)) }

    /// Checks an answer to it exactly: the recorded patch and warnings.
    func check(_ answer: HTTPAnswer) throws {
        let checked = try CheckedAnswer(answer, uid: uid)
        #expect(checked.patch != nil && checked.patch == fixture.expectedPatch)
        #expect(checked.warnings == fixture.expectedWarnings)
    }
}
