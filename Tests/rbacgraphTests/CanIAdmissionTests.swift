import Foundation
import Testing
import TestSupport

/// `can-i` for RBAC writes, on samples/ (erin may create RoleBindings in dev through the Role
/// access-manager, and holds nothing else there): authorization of the write is half the
/// answer, the API server's escalation check the other half.
@Suite("can-i: creating bindings and applying objects, with the API server's escalation check")
struct CanIAdmissionTests {
    @Test("binding a role whose rules one holds: yes, and why")
    func holdsRules() throws {
        let r = try CLI.run(["can-i", "create", "rolebinding", "x", "-n", "dev", "--role", "access-manager", "--as", "erin", "-f", "samples/"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("yes\n"))
        #expect(r.stdout.contains("escalation check: already holds every rule granted (2 rules)"))
    }

    @Test("binding view without holding it nor bind: no, with the check that failed and what is not held")
    func escalation() throws {
        let r = try CLI.run(["can-i", "create", "rolebinding", "x", "-n", "dev", "--clusterrole", "view", "--as", "erin", "-f", "samples/"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("no\n"))
        #expect(r.stdout.contains("create rolebindings: RBAC: allowed by RoleBinding \"erin-access-manager/dev\""))
        #expect(r.stdout.contains("escalation check: forbidden: attempting to grant RBAC permissions not currently held: get,list,watch configmaps;"))
        #expect(r.stdout.contains("and no permission to bind (bind clusterroles.rbac.authorization.k8s.io view in dev)"))

        let json = try CLI.run(["can-i", "create", "rolebinding", "x", "-n", "dev", "--clusterrole", "view", "--as", "erin", "-f", "samples/", "-o", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let check = try #require(object["check"] as? [String: Any])
        let escalation = try #require(check["escalationCheck"] as? [String: Any])
        #expect(escalation["passed"] as? Bool == false)
        let notHeld = try #require(escalation["notHeld"] as? [[String: Any]])
        #expect(notHeld.contains { $0["resource"] as? String == "configmaps" && $0["verbs"] as? [String] == ["get", "list", "watch"] })
        #expect((check["write"] as? [String: Any])?["allowed"] as? Bool == true)
    }

    @Test("a plain can-i create rolebindings says the escalation check is not included")
    func plainNote() throws {
        let r = try CLI.run(["can-i", "create", "rolebindings", "-n", "dev", "--as", "erin", "-f", "samples/"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("note: the API server also checks the binding's role"))
    }

    @Test("apply --object: each object, create or patch, and the kinds not checked")
    func apply() throws {
        let file = CLI.fixtures.appendingPathComponent("admission/pull-request.yaml").path
        let r = try CLI.run(["can-i", "apply", "--object", file, "--as", "erin", "-f", "samples/"])
        #expect(r.status == 1, "the Deployment is refused")
        #expect(r.stdout.contains("RoleBinding dev/erin-self  create  yes"))
        #expect(r.stdout.contains("Deployment dev/web         create  no       no RBAC rule allows create deployments.apps in dev"))
        #expect(r.stderr.contains("not checked (rbacgraph does not read these kinds): 1 ConfigMap"))

        let admin = try CLI.run(["can-i", "apply", "--object", file, "--as", "root", "--as-group", "system:masters", "-f", "samples/", "-o", "json"])
        #expect(admin.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(admin.stdout.utf8)) as? [String: Any])
        #expect(object["allowed"] as? Bool == true)
        #expect((object["objects"] as? [Any])?.count == 2)
        #expect((object["notChecked"] as? [String: Any])?["ConfigMap"] as? Int == 1)
    }

    @Test("usage errors", arguments: [
        (["can-i", "create", "pods", "--clusterrole", "view", "--as", "erin"], "the resource must be rolebinding(s) or clusterrolebinding(s)"),
        (["can-i", "create", "clusterrolebinding", "x", "--role", "r", "--as", "erin"], "A ClusterRoleBinding can only refer to a ClusterRole"),
        (["can-i", "create", "rolebinding", "--role", "r", "--clusterrole", "c", "--as", "erin"], "Give --clusterrole or --role, not both."),
        (["can-i", "create", "rolebinding", "--object", "x.yaml", "--as", "erin"], "With --object, give the verb apply only"),
    ])
    func usage(_ args: [String], _ message: String) throws {
        let r = try CLI.run(args + ["-f", "samples/"])
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}

/// eval's `create-role`: the object is read by the manifest decoder, an aggregationRule included.
@Suite("eval create-role")
struct EvalCreateRoleTests {
    static func query(_ id: Int, _ who: String, _ object: String) -> String {
        #"{"id": \#(id), "op": "create-role", "user": "\#(who)", "authenticated": true, "object": \#(object)}"#
    }

    @Test("a Role of held rules, one of rules not held, and an aggregating ClusterRole")
    func createRole() throws {
        let held = #"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "dev"}, "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["rolebindings"], "verbs": ["get"]}]}"#
        let notHeld = #"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "dev"}, "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}"#
        let aggregating = #"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "agg"}, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}, "rules": []}"#
        let queries = [Self.query(1, "erin", held), Self.query(2, "erin", notHeld), Self.query(3, "erin", aggregating)].joined(separator: "\n")
        let r = try CLI.run(["eval", "-f", "samples/", "--queries", "-"], stdin: queries)
        #expect(r.status == 0, "\(r.stderr)")
        let answers = r.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == 3)
        // erin may not create roles at all: every answer is no, and the first says its rules are held.
        #expect(answers.allSatisfy { $0.contains(#""allowed":false"#) })
        #expect(answers[0].contains("escalation check: already holds every rule granted (1 rule)"))
        #expect(answers[1].contains("attempting to grant RBAC permissions not currently held: get secrets"))
        #expect(answers[2].contains("create clusterroles: forbidden"))
    }
}
