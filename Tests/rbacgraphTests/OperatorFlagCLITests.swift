import Foundation
import Testing

/// The world of docs/external-secrets.md with `examples/external-targets/` (ExternalSecrets
/// writing a ConfigMap and an Argo CD Application), erin (who writes ExternalSecrets in prod)
/// reading prod's ConfigMaps, and the operator's Deployment with or without
/// `--unsafe-allow-generic-targets`: the flag, read from it, decides what was a stated condition.
@Suite("the operator's --unsafe-allow-generic-targets, read from its Deployment")
struct OperatorFlagCLITests {
    static let erinReadsConfigMaps = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: erin-config, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
        subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
        """

    static func operatorDeployment(_ args: [String]) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: external-secrets, namespace: external-secrets}
        spec:
          template:
            spec:
              serviceAccountName: external-secrets
              containers:
              - name: external-secrets
                image: oci.external-secrets.io/external-secrets/external-secrets:v0.20.4
                args: [\(args.joined(separator: ", "))]
        """
    }

    /// Runs `args` on the world with `extra` manifests in a file of their own.
    static func run(_ args: [String], extra: String) throws -> CLI.Output {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("operator-\(UUID().uuidString).yaml")
        try (erinReadsConfigMaps + "\n---\n" + extra).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try CLI.run(args + [
            "-f", "examples/external/cluster.yaml", "-f", "examples/external-targets/cluster.yaml", "-f", file.path,
            "--vault", "examples/external/vault", "--no-builtin-policy",
        ])
    }

    static let erinToVault = ["paths", "--from", "user:erin", "--to", "vault:secret/data/shared/db"]

    static func writtenObjects(extra: String) throws -> [[String: Any]] {
        let r = try run(["secrets", "-n", "prod", "-o", "json", "-q"], extra: extra)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        return json["writtenObjects"] as? [[String: Any]] ?? []
    }

    @Test("flag on: the route through a ConfigMap target is shown true, and written objects carry no such condition")
    func flagOn() throws {
        let extra = Self.operatorDeployment(["--concurrent=1", "--unsafe-allow-generic-targets=true"])
        let r = try Self.run(Self.erinToVault, extra: extra)
        #expect(r.status == 0 && !r.stderr.contains("warning"), "\(r.stderr)")
        #expect(r.stdout.contains("conditional: 1 shown true"), "\(r.stdout)")
        #expect(r.stdout.contains("runs the operator with --unsafe-allow-generic-targets=true (container external-secrets)), so the author may name a ConfigMap as the target: shown true by the input"))
        let objects = try Self.writtenObjects(extra: extra)
        #expect(objects.compactMap { $0["target"] as? String } == ["can:get:configmaps:prod:app-config", "can:get:applications.argoproj.io:prod:my-application"])
        #expect(objects.first?["condition"] == nil)
        let application = objects.last?["condition"] as? String ?? ""
        #expect(application.contains("guessed from the kind") && !application.contains("--unsafe-allow-generic-targets"), "\(application)")
    }

    @Test("flag absent or off in the Deployment: no such object is written, no route through one, and stderr says why", arguments: [
        ["--concurrent=1"], ["--unsafe-allow-generic-targets=false"], [],
    ])
    func flagOff(args: [String]) throws {
        let extra = Self.operatorDeployment(args)
        let r = try Self.run(Self.erinToVault, extra: extra)
        #expect(r.stdout.contains("No path from user:erin"), "\(r.stdout)")
        let how = args.contains("--unsafe-allow-generic-targets=false") ? "with --unsafe-allow-generic-targets=false" : "without --unsafe-allow-generic-targets"
        #expect(r.stderr.contains(
            "warning: ExternalSecret prod/application-config at examples/external-targets/cluster.yaml:4:1 writes into an object of kind ConfigMap (spec.target.manifest), but Deployment external-secrets/external-secrets at "),
            "\(r.stderr)")
        #expect(r.stderr.contains("runs the operator \(how) (container external-secrets): the operator writes no such object, and no answer counts one"), "\(r.stderr)")
        #expect(try Self.writtenObjects(extra: extra).isEmpty)
    }

    @Test("no operator Deployment (or only its webhook with the flag): the stated condition, not shown by the input", arguments: [
        "", "apiVersion: v1\nkind: Namespace\nmetadata: {name: external-secrets}",
        operatorDeployment(["webhook", "--unsafe-allow-generic-targets=true"]),
    ])
    func noDeployment(extra: String) throws {
        let r = try Self.run(Self.erinToVault, extra: extra.isEmpty ? "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}" : extra)
        #expect(r.status == 0 && !r.stderr.contains("warning"), "\(r.stderr)")
        #expect(r.stdout.contains("conditional: 1 not shown"), "\(r.stdout)")
        #expect(r.stdout.contains("the operator runs with --unsafe-allow-generic-targets and may write ConfigMaps (ExternalSecret prod/application-config"))
        let objects = try Self.writtenObjects(extra: extra.isEmpty ? "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}" : extra)
        #expect((objects.first?["condition"] as? String)?.contains("--unsafe-allow-generic-targets") == true)
    }
}
