// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shmfix",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shmfix", targets: ["shmfix"]),
        .executable(name: "shmfix-webhook", targets: ["shmfix-webhook"]),
        .library(name: "ShmfixCore", targets: ["ShmfixCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // shmfix-webhook only: the server stack (the CLI links none of it).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "ShmfixDiagnostics"),
        .target(name: "CReallocShim"),
        .target(name: "ShmfixYAML", dependencies: ["CYAML", "ShmfixDiagnostics"]),
        .target(name: "ShmfixKubernetes", dependencies: ["ShmfixYAML", "ShmfixDiagnostics"]),
        .target(name: "ShmfixPlanning", dependencies: ["ShmfixKubernetes", "ShmfixYAML", "ShmfixDiagnostics"]),
        .target(
            name: "ShmfixRendering",
            dependencies: ["ShmfixPlanning", "ShmfixKubernetes", "ShmfixYAML", "ShmfixDiagnostics"]
        ),
        .target(
            name: "ShmfixCore",
            dependencies: [
                "ShmfixRendering", "ShmfixPlanning", "ShmfixKubernetes", "ShmfixYAML", "ShmfixDiagnostics",
            ]
        ),
        .executableTarget(
            name: "shmfix",
            dependencies: [
                "ShmfixCore", "CReallocShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // AdmissionReview in, AdmissionReview out: the webhook's one use of the core, no server in it.
        .target(
            name: "ShmfixAdmission",
            dependencies: ["ShmfixCore"]),
        // The admission webhook server: TLS, routing, limits, metrics, lifecycle (docs/webhook.md).
        .executableTarget(
            name: "shmfix-webhook",
            dependencies: [
                "ShmfixAdmission", "ShmfixCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The libFuzzer target over the whole pipeline: `make fuzz` (see Sources/ShmfixFuzz).
        .executableTarget(name: "ShmfixFuzz", dependencies: ["ShmfixCore", "ShmfixYAML", "ShmfixDiagnostics"]),
        .testTarget(
            name: "ShmfixTests",
            dependencies: [
                "ShmfixCore", "ShmfixRendering", "ShmfixPlanning", "ShmfixKubernetes", "ShmfixYAML", "ShmfixDiagnostics",
                "ShmfixAdmission", "CReallocShim",
            ]
        ),
    ]
)
