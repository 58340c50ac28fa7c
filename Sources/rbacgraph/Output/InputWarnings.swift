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

    static func identity(_ node: PathNode, in graph: AccessGraph, quiet: Bool) {
        if let id = node.identity { serviceAccount(of: id, in: graph, quiet: quiet) }
    }
}
