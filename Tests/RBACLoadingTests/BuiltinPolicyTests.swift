// The API server's built-in policy: the shipped data, and how it is merged into an input as the
// API server reconciles it at start-up (storage_rbac.go, pkg/registry/rbac/reconciliation).

import Foundation
import RBACCore
import RBACLoading
import Testing

/// A small built-in policy, written out so each rule of the merge shows in a few lines.
private let miniPolicy: BuiltinPolicy = {
    let yaml = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: cluster-admin
          labels: {kubernetes.io/bootstrapping: rbac-defaults}
          annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
        rules:
        - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        - {nonResourceURLs: ["*"], verbs: ["*"]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: edit
          labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-admin: "true"}
        aggregationRule:
          clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: system:aggregate-to-edit
          labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-edit: "true"}
        rules:
        - {apiGroups: [""], resources: [configmaps], verbs: [create, delete]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: cluster-admin
          labels: {kubernetes.io/bootstrapping: rbac-defaults}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:masters"}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: extension-apiserver-authentication-reader, namespace: kube-system}
        rules:
        - {apiGroups: [""], resources: [configmaps], resourceNames: [extension-apiserver-authentication], verbs: [get]}
        """
    let cluster = load(yaml, name: "mini-policy.yaml").cluster
    return BuiltinPolicy(version: "v0.0.1", roles: cluster.roles, bindings: cluster.bindings)
}()

/// Loads `yaml` and merges the mini policy into it.
private func merged(_ yaml: String) -> (cluster: Cluster, merge: BuiltinPolicyMerge) {
    var cluster = load(yaml).cluster
    let merge = cluster.mergeBuiltinPolicy(miniPolicy)
    return (cluster, merge)
}

private func role(_ c: Cluster, _ displayName: String) -> Role? { c.roles.last { $0.displayName == displayName } }
private func binding(_ c: Cluster, _ displayName: String) -> Binding? { c.bindings.last { $0.displayName == displayName } }

@Suite("Built-in policy: merged as the API server reconciles it at start-up")
struct BuiltinPolicyMergeTests {
    @Test("an empty input gets every built-in object, marked built-in")
    func emptyInput() {
        let (c, m) = merged("")
        #expect(m.mode == .merged)
        #expect(m.added.count == 5)
        #expect(c.roles.count == 4 && c.bindings.count == 1)
        #expect(c.roles.allSatisfy { $0.origin == .builtIn } && c.bindings.allSatisfy { $0.origin == .builtIn })
    }

    @Test("an input binding to cluster-admin now grants everything; the built-in binding comes after it")
    func bindingToBuiltInRole() {
        let (c, _) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: deployer-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
            """)
        let graph = AccessGraph(c)
        let d = graph.authorize(.serviceAccount(namespace: "ci", name: "deployer"), .resource(ResourceRequest(verb: "delete", resource: "nodes")))
        #expect(d.allowed)
        #expect(d.grant.map { graph.bindings[$0.binding].name } == "deployer-admin")
        #expect(d.grant.map(graph.isBuiltInOnly) == false)  // the binding is the input's: news
        #expect(c.bindings.map(\.name) == ["deployer-admin", "cluster-admin"])
    }

    @Test("an input role of a built-in name is united with it: missing rules and labels added, its own kept")
    func unitedRole() {
        let (c, m) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: system:aggregate-to-edit, labels: {team: x}}
            rules:
            - {apiGroups: [""], resources: [configmaps], verbs: [create]}
            - {apiGroups: [""], resources: [secrets], verbs: [get]}
            """)
        let r = role(c, "ClusterRole/system:aggregate-to-edit")!
        #expect(r.origin == .reconciled)
        #expect(m.reconciled == ["ClusterRole/system:aggregate-to-edit"])
        // Covers breaks the built-in rule down: only `delete configmaps` was missing.
        #expect(r.rules == [
            PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["configmaps"]),
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"]),
            PolicyRule(verbs: ["delete"], apiGroups: [""], resources: ["configmaps"]),
        ])
        #expect(r.labels["team"] == "x" && r.labels["rbac.authorization.k8s.io/aggregate-to-edit"] == "true")
        // So edit aggregates it, with the input's extra rule: that grant is news.
        let graph = AccessGraph(c)
        #expect(graph.clusterRole(named: "edit")!.rules.contains(PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])))
    }

    @Test("autoupdate: \"false\" keeps the input object exactly as written")
    func protectedObjects() {
        let (c, m) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: cluster-admin
              annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: cluster-admin
              annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: User, name: root, apiGroup: rbac.authorization.k8s.io}]
            """)
        #expect(m.protected == ["ClusterRole/cluster-admin", "ClusterRoleBinding/cluster-admin"])
        #expect(role(c, "ClusterRole/cluster-admin")!.rules == [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"])])
        #expect(binding(c, "ClusterRoleBinding/cluster-admin")!.subjects == [.user("root")])
        let graph = AccessGraph(c)
        #expect(!graph.authorize(.authenticatedUser("root"), .resource(ResourceRequest(verb: "delete", resource: "nodes"))).allowed)
    }

    @Test("a binding of a built-in name gets the missing subjects; with another roleRef it is replaced")
    func bindings() {
        let same = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: User, name: root, apiGroup: rbac.authorization.k8s.io}]
            """)
        let b = binding(same.cluster, "ClusterRoleBinding/cluster-admin")!
        #expect(b.subjects == [.user("root"), .group("system:masters")])
        #expect(b.origin == .reconciled)
        let other = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: User, name: root, apiGroup: rbac.authorization.k8s.io}]
            """)
        #expect(other.merge.replaced == ["ClusterRoleBinding/cluster-admin"])
        let r = binding(other.cluster, "ClusterRoleBinding/cluster-admin")!
        #expect(r.roleRef.name == "cluster-admin" && r.subjects == [.group("system:masters")])
    }

    @Test("a hand-written edit without aggregationRule keeps its rules through system:aggregate-to-edit")
    func primeAggregated() {
        let (c, m) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: edit}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            """)
        #expect(m.migrated == ["ClusterRole/edit → ClusterRole/system:aggregate-to-edit"])
        let graph = AccessGraph(c)
        let edit = graph.clusterRole(named: "edit")!
        #expect(edit.aggregationRule != nil)
        // The copy is then reconciled with the built-in system:aggregate-to-edit: its rules
        // are added, broken down as Covers leaves them missing.
        #expect(Set(edit.rules) == [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]),
            PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["configmaps"]),
            PolicyRule(verbs: ["delete"], apiGroups: [""], resources: ["configmaps"]),
        ])
    }

    @Test("an input ClusterRole labelled aggregate-to-edit is aggregated into the built-in edit, as news")
    func aggregateIntoBuiltIn() {
        let (c, _) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: crd-editor, labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
            rules: [{apiGroups: [example.com], resources: [widgets], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: devs-edit, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
            """)
        let graph = AccessGraph(c)
        let dev = Identity.authenticatedUser("carol", groups: ["devs"])
        #expect(graph.authorize(dev, .resource(ResourceRequest(verb: "create", apiGroup: "example.com", resource: "widgets", namespace: "dev"))).allowed)
        #expect(graph.authorize(dev, .resource(ResourceRequest(verb: "delete", resource: "configmaps", namespace: "dev"))).allowed)
    }

    @Test("a cluster dump already holds the bootstrap policy: nothing is added")
    func dump() {
        let (c, m) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: view, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
            rules: []
            """)
        #expect(m.mode == .alreadyInInput && m.added.isEmpty)
        #expect(c.roles.map(\.name) == ["view"] && c.bindings.isEmpty)
    }

    @Test("a policy made on demand is made only when the input does not hold the bootstrap policy")
    func policyMadeOnDemand() {
        var dump = load("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: view, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
            rules: []
            """).cluster
        let kept = dump.mergeBuiltinPolicy(version: "v0.0.1") { () -> BuiltinPolicy in
            Issue.record("the policy was made for an input that holds it")
            return miniPolicy
        }
        #expect(kept == BuiltinPolicyMerge(version: "v0.0.1", mode: .alreadyInInput))
        #expect(dump.kubernetesVersion == "v0.0.1" && dump.holdsBuiltinPolicy)

        var made = 0
        var repository = load("").cluster
        #expect(!repository.holdsBuiltinPolicy)
        let merge = repository.mergeBuiltinPolicy(version: "v0.0.1") { () -> BuiltinPolicy in
            made += 1
            return miniPolicy
        }
        #expect(made == 1 && merge.mode == .merged && merge.added.count == 5)
    }

    @Test("a policy that cannot be made leaves the input as it was")
    func policyNotMade() {
        struct Damaged: Error {}
        var cluster = load("").cluster
        #expect(throws: Damaged.self) {
            try cluster.mergeBuiltinPolicy(version: "v0.0.1") { () throws(Damaged) -> BuiltinPolicy in throw Damaged() }
        }
        #expect(cluster.roles.isEmpty && cluster.kubernetesVersion == nil)
    }

    @Test("the last of several input objects of a name is the one united")
    func lastWins() {
        let (c, _) = merged("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: User, name: first, apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: User, name: second, apiGroup: rbac.authorization.k8s.io}]
            """)
        #expect(c.bindings.map(\.subjects) == [[.user("first")], [.user("second"), .group("system:masters")]])
    }
}

@Suite("Built-in policy: the shipped data")
struct BuiltinPolicyDataTests {
    static let dataRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("BuiltinPolicy")

    @Test("the embedding in the binary equals the data files (make builtin-policy regenerates it)")
    func embeddingEqualsData() throws {
        var onDisk: [String] = []
        for version in try FileManager.default.contentsOfDirectory(atPath: Self.dataRoot.path).sorted() {
            let dir = Self.dataRoot.appendingPathComponent(version)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".yaml") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                onDisk.append("\(version)/\(file)")
                #expect(BuiltinPolicy.embeddedText(version: version, file: file) == text, "\(version)/\(file): run make builtin-policy")
            }
        }
        #expect(BuiltinPolicy.embeddedFileNames == onDisk)
    }

    @Test("every shipped version loads without a diagnostic and holds the whole bootstrap policy",
          arguments: BuiltinPolicy.shippedVersions)
    func shippedVersionLoads(_ version: String) throws {
        let policy = try BuiltinPolicy.shipped(version)
        #expect(policy.version == version)
        let names = Set(policy.roles.map(\.displayName))
        for name in ["ClusterRole/cluster-admin", "ClusterRole/admin", "ClusterRole/edit", "ClusterRole/view",
                     "ClusterRole/system:aggregate-to-edit", "ClusterRole/system:controller:clusterrole-aggregation-controller",
                     "Role/kube-system/extension-apiserver-authentication-reader", "Role/kube-public/system:controller:bootstrap-signer"] {
            #expect(names.contains(name), "\(version): \(name)")
        }
        #expect(policy.bindings.contains { $0.displayName == "ClusterRoleBinding/cluster-admin" && $0.subjects == [.group("system:masters")] })
        #expect(policy.roles.allSatisfy { $0.origin == .builtIn && $0.source?.file.hasPrefix("builtin:\(version)/") == true })
    }

    @Test("versions are named exactly, without v, or by a prefix naming one; others are refused", arguments: [
        ("v1.24.0-alpha.1", "v1.24.0-alpha.1"), ("1.24.0-alpha.1", "v1.24.0-alpha.1"), ("1.24", "v1.24.0-alpha.1"),
        ("v1.24", "v1.24.0-alpha.1"), ("1.2", nil), ("1.99", nil), ("", nil),
    ] as [(String, String?)])
    func versions(_ requested: String, _ expected: String?) {
        #expect((try? BuiltinPolicy.resolveVersion(requested)) == expected)
    }

    @Test("a version not shipped is a typed error naming what was asked for, not a crash")
    func unknownShippedVersion() {
        #expect {
            try BuiltinPolicy.shipped("1.99")
        } throws: { error in
            guard case .unknownVersion(let e) = error as? BuiltinPolicy.ShippedPolicyError else { return false }
            return e.requested == "1.99"
        }
    }

    @Test("a load merges a shipped version as it merges the parsed policy, parsing it only when the input lacks it",
          arguments: [
              "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: dev}\n",
              "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view, labels: {kubernetes.io/bootstrapping: rbac-defaults}}\nrules: []\n",
          ])
    func shippedSource(_ yaml: String) throws {
        let version = BuiltinPolicy.newestVersion
        var byVersion = ManifestLoader.Options()
        byVersion.builtinPolicy = .shipped(version: version)
        var byPolicy = ManifestLoader.Options()
        byPolicy.builtinPolicy = .policy(try BuiltinPolicy.shipped(version))
        let a = load(yaml, options: byVersion), b = load(yaml, options: byPolicy)
        #expect(a.builtinPolicy == b.builtinPolicy && a.builtinPolicy?.version == version)
        #expect(a.cluster.roles == b.cluster.roles && a.cluster.bindings == b.cluster.bindings)
        #expect(a.diagnostics.isEmpty && a.cluster.kubernetesVersion == version)
    }

    @Test("the newest version is the default")
    func newest() {
        #expect(BuiltinPolicy.newestVersion == BuiltinPolicy.shippedVersions.last)
    }
}
