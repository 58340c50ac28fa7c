// Bad input: every class of problem becomes a diagnostic at the right place, only the
// object (or document) concerned is dropped, and loading goes on (docs/loading.md, "Bad input").

import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

@Suite("Loader: bad input")
struct BadInputTests {
    /// A YAML syntax error drops its document only; loading resumes at the next `---`, and the
    /// error points at the offending character (`file:line:col`, 1-based).
    @Test("a syntax error in document 2 of 3 is located and the others load")
    func syntaxErrorInMiddleDocument() {
        let text = serviceAccountYAML("one") + """
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: two: bad
            ---

            """ + serviceAccountYAML("three")
        let result = load(text, name: "syntax.yaml")
        // Line 9 is `  name: two: bad`; column 12 is its second `:`.
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[8] == "  name: two: bad")
        #expect(result.errors == ["syntax.yaml:9:12: error: mapping values are not allowed in this context"])
        #expect(result.serviceAccountNames == ["default/one", "default/three"])
        #expect(result.hasErrors)
        #expect(result.statistics.errors == 1)
    }

    /// Found by `make fuzz` (Fuzz/corpus/manifests/serviceaccount-secret-null-name-loop.yaml):
    /// a null `name` was consumed and then the next key skipped as its value, so the item's
    /// keys and values swapped places and the decoder ran past the stream's end, reporting the
    /// same error forever and growing without bound.
    @Test("a ServiceAccount secret with a null name: the next keys are still read as keys, and nothing loops")
    func serviceAccountSecretNullName() {
        let text = """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: ci, namespace: prod}
            secrets:
            - name:
              name: ci-token
              namespace: prod
            - {name: other, kind: Secret}
            automountServiceAccountToken: false
            ---

            """ + serviceAccountYAML("next")
        let result = load(text, name: "sa.yaml")
        #expect(result.errors == [
            "sa.yaml:6:3: error: mapping key \"name\" already defined at line 5",
            "sa.yaml:1:1: error: ServiceAccount \"ci\" not loaded: it has invalid fields (reported above)",
        ])
        #expect(result.serviceAccountNames == ["default/next"])
        let loop = load(String(decoding: FileManager.default.contents(atPath: Repository.root.appendingPathComponent(
            "Fuzz/corpus/manifests/serviceaccount-secret-null-name-loop.yaml").path) ?? Data(), as: UTF8.self))
        #expect(loop.errors.count < 20)
    }

    @Test("a syntax error in a flow sequence names the construct")
    func flowSyntaxError() {
        let text = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: broken}
            rules:
            - verbs: [get, list
              resources: [pods]
            ---

            """ + serviceAccountYAML("after")
        let result = load(text, name: "flow.yaml")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix("flow.yaml:6:") == true)
        #expect(result.errors.first?.contains("(while parsing a flow sequence at line 5, column 10)") == true)
        #expect(result.roleNames.isEmpty)
        #expect(result.serviceAccountNames == ["default/after"])
    }

    /// A document must be a mapping: a sequence or a scalar at top level is an error, and the
    /// next documents still load.
    @Test(
        "a document that is not a mapping is an error",
        arguments: [
            ("- a\n- b\n", "test.yaml:1:1: error: expected a Kubernetes object (a mapping), found a sequence"),
            ("just a scalar\n", "test.yaml:1:1: error: expected a Kubernetes object (a mapping), found a scalar"),
            ("[1, 2, 3]\n", "test.yaml:1:1: error: expected a Kubernetes object (a mapping), found a sequence"),
        ])
    func notAMapping(document: String, error: String) {
        let result = load(document + "---\n" + serviceAccountYAML("ok"))
        #expect(result.errors == [error])
        #expect(result.serviceAccountNames == ["default/ok"])
    }

    /// A field of the wrong shape rejects its object, with the field named; the rest loads.
    @Test(
        "a field of the wrong shape rejects the object and names the field",
        arguments: [
            ("rules: \"get\"", "rules must be a sequence, not a scalar"),
            ("rules:\n- verbs: get\n  resources: [pods]", "rules[].verbs must be a sequence, not a scalar"),
            ("rules:\n- verbs: [get]\n  resources: {pods: true}", "rules[].resources must be a sequence, not a mapping"),
            ("rules:\n- verbs: [[get]]", "rules[].verbs[] must be a string, not a sequence"),
            ("rules: [get]", "rules[] must be a mapping, not a scalar"),
            ("metadata: {name: bad, labels: [a, b]}", "metadata.labels must be a mapping, not a sequence"),
            ("aggregationRule: {clusterRoleSelectors: {matchLabels: {a: b}}}", "aggregationRule.clusterRoleSelectors must be a sequence, not a mapping"),
        ])
    func wrongShape(field: String, message: String) {
        let text = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: bad}
            \(field)
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: good}
            rules: [{verbs: [get], apiGroups: [""], resources: [pods]}]

            """
        let result = load(text, name: "shape.yaml")
        #expect(result.errors.contains { $0.hasPrefix("shape.yaml:") && $0.hasSuffix("error: " + message) }, "\(result.errors)")
        #expect(result.errors.contains(#"shape.yaml:1:1: error: ClusterRole "bad" not loaded: it has invalid fields (reported above)"#))
        #expect(result.roleNames == ["ClusterRole/good"])
        #expect(result.cluster.roles.first?.rules == [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"])])
    }

    /// Required fields: a name for every object, a roleRef (with kind and name) for bindings,
    /// kind and name for subjects, a kind for everything.
    @Test(
        "missing required fields reject the object",
        arguments: [
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {namespace: x}\nrules: []\n",
             "test.yaml:1:1: error: Role has no metadata.name"),
            ("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: \"\"}\n",
             "test.yaml:1:1: error: ServiceAccount has no metadata.name"),
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nsubjects: [{kind: User, name: a}]\n",
             #"test.yaml:1:1: error: RoleBinding "rb" has no roleRef"#),
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {kind: ClusterRole}\n",
             #"test.yaml:1:1: error: ClusterRoleBinding "crb": roleRef needs kind and name"#),
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {name: r}\n",
             #"test.yaml:1:1: error: RoleBinding "rb": roleRef needs kind and name"#),
            ("metadata: {name: nokind}\n", "test.yaml:1:1: error: missing kind: not a Kubernetes object"),
        ])
    func missingRequiredField(document: String, error: String) {
        let result = load(document + "---\n" + serviceAccountYAML("ok"))
        #expect(result.errors == [error])
        #expect(result.cluster.roles.isEmpty)
        #expect(result.cluster.bindings.isEmpty)
        #expect(result.serviceAccountNames == ["default/ok"])
    }

    @Test("a subject without kind or name rejects its binding")
    func invalidSubjects() {
        let result = load("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: rb}
            roleRef: {kind: Role, name: r}
            subjects: [{name: a}, {kind: User}]

            """)
        #expect(result.errors.contains("test.yaml:5:12: error: subjects[]: kind is required"))
        #expect(result.errors.contains("test.yaml:5:23: error: subjects[]: name is required"))
        #expect(result.errors.contains(#"test.yaml:1:1: error: RoleBinding "rb" not loaded: it has invalid fields (reported above)"#))
        #expect(result.cluster.bindings.isEmpty)
    }

    /// `--strict`: the first error stops the load.
    @Test("strict mode throws at the first error")
    func strict() throws {
        var options = ManifestLoader.Options()
        options.strict = true
        let text = serviceAccountYAML("one") + "---\nkey: [unclosed\n---\n- not a mapping\n---\n" + serviceAccountYAML("four")
        let error = #expect(throws: LoadError.self) { try ManifestLoader(options: options).load(yaml: text, name: "strict.yaml") }
        guard case .strict(let first)? = error else { return }
        #expect(first.severity == .error)
        #expect(first.location.file == "strict.yaml")
        #expect(first.location.line == 7)  // the parser notices the unclosed sequence at the next `---`
        #expect(error?.description == first.description)
        // Not strict: both errors are reported and both good documents load.
        let relaxed = load(text, name: "strict.yaml")
        #expect(relaxed.errors.count == 2)
        #expect(relaxed.errors.first == first.description)
        #expect(relaxed.serviceAccountNames == ["default/one", "default/four"])
    }

    @Test("strict mode does not stop at warnings")
    func strictWarnings() throws {
        var options = ManifestLoader.Options()
        options.strict = true
        let result = try ManifestLoader(options: options).load(yaml: """
            apiVersion: v1
            kind: Role
            metadata: {name: old, namespace: a}
            ---

            """ + serviceAccountYAML("ok"), name: "w.yaml")
        #expect(result.warnings == ["w.yaml:1:1: warning: Role \"old\" has apiVersion v1, not rbac.authorization.k8s.io: skipped"])
        #expect(!result.hasErrors)
        #expect(result.serviceAccountNames == ["default/ok"])
    }

    @Test("a path that does not exist is an error; other paths load")
    func missingFile() throws {
        try withTemporaryDirectory { dir in
            let good = dir.appendingPathComponent("good.yaml")
            try write(serviceAccountYAML("ok"), to: good)
            let missing = dir.appendingPathComponent("missing.yaml").path
            let result = try ManifestLoader().load(paths: [missing, good.path])
            #expect(result.errors == ["\(missing): error: no such file or directory"])
            #expect(result.serviceAccountNames == ["default/ok"])
        }
    }

    @Test("tabs, BOMs and empty input do not upset the loader")
    func oddButValid() {
        #expect(load("").cluster.objectCount == 0)
        #expect(load("").diagnostics.isEmpty)
        #expect(load("# only a comment\n").diagnostics.isEmpty)
        #expect(load("---\n---\n...\n").diagnostics.isEmpty)
        let bom = load("\u{FEFF}" + serviceAccountYAML("bom"))
        #expect(bom.serviceAccountNames == ["default/bom"])
        #expect(bom.diagnostics.isEmpty)
        // A tab where indentation is expected is a syntax error, located.
        let tab = load("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n\tname: x\n", name: "tab.yaml")
        #expect(tab.errors.count == 1)
        #expect(tab.errors.first?.hasPrefix("tab.yaml:4:") == true)
    }
}

/// Errors come in reading order: the field first, then the object it sank — so that
/// `--strict`, which stops at the first error, names the field.
@Suite("Loader: error order")
struct ErrorOrderTests {
    static let text = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: bad}
        rules: get

        """

    @Test("the field error precedes the object error")
    func order() {
        #expect(load(Self.text, name: "shape.yaml").errors == [
            "shape.yaml:4:8: error: rules must be a sequence, not a scalar",
            #"shape.yaml:1:1: error: ClusterRole "bad" not loaded: it has invalid fields (reported above)"#,
        ])
    }

    @Test("strict mode stops at the field error")
    func strict() {
        var options = ManifestLoader.Options()
        options.strict = true
        #expect {
            try ManifestLoader(options: options).load(yaml: Self.text, name: "shape.yaml")
        } throws: { error in
            (error as? LoadError)?.description == "shape.yaml:4:8: error: rules must be a sequence, not a scalar"
        }
    }
}
