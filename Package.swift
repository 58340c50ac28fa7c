// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "rbacgraph",
    // Built and tested on Linux only (see README, "Set up"): no platform is declared.
    products: [
        .executable(name: "rbacgraph", targets: ["rbacgraph"]),
        .library(name: "RBACCore", targets: ["RBACCore"]),
        .library(name: "RBACLoading", targets: ["RBACLoading"]),
        .library(name: "RBACPresentation", targets: ["RBACPresentation"]),
        .library(name: "RBACGraphviz", targets: ["RBACGraphviz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Live clusters: HTTPS with client certificates and custom CAs (RBACCluster only).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        .target(name: "RBACCore"),
        // The report's formats (Markdown, HTML, JSON, SARIF) and YAML output: presentation, out of the core.
        .target(name: "RBACPresentation", dependencies: ["RBACCore"]),
        // DOT documents, views and in-process rendering with libgvc (no C type in its API).
        .target(name: "RBACGraphviz", dependencies: ["RBACCore", "CGraphviz"]),
        // zlib, for gzip'd audit logs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Release builds drop the dynamic exclusivity checks of the loader's per-event code
        // (measured: 11% of the loader's instructions beyond libyaml's own, docs/benchmarks.md);
        // debug builds and the tests keep them.
        .target(
            name: "RBACLoading", dependencies: ["CYAML", "CZlib", "RBACCore"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // Live clusters: kubeconfig, authentication, the API client and `snapshot`. The only
        // module that depends on the network stack; the core and the loader stay free of it.
        .target(
            name: "RBACCluster",
            dependencies: [
                "RBACCore", "RBACLoading",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ]
        ),
        // A fake Kubernetes API server on loopback over TLS, for the tests and the bench.
        .target(
            name: "FakeAPIServer",
            dependencies: [
                "CZlib", "RBACCore", "RBACLoading",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/Support/FakeAPIServer"
        ),
        .executableTarget(
            name: "rbacgraph",
            dependencies: [
                "RBACCore", "RBACLoading", "RBACGraphviz", "RBACPresentation", "RBACCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "rbacgraph-bench",
            dependencies: ["RBACCore", "RBACLoading", "RBACGraphviz", "RBACPresentation", "CYAML", "CBenchSupport", "FakeAPIServer"],
            path: "Benchmarks/rbacgraph-bench"
        ),
        // glibc's mallinfo2, for the bench's memory figures.
        .target(name: "CBenchSupport", path: "Benchmarks/CBenchSupport"),
        // `make docs-images`: the picture of docs/ the CLI has no command for.
        .executableTarget(
            name: "docs-images",
            dependencies: ["RBACCore", "RBACLoading", "RBACGraphviz"],
            path: "Tools/docs-images"
        ),
        // README.md's library example, compiled (ReadmeTests checks the README shows this file).
        .executableTarget(name: "readme-example", dependencies: ["RBACCore", "RBACLoading"], path: "Tools/readme-example"),
        // Fuzzing (`make fuzz`): the parsers' entry points, libFuzzer's driver (weakly linked: a
        // normal build only replays inputs), the executable.
        .target(name: "FuzzTargets", dependencies: ["RBACCore", "RBACLoading", "RBACCluster"], path: "Fuzz/FuzzTargets"),
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .executableTarget(
            name: "rbacgraph-fuzz", dependencies: ["FuzzTargets", "CFuzzerDriver"], path: "Fuzz/rbacgraph-fuzz"),
        // What every test target shares: one golden-file check, where the fixtures, samples/
        // and ../shared are (found through #filePath: no resource bundles).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RBACCoreTests", dependencies: ["RBACCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "RBACLoadingTests", dependencies: ["RBACLoading", "RBACCore", "RBACPresentation", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RBACLoading", "RBACCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "RBACGraphvizTests", dependencies: ["RBACGraphviz", "RBACCore", "RBACLoading", "TestSupport"],
            exclude: ["Fixtures"]),
        // Replays Fuzz/corpus through the fuzz entry points (no sanitizer build needed).
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets", "TestSupport"]),
        // Runs the rbacgraph binary; CLIHarness builds it first, so it is never stale.
        .testTarget(name: "rbacgraphTests", dependencies: ["RBACCore", "RBACLoading", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "RBACClusterTests",
            dependencies: ["RBACCluster", "FakeAPIServer", "RBACCore", "RBACLoading", "RBACPresentation", "TestSupport"]
        ),
    ]
)
