import Foundation
import Testing
import RBACCore
import RBACLoading

/// CustomResourceDefinitions in the input name the resource of a custom kind an ExternalSecret
/// writes (`spec.target.manifest`): its `spec.names.plural` and `spec.scope`, instead of the
/// plural guessed from the kind.
@Suite struct TargetDefinitionTests {
    static func crd(group: String = "argoproj.io", kind: String = "Application", plural: String, scope: String = "Namespaced") -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).\(group)}
        spec:
          group: \(group)
          names: {kind: \(kind), listKind: \(kind)List, plural: \(plural), singular: \(kind.lowercased()), shortNames: [app]}
          scope: \(scope)
          versions:
          - name: v1alpha1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """
    }

    static let externalSecret = """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: argocd-app, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target:
            name: my-application
            manifest: {apiVersion: argoproj.io/v1alpha1, kind: Application}
          dataFrom: [{extract: {key: shared/argocd}}]
        """

    static func manifest(_ yaml: String) throws -> ExternalSecret.TargetManifest? {
        let r = try ManifestLoader().load(yaml: yaml, name: "crd.yaml")
        #expect(!r.hasErrors, "\(r.diagnostics)")
        return r.cluster.external.resolvingTargetManifests().externalSecrets.first?.manifest
    }

    @Test("a CRD is loaded with its group, kind, plural and scope; its versions and schema are not read")
    func loaded() throws {
        let r = try ManifestLoader().load(yaml: Self.crd(plural: "applications", scope: "Cluster"), name: "crd.yaml")
        #expect(!r.hasErrors, "\(r.diagnostics)")
        #expect(r.cluster.external.customResourceDefinitions == [
            CustomResourceDefinition(group: "argoproj.io", kind: "Application", plural: "applications", namespaced: false, source: SourceLocation(file: "crd.yaml", line: 1, column: 1)),
        ])
        #expect(r.cluster.external.isEmpty)  // not an external secret object
    }

    @Test("the CRD's plural is the resource, in either order of the files, and nothing is guessed")
    func pluralFromTheDefinition() throws {
        for yaml in [Self.crd(plural: "argoapps") + "\n---\n" + Self.externalSecret, Self.externalSecret + "\n---\n" + Self.crd(plural: "argoapps")] {
            let m = try #require(try Self.manifest(yaml))
            #expect(m.resource.name == "argoapps" && !m.resource.guessed)
            #expect(m.typedResource == "argoapps.argoproj.io")
        }
    }

    @Test("near misses: a CRD of another group or kind leaves the plural guessed", arguments: [
        crd(group: "example.com", plural: "argoapps"), crd(kind: "AppProject", plural: "appprojects"),
    ])
    func otherDefinitions(crd: String) throws {
        let m = try #require(try Self.manifest(crd + "\n---\n" + Self.externalSecret))
        #expect(m.resource.name == "applications" && m.resource.guessed)
    }

    @Test("bad CRDs: a bad scope or a spec before its kind is warned about, located; the rest still loads", arguments: [
        ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {group: g, names: {kind: K, plural: ks}, scope: Global}\n", "warning: CustomResourceDefinition \"x\": spec.scope must be Namespaced or Cluster, not Global: not used"),
        ("apiVersion: apiextensions.k8s.io/v1\nspec: {group: g, names: {kind: K, plural: ks}, scope: Namespaced}\nkind: CustomResourceDefinition\nmetadata: {name: x}\n", "warning: CustomResourceDefinition \"x\": its spec comes before its kind, which rbacgraph needs first: not used"),
    ])
    func badDefinitions(yaml: String, message: String) throws {
        let r = try ManifestLoader().load(yaml: yaml + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ok}\n", name: "crd.yaml")
        #expect(r.diagnostics.map { "\($0)" }.contains { $0.hasPrefix("crd.yaml:1:1: ") && $0.hasSuffix(message) }, "\(r.diagnostics)")
        #expect(r.cluster.external.customResourceDefinitions.isEmpty)
        #expect(r.cluster.serviceAccounts.count == 1)
    }

    @Test("a partial CRD (a kustomize patch: no plural, no scope, no name) is skipped quietly and counted as skipped")
    func partialDefinition() throws {
        let r = try ManifestLoader().load(yaml: """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            spec:
              versions: [{name: v1, served: false}]
            """, name: "crd.yaml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.cluster.external.customResourceDefinitions.isEmpty)
        #expect(r.statistics.skippedKinds == ["CustomResourceDefinition": 1])
    }
}
