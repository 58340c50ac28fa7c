// Small helpers for the privilege-path tests: clusters built in code, and the steps and paths
// of an EscalationGraph in a form that reads like the CLI's output.

import RBACCore
import Testing

/// The escalation graph of a cluster built in code.
func escalation(
    _ roles: [Role], _ bindings: [Binding], serviceAccounts: [ServiceAccount] = [], namespaces: [Namespace] = [],
    secrets: [SecretMetadata] = [], workloads: [Workload] = []
) -> EscalationGraph {
    EscalationGraph(AccessGraph(Cluster(
        roles: roles, bindings: bindings, serviceAccounts: serviceAccounts, namespaces: namespaces, secrets: secrets,
        workloads: workloads)))
}

/// A running Pod.
func pod(_ namespace: String, _ name: String, as serviceAccount: String = "default", automount: Bool? = nil) -> Workload {
    Workload(
        kind: "Pod", namespace: namespace, name: name,
        template: PodTemplate(serviceAccountName: serviceAccount, automountServiceAccountToken: automount))
}

/// A workload (Deployment, Job, …) whose pods run as `serviceAccount`.
func workload(_ kind: String, _ namespace: String, _ name: String, as serviceAccount: String = "default") -> Workload {
    Workload(kind: kind, namespace: namespace, name: name, template: PodTemplate(serviceAccountName: serviceAccount))
}

/// A legacy service-account token Secret.
func tokenSecret(_ namespace: String, _ name: String, for serviceAccount: String) -> SecretMetadata {
    SecretMetadata(
        namespace: namespace, name: name, type: "kubernetes.io/service-account-token",
        annotations: ["kubernetes.io/service-account.name": serviceAccount])
}

/// A target as the CLI's `--to` takes it.
func target(_ text: String) -> PathTarget {
    guard let t = PathTarget.parse(text) else { preconditionFailure("bad target \(text)") }
    return t
}

let rbacGroup = "rbac.authorization.k8s.io"
let aliceNode = PathNode.user("alice")

extension EscalationGraph {
    /// The steps leaving `node`, of `kind` when given.
    func steps(from node: PathNode, _ kind: EscalationKind? = nil) -> [PathEdge] {
        guard let i = index(of: node) else { return [] }
        return edges(from: i).filter { kind == nil || $0.kind == kind }
    }

    /// The step of `kind` from one node to another, if the graph has it.
    func step(_ from: PathNode, _ kind: EscalationKind, _ to: PathNode) -> PathEdge? {
        steps(from: from, kind).first { nodes[$0.to] == to }
    }

    /// The best path, if any.
    func best(_ from: PathNode, _ to: PathTarget, maxSteps: Int = 8) -> PrivilegePath? {
        paths(from: from, to: to, maxSteps: maxSteps).first
    }

    /// The grants of a step as the CLI prints them after `because`:
    /// `RoleBinding/dev/ci → Role/dev/deployer rule 0: create pods`.
    func because(_ step: PathEdge) -> [String] { step.evidence.map(describe) }

    /// The kinds of a path's steps, in order.
    func kinds(_ path: PrivilegePath?) -> [EscalationKind] { path?.steps.map(\.kind) ?? [] }

    /// The nodes a path goes through after its start, as `kind→node` (e.g. `pod-create→run-pods:dev`).
    func trail(_ path: PrivilegePath?) -> [String] {
        path?.steps.map { "\($0.kind.rawValue)→\(nodes[$0.to])" } ?? []
    }

    /// The identities `identitiesReaching` reports, as `description: certain|conditional`.
    func reaching(_ target: PathTarget) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: identitiesReaching(target).map { (nodes[$0.start].description, $0.isCertain) })
    }
}

// Short forms for failure messages (the default dumps the whole graph).
extension EscalationGraph: CustomTestStringConvertible {
    public var testDescription: String { "EscalationGraph(\(nodes.count) nodes, \(edgeCount) edges)" }
}

extension PrivilegePath: CustomTestStringConvertible {
    public var testDescription: String {
        "path from node \(start): " + steps.map { "\($0.kind.rawValue)→\($0.to)\($0.isCertain ? "" : "?")" }.joined(separator: " ")
    }
}

extension PathEdge: CustomTestStringConvertible {
    public var testDescription: String {
        "\(kind.rawValue) \(from)→\(to)\(condition.map { " if \($0.text)" } ?? "")"
    }
}
