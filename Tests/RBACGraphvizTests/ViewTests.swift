import RBACCore
import Testing

@testable import RBACGraphviz

@Suite("Views")
struct ViewTests {
    static let hostileNames = [
        #"quote " in a name"#, #"back\slash\"#, "two\nlines", "<b>not bold</b> & <i>", #"\N\G"#,
        "ünïcødé-名前-🚀", String(repeating: "very-long-name-", count: 20) + "end",
    ]

    /// A cluster whose subject and object names are hostile.
    static func hostileGraph() -> AccessGraph {
        var cluster = Cluster()
        cluster.roles.append(Role(kind: .clusterRole, name: "reader", rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"])]))
        for (i, name) in hostileNames.enumerated() {
            cluster.bindings.append(Binding(
                kind: .roleBinding, name: "b\(i)-" + name, namespace: "ns-" + name, roleRef: RoleRef(kind: "ClusterRole", name: "reader"),
                subjects: [.user(name), .group("g-" + name), .serviceAccount("ns-" + name, "sa-" + name)]))
        }
        return AccessGraph(cluster)
    }

    @Test("Hostile names give valid DOT and SVG, with exact IDs and readable labels")
    func hostileNames() throws {
        let graph = Self.hostileGraph()
        let view = GraphView.access(graph)
        let svg = try SVGContent(view.rendered(as: .svg))
        for name in Self.hostileNames {
            for id in ["user:" + name, "group:g-" + name, "sa:ns-\(name)/sa-\(name)"] {
                #expect(svg.titles.contains(DOTEncoder.graphvizID(id)), "node \(id)")
            }
        }
        // Labels: the name as is (control characters shown), long ones shortened.
        #expect(svg.texts.contains(#"quote " in a name"#))
        #expect(svg.texts.contains(#"back\slash\"#))
        #expect(svg.texts.contains(#"two\nlines"#))
        #expect(svg.texts.contains("<b>not bold</b> & <i>"))
        #expect(svg.texts.contains(#"\N\G"#))
        #expect(svg.texts.contains("ünïcødé-名前-🚀"))
        let long = Self.hostileNames.last!
        #expect(!svg.texts.contains(long))
        #expect(svg.texts.contains(Label.short(long)))
        #expect(Label.short(long).count == Label.maxName)
        // Every format renders.
        #expect(try view.rendered(as: .png).count > 1000)
        #expect(try view.rendered(as: .pdf).count > 1000)
    }

    @Test("Missing roles and subjects that match nobody are dotted, with a warning")
    func warnings() throws {
        let graph = Fixture.graph(yaml: """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: to-missing, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: auditor}
            subjects: [{kind: User, name: bob}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: to-missing-too, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: auditor}
            subjects: [{kind: User, name: dave}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: viewer}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: odd-subjects}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
            subjects:
              - {kind: user, name: carol}
              - {kind: ServiceAccount, name: no-namespace}
              - {kind: Group, name: devs}
            """)
        let view = GraphView.access(graph)
        let nodes = Dictionary(uniqueKeysWithValues: view.graph.allNodes.map { ($0.id, $0) })
        let missing = try #require(nodes["missing:Role/prod/auditor"])
        #expect(missing.attributes["style"] == "filled,dotted")
        #expect(Self.html(missing)?.contains("not found: grants nothing") == true)
        let nobody = view.graph.allNodes.filter { $0.id.hasPrefix("nobody:") }
        #expect(nobody.count == 2)
        for n in nobody {
            #expect(n.attributes["style"] == "filled,dotted")
            #expect(Self.html(n)?.contains("matches nobody") == true)
        }
        #expect(nodes["group:devs"]?.attributes["style"] == "filled")
        #expect(view.graph.allNodes.filter { $0.id.hasPrefix("missing:") }.count == 1)  // shared by both bindings
        let dotted = view.graph.edges.filter { $0.attributes["style"] == "dotted" }
        #expect(dotted.count == 4)  // two subjects, two roleRefs
        _ = try SVGContent(view.rendered(as: .svg))
    }

    @Test("Every edge joins drawn nodes, and node IDs are unique", arguments: [25, 300])
    func wellFormed(maxNodes: Int) {
        let graph = Fixture.sampleGraph
        let esc = EscalationGraph(graph)
        let request = Request.resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "prod"))
        var views = [
            GraphView.access(graph, maxNodes: maxNodes), GraphView.access(Self.hostileGraph(), maxNodes: maxNodes),
            GraphView.access(NodeBudgetTests.cluster(namespaces: 80, perNamespace: 5, clusterRoles: 200), maxNodes: maxNodes),
            GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph, maxNodes: maxNodes),
            GraphView.paths(esc.identitiesReaching(.fullAuthority), in: esc, maxNodes: maxNodes),
        ]
        for filter in [AccessFilter(namespace: "prod"), AccessFilter(subject: .group("devs")), AccessFilter(role: RoleSelector(kind: .role, namespace: "prod", name: "auditor"))] {
            views.append(GraphView.access(graph, filter: filter, maxNodes: maxNodes))
        }
        for view in views {
            let ids = view.graph.allNodes.map(\.id)
            #expect(Set(ids).count == ids.count)
            let known = Set(ids)
            for e in view.graph.edges {
                #expect(known.contains(e.from) && known.contains(e.to), "edge \(e.from) -> \(e.to)")
            }
        }
    }

    static func html(_ node: DOTNode) -> String? {
        if case .html(let h)? = node.attributes["label"] { return h.markup }
        return nil
    }

    @Test("Dangerous grants are red", arguments: [
        (PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"]), "reads secrets"),
        (PolicyRule(verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"]), "wildcard"),
        (PolicyRule(verbs: ["get"], apiGroups: ["*"], resources: ["pods"]), "wildcard"),
        (PolicyRule(verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"]), "escalation: bind"),
        (PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["pods/exec"]), "runs code in pods"),
        (PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["serviceaccounts/token"]), "mints service account tokens"),
        (PolicyRule(verbs: ["create"], apiGroups: ["apps"], resources: ["deployments"]), "runs pods"),
    ])
    func dangerous(rule: PolicyRule, reason: String) {
        let lines = Permissions.lines(of: [rule])
        #expect(lines.count == 1)
        #expect(lines.first?.danger == reason)
        #expect(Permissions.label(lines).markup.contains(GraphStyle.redText))
    }

    @Test("Harmless grants are not red", arguments: [
        PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "configmaps"]),
        PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"]),
        PolicyRule(verbs: ["delete"], apiGroups: [""], resources: ["pods"]),
    ])
    func harmless(rule: PolicyRule) {
        #expect(Permissions.lines(of: [rule]).allSatisfy { $0.danger == nil })
    }

    @Test("Permissions group verbs by resource, in reading order")
    func permissionLines() {
        let lines = Permissions.lines(of: [
            PolicyRule(verbs: ["list", "get"], apiGroups: [""], resources: ["pods"]),
            PolicyRule(verbs: ["watch", "get"], apiGroups: [""], resources: ["pods", "secrets"]),
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["app"]),
            PolicyRule(verbs: ["get"], nonResourceURLs: ["/metrics"]),
            PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
        ])
        #expect(lines.map(\.text) == [
            "all resources (*.*): *", "configmaps [app]: get", "pods: get, list, watch", "secrets: get, watch", "/metrics: get",
        ])
    }

    /// The picture shows what `can-i --list` and the report show (the core's compaction), in
    /// reading order; a rule without apiGroups, which matches nothing, is shown as such.
    @Test("Permission lines are the core's compaction; rules without apiGroups are named")
    func permissionLinesFromTheCore() {
        let rules = [
            PolicyRule(verbs: ["get"], apiGroups: ["", "apps"], resources: ["deployments"]),
            PolicyRule(verbs: ["list"], apiGroups: ["apps"], resources: ["deployments"]),
            PolicyRule(verbs: ["get"], resources: ["secrets"]),
            PolicyRule(verbs: ["list"], resources: ["secrets"]),
            PolicyRule(verbs: ["get"], nonResourceURLs: ["*"]),
        ]
        let lines = Permissions.lines(of: rules)
        #expect(lines.map(\.text) == [
            "deployments: get", "deployments.apps: get, list", "secrets (no apiGroups): get, list", "all URLs (*): get",
        ])
        #expect(lines.map(\.danger) == [nil, nil, "reads secrets", "wildcard"])
        let core = CompactPermission.compact(rules)
        #expect(Set(core.map(\.resource)) == ["deployments", "deployments.apps", "*"])
        #expect(core.first { $0.resource == "deployments.apps" }.map { [$0.apiGroup, $0.bareResource] } == ["apps", "deployments"])
    }

    @Test("Role selectors", arguments: [
        ("ClusterRole/view", nil, RoleSelector(kind: .clusterRole, name: "view")),
        ("clusterrole/view", nil, RoleSelector(kind: .clusterRole, name: "view")),
        ("Role/prod/deployer", nil, RoleSelector(kind: .role, namespace: "prod", name: "deployer")),
        ("Role/deployer", "dev", RoleSelector(kind: .role, namespace: "dev", name: "deployer")),
    ] as [(String, String?, RoleSelector)])
    func roleSelectors(text: String, namespace: String?, expected: RoleSelector) {
        #expect(RoleSelector.parse(text, defaultNamespace: namespace) == expected)
    }

    @Test("Bad role selectors", arguments: ["view", "Role/deployer", "ClusterRole/a/b", "Deployment/x", "ClusterRole/", "/x"])
    func badRoleSelectors(text: String) {
        #expect(RoleSelector.parse(text) == nil)
    }

    @Test("A subject filter follows the identity's groups, and draws only the matching subjects")
    func subjectFilter() {
        let view = GraphView.access(Fixture.sampleGraph, filter: AccessFilter(subject: .serviceAccount(namespace: "ci", name: "deployer")))
        let ids = Set(view.graph.allNodes.map(\.id))
        #expect(ids.contains("sa:ci/deployer"))
        #expect(ids.contains("group:system:authenticated"))  // the monitoring binding, through the group
        #expect(ids.contains("binding:RoleBinding/prod/ci-deploys"))
        #expect(!ids.contains("user:alice"))
        #expect(!ids.contains("sa:ci/prometheus"))  // bound with the group, but not the filtered subject
    }

    @Test("A role filter draws a role even when nothing binds it")
    func unboundRole() {
        let view = GraphView.access(Fixture.sampleGraph, filter: AccessFilter(role: RoleSelector(kind: .clusterRole, name: "viewer")))
        let ids = Set(view.graph.allNodes.map(\.id))
        #expect(ids.contains("role:ClusterRole/viewer"))
        #expect(ids.contains("permissions:ClusterRole/viewer"))
        #expect(view.warnings.contains { $0.contains("bound by no binding") })
    }

    @Test("An empty selection says so")
    func empty() throws {
        let view = GraphView.access(Fixture.sampleGraph, filter: AccessFilter(subject: .group("no-such-group")))
        #expect(view.nodeCount == 0)
        #expect(view.warnings == ["nothing to draw: no binding matches the filter (subject group:no-such-group)"])
        #expect(view.dot.contains("nothing to draw"))
        _ = try SVGContent(view.rendered(as: .svg))
    }
}
