import RBACCore

/// Warnings for words that name something the input does not hold: a namespace, a service
/// account. The answer is still given (it is what the API server would say), but a quiet "no"
/// for a typo is a wrong answer.
enum InputWarnings {
    static func namespace(_ ns: String?, in graph: AccessGraph, quiet: Bool) {
        guard !quiet, let ns, !ns.isEmpty, !graph.mentionedNamespaces.contains(ns) else { return }
        Terminal.warn("namespace \"\(ns)\" is not in the input: no object of the input is in it")
    }

    static func serviceAccount(of identity: Identity, in graph: AccessGraph, quiet: Bool) {
        guard !quiet, let sa = ServiceAccountName(userName: identity.name) else { return }
        if !graph.mentions(serviceAccount: sa.namespace, sa.name) {
            Terminal.warn("service account \(sa) is not in the input: no ServiceAccount, binding subject or pod names it")
        }
    }

    /// A `vault:` target asked of an input without Vault roles or policies, or written as
    /// `vault kv` commands spell a KV version 2 secret (`vault:secret/prod/db`, which no
    /// policy of such a mount grants: the API path is `secret/data/prod/db`).
    static func vault(_ path: String, capability: VaultCapabilities, in graph: AccessGraph, quiet: Bool) {
        guard !quiet else { return }
        if graph.external.vault.isEmpty {
            Terminal.warn("no Vault roles or policies in the input: give --vault DIR (docs/external-secrets.md)")
        }
        if let hint = graph.external.kvVersion2Hint(for: path, capability: capability) {
            Terminal.warn(hint.message)
        }
    }

    static func identity(_ node: PathNode, in graph: AccessGraph, quiet: Bool) {
        if let id = node.identity { serviceAccount(of: id, in: graph, quiet: quiet) }
    }

    /// A node target (`run-pods:NS`, `holder:ROLE@SCOPE`, …) naming a namespace or a role the
    /// input does not hold: no path reaches it, for a reason a typo would give.
    static func target(_ target: PathTarget, in graph: AccessGraph, quiet: Bool) {
        guard !quiet else { return }
        switch target {
        case .node(let n):
            switch n {
            case .runPods(let s), .anyServiceAccount(let s), .runningPods(let s), .workloads(_, let s), .secrets(let s):
                namespace(s.namespaceName, in: graph, quiet: quiet)
            case .namespaceAuthority(let ns): namespace(ns, in: graph, quiet: quiet)
            default: break
            }
        case .holder(let role, let scope):
            namespace(scope.namespaceName, in: graph, quiet: quiet)
            if !graph.roles.contains(where: { $0.displayName.isExactly(role) }) {
                Terminal.warn("\(role) is not in the input: no path holds it")
            }
        default: break
        }
    }
}
