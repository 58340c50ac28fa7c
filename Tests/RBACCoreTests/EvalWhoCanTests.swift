import RBACCore
import Testing

/// The eval op `who-can` answers as `rbacgraph who-can -o json` does: each subject once (what
/// the conformance suites compare), with every grant that allows it — a reviewer revoking
/// access needs all of them, not the first.
@Suite("eval who-can: every grant")
struct EvalWhoCanTests {
    static let graph = AccessGraph(
        roles: [
            clusterRole("reader", [rule(["get", "list"], resources: ["secrets"])]),
            role("prod", "secret-reader", [rule(["get"], resources: ["secrets"])]),
        ],
        bindings: [
            clusterRoleBinding("readers", to: "reader", [.user("alice")]),
            roleBinding("prod", "read-secrets", to: "secret-reader", kind: "Role", [.user("alice"), .serviceAccount("prod", "api")]),
            roleBinding("prod", "read-secrets-too", to: "reader", kind: "ClusterRole", [.user("alice")]),
        ])

    static func subjects(_ query: String) throws -> [JSONValue] {
        let answer = QueryEvaluator(graph: graph).answer(try JSONValue.parse(query))
        return try #require(answer["subjects"]?.arrayValue)
    }

    static func binding(_ grant: JSONValue) -> String {
        let b = grant["binding"]
        return [b?["kind"]?.stringValue, b?["namespace"]?.stringValue, b?["name"]?.stringValue].compactMap { $0 }.joined(separator: "/")
    }

    @Test("a subject bound three times is listed once, with its three grants")
    func everyGrant() throws {
        let subjects = try Self.subjects(#"{"id": 1, "op": "who-can", "verb": "get", "resource": "secrets", "namespace": "prod"}"#)
        #expect(subjects.map { $0["name"]?.stringValue } == ["system:masters", "alice", "api"])
        let alice = subjects[1]
        #expect(alice["grants"]?.arrayValue?.map(Self.binding) == [
            "ClusterRoleBinding/readers", "RoleBinding/prod/read-secrets", "RoleBinding/prod/read-secrets-too",
        ])
        // Each grant names the role and the rule that allows the request.
        #expect(alice["grants"]?.arrayValue?.map { $0["role"]?["name"]?.stringValue } == ["reader", "secret-reader", "reader"])
        #expect(alice["grants"]?.arrayValue?.allSatisfy { $0["rule"] != nil && $0["ruleIndex"] != nil } == true)
        #expect(subjects[2]["grants"]?.arrayValue?.map(Self.binding) == ["RoleBinding/prod/read-secrets"])
        // system:masters: no grant, the API server's reason.
        #expect(subjects[0]["grants"]?.arrayValue?.isEmpty == true)
        #expect(subjects[0]["reason"]?.stringValue == "system:masters is allowed everything by the API server")
    }

    @Test("list: only the grants whose rule allows that verb")
    func onlyMatchingGrants() throws {
        let subjects = try Self.subjects(#"{"id": 2, "op": "who-can", "verb": "list", "resource": "secrets", "namespace": "prod"}"#)
        let alice = try #require(subjects.first { $0["name"]?.stringValue == "alice" })
        #expect(alice["grants"]?.arrayValue?.map(Self.binding) == ["ClusterRoleBinding/readers", "RoleBinding/prod/read-secrets-too"])
        #expect(!subjects.contains { $0["name"]?.stringValue == "api" })
    }
}
