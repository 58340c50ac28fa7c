// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "rbacgraph",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rbacgraph", targets: ["rbacgraph"]),
        .library(name: "RBACCore", targets: ["RBACCore"]),
        .library(name: "RBACLoading", targets: ["RBACLoading"]),
        .library(name: "RBACPresentation", targets: ["RBACPresentation"]),
        .library(name: "RBACGraphviz", targets: ["RBACGraphviz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .executableTarget(
            name: "rbacgraph",
            dependencies: [
                "RBACCore", "RBACLoading", "RBACGraphviz", "RBACPresentation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "rbacgraph-bench",
            dependencies: ["RBACCore", "RBACLoading", "RBACGraphviz", "RBACPresentation", "CYAML", "CBenchSupport"],
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
        // Fuzzing (`make fuzz`): the parsers' entry points, libFuzzer's driver (weakly linked: a
        // normal build only replays inputs), the executable.
        .target(name: "FuzzTargets", dependencies: ["RBACCore", "RBACLoading"], path: "Fuzz/FuzzTargets"),
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
    ]
)
