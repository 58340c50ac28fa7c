// Loading the shared corpus (../shared/corpus next to the package) into escalation graphs, and
// reading paths back as the CLI prints them, so the scenario tests compare plain strings.

import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

enum EscalationCorpus {
    /// `../shared/corpus`, when present.
    static let root = Repository.corpus

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("vulnerable").path) }

    /// The bootstrap policy of a stock cluster: the six test-data files of one Kubernetes
    /// version (v1.24.0-alpha.1), as RBAC-SEMANTICS §10 counts them.
    static let stockPolicy = "kubernetes-bootstrap/snapshot-v1.24.0-alpha.1"

    /// Loads files or folders (relative to the corpus), with no load error allowed.
    static func load(_ paths: [String]) throws -> Cluster {
        let result = try ManifestLoader().load(paths: paths.map { root.appendingPathComponent($0).path })
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(errors.isEmpty, "\(paths): \(errors)")
        return result.cluster
    }

    /// A scenario's files, on a stock cluster unless `stock` is false.
    static func scenario(_ paths: [String], stock: Bool = true) throws -> Scenario {
        Scenario(EscalationGraph(AccessGraph(try load((stock ? [stockPolicy] : []) + paths))))
    }
}

/// An escalation graph, asked about in the CLI's words (`sa:NS/NAME`, `cluster-admin`, …).
struct Scenario: Sendable {
    let esc: EscalationGraph

    init(_ esc: EscalationGraph) { self.esc = esc }

    static func node(_ text: String) -> PathNode {
        guard let n = PathNode.identity(parsing: text) else { preconditionFailure("bad identity \(text)") }
        return n
    }

    static func target(_ text: String) -> PathTarget {
        guard let t = PathTarget.parse(text) else { preconditionFailure("bad target \(text)") }
        return t
    }

    /// The best path, if any.
    func best(_ from: String, _ to: String = "cluster-admin", maxSteps: Int = 8) -> PrivilegePath? {
        esc.paths(from: Self.node(from), to: Self.target(to), maxSteps: maxSteps).first
    }

    /// A path as `kind→node` steps, e.g. `["pod-create→run-pods:dev", "mount-secrets→secret:dev/*"]`.
    func trail(_ path: PrivilegePath?) -> [String] {
        path?.steps.map { "\($0.kind.rawValue)→\(esc.nodes[$0.to])" } ?? []
    }

    /// The best path's steps; empty when there is none.
    func trail(_ from: String, _ to: String = "cluster-admin", maxSteps: Int = 8) -> [String] {
        trail(best(from, to, maxSteps: maxSteps))
    }

    /// Every path up to `maxSteps`, as trails.
    func trails(_ from: String, _ to: String = "cluster-admin", maxSteps: Int = 8) -> [[String]] {
        esc.paths(from: Self.node(from), to: Self.target(to), maxSteps: maxSteps, all: true).map(trail)
    }

    /// `"certain"`, `"conditional"`, or `"none"`.
    func certainty(_ from: String, _ to: String = "cluster-admin") -> String {
        guard let p = best(from, to) else { return "none" }
        return p.isCertain ? "certain" : "conditional"
    }

    /// The steps of `kind` leaving an identity: their target described as the CLI does, and
    /// their evidence as `because` lines.
    func steps(_ from: String, _ kind: EscalationKind) -> [(to: String, because: [String], condition: PathCondition?)] {
        guard let i = esc.index(of: Self.node(from)) else { return [] }
        return esc.edges(from: i).filter { $0.kind == kind }.map { e in
            (esc.describe(e.to), e.evidence.map(esc.describe), e.condition)
        }
    }

    /// The kinds of step leaving an identity that come from its own permissions.
    func grantedKinds(_ from: String) -> Set<EscalationKind> {
        guard let i = esc.index(of: Self.node(from)) else { return [] }
        return Set(esc.edges(from: i).map(\.kind).filter(\.isGranted))
    }

    /// `identitiesReaching`, as `identity → certain?`.
    func reaching(_ to: String = "cluster-admin") -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: esc.identitiesReaching(Self.target(to)).map { (esc.nodes[$0.start].description, $0.isCertain) })
    }
}
