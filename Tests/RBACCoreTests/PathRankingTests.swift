// How dangerous a path is: its certainty (the least certain step), the label the CLI prints,
// and "most dangerous first": public identities, then cost, then steps, then name.

import RBACCore
import Testing

@Suite("Privilege paths: certainty and ranking")
struct PathRankingTests {
    static func step(_ observed: Bool??) -> PathEdge {
        PathEdge(
            from: NodeID(0), to: NodeID(1), kind: .privilegedPod, namespace: nil, evidence: [],
            condition: observed.map { PathCondition("a fact", observed: $0) })
    }

    /// (conditions of the steps: nil certain, .some(x) observed x; certainty; label)
    static let cases: [([Bool??], PathCertainty, String)] = [
        ([], .certain, "certain"),
        ([nil, nil], .certain, "certain"),
        ([nil, .some(true)], .shownTrue, "conditional: 1 shown true"),
        ([.some(nil), .some(true)], .notShown, "conditional: 1 not shown, 1 shown true"),
        ([.some(true), .some(false), .some(nil)], .shownFalse, "ruled out: 1 shown false, 1 not shown, 1 shown true"),
    ]

    @Test("a path is as certain as its least certain step", arguments: cases)
    func certainty(_ conditions: [Bool??], _ certainty: PathCertainty, _ label: String) {
        let path = PrivilegePath(start: NodeID(0), steps: conditions.map(Self.step))
        #expect(path.certainty == certainty)
        #expect(path.certaintyLabel == label)
    }

    @Test("most dangerous first: public identities, then certain before conditional, then fewer steps")
    func ranking() throws {
        let esc = escalation(
            [
                clusterRole("pod-maker", [rule(["create"], resources: ["pods"])]),
                clusterRole("node-debug", [rule(["get"], resources: ["nodes/proxy"])]),
                clusterRole("admin", [rule(["*"], groups: ["*"], resources: ["*"])]),
            ],
            [
                roleBinding("kube-system", "anyone-pods", to: "pod-maker", kind: "ClusterRole", [.group("system:authenticated")]),
                clusterRoleBinding("debug", to: "node-debug", [.user("carol")]),
                clusterRoleBinding("admin", to: "admin", [.serviceAccount("kube-system", "admin")]),
            ])
        let ranked = esc.rankedIdentities(reaching: .fullAuthority).map { esc.nodes[$0.start].description }
        // The public group first (a long path), then the certain holder, then carol's
        // conditional node-proxy path.
        #expect(Array(ranked.prefix(1)) == ["group:system:authenticated"])
        let admin = try #require(ranked.firstIndex(of: "sa:kube-system/admin"))
        let carol = try #require(ranked.firstIndex(of: "user:carol"))
        #expect(admin < carol)
        #expect(PathNode.group("system:authenticated").isPublic && PathNode.user("system:anonymous").isPublic)
        #expect(!PathNode.group("system:masters").isPublic)
    }
}
