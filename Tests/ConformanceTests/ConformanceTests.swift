// The conformance suites (copied into Fixtures/, and ../shared/conformance when present), run
// in-process.
//
// Each case folder holds a world (`world.yaml` or `policy.json`), `queries.jsonl` and
// `expected.jsonl`, whose answers were produced by the Kubernetes RBAC authorizer itself. The
// comparison below is a line-for-line port of the suites' checker (`check.py`):
//   - `allowed`:  equal;
//   - `subjects`: a set of (kind, namespace, name), the namespace counting for ServiceAccounts only;
//   - `rules`:    a set of rules, a rule being its five lists (verbs, apiGroups, resources,
//                 resourceNames, nonResourceURLs), order inside a list kept, a missing list
//                 equal to an empty one.

import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

// MARK: - Where things are

enum Paths {
    /// `Tests/ConformanceTests/Fixtures`.
    static let fixtures = Repository.fixtures("ConformanceTests")
    /// `../shared/conformance/corpus`, when present.
    static let sharedConformanceCorpus = Repository.conformance.appendingPathComponent("corpus")
    /// `../shared/corpus`, when present.
    static let sharedCorpus = Repository.corpus

    static func isDirectory(_ url: URL) -> Bool { Repository.isDirectory(url) }

    /// The case folders (those holding an `expected.jsonl`) directly under `suite`, sorted.
    static func caseFolders(in suite: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: suite.appendingPathComponent($0).appendingPathComponent("expected.jsonl").path)
        }.sorted()
    }
}

/// The bundled suites, as `suite/case` paths relative to `Fixtures/`: the arguments of the
/// parameterized test, so a failure names its case.
let bundledCases: [String] = ["kubernetes-tests", "random", "create-binding"].flatMap { suite in
    Paths.caseFolders(in: Paths.fixtures.appendingPathComponent(suite)).map { "\(suite)/\($0)" }
}

// MARK: - check.py, in Swift

/// The outcome of running one case.
struct CaseReport {
    var checked = 0
    var failures: [String] = []
    var loadErrors: [String] = []
}

enum ConformanceCheck {
    static let ruleKeys = ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"]

    /// `load()` of check.py: the JSON objects of a JSON-lines text, by `json.dumps(id)`.
    static func linesByID(_ text: String) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true)
        where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            let value = try JSONValue.parse(String(line))
            out[(value["id"] ?? .null).serialized()] = value
        }
        return out
    }

    /// Python truthiness of `x or default`, for the values that occur here.
    static func orDefault(_ v: JSONValue?, _ d: JSONValue) -> JSONValue {
        switch v {
        case nil, .null?, .bool(false)?: return d
        case .string(let s)? where s.isEmpty: return d
        case .array(let a)? where a.isEmpty: return d
        case .object(let o)? where o.isEmpty: return d
        case .number(let n)? where n == 0: return d
        default: return v!
        }
    }

    /// `skey` of check.py.
    static func subjectKey(_ s: JSONValue) -> String {
        let kind = s["kind"] ?? .null
        let ns = kind == .string("ServiceAccount") ? orDefault(s["namespace"], .string("")) : .string("")
        return JSONValue.array([kind, ns, s["name"] ?? .null]).serialized()
    }

    /// `rkey` of check.py.
    static func ruleKey(_ r: JSONValue) -> String {
        JSONValue.array(ruleKeys.map { orDefault(r[$0], .array([])) }).serialized()
    }

    /// `diff` of check.py: nil when the answer is right, else what is wrong.
    static func diff(expected e: JSONValue, actual a: JSONValue?) -> String? {
        guard let a else { return "no answer" }
        if let want = e["allowed"] {
            return a["allowed"] == want ? nil : "allowed: expected \(want.serialized()), got \(a["allowed"]?.serialized() ?? "nothing")"
        }
        if let want = e["subjects"] {
            let w = Set((want.arrayValue ?? []).map(subjectKey))
            let g = Set((orDefault(a["subjects"], .array([])).arrayValue ?? []).map(subjectKey))
            return w == g ? nil : "subjects: missing \(w.subtracting(g).sorted()), unexpected \(g.subtracting(w).sorted())"
        }
        if let want = e["rules"] {
            let w = Set((want.arrayValue ?? []).map(ruleKey))
            let g = Set((orDefault(a["rules"], .array([])).arrayValue ?? []).map(ruleKey))
            return w == g ? nil : "rules: missing \(w.subtracting(g).sorted()), unexpected \(g.subtracting(w).sorted())"
        }
        return "expected answer of unknown shape"
    }

    /// The world of a case folder, loaded exactly as the authorizer saw it.
    static func loadWorld(_ folder: URL) throws -> ManifestLoader.Result {
        let fm = FileManager.default
        guard let world = ["world.yaml", "policy.json"].map({ folder.appendingPathComponent($0) })
            .first(where: { fm.fileExists(atPath: $0.path) })
        else { throw CocoaError(.fileNoSuchFile) }
        // Exactly: no built-in policy added (as `rbacgraph eval --no-builtin-policy`).
        var options = ManifestLoader.Options()
        options.builtinPolicy = nil
        return try ManifestLoader(options: options).load(paths: [world.path])
    }

    /// Loads the world of `folder`, answers every query and compares with the expected answers.
    static func run(folder: URL) throws -> CaseReport {
        var report = CaseReport()
        let fm = FileManager.default
        guard ["world.yaml", "policy.json"].contains(where: { fm.fileExists(atPath: folder.appendingPathComponent($0).path) }) else {
            report.failures.append("no world.yaml or policy.json")
            return report
        }
        let loaded = try loadWorld(folder)
        report.loadErrors = loaded.diagnostics.filter { $0.severity == .error }.map(\.description)
        let evaluator = QueryEvaluator(graph: AccessGraph(loaded.cluster), decodeObject: ManifestLoader.decodeObject)

        let queries = try String(contentsOf: folder.appendingPathComponent("queries.jsonl"), encoding: .utf8)
        var answers: [String: JSONValue] = [:]
        for line in queries.split(separator: "\n", omittingEmptySubsequences: true)
        where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            let answer = try JSONValue.parse(evaluator.answer(line: String(line)))
            answers[(answer["id"] ?? .null).serialized()] = answer
        }

        let expectedText = try String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8)
        let expected = try linesByID(expectedText)
        for (id, e) in expected.sorted(by: { $0.key < $1.key }) {
            report.checked += 1
            if let problem = diff(expected: e, actual: answers[id]) {
                report.failures.append("id \(id): \(problem)")
            }
        }
        return report
    }
}

// MARK: - The bundled suites

@Suite("Conformance with the Kubernetes RBAC authorizer")
struct ConformanceTests {
    /// Every case of `kubernetes-tests` (Kubernetes' own unit-test tables and corner-case probes)
    /// and `random` (100 random worlds aimed at corner cases) answers exactly as Kubernetes does.
    @Test("bundled case answers as Kubernetes", arguments: bundledCases)
    func bundledCase(_ name: String) throws {
        let report = try ConformanceCheck.run(folder: Paths.fixtures.appendingPathComponent(name))
        #expect(report.loadErrors.isEmpty, "load errors: \(report.loadErrors)")
        #expect(report.checked > 0, "no expected answers in \(name)")
        #expect(report.failures.isEmpty, "\(report.failures.count) of \(report.checked) failed, first: \(report.failures.prefix(5))")
    }

    /// The suites are found and are not empty: without this, a missing Fixtures folder would
    /// make the parameterized test above pass with zero cases. Runs every case again through
    /// the same code path and counts the answers compared.
    @Test("the bundled suites check more than 22,000 queries")
    func bundledSuitesAreNotVacuous() throws {
        #expect(bundledCases.filter { $0.hasPrefix("kubernetes-tests/") }.count == 34)
        #expect(bundledCases.filter { $0.hasPrefix("random/") }.count == 100)
        #expect(bundledCases.filter { $0.hasPrefix("create-binding/") }.count == 40)
        var checked = 0
        for name in bundledCases {
            checked += try ConformanceCheck.run(folder: Paths.fixtures.appendingPathComponent(name)).checked
        }
        #expect(checked > 22_000)
    }

    /// The comparison itself is check.py's: a wrong answer must be caught, or the suites above
    /// prove nothing.
    @Test("the comparison catches wrong answers and ignores what check.py ignores")
    func comparisonIsStrict() throws {
        func d(_ e: String, _ a: String?) throws -> String? {
            try ConformanceCheck.diff(expected: JSONValue.parse(e), actual: a.map { try JSONValue.parse($0) })
        }
        // allowed: equal, extra fields ignored.
        #expect(try d(#"{"id":1,"allowed":true}"#, #"{"id":1,"allowed":true,"reason":"x"}"#) == nil)
        #expect(try d(#"{"id":1,"allowed":true}"#, #"{"id":1,"allowed":false}"#) != nil)
        #expect(try d(#"{"id":1,"allowed":false}"#, #"{"id":1,"error":"boom"}"#) != nil)
        #expect(try d(#"{"id":1,"allowed":false}"#, nil) == "no answer")
        // subjects: a set; namespace only counts for ServiceAccounts; missing == "".
        #expect(try d(
            #"{"subjects":[{"kind":"User","name":"a"},{"kind":"ServiceAccount","name":"s","namespace":"n"}]}"#,
            #"{"subjects":[{"kind":"ServiceAccount","name":"s","namespace":"n"},{"kind":"User","name":"a","namespace":"x"},{"kind":"User","name":"a"}]}"#
        ) == nil)
        #expect(try d(#"{"subjects":[{"kind":"ServiceAccount","name":"s","namespace":"n"}]}"#,
                      #"{"subjects":[{"kind":"ServiceAccount","name":"s","namespace":"m"}]}"#) != nil)
        #expect(try d(#"{"subjects":[{"kind":"ServiceAccount","name":"s"}]}"#,
                      #"{"subjects":[{"kind":"ServiceAccount","name":"s","namespace":""}]}"#) == nil)
        #expect(try d(#"{"subjects":[]}"#, #"{"subjects":[{"kind":"Group","name":"g"}]}"#) != nil)
        // rules: a set of rules; order inside a list kept; missing list == empty list.
        #expect(try d(#"{"rules":[{"verbs":["get"],"resources":["pods"]},{"verbs":["list"]}]}"#,
                      #"{"rules":[{"verbs":["list"],"apiGroups":[]},{"verbs":["get"],"resources":["pods"],"resourceNames":null}]}"#) == nil)
        #expect(try d(#"{"rules":[{"verbs":["get","list"]}]}"#, #"{"rules":[{"verbs":["list","get"]}]}"#) != nil)
        #expect(try d(#"{"rules":[{"verbs":["get"]}]}"#, #"{"rules":[]}"#) != nil)
        #expect(try d(#"{"something":1}"#, #"{"something":1}"#) == "expected answer of unknown shape")
    }
}

// MARK: - The shared corpus suite

/// `conformance/corpus`: one world per project of the real-manifest corpus, with queries aimed
/// at their rules. Outside this repository; skipped when absent.
@Suite("Conformance on the real-manifest corpus (../shared)")
struct SharedCorpusConformanceTests {
    static let cases = Paths.caseFolders(in: Paths.sharedConformanceCorpus)

    @Test(
        "every corpus world answers as Kubernetes",
        .enabled(if: Paths.isDirectory(Paths.sharedConformanceCorpus), "../shared/conformance/corpus is absent"))
    func corpusSuite() throws {
        #expect(!Self.cases.isEmpty)
        var checked = 0
        for name in Self.cases {
            let report = try ConformanceCheck.run(folder: Paths.sharedConformanceCorpus.appendingPathComponent(name))
            checked += report.checked
            #expect(report.loadErrors.isEmpty, "\(name): load errors: \(report.loadErrors)")
            #expect(report.checked > 0, "\(name): no expected answers")
            #expect(report.failures.isEmpty, "\(name): \(report.failures.count) of \(report.checked) failed, first: \(report.failures.prefix(5))")
        }
        #expect(checked > 0)
    }
}

// MARK: - Loading the whole corpus

/// Every manifest of `../shared/corpus` (real projects' RBAC and workload manifests) loads
/// without crashing and in bounded time. The totals pin the loader's behaviour on the corpus.
@Suite("Loading the real-manifest corpus (../shared/corpus)")
struct CorpusLoadTests {
    static func manifestFiles() -> [URL] {
        guard let e = FileManager.default.enumerator(at: Paths.sharedCorpus, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e where ["yaml", "yml", "json"].contains(url.pathExtension.lowercased()) {
            out.append(url)
        }
        return out.sorted { $0.path < $1.path }
    }

    @Test(
        "every corpus file loads, in bounded time, with the pinned totals",
        .enabled(if: Paths.isDirectory(Paths.sharedCorpus), "../shared/corpus is absent"),
        .timeLimit(.minutes(2)))
    func corpusLoads() throws {
        let files = Self.manifestFiles()
        var loaded: [String: Int] = [:]
        var errors = 0
        var filesWithErrors: [String] = []
        var filesNotManifests: [String] = []
        let clock = ContinuousClock()
        let total = clock.measure {
            for file in files {
                let elapsed = clock.measure {
                    // Never strict, so load(paths:) cannot throw here.
                    guard let result = try? ManifestLoader().load(paths: [file.path]) else {
                        Issue.record("\(file.path): the load threw")
                        return
                    }
                    #expect(result.statistics.files == 1, "\(file.path)")
                    loaded.merge(result.statistics.loadedKinds, uniquingKeysWith: +)
                    let fileErrors = result.diagnostics.filter { $0.severity == .error }.count
                    errors += fileErrors
                    if fileErrors > 0 { filesWithErrors.append(String(file.path.dropFirst(Paths.sharedCorpus.path.count + 1))) }
                    if result.statistics.skippedDocuments > 0 {
                        filesNotManifests.append(String(file.path.dropFirst(Paths.sharedCorpus.path.count + 1)))
                    }
                }
                #expect(elapsed < .seconds(10), "\(file.path) took \(elapsed)")
            }
        }
        #expect(total < .seconds(60), "the corpus took \(total)")

        // These numbers pin the loader's behaviour on the corpus as of this commit. When the
        // loader or the corpus changes and they move, re-check the new numbers by hand (which
        // objects appeared or disappeared, which errors are new) before updating them.
        #expect(files.count == PinnedCorpus.files)
        #expect(loaded == PinnedCorpus.loadedKinds)
        #expect(errors == PinnedCorpus.errors)
        #expect(filesWithErrors == PinnedCorpus.filesWithErrors)
        #expect(filesNotManifests == PinnedCorpus.filesNotManifests)
    }
}

/// The loader's output on `../shared/corpus`, computed once and checked by hand. They pin the
/// loader's behaviour on the corpus: when a change moves them, re-check by hand what was
/// gained or lost before updating them.
enum PinnedCorpus {
    /// `*.yaml`, `*.yml` and `*.json` files, recursively.
    static let files = 468
    /// Objects loaded, by kind, summed over the files.
    static let loadedKinds: [String: Int] = [
        "ClusterRole": 516, "ClusterRoleBinding": 318, "Role": 167, "RoleBinding": 205,
        "ServiceAccount": 136, "Namespace": 40, "Secret": 23,
        "Deployment": 76, "Pod": 48, "Job": 6, "DaemonSet": 4, "StatefulSet": 4,
        // Every CustomResourceDefinition document of the corpus (96 by grep), each complete.
        "CustomResourceDefinition": 96,
    ]
    /// Error diagnostics, summed over the files.
    static let errors = 0
    static let filesWithErrors: [String] = []
    /// Files whose documents are no Kubernetes objects (no kind, no name): skipped with a note.
    static let filesNotManifests = [
        "sources.json",
        "vulnerable/checkov/graph/ImpersonatePermissions/expected.yaml",
        "vulnerable/checkov/graph/ModifyServicesStatus/expected.yaml",
        "vulnerable/checkov/graph/NoCreateNodesProxyOrPodsExec/expected.yaml",
        "vulnerable/checkov/graph/ReadAllSecrets/expected.yaml",
        "vulnerable/checkov/graph/RoleBindingPE/expected.yaml",
    ]
}
