import RBACCore

/// One query line for `QueryEvaluator.answer(line:)`, and what kind of question it is.
struct Query {
    var line: String
    var queryClass: String
}

/// Builds mixed who-can and authorize (can-i) queries from what a loaded dump contains:
/// its namespaces, service accounts, secrets, users and groups.
struct QueryBuilder {
    private var rng: SplitMix64
    private let namespaces: [String]
    private let serviceAccounts: [String]  // "ns/name"
    private let users: [String]
    private let groups: [String]
    private let secretsByNamespace: [String: [String]]

    init(graph: AccessGraph, seed: UInt64) {
        rng = SplitMix64(seed: seed, stream: 99)
        namespaces = graph.namespaces.map(\.name)
        serviceAccounts = graph.serviceAccounts.map { "\($0.namespace)/\($0.name)" }
        var users = Set<String>(), groups = Set<String>()
        for b in graph.bindings {
            for s in b.subjects {
                if s.kind == "User" { users.insert(s.name) }
                if s.kind == "Group" { groups.insert(s.name) }
            }
        }
        self.users = users.sorted()
        self.groups = groups.sorted()
        var secrets: [String: [String]] = [:]
        for s in graph.secrets { secrets[s.namespace, default: []].append(s.name) }
        secretsByNamespace = secrets
    }

    var isUsable: Bool { !namespaces.isEmpty && !serviceAccounts.isEmpty && !users.isEmpty && !groups.isEmpty }

    static let namespacedResources: [(group: String, resource: String)] = [
        ("", "secrets"), ("", "secrets"), ("", "pods"), ("", "pods"), ("", "configmaps"), ("apps", "deployments"),
        ("", "services"), ("", "serviceaccounts"), ("coordination.k8s.io", "leases"),
        ("rbac.authorization.k8s.io", "rolebindings"), ("batch", "jobs"), ("networking.k8s.io", "ingresses"),
    ]
    static let clusterResources: [(group: String, resource: String)] = [
        ("", "nodes"), ("", "namespaces"), ("", "persistentvolumes"), ("rbac.authorization.k8s.io", "clusterroles"),
        ("rbac.authorization.k8s.io", "clusterrolebindings"), ("apiextensions.k8s.io", "customresourcedefinitions"),
        ("", "secrets"), ("", "pods"),  // all namespaces
    ]
    static let subresources: [(group: String, resource: String, sub: String, verb: String)] = [
        ("", "pods", "exec", "create"), ("", "pods", "log", "get"), ("", "pods", "portforward", "create"),
        ("", "pods", "attach", "create"), ("apps", "deployments", "scale", "update"),
        ("", "serviceaccounts", "token", "create"), ("", "pods", "eviction", "create"),
    ]
    static let paths = ["/healthz", "/metrics", "/api", "/apis/apps/v1", "/version", "/logs/kubelet.log", "/readyz", "/openapi/v2"]
    static let verbs = ["get", "get", "list", "watch", "create", "update", "patch", "delete"]

    private func json(_ s: String) -> String { YAMLText.json(s) }

    /// A namespace of the dump: `preferred` (the identity's own) 60% of the time when given.
    private mutating func namespace(_ preferred: String?) -> String {
        if let preferred, rng.chance(0.6) { return preferred }
        return rng.pick(namespaces)
    }

    /// The request part of a query (`"verb": …` onwards) and its class.
    private mutating func request(near home: String? = nil) -> (fields: String, queryClass: String) {
        let roll = rng.int(100)
        if roll < 45 {
            let (g, res) = rng.pick(Self.namespacedResources)
            let ns = namespace(home)
            return ("\"verb\":\"\(rng.pick(Self.verbs))\",\"apiGroup\":\"\(g)\",\"resource\":\"\(res)\",\"subresource\":\"\",\"namespace\":\(json(ns)),\"name\":\"\"", "namespaced")
        } else if roll < 60 {
            let ns = namespace(home)
            let name: String
            if let secrets = secretsByNamespace[ns], !secrets.isEmpty, rng.chance(0.7) {
                name = rng.pick(secrets)
                return ("\"verb\":\"get\",\"apiGroup\":\"\",\"resource\":\"secrets\",\"subresource\":\"\",\"namespace\":\(json(ns)),\"name\":\(json(name))", "named")
            }
            name = rng.chance(0.5) ? "kube-root-ca.crt" : "leader-lock"
            return ("\"verb\":\"\(rng.pick(["get", "update"]))\",\"apiGroup\":\"\",\"resource\":\"configmaps\",\"subresource\":\"\",\"namespace\":\(json(ns)),\"name\":\(json(name))", "named")
        } else if roll < 75 {
            let (g, res) = rng.pick(Self.clusterResources)
            return ("\"verb\":\"\(rng.pick(["get", "list", "watch", "create", "delete"]))\",\"apiGroup\":\"\(g)\",\"resource\":\"\(res)\",\"subresource\":\"\",\"namespace\":\"\",\"name\":\"\"", "cluster-wide")
        } else if roll < 90 {
            let s = rng.pick(Self.subresources)
            let ns = namespace(home)
            return ("\"verb\":\"\(s.verb)\",\"apiGroup\":\"\(s.group)\",\"resource\":\"\(s.resource)\",\"subresource\":\"\(s.sub)\",\"namespace\":\(json(ns)),\"name\":\"\"", "subresource")
        } else if roll < 95 {
            return ("\"verb\":\"get\",\"path\":\(json(rng.pick(Self.paths)))", "non-resource")
        } else {
            // Escalation paths: impersonation, bind/escalate, wildcards.
            switch rng.int(3) {
            case 0:
                return ("\"verb\":\"impersonate\",\"apiGroup\":\"\",\"resource\":\"\(rng.pick(["users", "groups", "serviceaccounts"]))\",\"subresource\":\"\",\"namespace\":\"\",\"name\":\"\"", "special")
            case 1:
                return ("\"verb\":\"\(rng.pick(["bind", "escalate"]))\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"resource\":\"\(rng.pick(["roles", "clusterroles"]))\",\"subresource\":\"\",\"namespace\":\(json(rng.pick(namespaces))),\"name\":\"\"", "special")
            default:
                return ("\"verb\":\"delete\",\"apiGroup\":\"\(rng.pick(["monitoring.coreos.com", "cert-manager.io", "argoproj.io"]))\",\"resource\":\"\(rng.pick(["servicemonitors", "certificates", "applications"]))\",\"subresource\":\"\",\"namespace\":\(json(rng.pick(namespaces))),\"name\":\"\"", "special")
            }
        }
    }

    mutating func whoCan(_ count: Int, firstID: Int) -> [Query] {
        (0..<count).map { i in
            let (fields, c) = request()
            return Query(line: "{\"id\":\(firstID + i),\"op\":\"who-can\",\(fields)}", queryClass: c)
        }
    }

    mutating func authorize(_ count: Int, firstID: Int) -> [Query] {
        (0..<count).map { i in
            let identity: String
            let who: String
            let roll = rng.int(100)
            var home: String? = nil
            if roll < 50 {
                let sa = rng.pick(serviceAccounts)
                identity = "\"serviceAccount\":\(json(sa))"
                home = String(sa[..<sa.firstIndex(of: "/")!])
                who = "sa"
            } else if roll < 80 {
                let groups = rng.sample(self.groups, rng.int(0, 2))
                identity = "\"user\":\(json(rng.pick(users))),\"groups\":\(YAMLText.jsonArray(groups)),\"authenticated\":\(rng.chance(0.7))"
                who = "user"
            } else if roll < 90 {
                let groups = rng.sample(self.groups, rng.int(1, 3))
                identity = "\"user\":\"someone@example.com\",\"groups\":\(YAMLText.jsonArray(groups)),\"authenticated\":true"
                who = "group"
            } else {
                identity = rng.chance(0.5)
                    ? "\"serviceAccount\":\(json(rng.pick(namespaces) + "/ghost"))"
                    : "\"user\":\"stranger@example.org\""
                who = "unknown"
            }
            let (fields, c) = request(near: home)
            return Query(line: "{\"id\":\(firstID + i),\"op\":\"authorize\",\(identity),\(fields)}", queryClass: who + (c == "non-resource" ? " non-resource" : ""))
        }
    }
}
