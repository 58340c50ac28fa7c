// Loading on two threads gives exactly what loading on one gives: the same objects in the
// same order, the same diagnostics at the same file:line:col, the same statistics. Files are
// cut into parts of a few dozen bytes here, so that nearly every document start is a cut.

import Foundation
import RBACCore
@testable import RBACLoading
import TestSupport
import Testing

@Suite("Loader: parallel parsing equals the load on one thread")
struct ParallelLoadTests {
    /// Loads `paths` on one thread, and on two with parts of `partBytes`.
    static func both(_ paths: [String], partBytes: Int = 64) throws -> (one: ManifestLoader.Result, two: ManifestLoader.Result) {
        var single = ManifestLoader.Options()
        single.parallelism = 1
        var parallel = ManifestLoader.Options()
        parallel.parallelism = 2
        parallel.parallelPartBytes = partBytes
        return (try ManifestLoader(options: single).load(paths: paths), try ManifestLoader(options: parallel).load(paths: paths))
    }

    static func expectSame(_ one: ManifestLoader.Result, _ two: ManifestLoader.Result, _ what: String) {
        if let i = (0..<min(one.diagnostics.count, two.diagnostics.count)).first(where: { one.diagnostics[$0] != two.diagnostics[$0] }) {
            Issue.record("\(what): diagnostic \(i) differs: \(one.diagnostics[i]) on one thread, \(two.diagnostics[i]) on two")
        } else if one.diagnostics.count != two.diagnostics.count {
            Issue.record("\(what): \(one.diagnostics.count) diagnostics on one thread, \(two.diagnostics.count) on two: \(one.diagnostics.map(\.description).suffix(3)) vs \(two.diagnostics.map(\.description).suffix(3))")
        }
        #expect(one.cluster.roles == two.cluster.roles, "\(what): roles differ")
        #expect(one.cluster.bindings == two.cluster.bindings, "\(what): bindings differ")
        #expect(one.cluster.serviceAccounts == two.cluster.serviceAccounts, "\(what): service accounts differ")
        #expect(one.cluster.namespaces == two.cluster.namespaces, "\(what): namespaces differ")
        #expect(one.cluster.secrets == two.cluster.secrets, "\(what): secrets differ")
        #expect(one.cluster.workloads == two.cluster.workloads, "\(what): workloads differ")
        #expect(one.cluster.encryptionConfigurations == two.cluster.encryptionConfigurations, "\(what): encryption configurations differ")
        #expect(one.cluster.auditPolicies == two.cluster.auditPolicies, "\(what): audit policies differ")
        var a = one.statistics, b = two.statistics
        a.seconds = 0
        b.seconds = 0
        #expect(a == b, "\(what): statistics differ")
        #expect(one.refusals == two.refusals, "\(what): refusals differ")
        #expect(one.listContinue == two.listContinue)
    }

    @Test("samples/, the test fixtures and ../shared/corpus", arguments: ["samples", "fixtures", "corpus"])
    func trees(_ which: String) throws {
        let paths: [URL]
        switch which {
        case "samples": paths = [Repository.samples]
        case "fixtures":
            paths = ["RBACLoadingTests", "RBACCoreTests", "ConformanceTests", "rbacgraphTests", "RBACGraphvizTests"]
                .map { Repository.fixtures($0) }.filter { Repository.isDirectory($0) }
        default:
            guard Repository.isDirectory(Repository.corpus) else { return }  // ../shared absent
            paths = [Repository.corpus]
        }
        let (one, two) = try Self.both(paths.map(\.path))
        #expect(one.statistics.files > 0)
        Self.expectSame(one, two, which)
    }

    /// Inputs where a cut at a `---` line would change the meaning, and inputs with errors:
    /// each loads on two threads exactly as on one.
    static let streams: [(String, String)] = [
        ("documents", (0..<40).map { serviceAccountYAML("sa\($0)", namespace: "ns\($0 % 3)") }.joined(separator: "---\n")),
        ("a double-quoted scalar over a --- line", """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: a, namespace: "x
            ---
            y"}
            ---
            \(serviceAccountYAML("b"))---
            \(serviceAccountYAML("c"))
            """),
        ("a flow mapping over a --- line", """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: a,
            ---
            namespace: x}
            ---
            \(serviceAccountYAML("b"))---
            \(serviceAccountYAML("c"))
            """),
        ("a block scalar holding --- lines (indented: not document starts)", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm, namespace: x}
            data:
              file: |
                ---
                apiVersion: v1
                ---
            ---
            \(serviceAccountYAML("b"))---
            \(serviceAccountYAML("c"))
            """),
        ("a top-level block scalar ended by ---", """
            --- |
            text
            ---
            \(serviceAccountYAML("b"))---
            \(serviceAccountYAML("c"))
            """),
        ("a directive", """
            \(serviceAccountYAML("a"))---
            \(serviceAccountYAML("b"))...
            %YAML 1.1
            ---
            \(serviceAccountYAML("c"))
            """),
        ("CR LF line ends", ((0..<10).map { serviceAccountYAML("sa\($0)") }.joined(separator: "---\n")).replacingOccurrences(of: "\n", with: "\r\n")),
        ("lone CR line ends", "apiVersion: v1\rkind: ServiceAccount\rmetadata: {name: a}\r---\r" + serviceAccountYAML("b") + "---\n" + serviceAccountYAML("c")),
        ("a U+2028 line separator", serviceAccountYAML("a") + "# \u{2028}\n---\n" + serviceAccountYAML("b") + "---\n" + serviceAccountYAML("c")),
        ("syntax errors, bad fields and duplicate keys between good documents", """
            \(serviceAccountYAML("a"))---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: [broken
            ---
            \(serviceAccountYAML("b"))---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: x}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: get}
            ---
            apiVersion: v1
            kind: ServiceAccount
            kind: ServiceAccount
            metadata: {name: dup}
            ---
              bad: indentation
             here: x
            ---
            \(serviceAccountYAML("c"))---
            - not an object
            ---
            \(serviceAccountYAML("d"))
            """),
        ("anchors and aliases in several documents", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: a}
            rules:
            - {apiGroups: &g [""], resources: &r [pods], verbs: &v [get]}
            - {apiGroups: *g, resources: *r, verbs: *v}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: b}
            rules:
            - {apiGroups: *g, resources: [pods], verbs: [get]}
            ---
            \(serviceAccountYAML("c"))
            """),
        ("a role replaced by a later document", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: a}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            ---
            \(serviceAccountYAML("b"))---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: a}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            """),
        ("a List between documents", serviceAccountYAML("a") + "---\napiVersion: v1\nkind: List\nitems:\n"
            + (0..<5).map { "- {apiVersion: v1, kind: ServiceAccount, metadata: {name: i\($0), namespace: n}}\n" }.joined() + "---\n" + serviceAccountYAML("z")),
    ]

    /// A `kind: List` as kubectl writes it: items at column 0, `kind` and `metadata` after them.
    static func list(_ items: [String], head: String = "apiVersion: v1\n", tail: String = "kind: List\nmetadata:\n  resourceVersion: \"\"\n") -> String {
        head + "items:\n" + items.joined() + tail
    }

    static func item(_ name: String, _ extra: String = "") -> String {
        "- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: \(name)\n    namespace: ns\n\(extra)"
    }

    static let lists: [(String, String)] = [
        ("items", list((0..<30).map { item("sa\($0)") })),
        ("items with comments and blank lines between them", list((0..<30).map { item("sa\($0)", "\n# comment\n\n") })),
        ("items with bad fields and duplicate keys", list((0..<12).map { i in
            i % 4 == 1 ? "- apiVersion: v1\n  kind: ServiceAccount\n  kind: ServiceAccount\n  metadata: {name: d\(i)}\n"
                : i % 4 == 2 ? "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata: {name: r\(i), namespace: x}\n  rules:\n  - {verbs: get}\n"
                : i % 4 == 3 ? "- not an object\n" : item("sa\(i)")
        })),
        ("an alias to an anchor of an earlier item", list([
            "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: a}\n  rules:\n  - {apiGroups: &g [\"\"], resources: [pods], verbs: [get]}\n",
        ] + (0..<10).map { item("sa\($0)") } + [
            "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: b}\n  rules:\n  - {apiGroups: *g, resources: [pods], verbs: [get]}\n",
        ])),
        ("a quoted scalar running over an item start", list((0..<5).map { item("sa\($0)") } + [
            "- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: q\n    annotations: {a: \"x\n- y\"}\n",
        ] + (5..<10).map { item("sa\($0)") })),
        ("a syntax error in an item", list((0..<5).map { item("sa\($0)") } + ["- apiVersion: v1\n  kind: [oops\n"] + (5..<10).map { item("sa\($0)") })),
        ("a kind that is no List, with items", list((0..<10).map { item("sa\($0)") }, tail: "kind: ServiceAccount\nmetadata: {name: top}\n")),
        ("no kind", list((0..<10).map { item("sa\($0)") }, tail: "metadata: {name: x}\n")),
        ("a duplicate key in the head", list((0..<10).map { item("sa\($0)") }, head: "apiVersion: v1\napiVersion: v1\n")),
        ("a continue token", list((0..<10).map { item("sa\($0)") }, tail: "kind: ServiceAccountList\nmetadata:\n  continue: abc\n")),
        ("items to the end of the file", "apiVersion: v1\nkind: List\nitems:\n" + (0..<10).map { item("sa\($0)") }.joined()),
        ("a second items key after the items", list((0..<10).map { item("sa\($0)") }, tail: "kind: List\nitems:\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: late, namespace: x}}\n")),
        ("items nested too deep", list((0..<6).map { item("sa\($0)") } + ["- " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"])),
        ("a document after the List (found after items were handed out)", list((0..<10).map { item("sa\($0)") }) + "---\n" + serviceAccountYAML("z")),
        ("a tab at column 0 after the items were cut", list((0..<10).map { item("sa\($0)") }, tail: "kind: List\n\t\nmetadata: {}\n")),
        // Objects whose adding reports something: a replaced definition, a rule the API
        // server would refuse, an object without a kind.
        ("items whose adding warns", list([role("a", verbs: "[get]")] + (0..<8).map { item("sa\($0)") } + [
            role("a", verbs: "[list]"), role("b", verbs: "[]"), "- apiVersion: v1\n  metadata: {name: nokind}\n",
        ] + (8..<12).map { item("sa\($0)") })),
        ("items whose adding warns, then a bad field", list([role("a", verbs: "[get]")] + (0..<8).map { item("sa\($0)") } + [
            role("a", verbs: "[list]"),
        ] + (8..<12).map { item("sa\($0)") } + ["- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: [x], namespace: ns}\n"])),
    ]

    /// A Role item in namespace `x` whose one rule grants `verbs` on pods.
    static func role(_ name: String, verbs: String) -> String {
        "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata: {name: \(name), namespace: x}\n  rules:\n  - {apiGroups: [\"\"], resources: [pods], verbs: \(verbs)}\n"
    }

    @Test("Lists cut at their items", arguments: lists)
    func list(_ c: (name: String, text: String)) throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("list.yaml")
            try write(c.text, to: file)
            for partBytes in [1, 16, 200] {
                let (one, two) = try Self.both([file.path], partBytes: partBytes)
                Self.expectSame(one, two, "\(c.name), parts of \(partBytes) bytes")
            }
        }
    }

    @Test("a kubectl List is parsed in parts, and a stream too", arguments: [true, false])
    func splits(_ isList: Bool) throws {
        let text = isList ? Self.list((0..<30).map { Self.item("sa\($0)") }) : (0..<30).map { serviceAccountYAML("sa\($0)") }.joined(separator: "---\n")
        let bytes = Array(text.utf8)
        let cuts = bytes.withUnsafeBytes { b in
            isList ? DocumentSplit.listParts(of: b, minimumBytes: 100)?.parts.count ?? 0 : DocumentSplit.parts(of: b, minimumBytes: 100)?.count ?? 0
        }
        #expect(cuts > 1, "the input was not cut")
    }

    /// The pieces a cutter hands out for `text`, parts shown as their text.
    static func pieces(_ text: String, minimumBytes: Int) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { b in
            var cutter = DocumentSplit.Cutter(b, minimumBytes: minimumBytes)
            var out: [String] = []
            func show(_ p: DocumentSplit.Part) -> String { String(decoding: bytes[p.start..<p.end], as: UTF8.self) + "@\(p.line)" }
            while let piece = cutter.next() {
                switch piece {
                case .whole: out.append("whole")
                case .streamPart(let p, let last): out.append((last ? "last " : "part ") + show(p))
                case .listItems(let p): out.append("items " + show(p))
                case .listEnd(let split): out.append(split.map { "end \($0.itemsStart)..<\($0.itemsEnd), \($0.itemLines) lines" } ?? "not a list")
                }
            }
            return out
        }
    }

    @Test("the cutter hands out parts as it finds them, and falls back when unsure", arguments: [
        ("a: 1\n---\nb: 2\n---\nc: 3\n", ["part a: 1\n@0", "part ---\nb: 2\n@1", "last ---\nc: 3\n@3"]),
        // A directive after the first cut: the rest is one last part.
        ("a: 1\n---\nb: 2\n...\n%YAML 1.1\n---\nc: 3\n", ["part a: 1\n@0", "last ---\nb: 2\n...\n%YAML 1.1\n---\nc: 3\n@1"]),
        // A lone CR before any cut: line numbers after it are unsure, so no cut.
        ("a: 1\rb: 2\n---\nc: 3\n---\nd: 4\n", ["whole"]),
        // Line breaks are checked 8 MiB ahead of the lines looked at: here before any cut.
        ("a: 1\n---\nb: 2\rc: 3\n---\nd: 4\n", ["whole"]),
        ("items:\n- a\n- b\n- c\nkind: List\n", ["items - a\n@1", "items - b\n@2", "items - c\n@3", "end 7..<19, 3 lines"]),
        ("items:\n- a\n- b\n---\nc: 1\n", ["items - a\n@1", "not a list"]),
        ("- a\n- b\n- c\n", ["whole"]),
    ] as [(String, [String])])
    func cutter(_ c: (text: String, pieces: [String])) {
        #expect(Self.pieces(c.text, minimumBytes: 1) == c.pieces)
    }

    /// Every part the cutter hands out starts at a line start, right after the part before,
    /// with the number of line feeds before it as its line, at a `---` line or an item line;
    /// the parts cover the items (List) or the input (stream). Lines of every kind (indented,
    /// blank, comments, long runs of indented lines, top-level keys) sit between the cuts.
    @Test("the cutter's parts start where they say, on long inputs", arguments: [true, false])
    func cutterLines(_ isList: Bool) {
        let body = (0..<300).map { i in
            "- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: sa\(i)\n"
                + String(repeating: "    x: \(i)\n", count: i % 40) + (i % 7 == 0 ? "\n# note\n\n" : "") + (i % 5 == 0 ? "  y: |\n    ---\n    - z\n" : "")
        }
        let text = isList ? Self.list(body) : body.map { "---\nitems:\n" + $0 + "kind: List\n" }.joined()
        let bytes = Array(text.utf8)
        func feeds(_ range: Range<Int>) -> Int { bytes[range].count { $0 == 0x0A } }
        for minimum in [1, 100, 1000, 5000] {
            bytes.withUnsafeBytes { b in
                var cutter = DocumentSplit.Cutter(b, minimumBytes: minimum)
                var parts: [DocumentSplit.Part] = []
                var end: DocumentSplit.ListSplit? = nil
                while let piece = cutter.next() {
                    switch piece {
                    case .streamPart(let p, _), .listItems(let p): parts.append(p)
                    case .listEnd(let s): end = s
                    case .whole: break
                    }
                }
                #expect(parts.count > (minimum >= 5000 ? 1 : 10), "minimum \(minimum)")
                for (i, p) in parts.enumerated() {
                    #expect(p.line == feeds(0..<p.start), "part \(i), minimum \(minimum)")
                    #expect(p.start == 0 || bytes[p.start - 1] == 0x0A)
                    if i > 0 {
                        #expect(p.start == parts[i - 1].end)
                        let head = String(decoding: bytes[p.start..<min(p.start + 4, bytes.count)], as: UTF8.self)
                        #expect(head.hasPrefix(isList ? "- " : "---\n"), "part \(i) starts with \(head)")
                    }
                }
                if isList {
                    #expect(parts.first?.start == end?.itemsStart)
                    #expect(parts.last?.end == end?.itemsEnd)
                    if let end { #expect(end.itemLines == feeds(end.itemsStart..<end.itemsEnd)) }
                } else {
                    #expect(parts.first?.start == 0)
                    #expect(parts.last?.end == bytes.count)
                }
            }
        }
    }

    @Test("folders of small files, parsed in batches", arguments: [1 << 10, 1 << 16])
    func batches(_ partBytes: Int) throws {
        let paths = [Repository.samples] + ["RBACLoadingTests", "RBACCoreTests", "ConformanceTests"].map { Repository.fixtures($0) }.filter { Repository.isDirectory($0) }
        let (one, two) = try Self.both(paths.map(\.path), partBytes: partBytes)
        #expect(one.statistics.files > 10)
        Self.expectSame(one, two, "batches of \(partBytes) bytes")
    }

    @Test("a folder of small files read whole, broken and binary ones among them", arguments: [1 << 16, 1 << 10, 64])
    func brokenFilesReadWhole(_ partBytes: Int) throws {
        // Files of at most twice the part size are read whole on two threads (their errors,
        // the resynchronisation after them and the binary test then work on the bytes in
        // memory); larger ones are streamed. The three sizes mix both.
        try withTemporaryDirectory { dir in
            for (i, c) in Self.streams.enumerated() {
                try write(c.1, to: dir.appendingPathComponent(String(format: "%02d.yaml", i)))
            }
            var binary: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]
            for i in 0..<5 { binary += Array("\n---\n\(i): [\u{1}\n".utf8) }
            try Data(binary).write(to: dir.appendingPathComponent("50-logo.yaml"))
            try write("", to: dir.appendingPathComponent("51-empty.yaml"))
            let (one, two) = try Self.both([dir.path], partBytes: partBytes)
            #expect(one.statistics.files == Self.streams.count + 2)
            #expect(one.diagnostics.contains { $0.message.contains("binary file") })
            #expect(one.hasErrors)
            Self.expectSame(one, two, "a folder of small files, parts of \(partBytes) bytes")
        }
    }

    @Test("streams where a cut could change the meaning, and broken ones", arguments: streams)
    func stream(_ c: (name: String, text: String)) throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("stream.yaml")
            try write(c.text, to: file)
            for partBytes in [1, 16, 64] {
                let (one, two) = try Self.both([file.path], partBytes: partBytes)
                Self.expectSame(one, two, "\(c.name), parts of \(partBytes) bytes")
            }
        }
    }

    @Test("a List after another file replaces its definitions as on one thread")
    func listAfterFile() throws {
        try withTemporaryDirectory { dir in
            let first = dir.appendingPathComponent("a.yaml"), second = dir.appendingPathComponent("b.yaml")
            try write(Self.list([Self.role("a", verbs: "[get]")] + (0..<10).map { Self.item("sa\($0)") }), to: first)
            try write(Self.list((10..<20).map { Self.item("sa\($0)") } + [Self.role("a", verbs: "[list]")]), to: second)
            for partBytes in [1, 200] {
                let (one, two) = try Self.both([first.path, second.path], partBytes: partBytes)
                #expect(one.diagnostics.contains { $0.message.contains("replaces a different definition") })
                Self.expectSame(one, two, "parts of \(partBytes) bytes")
            }
        }
    }

    /// Strict loads of Lists: the error of an item's object comes after every field error of
    /// the List, wherever it stands.
    static let strictLists: [String] = [
        list([item("sa0"), "- apiVersion: v1\n  metadata: {name: nokind}\n"] + (1..<10).map { item("sa\($0)") }),
        list([item("sa0"), "- apiVersion: v1\n  metadata: {name: nokind}\n"] + (1..<10).map { item("sa\($0)") }
            + ["- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: [x], namespace: ns}\n"]),
    ]

    /// The error a strict load of `path` stops at, `nil` when it loads.
    static func strictError(_ path: String, _ options: ManifestLoader.Options) -> String? {
        do { _ = try ManifestLoader(options: options).load(paths: [path]) } catch { return "\(error)" }
        return nil
    }

    @Test("strict mode stops at the same first error in a List on two threads", arguments: strictLists)
    func strictList(_ text: String) throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("list.yaml")
            try write(text, to: file)
            var options = ManifestLoader.Options()
            options.strict = true
            options.parallelism = 1
            let one = Self.strictError(file.path, options)
            options.parallelism = 2
            for partBytes in [1, 200] {
                options.parallelPartBytes = partBytes
                let two = Self.strictError(file.path, options)
                #expect(one != nil)
                #expect(one == two, "parts of \(partBytes) bytes")
            }
        }
    }

    @Test("strict mode stops at the same first error on two threads")
    func strict() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("stream.yaml")
            try write((0..<20).map { serviceAccountYAML("sa\($0)") }.joined(separator: "---\n") + "---\nkind: ServiceAccount\nmetadata: {}\n---\n" + serviceAccountYAML("z"), to: file)
            var options = ManifestLoader.Options()
            options.strict = true
            options.parallelism = 1
            let one = Self.strictError(file.path, options)
            options.parallelism = 2
            options.parallelPartBytes = 16
            let two = Self.strictError(file.path, options)
            #expect(one != nil)
            #expect(one == two)
        }
    }
}
