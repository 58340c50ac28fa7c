// The object decoders recognise mapping keys from their bytes (`Field.named`), without making a
// String per key. These tests pin that the table knows every field by its exact name and
// nothing else: a key that differs by case, by one byte, or by length is another key.

@testable import RBACLoading
import RBACCore
import Testing

@Suite("Loader: field names recognised from bytes")
struct FieldNameTests {
    private func named(_ text: String) -> Field {
        var t = text
        return t.withUTF8 { Field.named($0) }
    }

    @Test("every field is found by its name", arguments: Field.allCases.filter { $0 != .other })
    func everyField(field: Field) {
        #expect(named(field.rawValue) == field)
    }

    @Test(
        "near misses are other keys",
        arguments: ["", "k", "Kind", "KIND", "kinds", "kin", "metadata ", " metadata", "metaData", "<", "<<<",
                    "apiversion", "roleref", "subject", "verb", "x-kind", "automountServiceAccountTokens",
                    "a-key-much-longer-than-any-field-name-there-is"])
    func nearMisses(text: String) {
        #expect(named(text) == .other)
    }

    @Test("a quoted key is the same field as a plain one; an unknown key is skipped")
    func quotedKeys() throws {
        let text = """
            "apiVersion": rbac.authorization.k8s.io/v1
            'kind': ClusterRoleBinding
            "metadata": {"name": ops}
            roleRef: {"apiGroup": rbac.authorization.k8s.io, 'kind': ClusterRole, "name": view}
            "subjects": [{"kind": Group, 'name': ops}]
            "Subjects": [{"kind": Group, 'name': other}]
            """
        let r = try ManifestLoader().load(yaml: text, name: "quoted.yaml")
        #expect(!r.hasErrors)
        let b = try #require(r.cluster.bindings.first)
        #expect(b.name == "ops" && b.roleRef.name == "view" && b.subjects.map(\.name) == ["ops"])
    }
}
