import Foundation
import Testing
import RBACCore
import RBACLoading
import TestSupport

/// The External Secrets Operator's `--unsafe-allow-generic-targets`, read from the container
/// running its controller: which container that is, what its arguments say (as the operator's
/// flag parser reads them), and what the input's Deployments decide.
@Suite struct OperatorFlagTests {
    static let image = "oci.external-secrets.io/external-secrets/external-secrets:v0.20.4"

    @Test("the controller and its flag, from the image and the command line", arguments: [
        // (image, command line after the executable, running the controller?, allows generic targets?)
        (image, ["--concurrent=1", "--unsafe-allow-generic-targets=true"], true, true),
        (image, ["--unsafe-allow-generic-targets"], true, true),
        (image, ["--unsafe-allow-generic-targets=1"], true, true),
        (image, ["--unsafe-allow-generic-targets=T"], true, true),
        ("ghcr.io/external-secrets/external-secrets@sha256:0123", ["--unsafe-allow-generic-targets=True"], true, true),
        ("localhost:5000/external-secrets:v1", ["--unsafe-allow-generic-targets"], true, true),
        // The flag in a renamed image still names the controller.
        ("registry.example/mirror/eso-controller:v1", ["--unsafe-allow-generic-targets=true"], true, true),
        // Near misses: the controller without the flag, or with it off.
        (image, ["--concurrent=1", "--metrics-addr=:8080"], true, false),
        (image, [], true, false),
        (image, ["--unsafe-allow-generic-targets=false"], true, false),
        (image, ["--unsafe-allow-generic-targets=yes"], true, false),  // Go's ParseBool refuses it: the operator does not start
        (image, ["--unsafe-allow-generic-targets", "--unsafe-allow-generic-targets=false"], true, false),  // the last one wins
        (image, ["--", "--unsafe-allow-generic-targets"], true, false),  // after --, no flag
        (image, ["--unsafe-allow-generic-targets-please"], true, false),
        (image, ["-unsafe-allow-generic-targets"], true, false),
    ] as [(String, [String], Bool, Bool)])
    func controller(image: String, arguments: [String], runs: Bool, allows: Bool) {
        let c = ExternalSecretsController.running(container: "c", image: image, arguments: arguments)
        #expect((c != nil) == runs)
        #expect(c?.allowsGenericTargets ?? false == allows)
    }

    @Test("not the controller: the webhook and the certificate controller (same image), another image", arguments: [
        (image, ["webhook", "--port=10250"]),
        (image, ["certcontroller", "--crd-requeue-interval=5m"]),
        (image, ["webhook", "--unsafe-allow-generic-targets=true"]),
        ("ghcr.io/external-secrets/bitwarden-sdk-server:v0.5.0", ["--port=9998"]),
        ("registry.redhat.io/external-secrets-operator/external-secrets-operator-rhel9:v1", []),
    ] as [(String, [String])])
    func notTheController(image: String, arguments: [String]) {
        #expect(ExternalSecretsController.running(container: "c", image: image, arguments: arguments) == nil)
    }

    static func deployment(kind: String = "Deployment", name: String = "external-secrets", command: String = "", args: [String]) -> String {
        """
        apiVersion: apps/v1
        kind: \(kind)
        metadata: {name: \(name), namespace: external-secrets}
        spec:
          template:
            spec:
              serviceAccountName: external-secrets
              containers:
              - name: sidecar
                image: busybox
                args: [sleep, "3600"]
              - name: external-secrets
                image: \(image)
        \(command)        args: [\(args.map { "\"\($0)\"" }.joined(separator: ", "))]
        """
    }

    static func setting(_ yaml: String) throws -> (GenericTargetsSetting, ManifestLoader.Result) {
        let r = try ManifestLoader().load(yaml: yaml, name: "operator.yaml")
        #expect(!r.hasErrors, "\(r.diagnostics)")
        return (r.cluster.genericTargets, r)
    }

    @Test("a Deployment decides: with the flag on allowed, without it or off refused")
    func deploymentDecides() throws {
        let (on, r) = try Self.setting(Self.deployment(args: ["--concurrent=1", "--unsafe-allow-generic-targets=true"]))
        #expect(on == .allowed("Deployment external-secrets/external-secrets at operator.yaml:1:1 runs the operator with --unsafe-allow-generic-targets=true (container external-secrets)"))
        #expect(r.cluster.workloads.first?.template.externalSecretsController?.container == "external-secrets")
        let (off, _) = try Self.setting(Self.deployment(args: ["--concurrent=1"]))
        #expect(off == .refused("Deployment external-secrets/external-secrets at operator.yaml:1:1 runs the operator without --unsafe-allow-generic-targets (container external-secrets)"))
        let (no, _) = try Self.setting(Self.deployment(args: ["--unsafe-allow-generic-targets=false"]))
        #expect(no == .refused("Deployment external-secrets/external-secrets at operator.yaml:1:1 runs the operator with --unsafe-allow-generic-targets=false (container external-secrets)"))
        // command and args join as the kubelet joins them.
        let command = "        command: [/app/external-secrets, --unsafe-allow-generic-targets]\n"
        #expect(try Self.setting(Self.deployment(command: command, args: ["--concurrent=1"])).0 != off)
        // One Deployment with the flag on among several: allowed.
        let two = Self.deployment(name: "eso-a", args: []) + "\n---\n" + Self.deployment(name: "eso-b", args: ["--unsafe-allow-generic-targets"])
        if case .allowed(let why) = try Self.setting(two).0 { #expect(why.contains("eso-b")) } else { Issue.record("not allowed") }
    }

    @Test("without such a Deployment the flag stays a stated condition: only other kinds, the webhook, nothing")
    func noDeploymentNoDecision() throws {
        #expect(try Self.setting(Self.deployment(kind: "ReplicaSet", args: ["--unsafe-allow-generic-targets"])).0 == .unknown)
        #expect(try Self.setting(Self.deployment(args: ["webhook", "--unsafe-allow-generic-targets"])).0 == .unknown)
        #expect(try Self.setting("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n").0 == .unknown)
    }

    @Test("command and args of another shape decide nothing and reject nothing (as before they were read)", arguments: [
        "args: {a: b}", "args: --unsafe-allow-generic-targets", "args: [{a: b}, --unsafe-allow-generic-targets]", "command: 3\n        args: [~]",
    ])
    func otherShapes(fields: String) throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: eso, namespace: x}
            spec:
              template:
                spec:
                  containers:
                  - name: c
                    image: \(Self.image)
                    \(fields)
            """
        let r = try ManifestLoader().load(yaml: yaml, name: "operator.yaml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.cluster.workloads.count == 1)
        let allows = fields.hasPrefix("args: [{a: b}")
        #expect(r.cluster.workloads.first?.template.externalSecretsController?.allowsGenericTargets == allows)
    }

    @Test(
        "the operator's rendered Helm chart (../shared/corpus): the controller without the flag; webhook and cert controller are not it",
        .enabled(if: Repository.isDirectory(Repository.corpus.appendingPathComponent("external-secrets")), "../shared/corpus is absent"))
    func renderedChart() throws {
        let dir = Repository.corpus.appendingPathComponent("external-secrets/rendered-v0.20")
        let r = try ManifestLoader().load(paths: [dir.path])
        let controllers = r.cluster.workloads.filter { $0.template.externalSecretsController != nil }.map(\.name)
        #expect(controllers == ["external-secrets"])
        guard case .refused(let why) = r.cluster.genericTargets else { Issue.record("\(r.cluster.genericTargets)"); return }
        #expect(why.contains("without --unsafe-allow-generic-targets"))
    }
}
