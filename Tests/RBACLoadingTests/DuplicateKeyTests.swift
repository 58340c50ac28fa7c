// Duplicate mapping keys (issue 9, wrong answer 7): kubectl refuses a document with a key
// defined twice in one mapping (`line 9: mapping key "subjects" already defined at line 5`), so
// such an object never exists in a cluster; a lenient reader would keep the last value and hide
// the first from a reviewer. Every one is an error with both lines; the object holding the
// mapping is not loaded; the rest loads.

import RBACCore
import RBACLoading
import Testing

@Suite("Loader: duplicate mapping keys")
struct DuplicateKeyTests {
    /// `subjects:` twice: the first grant would be hidden by a lenient reader.
    @Test("subjects twice is an error with both lines; the binding is not loaded")
    func subjectsTwice() {
        let text = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployers, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
            subjects:
            - {kind: ServiceAccount, name: ci, namespace: prod}
            subjects:
            - {kind: User, name: alice}
            ---

            """ + serviceAccountYAML("after")
        let result = load(text, name: "dup.yaml")
        #expect(result.errors == [
            "dup.yaml:7:1: error: mapping key \"subjects\" already defined at line 5",
            "dup.yaml:1:1: error: RoleBinding \"deployers\" not loaded: it has invalid fields (reported above)",
        ])
        #expect(result.bindingNames.isEmpty)
        #expect(result.serviceAccountNames == ["default/after"])
    }

    /// Two files concatenated without `---`: every key of the second is a duplicate.
    @Test("two objects concatenated without --- are one document with duplicate keys")
    func concatenatedWithoutSeparator() {
        let text = serviceAccountYAML("one") + serviceAccountYAML("two")
        let result = load(text, name: "cat.yaml")
        #expect(result.errors == [
            "cat.yaml:5:1: error: mapping key \"apiVersion\" already defined at line 1",
            "cat.yaml:6:1: error: mapping key \"kind\" already defined at line 2",
            "cat.yaml:7:1: error: mapping key \"metadata\" already defined at line 3",
            "cat.yaml:1:1: error: ServiceAccount \"two\" not loaded: it has invalid fields (reported above)",
        ])
        #expect(result.serviceAccountNames.isEmpty)
    }

    /// Duplicates are found in the fields rbacgraph skips too (managedFields, status, a Secret's
    /// data), since kubectl refuses the whole document; values are never read.
    @Test(
        "a duplicate anywhere in the object rejects it",
        arguments: [
            ("metadata:\n  name: x\n  labels: {a: b, a: c}\n", "mapping key \"a\" already defined at line 3", 3, 18),
            ("metadata:\n  name: x\n  managedFields:\n  - manager: m\n    manager: n\n", "mapping key \"manager\" already defined at line 4", 5, 5),
            ("metadata: {name: x}\nstatus:\n  phase: A\n  phase: B\n", "mapping key \"phase\" already defined at line 3", 4, 3),
            ("metadata: {name: x}\nrules:\n- verbs: [get]\n  resources: [pods]\n  verbs: ['*']\n", "mapping key \"verbs\" already defined at line 3", 5, 3),
            ("metadata: {name: x}\nrules:\n- {verbs: [get], \"verbs\": [list]}\n", "mapping key \"verbs\" already defined at line 3", 3, 18),
        ])
    func anywhere(fields: String, message: String, line: Int, column: Int) {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n" + fields
        let result = load(text, name: "d.yaml")
        // Positions are relative to `fields`, after the two header lines.
        #expect(result.errors.first == "d.yaml:\(line + 2):\(column): error: " + message.replacingLine(by: 2))
        #expect(result.roleNames.isEmpty)
    }

    @Test("a Secret's duplicate data key is reported by name, never by value")
    func secretData() {
        let text = """
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: prod}
            data:
              password: c2VjcmV0LW9uZQ==
              password: c2VjcmV0LXR3bw==

            """
        let result = load(text, name: "s.yaml")
        #expect(result.errors.first == "s.yaml:6:3: error: mapping key \"password\" already defined at line 5")
        #expect(!result.diagnostics.contains { $0.message.contains("c2Vj") })
        #expect(result.cluster.secrets.isEmpty)
    }

    /// Not duplicates: the same key in different mappings, in sibling items, in different
    /// documents; a plain `1` and a quoted `"1"` (a number and a string); keys merged in with
    /// `<<` that the mapping overrides.
    @Test(
        "keys that are not duplicates",
        arguments: [
            "metadata: {name: x, labels: {name: y}}\n",
            "metadata: {name: x}\nrules:\n- {verbs: [get], resources: [pods]}\n- {verbs: [get], resources: [pods]}\n",
            "metadata: {name: x, labels: {1: a, \"1\": b, true: c, \"true\": d}}\n",
            "metadata: {name: x}\nbase: &b {verbs: [get], resources: [pods]}\nrules:\n- <<: *b\n  verbs: [list]\n",
        ])
    func notDuplicates(fields: String) {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n" + fields + "---\n" + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n" + fields
        let result = load(text, name: "ok.yaml")
        #expect(result.errors == [])
        #expect(result.roleNames.count == 2)
    }

    /// In a List, the item with the duplicate is dropped; the other items load.
    @Test("a duplicate in one item of a List drops that item only")
    func listItem() {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: one}
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: two}
              kind: ServiceAccount
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: three}

            """
        let result = load(text, name: "list.yaml")
        #expect(result.errors == [
            "list.yaml:10:3: error: mapping key \"kind\" already defined at line 8",
            "list.yaml:7:3: error: ServiceAccount \"two\" not loaded: it has invalid fields (reported above)",
        ])
        #expect(result.serviceAccountNames == ["default/one", "default/three"])
    }

    /// A mapping with many keys (past the linear search) finds its duplicate as well.
    @Test("a duplicate among hundreds of keys")
    func manyKeys() {
        var labels = (0..<300).map { "    k\($0): v" }
        labels.append("    k17: again")
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n  labels:\n" + labels.joined(separator: "\n") + "\n"
        let result = load(text, name: "big.yaml")
        #expect(result.errors.first == "big.yaml:306:5: error: mapping key \"k17\" already defined at line 23")
        #expect(result.cluster.namespaces.isEmpty)
    }
}

private extension String {
    /// Shifts the `line N` of a message by the header lines the test adds.
    func replacingLine(by offset: Int) -> String {
        guard let r = range(of: "at line ") else { return self }
        let n = Int(self[r.upperBound...])!
        return String(self[..<r.upperBound]) + String(n + offset)
    }
}
