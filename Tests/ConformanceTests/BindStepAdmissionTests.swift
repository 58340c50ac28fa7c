// Every `bind` step of a privilege path must be a binding the API server would admit, and every
// binding it admits through `bind` must be a step: the path engine derives its steps from
// `create rolebindings` + `bind` permissions, and the admission check (AccessGraph.admission,
// 100% on the create-binding suite) is the API server's own logic. Both are run on the
// create-binding suite's worlds and must agree both ways.

import Foundation
import RBACCore
import RBACLoading
import Testing

@Suite("Privilege paths: bind steps are exactly the bindings the API server admits through bind")
struct BindStepAdmissionTests {
    /// Every bundled world, as `suite/case`.
    static let worlds = bundledCases
    /// Each world compared once, shared by the tests below.
    static let outcomes: [String: Outcome] = {
        var out: [String: Outcome] = [:]
        for name in worlds {
            do { out[name] = try compare(name) } catch { out[name] = Outcome(failures: ["cannot load: \(error)"]) }
        }
        return out
    }()
    static let unmentioned = "a-namespace-nobody-mentions"

    struct Outcome {
        var stepsChecked = 0
        var bindingsChecked = 0
        var failures: [String] = []
    }

    /// Compares the engine's bind steps with admission on one world.
    static func compare(_ name: String) throws -> Outcome {
        let world = try ConformanceCheck.loadWorld(Paths.fixtures.appendingPathComponent(name))
        let graph = AccessGraph(world.cluster)
        let escalation = EscalationGraph(graph)
        var namespaceSet = Set(graph.bindings.compactMap(\.namespace))
        namespaceSet.formUnion(graph.roles.compactMap(\.namespace))
        let namespaces = namespaceSet.sorted() + [unmentioned]
        var out = Outcome()

        func probe(_ role: Role, kind: Binding.Kind, in ns: String?) -> Binding {
            Binding(kind: kind, name: "probe", namespace: ns, roleRef: RoleRef(kind: role.kind.rawValue, name: role.name), subjects: [])
        }

        // 1. Every bind step from an identity is admitted.
        for edge in escalation.edges where edge.kind == .bind {
            guard let identity = escalation.nodes[edge.from].identity else { continue }  // a held role's own steps
            guard case .holder(let roleIndex, let scope) = escalation.nodes[edge.to] else {
                out.failures.append("a bind step to \(escalation.nodes[edge.to]), not to a role's holder")
                continue
            }
            let role = graph.roles[roleIndex]
            let probes: [Binding]
            switch scope {
            case .cluster: probes = [probe(role, kind: .clusterRoleBinding, in: nil)]
            case .namespace(let ns): probes = [probe(role, kind: .roleBinding, in: ns)]
            case .everyNamespace: probes = namespaces.map { probe(role, kind: .roleBinding, in: $0) }
            }
            for binding in probes {
                out.stepsChecked += 1
                let verdict = graph.admission(of: .binding(binding), by: identity)
                if !verdict.allowed {
                    out.failures.append("step \(escalation.nodes[edge.from]) -> \(escalation.nodes[edge.to]) is refused: \(verdict.reasons)")
                }
            }
        }

        // 2. Every binding admitted through `bind` is a step (to the holder of that scope, or
        //    of every namespace).
        for from in escalation.nodes.ids {
            guard let identity = escalation.nodes[from].identity else { continue }
            let targets = Set(escalation.edges(from: from).filter { $0.kind == .bind }.map { escalation.nodes[$0.to] })
            for (i, role) in zip(graph.roles.ids, graph.roles) {
                var candidates: [(Binding, [PathNode])] = []
                if role.kind == .clusterRole {
                    candidates.append((probe(role, kind: .clusterRoleBinding, in: nil), [.holder(role: i, in: .cluster)]))
                    for ns in namespaces {
                        candidates.append((probe(role, kind: .roleBinding, in: ns),
                                           [.holder(role: i, in: .namespace(ns)), .holder(role: i, in: .everyNamespace)]))
                    }
                } else if let ns = role.namespace {
                    candidates.append((probe(role, kind: .roleBinding, in: ns), [.holder(role: i, in: .namespace(ns))]))
                }
                for (binding, accepted) in candidates {
                    let verdict = graph.admission(of: .binding(binding), by: identity)
                    guard verdict.allowed, case .bindAllowed = verdict.escalation else { continue }
                    out.bindingsChecked += 1
                    // A binding that gives nothing new is no escalation: a role without rules,
                    // or one whose rules the identity already holds there.
                    if role.rules.isEmpty { continue }
                    let held = graph.rules(for: identity, in: binding.namespace ?? "").rules.map(\.rule)
                    if covers(held, role.rules).covered { continue }
                    if !accepted.contains(where: targets.contains) {
                        out.failures.append("\(escalation.nodes[from]) may bind \(binding.roleRef.kind) \(role.name) in \(binding.namespace ?? "a ClusterRoleBinding"), but no bind step says so")
                    }
                }
            }
        }
        return out
    }

    @Test("bind steps agree with admission", arguments: worlds)
    func agree(_ name: String) throws {
        let outcome = try #require(Self.outcomes[name])
        #expect(outcome.failures.isEmpty, "\(outcome.failures.count) disagreements, first: \(outcome.failures.prefix(5))")
    }

    /// Without this, worlds with no bind step at all would make the comparison above vacuous.
    @Test("the worlds hold bind steps and bind-admitted bindings to compare")
    func notVacuous() throws {
        var steps = 0
        var bindings = 0
        for o in Self.outcomes.values {
            steps += o.stepsChecked
            bindings += o.bindingsChecked
        }
        #expect(Self.outcomes.count == 174)
        #expect(steps >= 30, "only \(steps) bind steps compared")
        #expect(bindings >= 30, "only \(bindings) bind-admitted bindings compared")
    }
}
