// The Swift example of README.md ("As a library"), compiled by `swift build`. Everything
// below the marker must equal the README's block: ReadmeTests checks it.
// --- README ---
import RBACCore
import RBACLoading

let loaded = try ManifestLoader().load(paths: ["cluster-dump.yaml"])
let graph = AccessGraph(loaded.cluster)
let decision = graph.authorize(.serviceAccount(namespace: "prod", name: "api"),
                               .resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "prod")))
print(decision.allowed, decision.reason)
for s in graph.subjects(allowedTo: .resource(ResourceRequest(verb: "list", resource: "secrets", namespace: "prod"))) {
    print(s.subject, s.grant.map { graph.bindings[$0.binding].displayName } ?? "system:masters")
}
