/// What a load read and kept.
public struct LoadStatistics: Hashable, Sendable, Codable {
    /// Files (and standard input) read.
    public var files = 0
    /// Bytes read.
    public var bytes = 0
    /// YAML documents read (a JSON file is one).
    public var documents = 0
    /// Objects kept, by kind.
    public var loadedKinds: [String: Int] = [:]
    /// Objects skipped because rbacgraph does not use their kind, by kind.
    public var skippedKinds: [String: Int] = [:]
    /// Documents skipped because they are no Kubernetes object (no kind, no name: a
    /// `Chart.yaml`, a `values.yaml`, a kustomization file).
    public var skippedDocuments = 0
    /// Files left out by ``ManifestLoader/Options/exclude``.
    public var excludedFiles = 0
    /// Diagnostics of severity error / warning / note.
    public var errors = 0
    public var warnings = 0
    public var notes = 0
    /// Wall-clock seconds the load took.
    public var seconds = 0.0

    public init() {}

    /// Objects kept, all kinds.
    public var loadedObjects: Int { loadedKinds.values.reduce(0, +) }
    /// Objects skipped, all kinds.
    public var skippedObjects: Int { skippedKinds.values.reduce(0, +) }
}
