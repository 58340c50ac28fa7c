// ClusterRole aggregation, as the aggregation controller computes it
// (`pkg/controller/clusterroleaggregation`, docs/semantics.md §7), and the label selectors it
// uses (`metav1.LabelSelectorAsSelector`).

import RBACCore
import Testing

@Suite("§7 Label selectors")
struct LabelSelectorTests {
    typealias Req = LabelSelector.Requirement

    /// matchLabels and matchExpressions are ANDed. `In`: key present with a listed value;
    /// `NotIn`: key absent or value unlisted; `Exists`; `DoesNotExist`. `{}` matches everything.
    @Test(
        "selectors match labels as Kubernetes does",
        arguments: [
            ("{} matches no labels", LabelSelector(), [:], true),
            ("{} matches any labels", LabelSelector(), ["a": "1"], true),
            ("matchLabels equal", LabelSelector(matchLabels: [("a", "1")]), ["a": "1", "b": "2"], true),
            ("matchLabels other value", LabelSelector(matchLabels: [("a", "1")]), ["a": "2"], false),
            ("matchLabels missing key", LabelSelector(matchLabels: [("a", "1")]), ["b": "1"], false),
            ("matchLabels all must hold", LabelSelector(matchLabels: [("a", "1"), ("b", "2")]), ["a": "1"], false),
            ("matchLabels empty value needs the key", LabelSelector(matchLabels: [("a", "")]), [:], false),
            ("matchLabels empty value", LabelSelector(matchLabels: [("a", "")]), ["a": ""], true),
            ("In listed", LabelSelector(matchExpressions: [Req(key: "tier", operator: "In", values: ["a", "b"])]), ["tier": "b"], true),
            ("In unlisted", LabelSelector(matchExpressions: [Req(key: "tier", operator: "In", values: ["a", "b"])]), ["tier": "c"], false),
            ("In absent key", LabelSelector(matchExpressions: [Req(key: "tier", operator: "In", values: ["a"])]), [:], false),
            ("NotIn absent key", LabelSelector(matchExpressions: [Req(key: "tier", operator: "NotIn", values: ["a"])]), [:], true),
            ("NotIn unlisted", LabelSelector(matchExpressions: [Req(key: "tier", operator: "NotIn", values: ["a"])]), ["tier": "b"], true),
            ("NotIn listed", LabelSelector(matchExpressions: [Req(key: "tier", operator: "NotIn", values: ["a"])]), ["tier": "a"], false),
            ("Exists present", LabelSelector(matchExpressions: [Req(key: "x", operator: "Exists")]), ["x": ""], true),
            ("Exists absent", LabelSelector(matchExpressions: [Req(key: "x", operator: "Exists")]), ["y": "1"], false),
            ("DoesNotExist absent", LabelSelector(matchExpressions: [Req(key: "x", operator: "DoesNotExist")]), ["y": "1"], true),
            ("DoesNotExist present", LabelSelector(matchExpressions: [Req(key: "x", operator: "DoesNotExist")]), ["x": "1"], false),
            ("labels AND expressions", LabelSelector(matchLabels: [("a", "1")], matchExpressions: [Req(key: "b", operator: "Exists")]), ["a": "1"], false),
            ("labels AND expressions, both hold", LabelSelector(matchLabels: [("a", "1")], matchExpressions: [Req(key: "b", operator: "Exists")]), ["a": "1", "b": "x"], true),
        ] as [(String, LabelSelector, [String: String], Bool)])
    func matching(_ note: String, selector: LabelSelector, labels: [String: String], matches: Bool) throws {
        #expect(try selector.matches(labels) == matches, "\(note)")
    }

    /// Invalid selectors are errors (they stop the controller's sync), not "no match".
    @Test(
        "invalid selectors throw",
        arguments: [
            (Req(key: "a", operator: "Equals", values: ["1"]), #""Equals" is not a valid label selector operator"#),
            (Req(key: "a", operator: "in", values: ["1"]), #""in" is not a valid label selector operator"#),
            (Req(key: "a", operator: "In", values: []), "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"),
            (Req(key: "a", operator: "Exists", values: ["1"]), "values: Invalid value: values set must be empty for exists and does not exist"),
        ] as [(LabelSelector.Requirement, String)])
    func invalid(requirement: LabelSelector.Requirement, message: String) {
        let selector = LabelSelector(matchExpressions: [requirement])
        let matchError = #expect(throws: SelectorError.self) { try selector.matches(["a": "1"]) }
        #expect(matchError?.message == message)
        let validateError = #expect(throws: SelectorError.self) { try selector.validate() }
        #expect(validateError?.message == message)
    }

    @Test("invalid keys and values throw")
    func invalidKeysAndValues() {
        #expect(throws: SelectorError.self) { try LabelSelector(matchLabels: [("bad key", "1")]).validate() }
        #expect(throws: SelectorError.self) { try LabelSelector(matchLabels: [("a", "-bad")]).validate() }
        #expect(throws: SelectorError.self) { try LabelSelector(matchLabels: [("UPPER.example.com/a", "1")]).validate() }
        #expect(throws: Never.self) { try LabelSelector(matchLabels: [("rbac.example.com/aggregate-to-admin", "true")]).validate() }
        #expect(throws: Never.self) { try LabelSelector(matchLabels: [("a", "")]).validate() }
    }
}

@Suite("§7 ClusterRole aggregation")
struct AggregationTests {
    static let getPods = rule(["get"], resources: ["pods"])
    static let listPods = rule(["list"], resources: ["pods"])
    static let getSecrets = rule(["get"], resources: ["secrets"])
    static let watchAll = rule(["watch"], groups: ["*"], resources: ["*"])

    static func aggregated(_ roles: [Role], _ name: String) -> [PolicyRule] {
        var roles = roles
        Aggregation.apply(to: &roles)
        return roles.first { $0.name == name && $0.kind == .clusterRole }!.rules
    }

    static func sel(_ labels: [(key: String, value: String)]) -> LabelSelector { LabelSelector(matchLabels: labels) }

    @Test("selected roles contribute their rules, in name order")
    func nameOrder() {
        let roles = [
            clusterRole("zeta", labels: ["agg": "yes"], [Self.getSecrets]),
            clusterRole("alpha", labels: ["agg": "yes"], [Self.getPods]),
            clusterRole("unlabelled", [Self.watchAll]),
            clusterRole("mid", labels: ["agg": "no"], [Self.listPods]),
            clusterRole("target", [], aggregating: [Self.sel([("agg", "yes")])]),
        ]
        #expect(Self.aggregated(roles, "target") == [Self.getPods, Self.getSecrets])
    }

    /// Selectors are taken in order, each one's matches sorted by name.
    @Test("selector order, then name order")
    func selectorOrder() {
        let roles = [
            clusterRole("a", labels: ["second": "true"], [Self.getPods]),
            clusterRole("z", labels: ["first": "true"], [Self.getSecrets]),
            clusterRole("target", aggregating: [Self.sel([("first", "true")]), Self.sel([("second", "true")])]),
        ]
        #expect(Self.aggregated(roles, "target") == [Self.getSecrets, Self.getPods])
    }

    /// A rule already in the list is not added again (first occurrence wins), and a role matched
    /// by two selectors adds nothing the second time.
    @Test("rules are deduplicated")
    func deduplicated() {
        let roles = [
            clusterRole("a", labels: ["x": "1", "y": "1"], [Self.getPods, Self.listPods, Self.getPods]),
            clusterRole("b", labels: ["x": "1"], [Self.listPods, Self.getSecrets]),
            clusterRole("target", aggregating: [Self.sel([("x", "1")]), Self.sel([("y", "1")])]),
        ]
        #expect(Self.aggregated(roles, "target") == [Self.getPods, Self.listPods, Self.getSecrets])
    }

    /// Aggregated roles feed other aggregated roles until a fixed point, whatever the name
    /// order (here the outermost role sorts first): admin ⊇ edit ⊇ view.
    @Test("nested aggregation reaches the fixed point")
    func nested() {
        let roles = [
            clusterRole("a-admin", aggregating: [Self.sel([("to-admin", "true")])]),
            clusterRole("b-edit", labels: ["to-admin": "true"], aggregating: [Self.sel([("to-edit", "true")])]),
            clusterRole("c-view", labels: ["to-edit": "true"], aggregating: [Self.sel([("to-view", "true")])]),
            clusterRole("view-pods", labels: ["to-view": "true"], [Self.getPods]),
            clusterRole("edit-secrets", labels: ["to-edit": "true"], [Self.getSecrets]),
            clusterRole("admin-watch", labels: ["to-admin": "true"], [Self.watchAll]),
        ]
        var aggregated = roles
        let failures = Aggregation.apply(to: &aggregated)
        #expect(failures.isEmpty)
        let rules = Dictionary(uniqueKeysWithValues: aggregated.map { ($0.name, $0.rules) })
        #expect(rules["c-view"] == [Self.getPods])
        // edit: c-view (the aggregated view) then edit-secrets, by name.
        #expect(rules["b-edit"] == [Self.getPods, Self.getSecrets])
        // admin: admin-watch, then b-edit, by name.
        #expect(rules["a-admin"] == [Self.watchAll, Self.getPods, Self.getSecrets])
        // The leaves are untouched.
        #expect(rules["view-pods"] == [Self.getPods])
    }

    /// Mutual selection converges to the union (the Kubernetes `cycle` test table).
    @Test("a cycle converges to the union")
    func cycle() {
        let saw = rule(["saw"], groups: [], resources: ["boards"])
        let chisel = rule(["chisel"], groups: [], resources: ["mortises"])
        let roles = [
            clusterRole("leaf", labels: ["to-mid": "true"], [saw]),
            clusterRole("mid", labels: ["to-top": "true"], aggregating: [Self.sel([("to-mid", "true")])]),
            clusterRole("other", labels: ["to-top": "true"], [chisel]),
            clusterRole("top", labels: ["to-mid": "true"], aggregating: [Self.sel([("to-top", "true")])]),
        ]
        #expect(Self.aggregated(roles, "mid") == [saw, chisel])
        #expect(Self.aggregated(roles, "top") == [saw, chisel])
    }

    /// The aggregated rules replace whatever was written into the role; when nothing matches,
    /// the result is empty.
    @Test("hand-written rules are replaced; no match leaves no rules")
    func replaced() {
        let roles = [
            clusterRole("source", labels: ["agg": "yes"], [Self.getPods]),
            clusterRole("target", [Self.watchAll], aggregating: [Self.sel([("agg", "yes")])]),
            clusterRole("lonely", [Self.watchAll], aggregating: [Self.sel([("nobody", "has-this")])]),
        ]
        #expect(Self.aggregated(roles, "target") == [Self.getPods])
        #expect(Self.aggregated(roles, "lonely") == [])
    }

    /// `{}` selects every ClusterRole (the aggregating role itself excepted); namespaced Roles
    /// never take part, whatever their labels.
    @Test("an empty selector matches every ClusterRole, but not Roles or itself")
    func emptySelector() {
        var labelledRole = role("ns", "a-role", [Self.watchAll])
        labelledRole.labels = ["agg": "yes"]
        let roles = [
            clusterRole("b", [Self.getSecrets]),
            labelledRole,
            clusterRole("a", labels: ["anything": "x"], [Self.getPods]),
            clusterRole("everything", [Self.listPods], aggregating: [LabelSelector()]),
            clusterRole("picky", [Self.watchAll], aggregating: [Self.sel([("agg", "yes")])]),
        ]
        var aggregated = roles
        Aggregation.apply(to: &aggregated)
        let everything = aggregated.first { $0.name == "everything" }!.rules
        // a, b, picky (aggregated: nothing matches it, so empty), by name; not itself.
        #expect(everything == [Self.getPods, Self.getSecrets])
        #expect(aggregated.first { $0.name == "picky" }!.rules == [])
        #expect(aggregated.first { $0.name == "a-role" }!.rules == [Self.watchAll])
    }

    /// An invalid selector stops the sync of that role: its rules stay as they are, the
    /// failure is reported, and other aggregated roles still sync.
    @Test("an invalid operator leaves the role unchanged and is reported")
    func invalidOperator() {
        let roles = [
            clusterRole("source", labels: ["agg": "yes"], [Self.getPods]),
            clusterRole("broken", [Self.watchAll], aggregating: [
                Self.sel([("agg", "yes")]),
                LabelSelector(matchExpressions: [.init(key: "agg", operator: "Equals", values: ["yes"])]),
            ]),
            clusterRole("fine", aggregating: [Self.sel([("agg", "yes")])]),
        ]
        var aggregated = roles
        let failures = Aggregation.apply(to: &aggregated)
        #expect(failures.map(\.clusterRole) == ["broken"])
        #expect(failures.first?.message == #""Equals" is not a valid label selector operator"#)
        #expect(aggregated.first { $0.name == "broken" }!.rules == [Self.watchAll])
        #expect(aggregated.first { $0.name == "fine" }!.rules == [Self.getPods])

        // The graph reports it too, and answers with the unchanged rules.
        let graph = AccessGraph(roles: roles, bindings: [])
        #expect(graph.aggregationFailures.map(\.clusterRole) == ["broken"])
        #expect(graph.clusterRole(named: "broken")?.rules == [Self.watchAll])
    }

    /// The graph answers with the aggregated rules: bindings to an aggregated role grant what
    /// it aggregates.
    @Test("the graph authorizes with aggregated rules")
    func graphUsesAggregatedRules() {
        let graph = AccessGraph(
            roles: [
                clusterRole("admin", [Self.watchAll], aggregating: [Self.sel([("rbac.example.com/aggregate-to-admin", "true")])]),
                clusterRole("pods", labels: ["rbac.example.com/aggregate-to-admin": "true"], [Self.getPods]),
            ],
            bindings: [roleBinding("a", "admins", to: "admin", kind: "ClusterRole", [.user("alice")])])
        #expect(graph.clusterRole(named: "admin")?.rules == [Self.getPods])
        #expect(graph.authorize(alice, req("get", "pods", ns: "a", name: "p")).allowed)
        #expect(!graph.authorize(alice, req("watch", "pods", ns: "a")).allowed)  // hand-written rule replaced
        #expect(graph.aggregationFailures.isEmpty)
    }

    /// A role without aggregationRule is never rewritten, even if empty.
    @Test("roles without aggregationRule keep their rules")
    func nonAggregatedUntouched() {
        var roles = [clusterRole("plain", [Self.getPods]), clusterRole("empty", [])]
        #expect(Aggregation.apply(to: &roles).isEmpty)
        #expect(roles.map(\.rules) == [[Self.getPods], []])
    }
}

/// `Covers` (docs/semantics.md §8): one owner rule covering a whole rule field by field is the
/// same as covering each of its atoms — the shortcut the redundant-rule finding takes.
@Suite("Covers")
struct CoversTests {
    static let owners: [PolicyRule] = [
        rule(["*"], resources: ["pods"]), rule(["get", "list"], groups: ["", "apps"], resources: ["pods", "deployments"]),
        rule(["get"], resources: ["*/scale"]), rule(["get"], resources: ["pods"], names: ["a", "b"]),
        urlRule(["get"], ["/healthz*"]), rule(["get"], groups: ["*"], resources: ["*"]),
    ]
    static let servants: [PolicyRule] = [
        rule(["get"], resources: ["pods"]), rule(["get", "list"], resources: ["pods"]), rule(["*"], resources: ["pods"]),
        rule(["get"], groups: ["apps"], resources: ["deployments/scale"]), rule(["get"], resources: ["pods"], names: ["a"]),
        rule(["get"], resources: ["pods"], names: ["c"]), urlRule(["get"], ["/healthz/ready"]), urlRule(["get"], ["/metrics"]),
        rule(["get"], groups: ["", "apps"], resources: ["pods", "deployments"]),
    ]

    @Test("whole-rule check equals the atom-by-atom check", arguments: owners.indices)
    func wholeRuleEqualsAtoms(_ i: Int) {
        let owner = Self.owners[i]
        for servant in Self.servants {
            let byAtoms = servant.atoms.allSatisfy { owner.coversAtom($0) }
            #expect(owner.coversAtom(servant) == byAtoms, "\(owner.compactDescription) vs \(servant.compactDescription)")
        }
    }

    @Test("Kubernetes' examples")
    func examples() {
        #expect(covers([rule(["*"], resources: ["pods"])], [rule(["get"], resources: ["pods"])]).covered)
        // A servant "*" needs a literal owner "*".
        #expect(!covers([rule(["get", "list"], resources: ["pods"])], [rule(["*"], resources: ["pods"])]).covered)
        // pods does not cover pods/status; */status does.
        #expect(!covers([rule(["get"], resources: ["pods"])], [rule(["get"], resources: ["pods/status"])]).covered)
        #expect(covers([rule(["get"], resources: ["*/status"])], [rule(["get"], resources: ["pods/status"])]).covered)
        // resourceNames: an owner with names covers only those names, never a nameless atom.
        #expect(!covers([rule(["get"], resources: ["pods"], names: ["a"])], [rule(["get"], resources: ["pods"])]).covered)
        #expect(covers([rule(["get"], resources: ["pods"])], [rule(["get"], resources: ["pods"], names: ["a"])]).covered)
        // Uncovered atoms are listed.
        let r = covers([rule(["get"], resources: ["pods"])], [rule(["get", "delete"], resources: ["pods"])])
        #expect(r.uncovered == [rule(["delete"], resources: ["pods"])])
    }
}
