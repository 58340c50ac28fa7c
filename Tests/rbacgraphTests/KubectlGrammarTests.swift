import Foundation
import Testing

/// The habits of a kubectl user, each once a silent wrong answer (issue 9): the identity notation
/// in `--as`, `TYPE/NAME` as a name, every grant of a subject, and `bind` on ClusterRoles as the
/// namespaced check the API server makes.
@Suite("kubectl's grammar")
struct KubectlGrammarTests {
    // MARK: --as with the notation rbacgraph prints

    /// `--as VALUE` read as the identity it names: each of these may read prod's secrets.
    static let asIdentities: [(args: [String], allowedBy: String)] = [
        (["--as", "sa:prod/api"], "RoleBinding \"read-secrets/prod\""),
        (["--as", "user:alice"], "RoleBinding \"read-secrets/prod\""),
        (["--as", "group:ops"], "ClusterRoleBinding \"ops-admins\""),
        (["--as", "system:serviceaccount:prod:api"], "RoleBinding \"read-secrets/prod\""),
        (["--as", "sa:kube-system/tiller"], "ClusterRoleBinding \"tiller\""),
    ]

    @Test("--as takes user:, group: and sa:NS/NAME", arguments: asIdentities)
    func asNotation(_ c: (args: [String], allowedBy: String)) throws {
        let r = try CLI.run(["can-i", "get", "secrets", "-n", "prod", "-f", "samples/"] + c.args)
        #expect(r.status == 0, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("yes"))
        #expect(r.stdout.contains(c.allowedBy))
    }

    @Test("--as sa:NS/NAME is the service account's token: its groups, not a user named so")
    func asServiceAccountJSON() throws {
        let r = try CLI.run(["can-i", "get", "secrets", "-n", "prod", "--as", "sa:prod/api", "-f", "samples/", "-o", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let identity = try #require(json["identity"] as? [String: Any])
        #expect(identity["user"] as? String == "system:serviceaccount:prod:api")
        #expect(identity["groups"] as? [String] == ["system:serviceaccounts", "system:serviceaccounts:prod", "system:authenticated"])
    }

    @Test("an empty or malformed --as is a usage error", arguments: [["--as", ""], ["--as", "sa:prod"], ["--as", "sa:prod/api", "--as-group", "devs"]])
    func badAs(_ args: [String]) throws {
        let r = try CLI.run(["can-i", "get", "secrets", "-n", "prod", "-f", "samples/"] + args)
        #expect(r.status == 64, "stderr: \(r.stderr)")
    }

    // MARK: TYPE/NAME is a name

    @Test("can-i get secrets/NAME asks for the Secret of that name")
    func typeSlashName() throws {
        // alice may get every secret of prod, so my-secret too.
        let r = try CLI.run(["can-i", "get", "secrets/my-secret", "-n", "prod", "--as", "alice", "-f", "samples/", "-o", "json"])
        #expect(r.status == 0, "stdout: \(r.stdout) stderr: \(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let request = try #require(json["request"] as? [String: Any])
        #expect(request["resource"] as? String == "secrets")
        #expect(request["name"] as? String == "my-secret")
        #expect(request["subresource"] as? String == "")
    }

    @Test("TYPE/X where X is a subresource of TYPE: read as a name, with a warning naming --subresource")
    func subresourceWarning() throws {
        let r = try CLI.run(["who-can", "create", "pods/exec", "-n", "dev", "-f", "samples/", "-o", "json"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("read as pods named \"exec\"; for the subresource use --subresource exec"), "stderr: \(r.stderr)")
        #expect(r.stdout.contains("\"name\" : \"exec\"") || r.stdout.contains("\"name\": \"exec\""))
    }

    @Test("--subresource asks for the subresource")
    func subresourceFlag() throws {
        let r = try CLI.run(["who-can", "create", "pods", "--subresource", "exec", "-n", "dev", "-f", "samples/"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Group           devs"), "stdout: \(r.stdout)")
    }

    @Test("TYPE/NAME and a NAME argument together is a usage error")
    func nameTwice() throws {
        #expect(try CLI.run(["who-can", "get", "secrets/a", "b", "-n", "prod", "-f", "samples/"]).status == 64)
    }

    @Test("a target in rbacgraph's notation is read before kubectl's grammar")
    func notationTargets() throws {
        // secret:NS/NAME: get secrets NAME in NS (not a resource "secret:prod" named "my-secret").
        let r = try CLI.run(["who-can", "get", "secret:prod/my-secret", "-f", "samples/", "-o", "json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let request = try #require(json["request"] as? [String: Any])
        #expect(request["resource"] as? String == "secrets")
        #expect(request["namespace"] as? String == "prod")
        #expect(request["name"] as? String == "my-secret")
        // sa:NS/NAME: the service account object (impersonate serviceaccounts NAME in NS).
        let i = try CLI.run(["can-i", "impersonate", "sa:kube-system/tiller", "--as", "frank", "-f", "samples/", "-o", "json"])
        let ij = try #require(try JSONSerialization.jsonObject(with: Data(i.stdout.utf8)) as? [String: Any])
        let ir = try #require(ij["request"] as? [String: Any])
        #expect(ir["resource"] as? String == "serviceaccounts")
        #expect(ir["namespace"] as? String == "kube-system")
        #expect(ir["name"] as? String == "tiller")
    }

    // MARK: every grant

    static let twoBindings = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects: [{kind: User, name: dana, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: also-readers, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects: [{kind: User, name: dana, apiGroup: rbac.authorization.k8s.io}]
        """

    @Test("who-can lists every grant: one row per binding, the subject repeated")
    func everyGrantTable() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", "-"], stdin: Self.twoBindings)
        #expect(r.status == 0)
        let dana = r.stdout.split(separator: "\n").filter { $0.contains("dana") }
        #expect(dana.count == 2, "stdout: \(r.stdout)")
        #expect(dana.contains { $0.contains("ClusterRoleBinding/readers") })
        #expect(dana.contains { $0.contains("RoleBinding/prod/also-readers") })
    }

    @Test("who-can -o json: grants: [...] per subject")
    func everyGrantJSON() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", "-", "-o", "json"], stdin: Self.twoBindings)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let subjects = try #require(json["subjects"] as? [[String: Any]])
        let dana = try #require(subjects.first { ($0["subject"] as? [String: Any])?["name"] as? String == "dana" })
        let grants = try #require(dana["grants"] as? [[String: Any]])
        #expect(grants.map { ($0["binding"] as? [String: Any])?["name"] as? String } == ["readers", "also-readers"])
        #expect(subjects.filter { ($0["subject"] as? [String: Any])?["name"] as? String == "dana" }.count == 1)
    }

    // MARK: bind on ClusterRoles is checked in a namespace

    @Test("can-i bind clusterroles NAME -n NS keeps the namespace (the RoleBinding's)")
    func bindClusterRoleCanI() throws {
        let r = try CLI.run(["can-i", "bind", "clusterroles", "viewer", "-n", "dev", "--as", "erin", "-f", "samples/"])
        #expect(r.status == 0, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.contains("RoleBinding \"erin-access-manager/dev\""))
    }

    @Test("who-can bind clusterroles NAME -n NS keeps the namespace")
    func bindClusterRoleWhoCan() throws {
        let r = try CLI.run(["who-can", "bind", "clusterroles", "viewer", "-n", "dev", "-f", "samples/"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("erin"), "stdout: \(r.stdout)")
        #expect(r.stdout.hasPrefix("Subjects allowed to bind clusterroles.rbac.authorization.k8s.io viewer in dev:"), "stdout: \(r.stdout)")
    }

    @Test("a request that really goes to a cluster-scoped URL drops -n, and says so")
    func clusterScopedDropsNamespace() throws {
        let r = try CLI.run(["who-can", "list", "nodes", "-n", "prod", "-f", "samples/"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Subjects allowed to list nodes (cluster-wide):"))
        #expect(r.stderr.contains("nodes is cluster-scoped: asked cluster-wide, -n prod left out"), "stderr: \(r.stderr)")
    }
}
