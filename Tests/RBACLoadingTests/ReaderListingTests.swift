import Foundation
import Testing
@testable import RBACCore
import RBACLoading

/// One listing of who reads an external target and by which route: `secrets --external`
/// (``EscalationGraph/externalSecretReaders(namedIn:effective:maxSteps:)``), `who-can`
/// (``EscalationGraph/vaultReaders(of:capability:effective:maxSteps:)``, the store and CSI
/// readers) and `eval` give the same readers, by the same routes, in the same order, for every
/// target the External Secrets and Vault test worlds name; each identity once; held directly
/// first; and each has a path `paths --to` finds.
@Suite struct ReaderListingTests {
    /// (ExternalWorldTests' world names no external secret; VaultPathTests' is it and more.)
    static let worlds = ["VaultPathTests", "StoreReachTests", "StoreTargetTests", "ScaledExternalWorld N=4"]

    static func world(_ name: String) throws -> EscalationGraph {
        switch name {
        case "VaultPathTests": return try VaultPathTests.world()
        case "StoreReachTests": return try StoreReachTests.graph()
        case "StoreTargetTests": return try StoreTargetTests.world()
        default: return try ScaledExternalWorld.graph(4, from: [])
        }
    }

    /// A reader as the listings print it: identity, certainty, the route and the Kubernetes steps.
    static func row(_ r: VaultReader, in esc: EscalationGraph) -> String {
        let route: String
        switch r.route {
        case .login(let a): route = "login \(a.login.role.path) \(a.login.serviceAccount.notation)"
        case .store(let s, let ns, let kind, _): route = "store \(StoreTarget(s)) \(ns) \(kind.rawValue)"
        case .storeOfUnknownReach(let s, let ns, let kind, _): route = "unknown \(StoreTarget(s)) \(ns) \(kind.rawValue)"
        case .credentialSecret(let s, let ns, let name, _): route = "credentials \(StoreTarget(s)) \(ns)/\(name)"
        case .steps(let steps, _): route = steps.map { "\($0.kind.rawValue)>\($0.to)" }.joined(separator: " ")
        }
        let path = r.path.map { p in p.steps.map { "\($0.kind.rawValue)>\(esc.nodes[$0.to])" }.joined(separator: " ") } ?? "direct"
        return "\(r.identity) \(r.certainty) \(route) | \(path)"
    }

    @Test(arguments: worlds)
    func everyListingAgrees(world: String) throws {
        let esc = try Self.world(world)
        let listed = esc.externalSecretReaders()
        #expect(!listed.isEmpty)
        let eval = QueryEvaluator(graph: esc.access)
        for (e, readers) in listed {
            // who-can, as the CLI asks it for the same target.
            let whoCan: [VaultReader]
            var query: [(String, JSONValue)] = [("op", .string("who-can")), ("verb", .string("read")), ("effective", .bool(true))]
            if let t = VaultTarget.parse(e.target) {
                whoCan = esc.vaultReaders(of: t.pattern, capability: .read, effective: true)
                query.append(("resource", .string(e.target)))
            } else if let t = StoreTarget.parse(e.target) {
                whoCan = esc.storeReaders(of: t, use: .read, effective: true).map(esc.reader)
                query.append(("resource", .string(e.target)))
            } else if let t = ProviderObjectTarget.parse(e.target) {
                whoCan = esc.providerObjectReaders(of: t, effective: true).map(esc.reader)
                query.append(("resource", .string(e.target)))
            } else {
                Issue.record("\(world): \(e.target) is no target")
                continue
            }
            #expect(readers.map { Self.row($0, in: esc) } == whoCan.map { Self.row($0, in: esc) }, "\(world): \(e.target)")
            // eval: the same identities in the same order.
            let answer = eval.answer(.object(query))
            let identities = (answer["identities"]?.arrayValue ?? []).compactMap { $0["identity"]?.stringValue }
            #expect(identities == readers.map(\.identity.description), "\(world): eval \(e.target): \(answer.serialized().prefix(300))")
            // Each identity once; held directly first.
            #expect(Set(readers.map(\.identity)).count == readers.count, "\(world): \(e.target) lists an identity twice")
            let direct = readers.map { $0.path == nil }
            #expect(direct == direct.sorted { $0 && !$1 }, "\(world): \(e.target): a reader by a path before one held directly")
            // Each reader of a Vault path has a path there (paths --to).
            if let t = VaultTarget.parse(e.target) {
                for r in readers {
                    #expect(!esc.vaultPaths(from: r.identity, to: t).isEmpty, "\(world): \(r.identity) listed for \(e.target) without a path")
                }
            }
        }
    }
}
