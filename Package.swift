// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shmfix",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shmfix", targets: ["shmfix"]),
        .library(name: "ShmfixCore", targets: ["ShmfixCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "ShmfixDiagnostics"),
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
                "ShmfixCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The libFuzzer target over the whole pipeline: `make fuzz` (see Sources/ShmfixFuzz).
        .executableTarget(name: "ShmfixFuzz", dependencies: ["ShmfixCore", "ShmfixYAML", "ShmfixDiagnostics"]),
        .testTarget(
            name: "ShmfixTests",
            dependencies: ["ShmfixCore", "ShmfixRendering", "ShmfixPlanning", "ShmfixKubernetes", "ShmfixYAML", "ShmfixDiagnostics"]
        ),
    ]
)
