// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "rbacgraph",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rbacgraph", targets: ["rbacgraph"]),
        .library(name: "RBACCore", targets: ["RBACCore"]),
        .library(name: "RBACYAML", targets: ["RBACYAML"]),
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
        // DOT documents, views and in-process rendering with libgvc (no C type in its API).
        .target(name: "RBACGraphviz", dependencies: ["RBACCore", "CGraphviz"]),
        // zlib, for gzip'd audit logs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "RBACYAML", dependencies: ["CYAML", "CZlib", "RBACCore"]),
        .executableTarget(
            name: "rbacgraph",
            dependencies: [
                "RBACCore", "RBACYAML", "RBACGraphviz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "rbacgraph-bench",
            dependencies: ["RBACCore", "RBACYAML", "RBACGraphviz", "CYAML", "CBenchSupport"],
            path: "Benchmarks/rbacgraph-bench"
        ),
        // glibc's mallinfo2, for the bench's memory figures.
        .target(name: "CBenchSupport", path: "Benchmarks/CBenchSupport"),
        // Fixtures are found next to each test file through #filePath: no resource bundles.
        .testTarget(name: "RBACCoreTests", dependencies: ["RBACCore"], exclude: ["Fixtures"]),
        .testTarget(name: "RBACYAMLTests", dependencies: ["RBACYAML", "RBACCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RBACYAML", "RBACCore"], exclude: ["Fixtures"]),
        .testTarget(name: "RBACGraphvizTests", dependencies: ["RBACGraphviz", "RBACCore", "RBACYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "rbacgraphTests", dependencies: ["RBACCore", "RBACYAML"], exclude: ["Fixtures"]),
    ]
)
