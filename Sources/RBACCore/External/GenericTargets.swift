// An ExternalSecret's author who may read no Secret of the namespace but may read its
// ConfigMaps: where the operator allows generic targets (`--unsafe-allow-generic-targets`), the
// author names a ConfigMap as the target (`spec.target.manifest`) and reads the values there.

extension EscalationGraph {
    /// An ExternalSecret of the input that writes an object other than a Secret: the sign that
    /// the operator is run to allow generic targets (its flag is not in the input).
    var genericTargetWriter: ExternalSecret? { access.external.externalSecrets.first { !$0.writesSecret } }

    /// How node `n` may read a ConfigMap of `namespace` it would name as an ExternalSecret's
    /// target — `get`, `list` or `watch` on its ConfigMaps, or `get` of one by name — with the
    /// condition that the operator allows such targets: shown true when its Deployment runs
    /// with `--unsafe-allow-generic-targets`. `nil` when it may read none, when the operator's
    /// Deployments run without the flag, or, with no such Deployment in the input, when the
    /// input shows no ExternalSecret writing anything but a Secret (the flag is off by
    /// default: without a sign of it, no such route is claimed).
    func genericTargetRead(by n: NodeID, in namespace: String) -> (how: String, condition: PathCondition)? {
        let condition: PathCondition
        switch access.genericTargets {
        case .refused: return nil
        case .allowed(let why):
            condition = PathCondition("the operator runs with --unsafe-allow-generic-targets (\(why)), so the author may name a ConfigMap as the target", observed: true)
        case .unknown:
            guard let writer = genericTargetWriter else { return nil }
            let sign = "\(writer.kind.rawValue) \(writer.namespace.map { "\($0)/" } ?? "")\(writer.name)\(Self.location(writer.source)) writes a \(writer.manifest?.kind ?? "")"
            condition = PathCondition(
                "the operator runs with --unsafe-allow-generic-targets and may write ConfigMaps (\(sign)), so the author may name a ConfigMap as the target", observed: nil)
        }
        func configMaps(_ verb: String, _ name: String = "") -> Request {
            .resource(ResourceRequest(verb: verb, resource: "configmaps", namespace: namespace, name: name))
        }
        func said(_ request: Request, _ what: String) -> String {
            guard let identity = nodes[n].identity else { return what }
            let d = access.authorize(identity, request)
            let by = d.grant.map { " (\(access.bindings[$0.binding].displayName) → \(access.roles[$0.role].displayName))" } ?? (d.viaMasters ? " (API server)" : "")
            return what + by
        }
        var how: String? = nil
        for verb in ["get", "list", "watch"] where node(n, allows: configMaps(verb)) {
            how = said(configMaps(verb), "\(verb) configmaps in \(namespace)")
            break
        }
        if how == nil {
            var names = Set<String>()
            for role in access.roles {
                for rule in role.rules where !rule.resourceNames.isEmpty && rule.resources.contains(where: { $0 == "configmaps" || $0 == "*" }) {
                    names.formUnion(rule.resourceNames)
                }
            }
            for name in names.sorted() where node(n, allows: configMaps("get", name)) {
                how = said(configMaps("get", name), "get ConfigMap \(namespace)/\(name)")
                break
            }
        }
        guard let how else { return nil }
        return (how, condition)
    }

    /// Both conditions: the texts joined; shown false if either is, shown true if both are.
    static func both(_ a: PathCondition?, _ b: PathCondition) -> PathCondition {
        guard let a else { return b }
        let observed: Bool? = a.observed == false || b.observed == false ? false : (a.observed == true && b.observed == true ? true : nil)
        return PathCondition("\(a.text); \(b.text)", observed: observed)
    }
}
