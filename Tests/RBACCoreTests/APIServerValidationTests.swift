// The API server's validation of RBAC objects (pkg/apis/rbac/validation): each case is an
// object the API server would refuse and the exact `field: message` it prints.

import RBACCore
import Testing

@Suite("API server validation of RBAC objects")
struct APIServerValidationTests {
    static let group = "rbac.authorization.k8s.io"

    static let roleCases: [(String, Role, [String])] = [
        ("a valid Role", Role(kind: .role, name: "r", namespace: "dev", rules: [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]),
        ]), []),
        ("a resource rule without apiGroups", Role(kind: .role, name: "r", namespace: "dev", rules: [
            PolicyRule(verbs: ["get"], resources: ["pods"]),
        ]), ["rules[0].apiGroups: Required value: resource rules must supply at least one api group"]),
        ("nonResourceURLs in a Role", Role(kind: .role, name: "r", namespace: "dev", rules: [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]),
            PolicyRule(verbs: ["get"], nonResourceURLs: ["/metrics", "/healthz"]),
        ]), [#"rules[1].nonResourceURLs: Invalid value: []string{"/metrics", "/healthz"}: namespaced rules cannot apply to non-resource URLs"#]),
        ("resources and nonResourceURLs in one rule", Role(kind: .clusterRole, name: "c", rules: [
            PolicyRule(verbs: ["get"], resources: ["pods"], nonResourceURLs: ["/x"]),
        ]), [#"rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs"#]),
        ("a rule without verbs or resources", Role(kind: .clusterRole, name: "c", rules: [
            PolicyRule(apiGroups: [""]),
        ]), [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
        ]),
        ("resourceNames on several resources is accepted", Role(kind: .clusterRole, name: "c", rules: [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods", "secrets"], resourceNames: ["x"]),
        ]), []),
        ("an aggregation rule without selectors", Role(kind: .clusterRole, name: "c", aggregationRule: AggregationRule(clusterRoleSelectors: [])),
         ["aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"]),
        ("a name with a slash", Role(kind: .clusterRole, name: "team/admin"),
         [#"metadata.name: Invalid value: "team/admin": may not contain '/'"#]),
        ("a name that is ..", Role(kind: .clusterRole, name: ".."), [#"metadata.name: Invalid value: "..": may not be '..'"#]),
        ("a namespace in capitals", Role(kind: .role, name: "r", namespace: "Dev"), [
            #"metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#,
        ]),
    ]

    @Test("Roles and ClusterRoles", arguments: roleCases)
    func roles(_ c: (name: String, role: Role, problems: [String])) {
        #expect(APIServerValidation.problems(in: c.role).map(\.description) == c.problems, "\(c.name)")
    }

    static func binding(_ kind: Binding.Kind, _ subjects: [Subject], roleRef: RoleRef = RoleRef(kind: "ClusterRole", name: "view")) -> Binding {
        Binding(kind: kind, name: "b", namespace: "dev", roleRef: roleRef, subjects: subjects)
    }

    static let bindingCases: [(String, Binding, [String])] = [
        ("valid subjects (User and Group apiGroup defaulted)", binding(.clusterRoleBinding, [
            Subject(kind: "User", name: "alice"), Subject(kind: "Group", name: "devs"),
            .serviceAccount("dev", "api"),
        ]), []),
        ("an unknown subject kind", binding(.roleBinding, [Subject(kind: "Robot", name: "x")]),
         [#"subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group""#]),
        ("a lowercase subject kind", binding(.roleBinding, [.user("a"), Subject(kind: "user", name: "bob")]),
         [#"subjects[1].kind: Unsupported value: "user": supported values: "ServiceAccount", "User", "Group""#]),
        ("a ServiceAccount without namespace in a ClusterRoleBinding", binding(.clusterRoleBinding, [Subject(kind: "ServiceAccount", name: "api")]),
         ["subjects[0].namespace: Required value"]),
        ("a ServiceAccount without namespace in a RoleBinding is fine", binding(.roleBinding, [Subject(kind: "ServiceAccount", name: "api")]), []),
        ("a ServiceAccount with an apiGroup", binding(.roleBinding, [Subject(kind: "ServiceAccount", name: "api", namespace: "dev", apiGroup: group)]),
         [#"subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: """#]),
        ("a User of another apiGroup", binding(.roleBinding, [Subject(kind: "User", name: "alice", apiGroup: "v1")]),
         [#"subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io""#]),
        ("a ServiceAccount name in capitals", binding(.roleBinding, [Subject(kind: "ServiceAccount", name: "API", namespace: "dev")]), [
            #"subjects[0].name: Invalid value: "API": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
        ]),
        ("a ClusterRoleBinding to a Role", binding(.clusterRoleBinding, [.user("a")], roleRef: RoleRef(kind: "Role", name: "r")),
         [#"roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole""#]),
        ("a roleRef of another group and kind", binding(.roleBinding, [.user("a")], roleRef: RoleRef(apiGroup: "rbac", kind: "Roles", name: "a%b")), [
            #"roleRef.apiGroup: Unsupported value: "rbac": supported values: "rbac.authorization.k8s.io""#,
            #"roleRef.kind: Unsupported value: "Roles": supported values: "Role", "ClusterRole""#,
            #"roleRef.name: Invalid value: "a%b": may not contain '%'"#,
        ]),
    ]

    @Test("RoleBindings and ClusterRoleBindings", arguments: bindingCases)
    func bindings(_ c: (name: String, binding: Binding, problems: [String])) {
        #expect(APIServerValidation.problems(in: c.binding).map(\.description) == c.problems, "\(c.name)")
    }

    /// ServiceAccount names must be DNS-1123 subdomains: dot-separated labels of lower-case
    /// letters, digits and inner '-'.
    static let serviceAccountNames: [(String, Bool)] = [
        ("a", true), ("api", true), ("a-b", true), ("a--b", true), ("a.b", true), ("a-1.b-2.c3", true), ("0", true),
        ("9.9", true), ("", false), ("A", false), ("api-", false), ("-api", false), (".a", false), ("a.", false),
        ("a..b", false), ("a.-b", false), ("a-.b", false), ("a_b", false), ("a b", false), ("ä", false), ("a.B", false),
    ]

    @Test("ServiceAccount subject names are DNS-1123 subdomains", arguments: serviceAccountNames)
    func serviceAccountName(_ c: (name: String, valid: Bool)) {
        let b = Self.binding(.roleBinding, [Subject(kind: "ServiceAccount", name: c.name, namespace: "dev")])
        let nameProblems = APIServerValidation.problems(in: b).filter { $0.field == "subjects[0].name" }
        #expect(nameProblems.isEmpty == c.valid, "\(c.name): \(nameProblems)")
    }

    @Test("rule problems name their rule")
    func ruleIndex() {
        let role = Role(kind: .role, name: "r", namespace: "dev", rules: [
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]), PolicyRule(verbs: ["get"], resources: ["pods"]),
        ])
        #expect(APIServerValidation.problems(in: role).map(\.ruleIndex) == [1])
    }
}
