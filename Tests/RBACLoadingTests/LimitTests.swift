// Hostile input: alias bombs, deep nesting, huge scalars. Each is refused with an error in
// bounded time and memory, and the documents around it still load.

import Foundation
import RBACCore
import RBACLoading
import Testing

@Suite("Loader: limits on hostile input", .timeLimit(.minutes(1)))
struct LimitTests {
    /// The classic billion laughs: 9 levels of 9 aliases each (9⁹ ≈ 387 million strings if
    /// expanded), as rule lists. The decoder reads strings where the bomb puts sequences, so it
    /// is refused without being expanded.
    @Test("billion laughs in rule lists: an error, quickly, and the next document loads")
    func billionLaughs() {
        var levels = [#"  - apiGroups: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        let fields = ["resources", "verbs", "resourceNames", "nonResourceURLs", "x1", "x2", "x3", "x4"]
        for (i, field) in fields.enumerated() {
            levels.append("    \(field): &l\(i + 1) [" + Array(repeating: "*l\(i)", count: 9).joined(separator: ",") + "]")
        }
        let text = serviceAccountYAML("before") + """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: bomb}
            rules:
            \(levels.joined(separator: "\n"))
            ---

            """ + serviceAccountYAML("after")
        let (result, elapsed) = timed { load(text, name: "lol.yaml") }
        #expect(elapsed < .seconds(5))
        #expect(result.hasErrors)
        #expect(result.errors.contains { $0.hasSuffix("error: rules[].resources[] must be a string, not a sequence") })
        #expect(result.roleNames.isEmpty)
        #expect(result.serviceAccountNames == ["default/before", "default/after"])
    }

    /// A bomb the decoder does follow: nine nested levels of pod templates (a mapping may
    /// repeat a key, and `template.spec` is read recursively), each aliasing the previous one
    /// nine times. The alias budget stops it.
    @Test("an alias bomb the decoder follows hits the alias budget")
    func expandingBomb() {
        var spec = "  template: &l0 {spec: {serviceAccountName: lol}}\n"
        for i in 1...9 {
            spec += "  template: &l\(i) {spec: {" + Array(repeating: "template: *l\(i - 1)", count: 9).joined(separator: ", ") + "}}\n"
        }
        let text = serviceAccountYAML("before") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nspec:\n" + spec
            + "---\n" + serviceAccountYAML("after")
        let (result, elapsed) = timed { load(text, name: "bomb.yaml") }
        #expect(elapsed < .seconds(10))
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix("bomb.yaml:") == true)
        #expect(result.errors.first?.hasSuffix("error: aliases expand to more than 1000000 events in one document (an alias bomb?)") == true)
        #expect(result.cluster.workloads.isEmpty)
        #expect(result.serviceAccountNames == ["default/before", "default/after"])

        // The budget is an option: a smaller one stops a smaller bomb.
        var options = ManifestLoader.Options()
        options.maxAliasEvents = 1000
        let small = load(serviceAccountYAML("x") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            + spec.split(separator: "\n").prefix(5).joined(separator: "\n") + "\n", options: options)
        #expect(small.errors.count == 1)
        #expect(small.errors.first?.contains("more than 1000 events") == true)
        #expect(small.serviceAccountNames == ["default/x"])
    }

    /// A bomb in a field rbacgraph skips is never expanded and costs nothing.
    @Test("a bomb in a skipped field is not expanded")
    func bombInSkippedField() {
        var lines = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...9 { lines.append("  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        let (result, elapsed) = timed {
            load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n" + lines.joined(separator: "\n") + "\n---\n" + serviceAccountYAML("ok"))
        }
        #expect(elapsed < .seconds(5))
        #expect(result.diagnostics.isEmpty)
        #expect(result.statistics.skippedKinds == ["ConfigMap": 1])
        #expect(result.serviceAccountNames == ["default/ok"])
    }

    /// 100,000 nested flow sequences: refused at the depth bound (256 by default), no stack
    /// overflow, and loading resumes at the next `---`.
    @Test("deep nesting is an error, not a crash")
    func deepNesting() {
        let text = serviceAccountYAML("one") + "---\n" + String(repeating: "[", count: 100_000) + "\n---\n" + serviceAccountYAML("three")
        let (result, elapsed) = timed { load(text, name: "deep.yaml") }
        #expect(elapsed < .seconds(10))
        #expect(result.errors == ["deep.yaml:6:257: error: nesting deeper than 256 levels"])
        #expect(result.serviceAccountNames == ["default/one", "default/three"])

        // Deep block mappings too, and the bound is an option.
        var options = ManifestLoader.Options()
        options.maxDepth = 8
        var nested = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
        for depth in 1...12 { nested += String(repeating: "  ", count: depth) + "k\(depth):\n" }
        nested += String(repeating: "  ", count: 13) + "leaf: x\n"
        let bounded = load(nested + "---\n" + serviceAccountYAML("ok"), name: "nested.yaml", options: options)
        #expect(bounded.errors.count == 1)
        #expect(bounded.errors.first?.hasSuffix("error: nesting deeper than 8 levels") == true)
        #expect(bounded.serviceAccountNames == ["default/ok"])
    }

    /// An 80 MB single scalar with `maxScalarBytes` at 1 MB: the parser is stopped once the
    /// token passes the bound instead of buffering it, and the next document loads.
    @Test("a huge scalar is an error")
    func hugeScalar() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("huge.yaml")
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            handle.write(Data((serviceAccountYAML("one") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: ").utf8))
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<80 { handle.write(chunk) }
            handle.write(Data(("\n---\n" + serviceAccountYAML("three")).utf8))
            try handle.close()

            var options = ManifestLoader.Options()
            options.maxScalarBytes = 1 << 20
            let (result, elapsed) = try timed { try ManifestLoader(options: options).load(paths: [file.path]) }
            #expect(elapsed < .seconds(30))
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.hasPrefix("\(file.path):10:") == true)
            #expect(result.errors.first?.hasSuffix("error: a single YAML token is larger than 1048576 bytes") == true)
            #expect(result.serviceAccountNames == ["default/one", "default/three"])
        }
    }

    @Test("a scalar under the bound loads")
    func largeButAllowedScalar() {
        var options = ManifestLoader.Options()
        options.maxScalarBytes = 1 << 20
        let name = String(repeating: "n", count: 200_000)
        let result = load(serviceAccountYAML(name), options: options)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.serviceAccounts.first?.name == name)
    }
}
