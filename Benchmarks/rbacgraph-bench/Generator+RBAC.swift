// The dump generator's RBAC objects: Roles, ClusterRoles and their bindings.

import Foundation

extension DumpGenerator {
    struct Rule {
        var groups: [String] = []
        var resources: [String] = []
        var names: [String] = []
        var verbs: [String]
        var urls: [String] = []

        static func r(_ groups: [String], _ resources: [String], _ verbs: [String], names: [String] = []) -> Rule {
            Rule(groups: groups, resources: resources, names: names, verbs: verbs)
        }
        static func url(_ urls: [String], _ verbs: [String]) -> Rule { Rule(verbs: verbs, urls: urls) }

        func yaml(_ y: inout YAMLText, _ d: Int) {
            var first = true
            func key(_ k: String) {
                y.l(d, (first ? "- " : "  ") + k + ":")
                first = false
            }
            func items(_ a: [String]) { for i in a { y.l(d, "  - " + YAMLText.scalar(i)) } }
            if !urls.isEmpty {
                key("nonResourceURLs")
                items(urls)
            } else {
                key("apiGroups")
                items(groups)
                if !names.isEmpty {
                    key("resourceNames")
                    items(names)
                }
                key("resources")
                items(resources)
            }
            key("verbs")
            items(verbs)
        }

        var json: String {
            if !urls.isEmpty { return "{\"nonResourceURLs\":\(YAMLText.jsonArray(urls)),\"verbs\":\(YAMLText.jsonArray(verbs))}" }
            var s = "{\"apiGroups\":\(YAMLText.jsonArray(groups))"
            if !names.isEmpty { s += ",\"resourceNames\":\(YAMLText.jsonArray(names))" }
            return s + ",\"resources\":\(YAMLText.jsonArray(resources)),\"verbs\":\(YAMLText.jsonArray(verbs))}"
        }
    }

    static let rbacAPI = "rbac.authorization.k8s.io/v1"

    /// A Role or ClusterRole as a List item (``role(clusterWide:name:namespace:rules:labels:aggregateLabels:bootstrap:rng:)``
    /// emits it, changed when the head of a diff pair changes it).
    mutating func roleText(
        clusterWide: Bool, name: String, namespace: String?, rules: [Rule], labels: [(String, String)] = [],
        aggregateLabels: [String] = [], bootstrap: Bool = false, rng r: inout SplitMix64
    ) -> YAMLText {
        var y = YAMLText()
        let kind = clusterWide ? "ClusterRole" : "Role"
        if !aggregateLabels.isEmpty {
            y.l(0, "- aggregationRule:")
            y.l(4, "clusterRoleSelectors:")
            for l in aggregateLabels {
                y.l(4, "- matchLabels:")
                y.l(8, "\(l): \"true\"")
            }
            y.l(2, "apiVersion: \(Self.rbacAPI)")
        } else {
            y.l(0, "- apiVersion: \(Self.rbacAPI)")
        }
        y.l(2, "kind: \(kind)")
        let created = Self.timestamp(&r, year: bootstrap ? 2023 : 2024)
        var allLabels = labels
        if bootstrap { allLabels.append(("kubernetes.io/bootstrapping", "rbac-defaults")) }
        let lastApplied: String?
        var managed: [ManagedField]
        if bootstrap {
            lastApplied = nil
            let agg = !aggregateLabels.isEmpty
            let labelsCopy = allLabels
            managed = [ManagedField(manager: "kube-apiserver", apiVersion: Self.rbacAPI, time: created) { y, d in
                if agg {
                    y.l(d, "f:aggregationRule:")
                    y.l(d + 2, ".: {}")
                    y.l(d + 2, "f:clusterRoleSelectors: {}")
                }
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:rbac.authorization.kubernetes.io/autoupdate: {}")
                y.l(d + 2, "f:labels:")
                y.l(d + 4, ".: {}")
                for (k, _) in labelsCopy.sorted(by: { $0.0 < $1.0 }) { y.l(d + 4, "f:\(k): {}") }
                if !agg { y.l(d, "f:rules: {}") }
            }]
            if agg {
                managed.append(ManagedField(manager: "clusterrole-aggregation-controller", apiVersion: Self.rbacAPI, time: Self.timestamp(&r)) { y, d in
                    y.l(d, "f:rules: {}")
                })
            }
        } else {
            var body = ""
            if !aggregateLabels.isEmpty {
                body += ",\"aggregationRule\":{\"clusterRoleSelectors\":["
                body += aggregateLabels.map { "{\"matchLabels\":{\(YAMLText.json($0)):\"true\"}}" }.joined(separator: ",") + "]}"
            }
            var head = Self.lastAppliedHead(apiVersion: Self.rbacAPI, kind: kind, name: name, namespace: namespace, labels: allLabels, extraFields: body)
            head += aggregateLabels.isEmpty ? ",\"rules\":[" + rules.map(\.json).joined(separator: ",") + "]}\n" : ",\"rules\":[]}\n"
            lastApplied = head
            let labelsCopy = allLabels
            let agg = !aggregateLabels.isEmpty
            managed = [ManagedField(manager: "kubectl-client-side-apply", apiVersion: Self.rbacAPI, time: created) { y, d in
                if agg {
                    y.l(d, "f:aggregationRule:")
                    y.l(d + 2, ".: {}")
                    y.l(d + 2, "f:clusterRoleSelectors: {}")
                }
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                if !agg { y.l(d, "f:rules: {}") }
            }]
            if agg {
                managed.append(ManagedField(manager: "clusterrole-aggregation-controller", apiVersion: Self.rbacAPI, time: Self.timestamp(&r)) { y, d in
                    y.l(d, "f:rules: {}")
                })
            }
        }
        metadata(
            &y, name: name, namespace: clusterWide ? nil : namespace, rng: &r, labels: allLabels,
            annotations: bootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : [],
            lastApplied: lastApplied, managed: managed, created: created)
        if rules.isEmpty {
            y.l(2, "rules: []")
        } else {
            y.l(2, "rules:")
            for rule in rules { rule.yaml(&y, 2) }
        }
        return y
    }

    enum SubjectSpec {
        case user(String), group(String), serviceAccount(String, String)
    }

    /// A RoleBinding or ClusterRoleBinding as a List item (emitted by ``binding(clusterWide:name:namespace:roleKind:roleName:subjects:bootstrap:labels:rng:)``).
    mutating func bindingText(
        clusterWide: Bool, name: String, namespace: String?, roleKind: String, roleName: String,
        subjects: [SubjectSpec], bootstrap: Bool = false, labels: [(String, String)] = [], rng r: inout SplitMix64
    ) -> YAMLText {
        var y = YAMLText(capacity: 4096)
        let kind = clusterWide ? "ClusterRoleBinding" : "RoleBinding"
        y.l(0, "- apiVersion: \(Self.rbacAPI)")
        y.l(2, "kind: \(kind)")
        let created = Self.timestamp(&r, year: bootstrap ? 2023 : 2024)
        var allLabels = labels
        if bootstrap { allLabels.append(("kubernetes.io/bootstrapping", "rbac-defaults")) }
        let labelsCopy = allLabels
        var lastApplied: String? = nil
        let managed: ManagedField
        if bootstrap {
            managed = ManagedField(manager: "kube-apiserver", apiVersion: Self.rbacAPI, time: created) { y, d in
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:rbac.authorization.kubernetes.io/autoupdate: {}")
                y.l(d + 2, "f:labels:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:kubernetes.io/bootstrapping: {}")
                y.l(d, "f:roleRef: {}")
                y.l(d, "f:subjects: {}")
            }
        } else {
            let subjectsJSON = subjects.map { s -> String in
                switch s {
                case .user(let n): return "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\(YAMLText.json(n))}"
                case .group(let n): return "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Group\",\"name\":\(YAMLText.json(n))}"
                case .serviceAccount(let ns, let n): return "{\"kind\":\"ServiceAccount\",\"name\":\(YAMLText.json(n)),\"namespace\":\(YAMLText.json(ns))}"
                }
            }
            lastApplied = Self.lastAppliedHead(apiVersion: Self.rbacAPI, kind: kind, name: name, namespace: namespace, labels: allLabels)
                + ",\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"\(roleKind)\",\"name\":\(YAMLText.json(roleName))},\"subjects\":[\(subjectsJSON.joined(separator: ","))]}\n"
            managed = ManagedField(manager: "kubectl-client-side-apply", apiVersion: Self.rbacAPI, time: created) { y, d in
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                y.l(d, "f:roleRef: {}")
                y.l(d, "f:subjects: {}")
            }
        }
        metadata(
            &y, name: name, namespace: clusterWide ? nil : namespace, rng: &r, labels: allLabels,
            annotations: bootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : [],
            lastApplied: lastApplied, managed: [managed], created: created)
        y.l(2, "roleRef:")
        y.l(4, "apiGroup: rbac.authorization.k8s.io")
        y.l(4, "kind: \(roleKind)")
        y.kv(4, "name", roleName)
        if subjects.isEmpty {
            // Bootstrap bindings such as system:node have none: kubectl omits the field.
        } else {
            y.l(2, "subjects:")
            for s in subjects {
                switch s {
                case .user(let n):
                    y.l(2, "- apiGroup: rbac.authorization.k8s.io")
                    y.l(4, "kind: User")
                    y.kv(4, "name", n)
                case .group(let n):
                    y.l(2, "- apiGroup: rbac.authorization.k8s.io")
                    y.l(4, "kind: Group")
                    y.kv(4, "name", n)
                case .serviceAccount(let ns, let n):
                    y.l(2, "- kind: ServiceAccount")
                    y.l(4, "name: \(n)")
                    y.l(4, "namespace: \(ns)")
                }
            }
        }
        return y
    }
}
