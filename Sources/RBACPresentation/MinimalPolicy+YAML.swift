// A minimal policy as Kubernetes YAML.

import RBACCore

extension MinimalPolicy {
    /// The policy as Kubernetes YAML, ready for `kubectl apply`.
    public var yaml: String {
        var docs: [String] = []
        for (role, binding) in zip(roles, bindings) {
            var r = "apiVersion: rbac.authorization.k8s.io/v1\nkind: \(role.kind.rawValue)\nmetadata:\n  name: \(y(role.name))\n"
            if let ns = role.namespace { r += "  namespace: \(y(ns))\n" }
            r += "rules:\n"
            for rule in role.rules {
                var first = true
                func field(_ name: String, _ values: [String]) {
                    guard !values.isEmpty else { return }
                    r += (first ? "- " : "  ") + "\(name): [" + values.map(y).joined(separator: ", ") + "]\n"
                    first = false
                }
                field("apiGroups", rule.apiGroups)
                field("resources", rule.resources)
                field("resourceNames", rule.resourceNames)
                field("nonResourceURLs", rule.nonResourceURLs)
                field("verbs", rule.verbs)
            }
            docs.append(r)
            var b = "apiVersion: rbac.authorization.k8s.io/v1\nkind: \(binding.kind.rawValue)\nmetadata:\n  name: \(y(binding.name))\n"
            if let ns = binding.namespace { b += "  namespace: \(y(ns))\n" }
            b += "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: \(binding.roleRef.kind)\n  name: \(y(binding.roleRef.name))\nsubjects:\n"
            for s in binding.subjects {
                b += "- kind: \(s.kind)\n  name: \(y(s.name))\n"
                if s.isKind(.serviceAccount) { b += "  namespace: \(y(s.namespace))\n" } else { b += "  apiGroup: rbac.authorization.k8s.io\n" }
            }
            docs.append(b)
        }
        return docs.joined(separator: "---\n")
    }

    /// A YAML scalar, quoted when needed.
    private func y(_ s: String) -> String { JSONValue.yamlScalar(s) }
}
