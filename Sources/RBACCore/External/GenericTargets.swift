// An ExternalSecret's author who may read no Secret of the namespace but may read its
// ConfigMaps: where the operator allows generic targets (`--unsafe-allow-generic-targets`), the
// author names a ConfigMap as the target (`spec.target.manifest`) and reads the values there.

extension EscalationGraph {
    /// An ExternalSecret of the input that writes an object other than a Secret: the sign that
    /// the operator is run to allow generic targets, when its Deployment is not in the input.
    var genericTargetWriter: ExternalSecret? { access.external.externalSecrets.first { !$0.writesSecret } }

    /// The condition on which an author may name a ConfigMap as an ExternalSecret's target:
    /// that the operator allows such targets — shown true when its Deployment runs with
    /// `--unsafe-allow-generic-targets` (``AccessGraph/genericTargets``). `nil` when the
    /// operator's Deployments run without the flag, or, with no such Deployment in the input,
    /// when the input shows no ExternalSecret writing anything but a Secret (the flag is off by
    /// default: without a sign of it, no such route is claimed).
    func genericTargetCondition() -> PathCondition? {
        switch access.genericTargets {
        case .refused: return nil
        case .allowed(let why):
            return PathCondition("the operator runs with --unsafe-allow-generic-targets (\(why)), so the author may name a ConfigMap as the target", observed: true)
        case .unknown:
            guard let writer = genericTargetWriter else { return nil }
            let sign = "\(writer.kind.rawValue) \(writer.namespace.map { "\($0)/" } ?? "")\(writer.name)\(Self.location(writer.source)) writes a \(writer.manifest?.kind ?? "")"
            return PathCondition(
                "the operator runs with --unsafe-allow-generic-targets and may write ConfigMaps (\(sign)), so the author may name a ConfigMap as the target", observed: nil)
        }
    }

    /// Each request that lets its holder read a ConfigMap of `namespace` it would name as an
    /// ExternalSecret's target, in the order tried: `get`, `list`, `watch` on its ConfigMaps,
    /// `get` of one by name (every name a rule on ConfigMaps lists in `resourceNames`).
    func genericTargetReads(in namespace: String) -> [(request: Request, what: String)] {
        func configMaps(_ verb: String, _ name: String = "") -> Request {
            .resource(ResourceRequest(verb: verb, resource: "configmaps", namespace: namespace, name: name))
        }
        var names = Set<String>()
        for role in access.roles {
            for rule in role.rules where !rule.resourceNames.isEmpty && rule.resources.contains(where: { $0 == "configmaps" || $0 == "*" }) {
                names.formUnion(rule.resourceNames)
            }
        }
        return ["get", "list", "watch"].map { (configMaps($0), "\($0) configmaps in \(namespace)") }
            + names.sorted().map { (configMaps("get", $0), "get ConfigMap \(namespace)/\($0)") }
    }

    /// How node `n` may read a ConfigMap of `namespace` it would name as an ExternalSecret's
    /// target (``genericTargetReads(in:)``), with the grant; `nil` when it may read none, or
    /// when generic targets are not in use (``genericTargetCondition()``).
    func genericTargetRead(by n: NodeID, in namespace: String) -> String? {
        guard genericTargetCondition() != nil else { return nil }
        return allowed(by: n, genericTargetReads(in: namespace))
    }

    /// Both conditions: the texts joined; shown false if either is, shown true if both are.
    static func both(_ a: PathCondition?, _ b: PathCondition) -> PathCondition {
        guard let a else { return b }
        let observed: Bool? = a.observed == false || b.observed == false ? false : (a.observed == true && b.observed == true ? true : nil)
        return PathCondition("\(a.text); \(b.text)", observed: observed)
    }
}
