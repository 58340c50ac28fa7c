// Secrets: rbacgraph keeps a Secret's metadata and never its values. `data`, `stringData` and
// the `kubectl.kubernetes.io/last-applied-configuration` annotation (which repeats them) are
// skipped by the parser, and an anchor inside them cannot be replayed elsewhere
// (docs/loading.md, "Secret values").

import Foundation
import RBACCore
import RBACLoading
import Testing

@Suite("Loader: secret values never load")
struct SecretTests {
    /// Every value below, in every form it takes in the input (base64 and decoded).
    static let secretValues = [
        "S3cr3t-StringData-Value", "SECRET-DATA-VALUE", "U0VDUkVULURBVEEtVkFMVUU=",
        "hunter2-in-ca", "aHVudGVyMi1pbi1jYQ==", "PLAIN-LAST-APPLIED-ONLY",
    ]

    /// Nothing a value could hide in: the whole loaded cluster, and every diagnostic.
    static func expectNoSecretValue(in result: ManifestLoader.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let haystacks = [String(describing: result.cluster), String(reflecting: result.cluster)]
            + result.diagnostics.map(\.description) + [String(describing: result.statistics)]
        for value in secretValues {
            for haystack in haystacks {
                #expect(!haystack.contains(value), "secret value \(value) leaked", sourceLocation: sourceLocation)
            }
        }
        // Fragments too: a value cut short or re-quoted is still a leak.
        for fragment in ["S3cr3t", "SECRET-DATA", "hunter2", "U0VDUkVU", "LAST-APPLIED-ONLY"] {
            for haystack in haystacks {
                #expect(!haystack.contains(fragment), "secret fragment \(fragment) leaked", sourceLocation: sourceLocation)
            }
        }
    }

    static let lastApplied = #"{"apiVersion":"v1","data":{"ca.crt":"aHVudGVyMi1pbi1jYQ==","token":"U0VDUkVULURBVEEtVkFMVUU="},"kind":"Secret","metadata":{"annotations":{},"name":"build-token","namespace":"ci"},"stringData":{"password":"S3cr3t-StringData-Value","extra":"PLAIN-LAST-APPLIED-ONLY"},"type":"kubernetes.io/service-account-token"}"#

    /// The metadata is kept: name, namespace, type, and every annotation but last-applied.
    @Test("a Secret keeps its metadata and loses its values", arguments: ["kind first", "kind last"])
    func secretMetadataOnly(order: String) {
        let kind = "apiVersion: v1\nkind: Secret\n"
        let body = """
            metadata:
              name: build-token
              namespace: ci
              labels: {app: builder}
              annotations:
                kubernetes.io/service-account.name: builder
                owner: team-ci
                kubectl.kubernetes.io/last-applied-configuration: |
                  \(Self.lastApplied)
            type: kubernetes.io/service-account-token
            data:
              token: U0VDUkVULURBVEEtVkFMVUU=
              ca.crt: aHVudGVyMi1pbi1jYQ==
            stringData:
              password: S3cr3t-StringData-Value

            """
        let result = load(order == "kind first" ? kind + body : body + kind)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.secrets.count == 1)
        let secret = result.cluster.secrets.first
        #expect(secret?.name == "build-token")
        #expect(secret?.namespace == "ci")
        #expect(secret?.type == "kubernetes.io/service-account-token")
        #expect(secret?.annotations == ["kubernetes.io/service-account.name": "builder", "owner": "team-ci"])
        #expect(secret?.tokenServiceAccount == "builder")
        Self.expectNoSecretValue(in: result)
    }

    /// The same Secret as `kubectl get secret -o json` prints it, inside a List.
    @Test("a Secret in a JSON List")
    func secretInJSONList() throws {
        let lastAppliedJSON = String(decoding: try JSONEncoder().encode(Self.lastApplied), as: UTF8.self)
        let result = load("""
            {"apiVersion": "v1", "items": [{
              "apiVersion": "v1",
              "data": {"ca.crt": "aHVudGVyMi1pbi1jYQ==", "token": "U0VDUkVULURBVEEtVkFMVUU="},
              "kind": "Secret",
              "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": \(lastAppliedJSON), "owner": "team-ci"},
                           "name": "build-token", "namespace": "ci"},
              "type": "Opaque"}], "kind": "List", "metadata": {"resourceVersion": ""}}
            """, name: "secrets.json")
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.secrets.map(\.name) == ["build-token"])
        #expect(result.cluster.secrets.first?.annotations == ["owner": "team-ci"])
        #expect(result.cluster.secrets.first?.type == "Opaque")
        Self.expectNoSecretValue(in: result)
    }

    /// An anchor inside `data` or `stringData` refers to content rbacgraph did not keep: an alias
    /// to it is an error (naming the alias, not the value), and the object using it is dropped.
    @Test("an anchor inside a Secret's data cannot leak through an alias")
    func anchorInsideData() {
        let result = load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata: {name: s1, namespace: ci}
              data: &wholeData
                token: &token U0VDUkVULURBVEEtVkFMVUU=
              stringData:
                password: &pw S3cr3t-StringData-Value
            - apiVersion: v1
              kind: Secret
              metadata:
                name: s2
                namespace: ci
                annotations: {copy: *token, copy2: *pw}
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: *pw, namespace: ci}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: Role
              metadata: {name: r, namespace: ci, labels: {leak: *token}}
              rules: [{apiGroups: [""], resources: [secrets], resourceNames: [*pw], verbs: [get]}]
            - apiVersion: v1
              kind: Secret
              metadata: {name: s3, namespace: ci}
              data: *wholeData
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: innocent, namespace: ci}

            """, name: "anchors.yaml")
        #expect(result.cluster.secrets.map(\.name) == ["s1", "s3"])
        #expect(result.serviceAccountNames == ["ci/innocent"])
        #expect(result.cluster.roles.isEmpty)
        for alias in ["*token", "*pw"] {
            #expect(result.errors.contains { $0.hasSuffix("error: alias \(alias) refers to content rbacgraph does not keep (it includes skipped fields)") })
        }
        Self.expectNoSecretValue(in: result)
    }

    /// Skipping `data` does not depend on the Secret's kind being known: the ConfigMap-like
    /// fields of an object whose kind comes last are skipped too.
    @Test("values in an object of unknown kind are never kept")
    func otherKinds() {
        let result = load("""
            data: {token: U0VDUkVULURBVEEtVkFMVUU=}
            stringData: {password: S3cr3t-StringData-Value}
            metadata: {name: c, annotations: {kubectl.kubernetes.io/last-applied-configuration: PLAIN-LAST-APPLIED-ONLY}}
            kind: ConfigMap
            apiVersion: v1

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.statistics.skippedKinds == ["ConfigMap": 1])
        Self.expectNoSecretValue(in: result)
    }
}

/// Anchors are the one way YAML can copy a value from one place to another: a value the
/// loader skips as secret must not travel through one.
@Suite("Secret values do not travel through anchors")
struct SecretAnchorTests {
    static let secretValue = "hunter2-\u{1F511}"

    @Test("an anchored last-applied annotation cannot be aliased elsewhere")
    func lastAppliedAnchor() {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata:
                name: s1
                annotations:
                  kubectl.kubernetes.io/last-applied-configuration: &la '{"stringData":{"password":"\(Self.secretValue)"}}'
            - apiVersion: v1
              kind: Secret
              metadata: {name: s2, annotations: {note: *la}}
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: sa}
              automountServiceAccountToken: *la

            """
        let result = load(text, name: "leak.yaml")
        #expect(!String(describing: result.cluster).contains(Self.secretValue))
        #expect(!result.diagnostics.map(\.description).joined().contains(Self.secretValue))
        // The aliases are reported instead of followed.
        #expect(result.errors.contains { $0.contains("alias *la refers to content rbacgraph does not keep") })
        #expect(result.cluster.secrets.map(\.name) == ["s1"])
    }

    @Test("an anchored scalar in data cannot be aliased elsewhere")
    func scalarDataAnchor() {
        let text = """
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: &d \(Self.secretValue)
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: t
              annotations: {copy: *d}

            """
        let result = load(text)
        #expect(!String(describing: result.cluster).contains(Self.secretValue))
        #expect(!result.diagnostics.map(\.description).joined().contains(Self.secretValue))
    }

    @Test("anchors of ordinary skipped fields still work")
    func ordinarySkippedAnchor() {
        // `uid` is skipped but not secret: an anchor on it stays usable (within its document:
        // YAML anchors do not cross `---`).
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: a, namespace: x, uid: &u shared}
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: *u, namespace: x}

            """
        let result = load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.serviceAccountNames == ["x/a", "x/shared"])
    }
}
