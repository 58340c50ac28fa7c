import Foundation
import Testing
import TestSupport

/// `rbacgraph diff` through the real binary on examples/diff (a label aggregating into `edit`,
/// a new binding, a deleted role): every format, the CI gates and their exit codes.
@Suite("diff on examples/diff")
struct DiffCLITests {
    static let sides = ["--base", "examples/diff/base", "--head", "examples/diff/head"]

    @Test("golden output", arguments: [("table", "diff.txt"), ("md", "diff.md"), ("json", "diff.json"), ("sarif", "diff.sarif")])
    func golden(_ c: (format: String, golden: String)) throws {
        let r = try CLI.run(["diff"] + Self.sides + ["-o", c.format, "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        try expectGolden(r.stdout.replacingOccurrences(of: CLI.packageRoot.path + "/", with: ""), c.golden, in: CLI.golden)
    }

    @Test("identical sides: no access changes, exit 0 even with every gate")
    func identical() throws {
        let r = try CLI.run(["diff", "--base", "examples/diff/head", "--head", "examples/diff/head", "--fail-on", "gain", "--fail-on", "sensitive", "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "No access changes.\n")
    }

    @Test("-n: changes whose effects all lie outside the namespace are counted as such, never as without effect")
    func namespaceRestriction() throws {
        let r = try CLI.run(["diff"] + Self.sides + ["-n", "ci", "-q"])
        #expect(r.stdout.hasPrefix(
            "No access changes in namespace ci or cluster-wide. 5 object changes, 1 with an access effect, 4 with access effects only outside namespace ci."))
        #expect(!r.stdout.contains("Object changes with no access effect"))
        let json = try CLI.run(["diff"] + Self.sides + ["-n", "ci", "-o", "json", "-q"]).stdout
        #expect(json.contains("\"accessEffect\": true"))
        #expect(!json.contains("\"accessEffect\": false"))
    }

    @Test("the same objects in a file of another name: no access change, counted in one line")
    func renamedFile() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-diff-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("examples/diff/base/rbac.yaml"), to: copy)
        let r = try CLI.run(["diff", "--base", "examples/diff/base", "--head", copy.path, "--fail-on", "gain", "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "No access changes. 4 objects only in a file of another name.\n\nObject changes with no access effect (4): 4 objects only in a file of another name\n")
    }

    @Test(
        "--fail-on: exit 2 when the gate is hit, 0 when not",
        arguments: [
            (["gain"], false, 2), (["sensitive"], false, 2),
            // Reversed, the change only gives carol back pods she could read: a gain, not a sensitive one.
            (["gain"], true, 2), (["sensitive"], true, 0),
            // A high finding (sa:ci/deployer reads every secret of shop) is introduced.
            (["high"], false, 2), (["critical"], false, 0),
            // shop's Pod Security label relaxed opens group:devs a path to cluster-admin; reversed, it closes it.
            (["path"], false, 2), (["path", "critical"], false, 2), (["path"], true, 0),
        ] as [([String], Bool, Int32)])
    func gates(_ gates: [String], reversed: Bool, status: Int32) throws {
        let sides = reversed ? ["--base", "examples/diff/head", "--head", "examples/diff/base"] : Self.sides
        let r = try CLI.run(["diff"] + sides + gates.flatMap { ["--fail-on", $0] } + ["-q"])
        #expect(r.status == status, "stderr: \(r.stderr)")
    }

    @Test("the loading flags apply to both sides: --kubernetes-version picks the built-in policy of each")
    func kubernetesVersion() throws {
        let pinned = try CLI.run(["diff"] + Self.sides + ["--kubernetes-version", "v1.24.0-alpha.1", "-q"])
        #expect(pinned.status == 0, "stderr: \(pinned.stderr)")
        #expect(pinned.stdout.hasPrefix("2 identities gain access (1 sensitive), 1 identity loses access"))
    }

    @Test("a side that fails to load: exit 3, the diff of what loaded still written")
    func loadFailure() throws {
        let r = try CLI.run(["diff", "--base", "examples/diff/base", "--head", "examples/diff/head", "DiffCLITests-missing.yaml", "--fail-on", "gain"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("DiffCLITests-missing.yaml"))
        #expect(r.stdout.hasPrefix("2 identities gain access"))
    }

    @Test(
        "usage errors",
        arguments: [
            (["diff", "--base", "examples/diff/base"], "Give both --base"),
            (["diff", "--base", "a", "--head", "b", "-f", "c"], "not -f"),
            (["diff", "--base", "a", "--head", "b", "--fail-on", "severe"], "--fail-on takes gain, sensitive, path, info"),
            (["diff", "--base", "a", "--head", "b", "-o", "html"], "allowed formats are: table,md,json,sarif"),
        ] as [([String], String)])
    func usage(_ args: [String], message: String) throws {
        let r = try CLI.run(args)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    }
}
