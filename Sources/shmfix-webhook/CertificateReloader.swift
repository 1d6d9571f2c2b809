import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The serving certificate and key, reloaded when their files change.
///
/// cert-manager rewrites a Secret volume by swapping a symlink, so the files are polled (read
/// whole, compared with what is served) every `interval`; a pair that loads and matches replaces
/// the served one, so each new TLS handshake uses it (`sslContextCallback`) while connections
/// already open keep theirs. A pair that does not load or match (one file rewritten, the other
/// not yet) is retried at the next poll and the old pair stays in service.
final class CertificateReloader: Service, Sendable {
    /// One loaded pair.
    struct Identity: Sendable {
        var certificateBytes: [UInt8]
        var keyBytes: [UInt8]
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    /// Why a pair was not loaded.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    let certificatePath: String
    let keyPath: String
    let interval: Duration
    private let logger: Logger
    private let current: Mutex<Identity>

    /// Loads the pair once; throws when it cannot be served.
    init(certificatePath: String, keyPath: String, interval: Duration, logger: Logger) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.interval = interval
        self.logger = logger
        current = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// A TLS 1.2+ server configuration whose handshakes use the pair served at that moment.
    func serverConfiguration() -> TLSConfiguration {
        let identity = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.chain.map { .certificate($0) }, privateKey: .privateKey(identity.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let identity = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = identity.chain.map { .certificate($0) }
            override.privateKey = .privateKey(identity.key)
            promise.succeed(override)
        }
        return configuration
    }

    /// Polls the files until graceful shutdown.
    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: interval)
            reloadIfChanged()
        }
    }

    /// Loads the pair again when either file's bytes differ from those served.
    func reloadIfChanged() {
        guard let certificateBytes = Self.read(certificatePath), let keyBytes = Self.read(keyPath) else { return }
        let served = current.withLock { ($0.certificateBytes, $0.keyBytes) }
        guard certificateBytes != served.0 || keyBytes != served.1 else { return }
        do {
            let identity = try Self.identity(certificateBytes: certificateBytes, keyBytes: keyBytes)
            current.withLock { $0 = identity }
            logger.info("reloaded the TLS certificate and key", metadata: ["certificate": "\(certificatePath)"])
        } catch {
            logger.warning("not reloading the TLS certificate yet: \(error)", metadata: ["certificate": "\(certificatePath)"])
        }
    }

    private static func load(certificatePath: String, keyPath: String) throws -> Identity {
        guard let certificateBytes = read(certificatePath) else { throw LoadError(description: "cannot read '\(certificatePath)'") }
        guard let keyBytes = read(keyPath) else { throw LoadError(description: "cannot read '\(keyPath)'") }
        return try identity(certificateBytes: certificateBytes, keyBytes: keyBytes)
    }

    /// Parses a PEM pair and checks that the key belongs to the certificate.
    private static func identity(certificateBytes: [UInt8], keyBytes: [UInt8]) throws -> Identity {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificateBytes)
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw LoadError(description: "cannot parse the PEM files: \(error)")
        }
        guard !chain.isEmpty else { throw LoadError(description: "the certificate file holds no certificate") }
        do {
            // Building a context checks that the key matches the leaf certificate.
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw LoadError(description: "the key does not match the certificate: \(error)")
        }
        return Identity(certificateBytes: certificateBytes, keyBytes: keyBytes, chain: chain, key: key)
    }

    private static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
