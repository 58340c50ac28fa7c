import Foundation
import Testing

/// The world of docs/external-secrets.md with `examples/external-targets/` (an ExternalSecret
/// writing an Argo CD `Application`, which lena may list as `applications`) and a
/// CustomResourceDefinition of `Application`: its plural decides who reads the object.
@Suite("a CustomResourceDefinition names the resource of an object an ExternalSecret writes")
struct TargetDefinitionCLITests {
    static func crd(plural: String, scope: String = "Namespaced") -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).argoproj.io}
        spec:
          group: argoproj.io
          names: {kind: Application, listKind: ApplicationList, plural: \(plural), singular: application}
          scope: \(scope)
          versions: [{name: v1alpha1, served: true, storage: true}]
        """
    }

    static func application(with crd: String?) throws -> (line: String, json: [String: Any]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crd-\(UUID().uuidString).yaml")
        try (crd ?? "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let args = [
            "secrets", "-n", "prod", "-f", "examples/external/cluster.yaml", "-f", "examples/external-targets/cluster.yaml", "-f", file.path,
            "--vault", "examples/external/vault", "--no-builtin-policy", "-q",
        ]
        let text = try CLI.run(args)
        #expect(text.status == 0, "\(text.stderr)")
        let json = try CLI.run(args + ["-o", "json"])
        let objects = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["writtenObjects"] as? [[String: Any]] ?? []
        let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("Application (argoproj.io/v1alpha1) prod/my-application") }.map(String.init) ?? ""
        return (line, objects.first { ($0["target"] as? String)?.contains("argoproj.io") == true } ?? [:])
    }

    static func readers(_ object: [String: Any]) -> [String] {
        let direct = (object["direct"] as? [[String: Any]] ?? []).compactMap { ($0["subject"] as? [String: Any])?["name"] as? String }
        let paths = (object["paths"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }
        return direct + paths
    }

    @Test("without a CRD the plural is guessed and said; with the CRD of that plural the guess is gone, the readers the same")
    func samePlural() throws {
        let guessed = try Self.application(with: nil)
        #expect(guessed.line.contains("guessed from the kind"), "\(guessed.line)")
        let defined = try Self.application(with: Self.crd(plural: "applications"))
        #expect(!defined.line.contains("guessed") && !defined.line.isEmpty, "\(defined.line)")
        #expect(defined.json["target"] as? String == "can:get:applications.argoproj.io:prod:my-application")
        #expect(Self.readers(defined.json) == Self.readers(guessed.json) && Self.readers(defined.json).contains("user:lena"))
    }

    @Test("a CRD with another plural: the object is of that resource, and lena, who lists applications, no longer reads it")
    func otherPlural() throws {
        let defined = try Self.application(with: Self.crd(plural: "argoapps"))
        #expect(defined.json["target"] as? String == "can:get:argoapps.argoproj.io:prod:my-application")
        #expect(!Self.readers(defined.json).contains("user:lena"), "\(Self.readers(defined.json))")
        #expect(!defined.line.contains("guessed"))
    }

    @Test("a cluster-scoped CRD is said: RBAC cluster-wide decides, where the answers ask in the namespace")
    func clusterScoped() throws {
        let defined = try Self.application(with: Self.crd(plural: "applications", scope: "Cluster"))
        #expect(defined.line.contains("makes Application cluster-scoped"), "\(defined.line)")
    }
}
