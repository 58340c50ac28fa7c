import RBACCore


/// Decodes Kubernetes objects from a ``YAMLEventReader``, straight into drafts: no generic
/// node tree. Subtrees nobody needs (managedFields, status, data, …) are skipped without
/// converting their scalars; `data` and `stringData` are never read at all.
final class ManifestDecoder {
    let reader: YAMLEventReader
    let file: String
    let lineBase: Int
    /// Problems found; appended by the loader to its diagnostics.
    var issues: [LoadDiagnostic] = []
    /// The `kind` of the current top-level object, once read (a List's items may come first).
    var topLevelKind: String?
    /// The kind of a List's items that name none (an API server's list of a custom resource,
    /// ``ManifestLoader/Session/defaultKind``): decides how their `spec` is read.
    var itemKind: String?
    /// Errors since the current object started (a nonzero difference rejects it).
    private(set) var errorCount = 0
    /// Strings of the lists being read, innermost last (see ``readStringList(_:)``).
    var scratch: [String] = []

    /// Kinds whose fields are decoded; every other kind is skipped once `kind:` is seen.
    static let keptKinds: Set<String> = Set([
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount", "Namespace",
        "Secret", "EncryptionConfiguration", "EncryptionConfig", "Policy", "CustomResourceDefinition",
    ]).union(Workload.kinds).union(externalKinds.keys)

    /// The RBAC kinds (`rbac.authorization.k8s.io`).
    static let rbacKinds: Set<String> = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]

    /// The annotation `kubectl apply` writes: for a Secret it holds the values in plain text.
    static let lastAppliedAnnotation = UnreadValueScan.lastApplied.description

    init(reader: YAMLEventReader, file: String, lineBase: Int) {
        self.reader = reader
        self.file = file
        self.lineBase = lineBase
    }

    var location: SourceLocation {
        SourceLocation(file: file, line: lineBase + reader.line + 1, column: reader.column + 1)
    }

    func error(_ message: String, at loc: SourceLocation? = nil) {
        reportDuplicateKeys()
        issues.append(LoadDiagnostic(severity: .error, location: loc ?? location, message: message))
        errorCount += 1
    }

    func warning(_ message: String, at loc: SourceLocation? = nil) {
        reportDuplicateKeys()
        issues.append(LoadDiagnostic(severity: .warning, location: loc ?? location, message: message))
    }

    /// Reports the mapping keys defined twice that the reader found since the last call, as
    /// kubectl words it (an error: the object is not loaded). Called before any other issue
    /// (stream order), at each key read and at the end of each object (so the error counts
    /// against the object that holds the mapping).
    @inline(__always)
    func reportDuplicateKeys() {
        guard reader.hasDuplicateKeys else { return }
        for d in reader.takeDuplicateKeys() {
            issues.append(LoadDiagnostic(
                severity: .error, location: SourceLocation(file: file, line: lineBase + d.line + 1, column: d.column + 1),
                message: "mapping key \"\(d.key)\" already defined at line \(lineBase + d.firstLine + 1)"))
            errorCount += 1
        }
    }
}
