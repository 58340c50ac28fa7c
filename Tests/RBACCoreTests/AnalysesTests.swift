// The analyses behind `who-can --effective` and `secrets`, as library calls.

import RBACCore
import Testing

@Suite("Analyses: effective access and secret readers")
struct AnalysesTests {
    /// alice may get secrets in prod; bob may create pods there (and so mount its secrets).
    static let esc = escalation(
        [role("prod", "reader", [rule(["get"], resources: ["secrets"])]), role("prod", "pod-maker", [rule(["create"], resources: ["pods"])])],
        [
            roleBinding("prod", "alice-reads", to: "reader", kind: "Role", [.user("alice")]),
            roleBinding("prod", "bob-runs", to: "pod-maker", kind: "Role", [.user("bob")]),
        ],
        namespaces: [Namespace(name: "prod")],
        secrets: [SecretMetadata(namespace: "prod", name: "db", type: "Opaque")])

    @Test("who can get a secret: directly, or by a path")
    func effective() {
        let answer = Self.esc.effectiveAccess(to: req("get", "secrets", ns: "prod", name: "db"))
        #expect(answer.subjects.map(\.subject.name) == ["system:masters", "alice"])
        #expect(answer.members.isEmpty)
        #expect(answer.paths.map { Self.esc.nodes[$0.start] } == [.user("bob")])
        #expect(answer.paths.first?.steps.first?.kind == .podCreate)
    }

    @Test("the readers of a secret: direct readers with their verbs, then paths")
    func secretReaders() {
        let entries = Self.esc.secretReaders(namespace: "prod")
        #expect(entries.count == 1)
        let e = entries[0]
        #expect(e.secrets.map(\.name) == ["db"])
        #expect(e.direct.map { "\($0.subject.name):\($0.verbs.joined(separator: ","))" } == ["system:masters:get,list,watch", "alice:get"])
        #expect(e.directNodes.contains(.user("alice")))
        #expect(e.paths.map { Self.esc.nodes[$0.start] } == [.user("bob")])
    }
}
