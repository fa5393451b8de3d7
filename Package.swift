// swift-tools-version: 6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluicePolicy", targets: ["SluicePolicy"]),
        .library(name: "SluiceLLM", targets: ["SluiceLLM"]),
        .library(name: "SluiceGuard", targets: ["SluiceGuard"]),
        .library(name: "SluiceRouting", targets: ["SluiceRouting"]),
        .library(name: "SluiceLimits", targets: ["SluiceLimits"]),
        .library(name: "SluicePostgres", targets: ["SluicePostgres"]),
        .library(name: "SluiceKube", targets: ["SluiceKube"]),
        .library(name: "SluiceProxy", targets: ["SluiceProxy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "SluicePolicy",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceLLM",
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceGuard",
            dependencies: ["SluiceLLM"],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceRouting",
            dependencies: ["SluicePolicy"],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceLimits",
            dependencies: ["SluicePolicy"],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluicePostgres",
            dependencies: [
                "SluiceLimits",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceKube",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "SluiceProxy",
            dependencies: [
                "SluicePolicy",
                "SluiceLimits",
                "SluiceLLM",
                "SluiceRouting",
                "SluiceGuard",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluicePolicy",
                "SluiceLLM",
                "SluiceProxy",
                "SluicePostgres",
                "SluiceKube",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "SluicePolicyTests", dependencies: ["SluicePolicy"], swiftSettings: upcoming),
        .testTarget(name: "SluiceLLMTests", dependencies: ["SluiceLLM"], swiftSettings: upcoming),
        .testTarget(
            name: "SluiceGuardTests",
            dependencies: ["SluiceGuard", "SluiceLLM"],
            exclude: ["Corpus"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "SluiceLimitsTests", dependencies: ["SluiceLimits"], swiftSettings: upcoming),
        .testTarget(
            name: "SluiceKubeTests",
            dependencies: ["SluiceKube", .product(name: "Yams", package: "Yams")],
            exclude: ["Corpus"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SluicePostgresTests",
            dependencies: ["SluicePostgres", "SluiceLimits", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: upcoming
        ),
        .testTarget(name: "SluiceRoutingTests", dependencies: ["SluiceRouting", "SluicePolicy"], swiftSettings: upcoming),
        .testTarget(
            name: "SluiceProxyTests",
            dependencies: [
                "SluiceProxy", "SluicePolicy", "SluiceLLM",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
    ]
)
