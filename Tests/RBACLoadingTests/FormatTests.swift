// The input forms the loader reads: multi-document YAML, `kind: List` and `*List` dumps with
// kubectl's sorted keys, `kubectl get -o json`, every RBAC apiVersion, default namespaces,
// unknown kinds, anchors and merge keys, and directories.

import Foundation
import RBACCore
import RBACLoading
import Testing

@Suite("Loader: input forms")
struct FormatTests {
    @Test("multi-document YAML: every document, empty ones and end markers included")
    func multiDocument() {
        let result = load("""
            # leading comment
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: a, namespace: x}
            ---
            ---
            # a document with only a comment
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            rules:
            - apiGroups: [""]
              resources: [pods, pods/log]
              verbs: [get, list]
            ...
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects:
            - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
            - {kind: ServiceAccount, name: a, namespace: x}

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.serviceAccountNames == ["x/a"])
        #expect(result.cluster.roles == [Role(
            kind: .clusterRole, name: "reader",
            rules: [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "pods/log"])],
            source: RBACCore.SourceLocation(file: "test.yaml", line: 10, column: 1))])
        #expect(result.cluster.bindings == [Binding(
            kind: .clusterRoleBinding, name: "readers", roleRef: RoleRef(kind: "ClusterRole", name: "reader"),
            subjects: [.group("devs"), .serviceAccount("x", "a")],
            source: RBACCore.SourceLocation(file: "test.yaml", line: 19, column: 1))])
        #expect(result.statistics.documents == 5)
        #expect(result.statistics.loadedKinds == ["ServiceAccount": 1, "ClusterRole": 1, "ClusterRoleBinding": 1])
    }

    /// kubectl sorts keys, so `items` comes before `kind: List`; any kind ending in `List` is a
    /// list; non-RBAC items are counted and skipped.
    @Test("kind: List with items before kind, and *List kinds", arguments: ["List", "RoleList", "ClusterRoleBindingList"])
    func lists(kind: String) {
        let result = load("""
            apiVersion: v1
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: Role
              metadata: {name: r, namespace: a}
              rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: c}
              data: {k: v}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: rb, namespace: a}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
              subjects: [{kind: User, name: alice}]
            kind: \(kind)
            metadata: {resourceVersion: ""}

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.roleNames == ["Role/a/r"])
        #expect(result.bindingNames == ["RoleBinding/a/rb"])
        #expect(result.statistics.skippedKinds == ["ConfigMap": 1])
        #expect(result.statistics.documents == 1)
        #expect(AccessGraph(result.cluster).authorize(
            .authenticatedUser("alice"), .resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "a", name: "s"))).allowed)
    }

    @Test("a List whose items hold a syntax error keeps the items completed before it")
    func listCutShort() {
        let result = load("""
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ServiceAccount, metadata: {name: first}}
            - {apiVersion: v1, kind: ServiceAccount, metadata: {name: second}}
            - {apiVersion: v1, kind: ServiceAccount, metadata: {name: [broken}}
            - {apiVersion: v1, kind: ServiceAccount, metadata: {name: fourth}}

            """, name: "cut.yaml")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix("cut.yaml:6:") == true)
        #expect(result.serviceAccountNames == ["default/first", "default/second"])
    }

    /// The shape `kubectl get clusterroles,clusterrolebindings,sa -A -o json` prints: one JSON
    /// document, sorted keys, server-side metadata.
    @Test("kubectl get -o json")
    func json() {
        let result = load("""
            {
                "apiVersion": "v1",
                "items": [
                    {
                        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-view": "true"}}]},
                        "apiVersion": "rbac.authorization.k8s.io/v1",
                        "kind": "ClusterRole",
                        "metadata": {
                            "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
                            "creationTimestamp": "2024-01-01T00:00:00Z",
                            "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                            "managedFields": [{"apiVersion": "rbac.authorization.k8s.io/v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:rules": {}}, "manager": "kube-apiserver", "operation": "Update"}],
                            "name": "view",
                            "resourceVersion": "123",
                            "uid": "0b8f8e3c-0000-0000-0000-000000000000"
                        },
                        "rules": null
                    },
                    {
                        "apiVersion": "rbac.authorization.k8s.io/v1",
                        "kind": "ClusterRole",
                        "metadata": {"labels": {"rbac.example.com/aggregate-to-view": "true"}, "name": "pods-view"},
                        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}]
                    },
                    {
                        "apiVersion": "rbac.authorization.k8s.io/v1",
                        "kind": "ClusterRoleBinding",
                        "metadata": {"name": "viewers"},
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
                        "subjects": [{"kind": "ServiceAccount", "name": "monitor", "namespace": "ops"}]
                    },
                    {
                        "apiVersion": "v1",
                        "automountServiceAccountToken": false,
                        "kind": "ServiceAccount",
                        "metadata": {"name": "monitor", "namespace": "ops"},
                        "secrets": [{"name": "monitor-token-abcde"}]
                    }
                ],
                "kind": "List",
                "metadata": {"resourceVersion": ""}
            }
            """, name: "dump.json")
        #expect(result.diagnostics.isEmpty)
        #expect(result.statistics.documents == 1)
        #expect(result.roleNames == ["ClusterRole/view", "ClusterRole/pods-view"])
        #expect(result.cluster.roles.first?.labels == ["kubernetes.io/bootstrapping": "rbac-defaults"])
        #expect(result.cluster.roles.first?.aggregationRule == AggregationRule(clusterRoleSelectors: [
            LabelSelector(matchLabels: [("rbac.example.com/aggregate-to-view", "true")])]))
        #expect(result.cluster.roles.first?.rules == [])  // rules: null
        #expect(result.cluster.serviceAccounts == [ServiceAccount(
            namespace: "ops", name: "monitor", automountServiceAccountToken: false, secrets: ["monitor-token-abcde"],
            source: result.cluster.serviceAccounts.first?.source)])
        let graph = AccessGraph(result.cluster)
        #expect(graph.clusterRole(named: "view")?.rules == [PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"])])
        #expect(graph.authorize(.serviceAccount(namespace: "ops", name: "monitor"),
                                .resource(ResourceRequest(verb: "watch", resource: "pods", namespace: "kube-system"))).allowed)
    }

    /// Namespaced objects without a namespace (or with an empty one) go to `default`, or to
    /// `Options.defaultNamespace`; cluster-scoped objects have none.
    @Test("default namespace", arguments: [nil, "team"] as [String?])
    func defaultNamespace(option: String?) {
        var options = ManifestLoader.Options()
        if let option { options.defaultNamespace = option }
        let expected = option ?? "default"
        let result = load("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: no-ns}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: empty-ns, namespace: ""}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: explicit, namespace: prod}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster, namespace: ignored}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: rb}
            roleRef: {kind: Role, name: no-ns}
            subjects: [{kind: ServiceAccount, name: sa}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: crb, namespace: ignored}
            roleRef: {kind: ClusterRole, name: cluster}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: sa}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p}

            """, options: options)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.roles.map(\.namespace) == [expected, expected, "prod", nil])
        #expect(result.cluster.bindings.map(\.namespace) == [expected, nil])
        // The subject keeps its empty namespace; the binding's namespace gives it meaning.
        #expect(result.cluster.bindings.first?.subjects == [.serviceAccount("", "sa")])
        #expect(result.cluster.serviceAccounts.map(\.namespace) == [expected])
        #expect(result.cluster.secrets.map(\.namespace) == [expected])
        #expect(result.cluster.workloads.map(\.namespace) == [expected])
    }

    /// Roles and bindings of every rbac.authorization.k8s.io version load the same way;
    /// v1alpha1 subjects carry `apiVersion` instead of `apiGroup`. Another group is skipped
    /// with a warning.
    @Test("RBAC apiVersions v1, v1beta1 and v1alpha1", arguments: ["v1", "v1beta1", "v1alpha1"])
    func apiVersions(version: String) {
        let result = load("""
            apiVersion: rbac.authorization.k8s.io/\(version)
            kind: ClusterRole
            metadata: {name: reader}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/\(version)
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects:
            - kind: User
              name: alice
              apiVersion: rbac.authorization.k8s.io/v1alpha1

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.roleNames == ["ClusterRole/reader"])
        #expect(result.cluster.bindings.first?.subjects == [Subject(kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io")])
        #expect(AccessGraph(result.cluster).authorize(
            .authenticatedUser("alice"), .resource(ResourceRequest(verb: "get", resource: "pods", namespace: "a"))).allowed)
    }

    @Test("an RBAC kind of another API group is skipped with a warning")
    func foreignRBACKind() {
        let result = load("""
            apiVersion: example.com/v1
            kind: ClusterRole
            metadata: {name: lookalike}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            kind: ClusterRole
            metadata: {name: no-api-version}
            rules: []

            """, name: "foreign.yaml")
        #expect(result.warnings == [#"foreign.yaml:1:1: warning: ClusterRole "lookalike" has apiVersion example.com/v1, not rbac.authorization.k8s.io: skipped"#])
        #expect(result.errors.isEmpty)
        #expect(result.roleNames == ["ClusterRole/no-api-version"])
        #expect(result.statistics.skippedKinds == ["ClusterRole": 1])
        #expect(result.statistics.loadedKinds == ["ClusterRole": 1])
    }

    /// Kinds rbacgraph does not use are counted by kind and skipped, whatever they hold.
    @Test("unknown kinds are counted in skippedKinds")
    func unknownKinds() {
        let result = load("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            data: {rules: "not RBAC"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec: {group: example.com, names: {kind: Widget}, versions: [{name: v1, served: true}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            spec: {ports: [{port: 80}]}
            ---

            """ + serviceAccountYAML("kept"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.statistics.skippedKinds == ["ConfigMap": 2, "CustomResourceDefinition": 1, "Service": 1])
        #expect(result.statistics.skippedObjects == 4)
        #expect(result.statistics.loadedKinds == ["ServiceAccount": 1])
        #expect(result.statistics.loadedObjects == 1)
        #expect(result.cluster.objectCount == 1)
    }

    /// Anchors and aliases work wherever a value is read: a plain `*alias` for a whole rules
    /// list, a `<<` merge into metadata, an alias for a scalar.
    @Test("anchors, aliases and merge keys")
    func anchorsAndAliases() {
        let result = load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: Role
              metadata: &meta
                name: original
                namespace: team
                labels: {app: web}
              rules: &readRules
              - apiGroups: [""]
                resources: &res [pods, services]
                verbs: [get, list]
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: Role
              metadata:
                <<: *meta
                name: copy
              rules: *readRules
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: &crName merged-list, labels: {<<: [{a: "1"}, {b: "2"}]}}
              rules:
              - {apiGroups: ["apps"], resources: *res, verbs: [watch]}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: b}
              roleRef: {kind: ClusterRole, name: *crName}

            """)
        let readRules = [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "services"])]
        #expect(result.diagnostics.isEmpty)
        #expect(result.roleNames == ["Role/team/original", "Role/team/copy", "ClusterRole/merged-list"])
        // The copy: merged metadata (its own name after the merge), the aliased rules list.
        #expect(result.cluster.roles[1].labels == ["app": "web"])
        #expect(result.cluster.roles[1].rules == readRules)
        #expect(result.cluster.roles[0].rules == readRules)
        #expect(result.cluster.roles.last?.labels == ["a": "1", "b": "2"])
        #expect(result.cluster.roles.last?.rules == [PolicyRule(verbs: ["watch"], apiGroups: ["apps"], resources: ["pods", "services"])])
        #expect(result.cluster.bindings.first?.roleRef.name == "merged-list")
    }

    @Test("an undefined alias is an error that rejects its object")
    func undefinedAlias() {
        let result = load("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: r}
            rules: *nowhere
            ---

            """ + serviceAccountYAML("ok"), name: "alias.yaml")
        #expect(result.errors.contains("alias.yaml:4:8: error: undefined alias *nowhere"), "\(result.errors)")
        #expect(result.roleNames.isEmpty)
        #expect(result.serviceAccountNames == ["default/ok"])
    }

    /// Anchors belong to their document: an alias in the next document does not see them.
    @Test("anchors do not cross documents")
    func anchorsPerDocument() {
        let result = load("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: &n first}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: *n}

            """)
        #expect(result.serviceAccountNames == ["default/first"])
        #expect(result.errors.contains("test.yaml:7:18: error: undefined alias *n"), "\(result.errors)")
    }

    /// Directories are walked recursively for *.yaml, *.yml and *.json (hidden entries
    /// skipped), in path order, and reported relative to the path given.
    @Test("directories load recursively, sorted")
    func directories() throws {
        try withTemporaryDirectory { dir in
            try write(serviceAccountYAML("b"), to: dir.appendingPathComponent("b.yaml"))
            try write(serviceAccountYAML("a"), to: dir.appendingPathComponent("a.yml"))
            try write(#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c"}}"#,
                      to: dir.appendingPathComponent("sub/c.json"))
            try write(serviceAccountYAML("d") + "---\n- not a mapping\n", to: dir.appendingPathComponent("sub/deeper/d.yaml"))
            try write("this: [is not loaded", to: dir.appendingPathComponent("notes.txt"))
            try write(serviceAccountYAML("hidden"), to: dir.appendingPathComponent(".hidden.yaml"))
            try write(serviceAccountYAML("in-hidden-dir"), to: dir.appendingPathComponent(".git/x.yaml"))
            let extra = dir.appendingPathComponent("extra.yaml.txt")
            try write(serviceAccountYAML("named-explicitly"), to: extra)

            let result = try ManifestLoader().load(paths: [dir.path, extra.path])
            #expect(result.serviceAccountNames == ["default/a", "default/b", "default/c", "default/d", "default/named-explicitly"])
            #expect(result.statistics.files == 5)
            #expect(result.errors == ["\(dir.path)/sub/deeper/d.yaml:6:1: error: expected a Kubernetes object (a mapping), found a sequence"])
            #expect(result.cluster.serviceAccounts.first?.source == RBACCore.SourceLocation(file: "\(dir.path)/a.yml", line: 1, column: 1))
        }
    }
}
