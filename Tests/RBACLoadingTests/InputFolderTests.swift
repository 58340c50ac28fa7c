// What people point the loader at: chart and repository folders (Chart.yaml, values.yaml,
// kustomization files), folders with symlink loops, binary files, missing paths, and folders
// where a later file replaces an object defined earlier (docs/loading.md, "Folders").

import Foundation
import RBACCore
@testable import RBACLoading
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Loader: folders people point it at")
struct InputFolderTests {
    static let role = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: dev}
        rules:
        - apiGroups: [""]
          resources: [pods]
          verbs: [get]

        """

    /// Loads paths (never strict).
    func loadPaths(_ paths: [String], exclude: [String] = []) throws -> ManifestLoader.Result {
        var options = ManifestLoader.Options()
        options.exclude = exclude
        return try ManifestLoader(options: options).load(paths: paths)
    }

    @Test("a chart folder: documents with no kind and no name are skipped with a note, not an error")
    func chartFolder() throws {
        try withTemporaryDirectory { dir in
            try write("apiVersion: v2\nname: mychart\nversion: 0.1.0\n", to: dir.appendingPathComponent("Chart.yaml"))
            try write("replicaCount: 1\nimage:\n  repository: nginx\nrules: 3\n", to: dir.appendingPathComponent("values.yaml"))
            try write("resources:\n- templates/role.yaml\n", to: dir.appendingPathComponent("kustomization.yaml"))
            try write(Self.role, to: dir.appendingPathComponent("templates/role.yaml"))
            let result = try loadPaths([dir.path])
            #expect(result.errors == [])
            #expect(result.warnings == [])
            let notes = result.diagnostics.filter { $0.severity == .note }.map(\.description)
            #expect(notes == [
                "\(dir.path)/Chart.yaml:1:1: note: not a Kubernetes object (no kind): skipped",
                "\(dir.path)/kustomization.yaml:1:1: note: not a Kubernetes object (no kind): skipped",
                "\(dir.path)/values.yaml:1:1: note: not a Kubernetes object (no kind): skipped",
            ])
            #expect(result.roleNames == ["Role/dev/reader"])
            #expect(result.statistics.skippedDocuments == 3)
        }
    }

    /// A document that names an object but forgot its kind is still an error: it was meant to
    /// be loaded.
    @Test("a named object without kind is still an error")
    func namedWithoutKind() {
        let result = load("apiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: []\n", name: "nokind.yaml")
        #expect(result.errors == ["nokind.yaml:1:1: error: missing kind: not a Kubernetes object"])
    }

    @Test("--exclude leaves files and whole folders out", arguments: [
        (["values.yaml", "tests"], ["Role/dev/reader"]),
        (["*/templates/*"], ["Role/dev/other"]),
        (["templates/role.yaml"], ["Role/dev/other"]),
    ])
    func exclude(_ c: (patterns: [String], roles: [String])) throws {
        try withTemporaryDirectory { dir in
            try write("{{ broken template", to: dir.appendingPathComponent("values.yaml"))
            try write("kind: [", to: dir.appendingPathComponent("tests/test-connection.yaml"))
            try write(Self.role, to: dir.appendingPathComponent("templates/role.yaml"))
            try write(Self.role.replacingOccurrences(of: "reader", with: "other"), to: dir.appendingPathComponent("other.yaml"))
            let result = try loadPaths([dir.path], exclude: c.patterns)
            if c.patterns.contains("tests") { #expect(result.errors == []) }
            #expect(Set(result.roleNames).isSuperset(of: c.roles))
            if !c.patterns.contains("tests") { #expect(!result.roleNames.contains("Role/dev/reader")) }
        }
    }

    @Test("a symlink loop is followed no further and reported once")
    func symlinkLoop() throws {
        try withTemporaryDirectory { dir in
            try write(Self.role, to: dir.appendingPathComponent("base/role.yaml"))
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("base/loop").path, withDestinationPath: "..")
            let result = try loadPaths([dir.path])
            #expect(result.roleNames == ["Role/dev/reader"])
            #expect(result.errors == [])
            #expect(result.warnings == ["\(dir.path)/base/loop: warning: symlink loop: leads back to \(dir.path): not followed"])
            #expect(result.statistics.files == 1)
        }
    }

    @Test("a binary file is one error, not one per `---` its bytes happen to hold")
    func binaryFile() throws {
        try withTemporaryDirectory { dir in
            var bytes: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]
            for i in 0..<20 { bytes += Array("\n---\n\(i): [\u{1}\n".utf8) + [0xff, 0xfe, 0, 0x80] }
            let file = dir.appendingPathComponent("logo.yaml")
            try Data(bytes).write(to: file)
            try write(Self.role, to: dir.appendingPathComponent("role.yaml"))
            let result = try loadPaths([dir.path])
            #expect(result.errors == ["\(file.path): error: binary file, not YAML or JSON text: skipped"])
            #expect(result.roleNames == ["Role/dev/reader"])
        }
    }

    /// Whether `bytes` are binary by the rule itself, one byte at a time: a byte below 0x20
    /// other than tab, line feed, carriage return and escape in the first 8 KiB.
    static func binaryByTheRule(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains { $0 < 0x20 && ![0x09, 0x0a, 0x0d, 0x1b].contains($0) }
    }

    @Test(
        "the binary test decides every byte value as the rule does, wherever it sits (it tests 8 bytes at a time)",
        arguments: Array(UInt8(0)...0x20) + [0x7f, 0x80, 0xfe, 0xff])
    func binaryTestByteByByte(byte: UInt8) {
        // Letters alone, and text with the control bytes text may hold in every word.
        let fillers = [Array("a".utf8), Array("ab\ncd\r\n\tx\u{1b}[0m\n".utf8)]
        for filler in fillers {
            for length in [1, 7, 8, 9, 15, 16, 17, 37, 8190, 8192, 9000] {
                for position in [0, 1, 6, 7, 8, 9, 14, 15, 16, 17, 31, 32, 36, 8175, 8176, 8183, 8184, 8189, 8191, 8192, 8999] where position < length {
                    var bytes = (0..<length).map { filler[$0 % filler.count] }
                    bytes[position] = byte
                    #expect(
                        FileSystem.looksBinary(bytes[...]) == Self.binaryByTheRule(bytes),
                        "byte \(byte) at \(position) of \(length)")
                }
            }
        }
    }

    @Test("a folder walk without sizes finds the files a walk with sizes finds (symbolic links, other extensions, a pipe)")
    func walkWithoutSizes() throws {
        try withTemporaryDirectory { dir in
            try write(Self.role, to: dir.appendingPathComponent("a/role.yaml"))
            try write(Self.role, to: dir.appendingPathComponent("a/b/role.YML"))
            try write("x", to: dir.appendingPathComponent("a/notes.txt"))
            try write(Self.role, to: dir.appendingPathComponent("a/.hidden.yaml"))
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("link.yaml").path, withDestinationPath: "a/role.yaml")
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("linked").path, withDestinationPath: "a/b")
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("dangling.yaml").path, withDestinationPath: "missing.yaml")
            #expect(mkfifo(dir.appendingPathComponent("pipe.yaml").path, 0o600) == 0)
            let withSizes = FileSystem.walk(dir.path, extensions: ["yaml", "yml", "json"])
            let without = FileSystem.walk(dir.path, extensions: ["yaml", "yml", "json"], sizes: false)
            #expect(withSizes.files == ["\(dir.path)/a/b/role.YML", "\(dir.path)/a/role.yaml", "\(dir.path)/link.yaml"])
            #expect(without.files == withSizes.files)
            #expect(withSizes.found.map(\.size) == Array(repeating: Self.role.utf8.count, count: 3))
            // Regular files the folder's entry names as such have no size; the symbolic link was looked at.
            #expect(without.found.map(\.size) == [nil, nil, Self.role.utf8.count])
            // `linked` leads to a/b, read already.
            #expect(withSizes.revisits.map(\.path) == ["\(dir.path)/linked"])
            #expect(without.revisits.map(\.path) == withSizes.revisits.map(\.path))
            for threads in [1, 2] {
                var options = ManifestLoader.Options()
                options.parallelism = threads
                let result = try ManifestLoader(options: options).load(paths: [dir.path])
                #expect(result.statistics.files == 3)
                #expect(result.errors == [])
                #expect(result.roleNames == ["Role/dev/reader", "Role/dev/reader", "Role/dev/reader"])
            }
        }
    }

    @Test("a file is read whole: its bytes, none of an empty one, and all of one the kernel makes up (size 0)")
    func readWhole() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("role.yaml"), empty = dir.appendingPathComponent("empty.yaml")
            try write(Self.role, to: file)
            try write("", to: empty)
            #expect(FileSystem.readFile(file.path) == Array(Self.role.utf8))
            #expect(FileSystem.readFile(empty.path) == [])
            #expect(FileSystem.readFile(file.path, atMost: 10) == nil)
            let status = try #require(FileSystem.readFile("/proc/self/status"))
            #expect(String(decoding: status, as: UTF8.self).contains("VmHWM:"))
        }
    }

    /// Makes a named pipe at `path` that a thread writes `text` into once it is opened for
    /// reading (as a shell's `<(…)` does), then closes.
    static func namedPipe(_ path: String, writing text: String) throws -> String {
        try #require(mkfifo(path, 0o600) == 0)
        Thread {
            guard let h = FileHandle(forWritingAtPath: path) else { return }
            h.write(Data(text.utf8))
            try? h.close()
        }.start()
        return path
    }

    @Test(
        "a named pipe (`-f <(kubectl …)`) is read whole: the binary test reads none of it away",
        arguments: [(1, 1 << 20), (2, 1 << 20), (2, 4096)])
    func namedPipe(threads: Int, partBytes: Int) throws {
        try withTemporaryDirectory { dir in
            // More than the 8 KiB the binary test looks at, less than a pipe's buffer.
            let text = (0..<80).map { "---\n" + Self.role.replacingOccurrences(of: "name: reader", with: "name: reader-\($0)") }.joined()
            #expect(text.utf8.count > 8192 && text.utf8.count < 65536)
            let pipe = try Self.namedPipe(dir.appendingPathComponent("roles.yaml").path, writing: text)
            let other = dir.appendingPathComponent("other.yaml")
            try write(Self.role, to: other)
            var options = ManifestLoader.Options()
            options.parallelism = threads  // two inputs on two threads: the parallel load
            options.parallelPartBytes = partBytes  // 4096: the pipe is larger than a small file
            let result = try ManifestLoader(options: options).load(paths: [pipe, other.path])
            #expect(result.errors == [])
            #expect(result.roleNames.count == 81)
            #expect(result.roleNames.first == "Role/dev/reader-0")
            #expect(result.roleNames.last == "Role/dev/reader")
        }
    }

    @Test("a named pipe with a syntax error: the error is located and the documents after it load", arguments: [1, 2])
    func namedPipeSyntaxError(threads: Int) throws {
        try withTemporaryDirectory { dir in
            let writerRole = Self.role.replacingOccurrences(of: "name: reader", with: "name: writer")
            let text = Self.role + "---\nbad: [x\n---\n" + writerRole
            let pipe = try Self.namedPipe(dir.appendingPathComponent("roles.yaml").path, writing: text)
            let other = dir.appendingPathComponent("other.yaml")
            try write(Self.role.replacingOccurrences(of: "name: reader", with: "name: other"), to: other)
            var options = ManifestLoader.Options()
            options.parallelism = threads
            let result = try ManifestLoader(options: options).load(paths: [pipe, other.path])
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.hasPrefix("\(pipe):10:1: error:") == true)
            #expect(result.roleNames == ["Role/dev/reader", "Role/dev/writer", "Role/dev/other"])
        }
    }

    @Test("a UTF-16 file with a byte-order mark is text, not binary")
    func utf16() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("utf16.yaml")
            var data = Data([0xff, 0xfe])
            data.append(Self.role.data(using: .utf16LittleEndian)!)
            try data.write(to: file)
            let result = try loadPaths([file.path])
            #expect(result.errors == [])
            #expect(result.roleNames == ["Role/dev/reader"])
        }
    }

    @Test("a missing file is reported by its path alone, no :0:0")
    func missingFile() throws {
        let result = try loadPaths(["no-such-dir/missing.yaml"])
        #expect(result.errors == ["no-such-dir/missing.yaml: error: no such file or directory"])
    }

    @Test("a later object that replaces a different earlier one warns with both locations")
    func replacedDefinition() throws {
        try withTemporaryDirectory { dir in
            let a = dir.appendingPathComponent("a.yaml"), b = dir.appendingPathComponent("b.yaml")
            let c = dir.appendingPathComponent("c.yaml")
            try write(Self.role, to: a)
            try write("# the same role again\n" + Self.role, to: b)  // identical: no warning
            try write("\n\n" + Self.role.replacingOccurrences(of: "[get]", with: "[get, list]"), to: c)
            let result = try loadPaths([dir.path])
            #expect(result.warnings == [
                "\(c.path):3:1: warning: Role \"dev/reader\" replaces a different definition at \(b.path):2:1"
            ])
            let graph = AccessGraph(result.cluster)
            #expect(graph.roles.map(\.rules.first?.verbs) == [["get", "list"]])
        }
    }

    @Test("a binding replaced by a different one warns too; a ClusterRole and a Role of one name do not clash")
    func replacedBinding() {
        let binding = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [{kind: User, name: alice}]

            """
        let text = binding + "---\n" + binding.replacingOccurrences(of: "alice", with: "mallory")
            + "---\n" + Self.role + "---\n" + Self.role.replacingOccurrences(of: "kind: Role", with: "kind: ClusterRole")
        let result = load(text, name: "b.yaml")
        #expect(result.warnings == ["b.yaml:7:1: warning: RoleBinding \"dev/b\" replaces a different definition at b.yaml:1:1"])
    }
}

@Suite("Loader: objects the API server would refuse")
struct RefusedObjectTests {
    static let text = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-reader, namespace: dev}
        rules:
        - apiGroups: [""]
          resources: [pods]
          verbs: [list]
        - resources: [pods]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: robots}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: Robot, name: r2d2}
        - {kind: ServiceAccount, name: api}

        """

    @Test("each problem is a warning at its rule or object, with the API server's field path and message")
    func located() {
        let result = load(Self.text, name: "refused.yaml")
        #expect(result.errors == [])
        #expect(result.warnings == [
            #"refused.yaml:8:3: warning: Role "dev/pod-reader": the API server would refuse it: rules[1].apiGroups: Required value: resource rules must supply at least one api group (evaluated as written)"#,
            #"refused.yaml:11:1: warning: ClusterRoleBinding "robots": the API server would refuse it: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group" (evaluated as written)"#,
            #"refused.yaml:11:1: warning: ClusterRoleBinding "robots": the API server would refuse it: subjects[1].namespace: Required value (evaluated as written)"#,
        ])
        // Still evaluated as written, as the authorizer would.
        #expect(result.roleNames == ["Role/dev/pod-reader"])
        #expect(result.bindingNames == ["ClusterRoleBinding/robots"])
        #expect(result.refusals.map(\.object) == ["Role/dev/pod-reader", "ClusterRoleBinding/robots"])
    }

    @Test("--strict leaves them out")
    func strict() throws {
        var options = ManifestLoader.Options()
        options.strict = true
        let result = try ManifestLoader(options: options).load(yaml: Self.text, name: "refused.yaml")
        #expect(result.roleNames == [])
        #expect(result.bindingNames == [])
        #expect(result.refusals == [])
        #expect(result.warnings.allSatisfy { $0.hasSuffix("(left out by --strict)") })
    }
}
