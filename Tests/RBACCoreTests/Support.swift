// Small builders so that the clusters in the tests read like the manifests they stand for.

import RBACCore

/// A PolicyRule; `groups` defaults to the core group.
func rule(
    _ verbs: [String], groups: [String] = [""], resources: [String] = [], names: [String] = [],
    urls: [String] = []
) -> PolicyRule {
    PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names, nonResourceURLs: urls)
}

/// A non-resource PolicyRule (no apiGroups, as validation requires).
func urlRule(_ verbs: [String], _ urls: [String]) -> PolicyRule {
    PolicyRule(verbs: verbs, nonResourceURLs: urls)
}

func clusterRole(
    _ name: String, labels: [String: String] = [:], _ rules: [PolicyRule] = [],
    aggregating selectors: [LabelSelector]? = nil
) -> Role {
    Role(
        kind: .clusterRole, name: name, labels: labels, rules: rules,
        aggregationRule: selectors.map { AggregationRule(clusterRoleSelectors: $0) })
}

func role(_ namespace: String, _ name: String, _ rules: [PolicyRule]) -> Role {
    Role(kind: .role, name: name, namespace: namespace, rules: rules)
}

/// A ClusterRoleBinding to a ClusterRole (or to `kind` when given).
func clusterRoleBinding(_ name: String, to roleName: String, kind: String = "ClusterRole", _ subjects: [Subject]) -> Binding {
    Binding(kind: .clusterRoleBinding, name: name, roleRef: RoleRef(kind: kind, name: roleName), subjects: subjects)
}

/// A RoleBinding in `namespace` to a Role (`kind: "Role"`) or a ClusterRole.
func roleBinding(_ namespace: String, _ name: String, to roleName: String, kind: String, _ subjects: [Subject]) -> Binding {
    Binding(kind: .roleBinding, name: name, namespace: namespace, roleRef: RoleRef(kind: kind, name: roleName), subjects: subjects)
}

/// A resource request.
func req(
    _ verb: String, _ resource: String, sub: String = "", group: String = "", ns: String = "", name: String = ""
) -> Request {
    .resource(ResourceRequest(verb: verb, apiGroup: group, resource: resource, subresource: sub, namespace: ns, name: name))
}

/// A non-resource request.
func url(_ verb: String, _ path: String) -> Request {
    .nonResource(verb: verb, path: path)
}

let alice = Identity.authenticatedUser("alice")
let bob = Identity.authenticatedUser("bob")

extension AccessGraph {
    init(roles: [Role], bindings: [Binding]) {
        self.init(Cluster(roles: roles, bindings: bindings))
    }

    /// The subjects of ``subjects(allowedTo:)`` in their printed form, in order.
    func whoCan(_ request: Request) -> [String] {
        subjects(allowedTo: request).map { $0.subject.description }
    }
}
