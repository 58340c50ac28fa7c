import Foundation
import Testing
import TestSupport

/// Runs the real `rbacgraph` binary, as a user would.
enum CLI {
    static let packageRoot = Repository.root
    static let fixtures = Repository.fixtures("rbacgraphTests")
    static let golden = fixtures.appendingPathComponent("golden")

    /// The binary of this build: built once per test run with `swift build --product
    /// rbacgraph` into the test runner's own build folder (a no-op when it is up to date:
    /// `swift test` itself builds no executable), so a test never runs a binary older than
    /// the sources. `swift test` holds the build folder's lock while tests run, hence
    /// `--ignore-lock`: the folder is not being built then. `RBACGRAPH_SWIFT_BUILD_FLAGS`
    /// holds the flags `swift test` was given (`make test` sets it), so that this build does
    /// not rebuild everything with other flags.
    static let binary: Result<URL, BuildError> = build()

    struct BuildError: Error, CustomStringConvertible {
        var description: String
    }

    private static func build() -> Result<URL, BuildError> {
        // The runner is `<scratch>/<triple>/<configuration>/rbacgraphPackageTests.xctest`.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binDirectory = runner.deletingLastPathComponent()
        let configuration = binDirectory.lastPathComponent
        let scratch = binDirectory.deletingLastPathComponent().deletingLastPathComponent()
        guard configuration == "debug" || configuration == "release" else {
            return .failure(BuildError(description: "cannot tell the build configuration from the test runner's path \(runner.path)"))
        }
        let flags = (ProcessInfo.processInfo.environment["RBACGRAPH_SWIFT_BUILD_FLAGS"] ?? "").split(separator: " ").map(String.init)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["swift", "build", "--product", "rbacgraph", "-c", configuration, "--scratch-path", scratch.path, "--ignore-lock"] + flags
        p.currentDirectoryURL = packageRoot
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-build-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        do {
            let handle = try FileHandle(forWritingTo: log)
            p.standardOutput = handle
            p.standardError = handle
            p.standardInput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            try handle.close()
        } catch {
            return .failure(BuildError(description: "cannot run swift build: \(error)"))
        }
        guard p.terminationStatus == 0 else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return .failure(BuildError(description: "swift build --product rbacgraph failed:\n\(output)"))
        }
        return .success(binDirectory.appendingPathComponent("rbacgraph"))
    }

    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs `rbacgraph args…` in the package root with `NO_COLOR` set and `environment` added.
    static func run(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Output {
        let p = Process()
        p.executableURL = try binary.get()
        p.arguments = args
        p.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        p.environment = env
        // stdout and stderr go to temporary files: no pipe can fill up and block the child.
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        p.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Output(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            status: p.terminationStatus)
    }
}
