import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import RBACLoading
import Testing

/// Every conformance world served by the fake API server and read live answers every query as
/// the Kubernetes authorizer did — exactly as the same world loaded with `-f`.
@Suite("Conformance through a live read", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveConformanceTests {
    /// check.py's comparison keys: `allowed`; subjects as a set of (kind, namespace for
    /// ServiceAccounts, name); rules as a set of their five lists (missing == empty).
    static func normalized(_ v: JSONValue) -> String {
        func list(_ x: JSONValue?) -> JSONValue { x.flatMap { $0 == .null ? nil : $0 } ?? .array([]) }
        if let allowed = v["allowed"] { return "allowed:\(allowed.serialized())" }
        if let subjects = v["subjects"] {
            let keys = (subjects.arrayValue ?? []).map { s -> String in
                let kind = s["kind"]?.stringValue ?? ""
                let ns = kind == "ServiceAccount" ? (s["namespace"]?.stringValue ?? "") : ""
                return "\(kind)|\(ns)|\(s["name"]?.stringValue ?? "")"
            }
            return "subjects:\(Set(keys).sorted())"
        }
        if let rules = v["rules"] {
            let keys = (rules.arrayValue ?? []).map { r in
                JSONValue.array(["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"].map { list(r[$0]) }).serialized()
            }
            return "rules:\(Set(keys).sorted())"
        }
        return v.serialized()
    }

    static func worlds(in suite: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []
        return names.sorted().map { suite.appendingPathComponent($0) }.filter { Where.exists($0.appendingPathComponent("expected.jsonl")) }
    }

    struct Outcome {
        var checked = 0
        var failures: [String] = []
    }

    /// Serves each world, reads it, answers its queries; compares with expected.jsonl and -f.
    static func run(_ folders: [URL]) async throws -> Outcome {
        var out = Outcome()
        let fx = try LiveFixture(world: FakeWorld())
        let kubeconfig = try fx.tokenKubeconfig()
        for folder in folders {
            guard let world = ["world.yaml", "policy.json"].map({ folder.appendingPathComponent($0) }).first(where: Where.exists) else {
                out.failures.append("\(folder.lastPathComponent): no world")
                continue
            }
            fx.server.world = try FakeWorld.load(files: [world.path])
            let read = try await fx.read(kubeconfig: kubeconfig)
            if !read.gaps.isEmpty { out.failures.append("\(folder.lastPathComponent): gaps \(read.gaps)") }
            let live = QueryEvaluator(graph: AccessGraph(read.cluster))
            let files = QueryEvaluator(graph: AccessGraph(try ManifestLoader().load(paths: [world.path]).cluster))
            var expected: [String: JSONValue] = [:]
            for line in try String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8).split(separator: "\n")
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let v = try JSONValue.parse(String(line))
                expected[(v["id"] ?? .null).serialized()] = v
            }
            for line in try String(contentsOf: folder.appendingPathComponent("queries.jsonl"), encoding: .utf8).split(separator: "\n")
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let a = try JSONValue.parse(live.answer(line: String(line)))
                let f = try JSONValue.parse(files.answer(line: String(line)))
                let id = (a["id"] ?? .null).serialized()
                guard let e = expected[id] else { continue }
                out.checked += 1
                let (na, nf, ne) = (normalized(a), normalized(f), normalized(e))
                if na != ne || na != nf {
                    out.failures.append("\(folder.lastPathComponent) id \(id): live \(na), -f \(nf), expected \(ne)")
                }
            }
        }
        #expect(fx.server.violations.isEmpty)
        return out
    }

    @Test("the bundled suites (kubernetes-tests, random): every answer as Kubernetes and as -f")
    func bundled() async throws {
        let folders = ["kubernetes-tests", "random"].flatMap { Self.worlds(in: Where.conformanceFixtures.appendingPathComponent($0)) }
        #expect(folders.count == 134)
        let outcome = try await Self.run(folders)
        #expect(outcome.checked > 20_000)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.count) of \(outcome.checked): \(outcome.failures.prefix(5))")
    }

    @Test(
        "the shared corpus suite (../shared/conformance/corpus): every answer as Kubernetes and as -f",
        .enabled(if: Where.exists(Where.sharedConformance), "../shared/conformance is absent"))
    func shared() async throws {
        // Its kubernetes-tests and random suites are the bundled copies above.
        let folders = Self.worlds(in: Where.sharedConformance.appendingPathComponent("corpus"))
        #expect(!folders.isEmpty)
        let outcome = try await Self.run(folders)
        #expect(outcome.checked > 0)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.count) of \(outcome.checked): \(outcome.failures.prefix(5))")
    }
}
