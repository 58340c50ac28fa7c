import FakeAPIServer
import Foundation
import RBACCore
import Testing

/// Runs the `rbacgraph` binary against the fake API server, as a user would.
enum Binary {
    static var path: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rbacgraph").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Where.packageRoot.appendingPathComponent(".build/debug/rbacgraph").path
    }

    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs a program with `env` added to a clean environment (no KUBECONFIG of the caller's).
    static func run(_ args: [String], env: [String: String] = [:], executable: String = Binary.path) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1"]
        environment["HOME"] = NSTemporaryDirectory()
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            stdout: try String(contentsOfFile: dir + "/out", encoding: .utf8),
            stderr: try String(contentsOfFile: dir + "/err", encoding: .utf8), status: p.terminationStatus)
    }
}

@Suite("The CLI on a live cluster", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveCLITests {
    @Test("no -f: the current context of KUBECONFIG is read, and stderr says which cluster")
    func whoCanLive() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let out = try Binary.run(["who-can", "get", "secrets", "-n", "prod"], env: ["KUBECONFIG": try fx.tokenKubeconfig()])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("alice") && out.stdout.contains("app"))
        #expect(out.stderr.contains("reading the cluster of context \"fake\"") && out.stderr.contains(fx.server.url))
        #expect(fx.server.violations.isEmpty)
        // -q: nothing on stderr.
        let quiet = try Binary.run(["who-can", "get", "secrets", "-n", "prod", "-q"], env: ["KUBECONFIG": try fx.tokenKubeconfig()])
        #expect(quiet.stderr.isEmpty && quiet.stdout == out.stdout)
    }

    @Test("partial permission: a yes stands (exit 0), a no on incomplete RBAC exits 3, and stderr says what was not read")
    func partialPermission() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.forbidden = ["clusterroles"]
        let kc = try fx.tokenKubeconfig()
        let yes = try Binary.run(["can-i", "create", "pods", "--subresource", "exec", "-n", "dev", "--as", "bob", "--as-group", "devs", "--kubeconfig", kc])
        #expect(yes.status == 0 && yes.stdout.hasPrefix("yes"), "\(yes.stdout)\(yes.stderr)")
        #expect(yes.stderr.contains("could not read clusterroles: forbidden"))
        let no = try Binary.run(["can-i", "get", "secrets", "-n", "prod", "--as", "alice", "--kubeconfig", kc])
        #expect(no.status == 3 && no.stdout.hasPrefix("no"), "\(no.stdout)\(no.stderr)")
        #expect(no.stdout.contains("not read from the cluster (the answer may be yes): clusterroles: forbidden"))
        let list = try Binary.run(["who-can", "get", "secrets", "-n", "prod", "--kubeconfig", kc])
        #expect(list.status == 3)
        #expect(list.stdout.contains("not read from the cluster (the answer covers the rest): clusterroles: forbidden"))
        let json = try Binary.run(["who-can", "get", "secrets", "-n", "prod", "--kubeconfig", kc, "-o", "json"])
        let notRead = try JSONValue.parse(json.stdout)["notRead"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notRead.count == 1 && notRead[0].hasPrefix("clusterroles: forbidden"))
        // Only pods unreadable: RBAC answers are complete.
        fx.server.faults.forbidden = ["pods"]
        let complete = try Binary.run(["can-i", "list", "pods", "-n", "prod", "--as", "nobody", "--kubeconfig", kc])
        #expect(complete.status == 1 && complete.stdout.hasPrefix("no"))
    }

    @Test("pods not read: every answer says pod facts are unknown, not false; a path found stands, a list exits 3")
    func podFactsUnknown() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.forbidden = ["pods"]
        let kc = try fx.tokenKubeconfig()
        let podsUnknown = "pod facts unknown, not false"

        // A path found in what was read stands (exit 0), and the answer names what is unknown.
        let path = try Binary.run(["paths", "--from", "user:alice", "--to", "secret:prod/*", "--kubeconfig", kc])
        #expect(path.status == 0, "\(path.stdout)\(path.stderr)")
        #expect(path.stdout.contains("not read from the cluster (a shorter path may exist): pods: forbidden"))
        #expect(path.stdout.contains(podsUnknown))
        // No path on a partial read is not a "no" (exit 3), and says a path may exist.
        let none = try Binary.run(["paths", "--from", "user:nobody", "--to", "cluster-admin", "--kubeconfig", kc])
        #expect(none.status == 3, "\(none.stdout)\(none.stderr)")
        #expect(none.stdout.contains("not read from the cluster (a path may exist)") && none.stdout.contains(podsUnknown))

        // Lists (readers, identities reaching cluster-admin, findings) may be short: exit 3,
        // with a footer in tables and `notRead` + `unknown` in JSON.
        let secrets = try Binary.run(["secrets", "-n", "prod", "--kubeconfig", kc])
        #expect(secrets.status == 3 && secrets.stdout.contains(podsUnknown), "\(secrets.stdout)\(secrets.stderr)")
        for args in [["secrets", "-n", "prod"], ["escalations"], ["stats"]] {
            let json = try Binary.run(args + ["-o", "json", "--kubeconfig", kc])
            #expect(json.status == 3, "\(args): \(json.stderr)")
            let answer = try JSONValue.parse(json.stdout)
            #expect(answer["notRead"]?.arrayValue?.first?.stringValue?.hasPrefix("pods: forbidden") == true, "\(args)")
            let facts = answer["unknown"]?.arrayValue?.compactMap { $0["fact"]?.stringValue } ?? []
            #expect(facts == ["pods"], "\(args): \(facts)")
        }
        let report = try Binary.run(["report", "-o", "json", "--kubeconfig", kc])
        #expect(report.status == 3)
        let input = try JSONValue.parse(report.stdout)["input"]
        #expect(input?["cluster"]?.stringValue?.contains(fx.server.url) == true)
        #expect(input?["unknown"]?.arrayValue?.first?.stringValue?.hasPrefix(podsUnknown) == true)
        let markdown = try Binary.run(["report", "-o", "md", "--kubeconfig", kc])
        #expect(markdown.stdout.contains("not read from the cluster (findings resting on it may be missing): pods: forbidden"))

        // RBAC answers do not depend on pods: complete, exit 0 or 1 as usual, no footer.
        let canI = try Binary.run(["can-i", "get", "secrets", "-n", "prod", "--as", "alice", "--kubeconfig", kc])
        #expect(canI.status == 0 && !canI.stdout.contains("not read"))

        // --no-secrets: nothing failed, but the secret views say what they do not know.
        fx.server.faults.forbidden = []
        let noSecrets = try Binary.run(["secrets", "-n", "prod", "--no-secrets", "--kubeconfig", kc])
        #expect(noSecrets.stdout.contains("secrets not read (--no-secrets)"))
        #expect(noSecrets.stdout.contains("secret names and types unknown, not absent"))
    }

    @Test("CRD names from discovery resolve as in kubectl")
    func crdNames() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let out = try Binary.run(["who-can", "list", "wdg", "-n", "prod", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(out.status == 0)
        #expect(!out.stderr.contains("not in the"), "\(out.stderr)")
    }

    @Test("snapshot, then -f on it: the same answers")
    func snapshotRoundTrip() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let kc = try fx.tokenKubeconfig()
        let file = "\(fx.dir)/snap.yaml"
        let snap = try Binary.run(["snapshot", "--kubeconfig", kc, "--output-file", file])
        #expect(snap.status == 0, "\(snap.stderr)")
        let json = try Binary.run(["snapshot", "-o", "json", "--kubeconfig", kc])
        #expect(json.stdout.hasPrefix("{"))
        for args in [["who-can", "get", "secrets", "-n", "prod"], ["can-i", "--list", "--as", "alice", "-n", "prod"],
                     ["secrets", "-n", "prod"], ["paths", "--from", "sa:prod/app", "--to", "cluster-admin"]] {
            let live = try Binary.run(args + ["--kubeconfig", kc, "-q"])
            // The fake serves no bootstrap policy (a real cluster does, labelled
            // kubernetes.io/bootstrapping, and -f then adds none): compare like with like.
            let files = try Binary.run(args + ["-f", file, "-q", "--no-builtin-policy"])
            // The same answers; only where each object came from differs (the server's list, or the file).
            func unsourced(_ s: String) -> String {
                s.replacingOccurrences(of: #"(https://127\.0\.0\.1:[0-9]+[^\s,)]*|[^\s,(]*snap\.yaml)(:[0-9]+)*"#, with: "SOURCE", options: .regularExpression)
            }
            #expect(unsourced(live.stdout) == unsourced(files.stdout), "\(args)")
            #expect(!live.stdout.isEmpty)
            #expect(live.status == files.status, "\(args)")
        }
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("aHVudGVyMg"))  // no value ever
        #expect(fx.server.violations.isEmpty)
    }

    @Test("-f and cluster flags never mix silently")
    func noMixing() throws {
        let out = try Binary.run(["who-can", "get", "pods", "-f", "samples/", "--context", "x"])
        #expect(out.status == 64)
        #expect(out.stderr.contains("not both"))
    }

    @Test("no kubeconfig and not in a pod: the error says to give -f or a kubeconfig")
    func nothingToRead() throws {
        let out = try Binary.run(["who-can", "get", "pods"], env: ["HOME": try Where.tempDir()])
        #expect(out.status == 1)
        #expect(out.stderr.contains("no kubeconfig found") && out.stderr.contains("-f PATH"))
    }
}

/// kubectl reads the same kubeconfig and lists the same objects from the fake server: the
/// fake speaks the API server's protocol.
@Suite("kubectl agrees with the fake API server",
       .enabled(if: Certs.available && TestCertificatesPath.kubectl != nil, "kubectl or openssl is not installed"))
struct KubectlAgreementTests {
    @Test("kubectl get -o name lists what rbacgraph read", arguments: [
        ("clusterroles", "ClusterRole"), ("rolebindings", "RoleBinding"), ("serviceaccounts", "ServiceAccount"),
        ("namespaces", "Namespace"), ("deployments", "Deployment"), ("pods", "Pod"), ("cronjobs", "CronJob"),
    ])
    func sameObjects(_ resource: String, _ kind: String) async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let kc = try fx.tokenKubeconfig()
        let cache = try Where.tempDir()
        let out = try Binary.run(["--kubeconfig", kc, "--cache-dir", cache, "get", resource, "-A", "-o", "name"], executable: TestCertificatesPath.kubectl!)
        #expect(out.status == 0, "\(out.stderr)")
        let read = try await fx.read(kubeconfig: kc)
        let names: [String]
        switch kind {
        case "ClusterRole": names = read.cluster.roles.filter { $0.kind == .clusterRole }.map(\.name)
        case "RoleBinding": names = read.cluster.bindings.filter { $0.kind == .roleBinding }.map(\.name)
        case "ServiceAccount": names = read.cluster.serviceAccounts.map(\.name)
        case "Namespace": names = read.cluster.namespaces.map(\.name)
        default: names = read.cluster.workloads.filter { $0.kind == kind }.map(\.name)
        }
        let kubectlNames = out.stdout.split(separator: "\n").map { String($0.split(separator: "/").last!) }
        #expect(kubectlNames.sorted() == names.sorted())
        #expect(!names.isEmpty)
        #expect(fx.server.received.contains { $0.userAgent.hasPrefix("kubectl") })
    }
}

enum TestCertificatesPath {
    static var kubectl: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
