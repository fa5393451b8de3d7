// swift-tools-version: 6.1
// Micro-benchmarks of Sluice's pure hot-path code. Its own package (depending on Sluice by path) so the
// test build never compiles it. Run: `cd Benchmarks && swift package benchmark`.
import PackageDescription

let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Sluice", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Codecs",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SluiceLLM", package: "Sluice"),
                .product(name: "SluiceGuard", package: "Sluice"),
            ],
            path: "Benchmarks/Codecs",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
