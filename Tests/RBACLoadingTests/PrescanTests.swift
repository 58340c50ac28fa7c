// The pre-scan (ManifestLoader.Options.prescan): libyaml gets empty lines in place of an
// object's metadata.managedFields and last-applied annotation, where a byte scan is sure that
// this changes nothing. Every case loads its input with and without the scan and compares
// everything a user sees; the table also says whether the scan replaces anything, so it
// documents where it does and where it must not.

import Foundation
import RBACCore
import RBACLoading
import TestSupport
import Testing

/// A manifest, and whether the scan replaces any of its bytes.
struct PrescanCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    var replaces: Bool
    var testDescription: String { name }
}

/// Object heads and values shared by the cases.
private enum Y {
    static let managedFields = """
          managedFields:
          - apiVersion: rbac.authorization.k8s.io/v1
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:annotations:
                  .: {}
                  f:kubectl.kubernetes.io/last-applied-configuration: {}
              f:rules: {}
            manager: kubectl-client-side-apply
            operation: Update
            time: "2024-01-12T05:45:33Z"

        """
    static let lastApplied = """
            kubectl.kubernetes.io/last-applied-configuration: |
              {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"annotations":{},"name":"r","namespace":"dev"}}

        """
    static let rules = """
        rules:
        - apiGroups: [""]
          resources: [secrets]
          verbs: [get]

        """

    /// A Role whose metadata holds `middle` between its annotations and its name.
    static func role(_ middle: String, name: String = "reader") -> String {
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  annotations:\n    rbac.authorization.kubernetes.io/autoupdate: \"true\"\n"
            + middle + "  name: \(name)\n  namespace: dev\n" + rules
    }
}

private let replacing: [PrescanCase] = [
    PrescanCase(name: "managedFields of a Role", yaml: Y.role(Y.managedFields), replaces: true),
    PrescanCase(name: "the last-applied annotation of a Role", yaml: Y.role(Y.lastApplied), replaces: true),
    PrescanCase(
        name: "a stream of documents", yaml: "---\n" + Y.role(Y.lastApplied + Y.managedFields, name: "a") + "---\n" + Y.role(Y.managedFields, name: "b"),
        replaces: true),
    PrescanCase(
        name: "items of a List (indentless, as kubectl writes)",
        yaml: "apiVersion: v1\nitems:\n" + indentItem(Y.role(Y.lastApplied + Y.managedFields, name: "a")) + indentItem(Y.role(Y.managedFields, name: "b"))
            + "kind: List\nmetadata:\n  resourceVersion: \"\"\n",
        replaces: true),
    PrescanCase(
        name: "items of a List (indented)",
        yaml: "apiVersion: v1\nkind: List\nitems:\n" + indentItem(Y.role(Y.managedFields, name: "a"), by: "  "), replaces: true),
    PrescanCase(
        name: "a Secret's last-applied annotation (it holds the values)",
        yaml: "apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"data\":{\"password\":\"aHVudGVyMg==\"},\"kind\":\"Secret\"}\n  name: db\n  namespace: dev\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\n",
        replaces: true),
    PrescanCase(
        name: "comments and blank lines inside and after the value",
        yaml: Y.role("  managedFields:\n  # who wrote what\n  - manager: kubectl\n\n    operation: Update   # comment\n# at column 0\n"), replaces: true),
    PrescanCase(
        name: "quoted keys of a Pod's managedFields", yaml: Y.role("  managedFields:\n  - fieldsV1:\n      f:spec:\n        'k:{\"name\":\"web\"}':\n          .: {}\n        \"k:{x}\": {}\n    manager: kubelet\n"),
        replaces: true),
    PrescanCase(name: "a directive before the document's marker", yaml: "%YAML 1.1\n---\n" + Y.role(Y.managedFields), replaces: true),
    PrescanCase(name: "a document on its marker's line before", yaml: "--- |\n  text\n---\n" + Y.role(Y.managedFields), replaces: true),
    PrescanCase(
        name: "single-quoted keys with a doubled quote", yaml: Y.role("  managedFields:\n  - fieldsV1:\n      f:spec:\n        'k:{\"name\":\"it''s\"}':\n          .: {}\n    manager: kubelet\n"),
        replaces: true),
    PrescanCase(
        name: "a mapping value rather than a sequence", yaml: Y.role("  managedFields:\n    a: 1\n    b:\n    - x\n"), replaces: true),
    PrescanCase(
        name: "CR LF line ends elsewhere do not matter, but the value's own lines must end in LF only",
        yaml: Y.role(Y.managedFields).replacingOccurrences(of: "\n", with: "\r\n"), replaces: false),
    PrescanCase(
        name: "a document after a broken one", yaml: "kind: Role\nmetadata: {name: [\n---\n" + Y.role(Y.managedFields), replaces: true),
]

private let keeping: [PrescanCase] = [
    PrescanCase(
        name: "YAML text in a ConfigMap's block scalar",
        yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  inner.yaml: |\n    kind: Role\n    metadata:\n      managedFields:\n      - manager: x\n      name: r\n",
        replaces: false),
    PrescanCase(
        name: "YAML text in a Role's own block scalar annotation",
        yaml: Y.role("  labels:\n    x: |\n      metadata:\n        managedFields:\n        - a: b\n"), replaces: false),
    PrescanCase(
        name: "a multi-line double-quoted scalar before",
        yaml: Y.role("  labels:\n    x: \"a\n  managedFields:\n  - manager: x\n    b\"\n"), replaces: false),
    PrescanCase(
        name: "a flow mapping over several lines before",
        yaml: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {\n  managedFields: [\n  {manager: x}],\n  name: r, namespace: dev}\n" + Y.rules, replaces: false),
    PrescanCase(
        name: "a Deployment's pod template metadata",
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: dev\nspec:\n  template:\n    metadata:\n      managedFields:\n      - manager: x\n    spec:\n      serviceAccountName: web\n      containers: [{name: c, image: i}]\n",
        replaces: false),
    PrescanCase(
        name: "managedFields outside metadata", yaml: Y.role("") + "status:\n  managedFields:\n  - manager: x\n", replaces: false),
    PrescanCase(
        name: "an anchor inside the value, aliased later",
        yaml: Y.role("  managedFields:\n  - manager: &m kubectl\n") + "---\n" + Y.role("  labels:\n    who: *m\n", name: "b"), replaces: false),
    PrescanCase(name: "an alias inside the value", yaml: Y.role("  managedFields:\n  - manager: *undefined\n"), replaces: false),
    PrescanCase(name: "a tag inside the value", yaml: Y.role("  managedFields:\n  - manager: !!str kubectl\n"), replaces: false),
    PrescanCase(name: "an anchor on metadata", yaml: Y.role(Y.managedFields).replacingOccurrences(of: "metadata:\n", with: "metadata: &meta\n"), replaces: false),
    PrescanCase(name: "a key twice in one mapping of the value", yaml: Y.role("  managedFields:\n  - manager: a\n    manager: b\n"), replaces: false),
    PrescanCase(name: "a tab inside the value", yaml: Y.role("  managedFields:\n  - manager:\tkubectl\n    op: x\n"), replaces: false),
    PrescanCase(name: "a tab as indentation inside the value", yaml: Y.role("  managedFields:\n  - manager: kubectl\n\t op: x\n"), replaces: false),
    PrescanCase(name: "a key over libyaml's 1,024-character simple key limit", yaml: Y.role("  managedFields:\n  - " + String(repeating: "k", count: 1100) + ": v\n"), replaces: false),
    PrescanCase(name: "invalid UTF-8 inside the value", yaml: Y.role("  managedFields:\n  - manager: caf\u{FFFD}\n").replacingOccurrences(of: "\u{FFFD}", with: "\u{1}"), replaces: false),
    PrescanCase(name: "a control character inside the annotation", yaml: Y.role("    kubectl.kubernetes.io/last-applied-configuration: |\n      {\u{7}}\n"), replaces: false),
    PrescanCase(name: "a value on the key's line", yaml: Y.role("  managedFields: []\n"), replaces: false),
    PrescanCase(name: "a comment on the key's line", yaml: Y.role("  managedFields: # none\n  - manager: x\n"), replaces: false),
    PrescanCase(
        name: "a block scalar with an indentation indicator",
        yaml: Y.role("    kubectl.kubernetes.io/last-applied-configuration: |2\n        {\"kind\":\"Role\"}\n"), replaces: false),
    PrescanCase(
        name: "a folded annotation that continues less indented than its first line",
        yaml: Y.role("    kubectl.kubernetes.io/last-applied-configuration: |\n        {\"kind\":\n       \"Role\"}\n"), replaces: false),
    PrescanCase(name: "a byte order mark", yaml: "\u{FEFF}" + Y.role(Y.managedFields), replaces: false),
    PrescanCase(name: "a double-quoted key with an escape", yaml: Y.role("  managedFields:\n  - \"k:{\\u0022x\\u0022}\": {}\n"), replaces: false),
    PrescanCase(name: "a complex key before", yaml: Y.role("  ? labels\n  : {}\n" + Y.managedFields), replaces: false),
    PrescanCase(name: "an entry at the key's column after a nested sequence", yaml: Y.role("  managedFields:\n    - manager: x\n  - y\n"), replaces: false),
    PrescanCase(name: "an unclosed quote inside the value", yaml: Y.role("  managedFields:\n  - manager: \"x\n    op: y\"\n"), replaces: false),
    PrescanCase(name: "an escape inside the value", yaml: Y.role("  managedFields:\n  - manager: \"\\q\"\n"), replaces: false),
    PrescanCase(
        name: "nesting deeper than the scan follows",
        yaml: Y.role("  managedFields:\n" + (0..<45).map { String(repeating: " ", count: 4 + 2 * $0) + "k\($0):\n" }.joined() + String(repeating: " ", count: 94) + "v: 1\n"),
        replaces: false),
    PrescanCase(name: "a lone carriage return before", yaml: Y.role("  labels:\n    a: b\r    c: d\n" + Y.managedFields), replaces: false),
    PrescanCase(name: "a line separator (U+2028) before", yaml: Y.role("  labels:\n    a: |\n      x\u{2028}y\n" + Y.managedFields), replaces: false),
    PrescanCase(name: "JSON", yaml: "{\"kind\":\"Role\",\"metadata\":{\"name\":\"r\",\"managedFields\":[{\"manager\":\"x\"}]}}\n", replaces: false),
    PrescanCase(
        name: "managedFields of an item's own items",
        yaml: "kind: List\nitems:\n- kind: List\n  items:\n  - kind: Role\n    metadata:\n      managedFields:\n      - manager: x\n      name: r\n", replaces: false),
    PrescanCase(name: "a plain scalar that continues on the next lines", yaml: Y.role("  labels:\n    a: b\n      managedFields:\n  x: y\n"), replaces: false),
]

/// `text` (a document) as an item of an indentless List sequence.
private func indentItem(_ text: String, by prefix: String = "") -> String {
    var out = ""
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
        out += prefix + (i == 0 ? "- " : "  ") + line + "\n"
    }
    return out
}

@Suite struct PrescanTests {
    @Test("replaced, and loads exactly as without the scan", arguments: replacing)
    func replaced(_ c: PrescanCase) {
        check(c)
    }

    @Test("left alone, and loads exactly as without the scan", arguments: keeping)
    func keptWhole(_ c: PrescanCase) {
        check(c)
    }

    private func check(_ c: PrescanCase) {
        let bytes = Array(c.yaml.utf8)
        let replaced = ManifestLoader.prescanReplacedBytes(bytes)
        #expect((replaced > 0) == c.replaces, "replaced \(replaced) bytes")
        #expect(ManifestLoader.prescanDifference(bytes) == nil)
        var strict = ManifestLoader.Options()
        strict.strict = true
        #expect(ManifestLoader.prescanDifference(bytes, options: strict) == nil)
    }

    /// Line and column of what follows a replaced value are those of the input.
    @Test func positionsAfterAReplacedValue() {
        let yaml = Y.role(Y.lastApplied + Y.managedFields) + "  bogus: [\n"
        let bytes = Array(yaml.utf8)
        #expect(ManifestLoader.prescanReplacedBytes(bytes) > 0)
        let on = try? ManifestLoader().load(bytes: bytes, name: "r.yaml")
        var o = ManifestLoader.Options()
        o.prescan = false
        let off = try? ManifestLoader(options: o).load(bytes: bytes, name: "r.yaml")
        #expect(on?.errors == off?.errors)
        #expect(on?.errors.isEmpty == false)
    }

    /// A value is replaced only when it, its key and the next key lie in one 16 KiB span of
    /// the input (what libyaml reads at once): shifting a managedFields value across a span's
    /// end byte by byte, each load equals the load without the scan, and some are replaced.
    @Test func valuesAcrossASpanEnd() {
        var replacedSome = false
        var keptSome = false
        for pad in stride(from: 15_800, to: 16_400, by: 7) {
            let filler = "# " + String(repeating: "x", count: pad) + "\n"
            let bytes = Array((filler + Y.role(Y.managedFields)).utf8)
            if ManifestLoader.prescanReplacedBytes(bytes) > 0 { replacedSome = true } else { keptSome = true }
            #expect(ManifestLoader.prescanDifference(bytes) == nil, "padding \(pad)")
        }
        #expect(replacedSome && keptSome)
    }

    /// A token larger than the bound stops the document the same way with the scan.
    @Test func tokenBoundUnchanged() {
        var o = ManifestLoader.Options()
        o.maxScalarBytes = 1 << 20
        let big = "x: \"" + String(repeating: "a", count: (1 << 20) + 100) + "\"\n"
        var docs = ""
        for i in 0..<40 { docs += "---\n" + Y.role(Y.lastApplied + Y.managedFields, name: "r\(i)") }
        let bytes = Array((docs + "---\n" + big + "---\n" + docs).utf8)
        #expect(ManifestLoader.prescanReplacedBytes(bytes) > 0)
        #expect(ManifestLoader.prescanDifference(bytes, options: o) == nil)
    }

    /// Files reach libyaml whole, in parts on several threads (a stream cut at `---`, a List
    /// cut at its items), and as a folder of small files: the same either way.
    @Test func filesAndParts() throws {
        try withTemporaryDirectory { dir in
            var stream = ""
            var items = ""
            for i in 0..<400 {
                stream += "---\n" + Y.role(Y.lastApplied + Y.managedFields, name: "r\(i)")
                items += indentItem(Y.role(Y.lastApplied + Y.managedFields, name: "i\(i)"))
            }
            try write(stream, to: dir.appendingPathComponent("stream.yaml"))
            try write("apiVersion: v1\nitems:\n" + items + "kind: List\nmetadata:\n  resourceVersion: \"\"\n", to: dir.appendingPathComponent("list.yaml"))
            for i in 0..<20 { try write(Y.role(Y.managedFields, name: "f\(i)"), to: dir.appendingPathComponent("many/f\(i).yaml")) }
            var o = ManifestLoader.Options()
            o.parallelism = 2
            o.parallelPartBytes = 16 << 10
            for path in ["stream.yaml", "list.yaml", "many"] {
                let p = dir.appendingPathComponent(path).path
                #expect(ManifestLoader.prescanDifference(paths: [p], options: o) == nil, "\(path), two threads")
                #expect(ManifestLoader.prescanDifference(paths: [p]) == nil, "\(path)")
            }
            let list = try ManifestLoader(options: o).load(paths: [dir.appendingPathComponent("list.yaml").path])
            #expect(list.cluster.roles.count == 400)
            #expect(list.diagnostics.isEmpty)
        }
    }

    /// Small edits of a kubectl List (one byte replaced by a character that matters to YAML,
    /// inserted or deleted, at every position in turn): whatever the edit breaks or changes,
    /// the load with the scan equals the load without.
    @Test func editsOfAKubectlList() {
        let list = "apiVersion: v1\nitems:\n" + indentItem(Y.role(Y.lastApplied + Y.managedFields, name: "a"))
            + indentItem(Y.role(Y.managedFields, name: "b")) + "kind: List\nmetadata:\n  resourceVersion: \"\"\n"
        let original = Array(list.utf8)
        #expect(ManifestLoader.prescanReplacedBytes(original) > 0)
        let characters: [UInt8] = Array(" \t\n\r-:#'\"|>&*!{}[],?%\\".utf8) + [0x00, 0xC2, 0xE2, 0xFF]
        var edits = 0
        var stillReplaced = 0
        for position in original.indices {
            let c = characters[position % characters.count]
            var variants: [[UInt8]] = []
            var replaced = original
            replaced[position] = c
            variants.append(replaced)
            if position % 3 == 0 {
                var inserted = original
                inserted.insert(c, at: position)
                variants.append(inserted)
                var deleted = original
                deleted.remove(at: position)
                variants.append(deleted)
            }
            for v in variants {
                edits += 1
                if ManifestLoader.prescanReplacedBytes(v) > 0 { stillReplaced += 1 }
                let d = ManifestLoader.prescanDifference(v)
                #expect(d == nil, "edit at \(position) (\(c)): \(d ?? "")")
            }
        }
        #expect(edits > 1000)
        #expect(stillReplaced > edits / 2)
    }

    /// Every manifest of the test fixtures, samples/ and examples/, and of ../shared/corpus
    /// when present: each file loads the same with and without the scan.
    @Test func everyFixtureAndCorpusFile() throws {
        var roots = [Repository.samples, Repository.root.appendingPathComponent("examples")]
        roots += (try FileManager.default.contentsOfDirectory(atPath: Repository.root.appendingPathComponent("Tests").path))
            .map { Repository.fixtures($0) }
        if Repository.isDirectory(Repository.corpus) { roots.append(Repository.corpus) }
        var files = 0
        for root in roots where Repository.isDirectory(root) {
            guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where ["yaml", "yml", "json"].contains(url.pathExtension) {
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                files += 1
                let d = ManifestLoader.prescanDifference(Array(data), name: url.lastPathComponent)
                #expect(d == nil, "\(Repository.relative(url.path)): \(d ?? "")")
            }
        }
        #expect(files > 100)
    }
}
