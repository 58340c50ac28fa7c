import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

/// The report rules on the real-manifest corpus (`../shared/corpus`, one cluster per project
/// folder): the counts per rule are pinned, so that any change in what the rules find shows up
/// here and is looked at.
@Suite("Report rules on the real-manifest corpus")
struct FindingsCorpusTests {
    static let corpus = Repository.corpus
    static var present: Bool { Repository.isDirectory(corpus) }

    /// Findings per rule id, summed over the project folders.
    static func counts(detail: Bool = false, rules: [FindingRule] = FindingRule.all) throws -> [String: Int] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        var counts: [String: Int] = [:]
        for folder in folders {
            let path = corpus.appendingPathComponent(folder).path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            let result = try ManifestLoader().load(paths: [path])
            for f in FindingEngine.run(ReportContext(graph: AccessGraph(result.cluster), detail: detail), rules: rules) {
                counts[f.ruleID, default: 0] += 1
            }
        }
        return counts
    }

    @Test("findings per rule", .enabled(if: present, "../shared/corpus is absent"))
    func pinned() throws {
        let counts = try Self.counts()
        #expect(counts == Self.expected, "\(counts.sorted { $0.key < $1.key })")
    }

    /// `escalation-grant` with `report --detail`: once per identity, kind and scope (the
    /// digest counted above is once per identity and kind).
    @Test("escalation-grant in detail", .enabled(if: present, "../shared/corpus is absent"))
    func detail() throws {
        #expect(try Self.counts(detail: true, rules: [.escalationGrant]) == ["escalation-grant": 441])
    }

    /// Computed once and checked by hand (spot checks of each rule's findings in the
    /// kubernetes-bootstrap, vulnerable and argo-cd folders). When a count changes, look at
    /// the findings that appeared or went away before updating it.
    static let expected: [String: Int] = [
        "absent-service-account": 9, "automount-unused-token": 16, "broad-nonresource-urls": 4,
        "cluster-admin-binding": 15, "default-service-account-permissions": 2, "escalation-grant": 311,
        "escalation-path": 120, "full-authority": 1, "legacy-token-secret": 1, "missing-role": 22, "public-binding": 15,
        "redundant-rule": 68, "secret-in-env": 13, "secrets-read": 91, "subject-matches-nobody": 1, "unbound-role": 57,
        "wildcard-rule": 100,
        // The permission-risk and placement rules (spot checks: argo-cd's server may get
        // pods/portforward cluster-wide; calico's and longhorn's operators hold bind and
        // escalate; istiod, kyverno and the Prometheus operator may update every ConfigMap;
        // the bootstrap policy's garbage collector deletes everything; none of cluster-admin's
        // `*` rules counted twice). The vulnerable folder holds kubescape's cases merged into one
        // world, so its dashboard case is replaced by a later object of the same name.
        "broad-delete": 95, "cluster-config-hijack": 21, "delete-events": 21, "held-bind-escalate": 24,
        "port-forward": 19, "rbac-in-default": 61,
        // Workloads and their tokens (spot checks: argo-cd's controllers read secrets, the
        // Knative controller and kyverno hold full authority, istiod mounts a projected token;
        // workloads of `default` service accounts that hold nothing now named per workload);
        // public bindings by what they grant (OpenShift's are writes or reads, none takeover;
        // the stock public-info binding written in the input is info); administrators of a
        // namespace's core group (the vulnerable folder's RoleBindings of a core-only
        // cluster-admin).
        "workload-dangerous-identity": 88, "namespace-administrator": 3,
        // automount-unused-token: one per service account (coastline's two Deployments of
        // `default` in one finding).
        // escalation-grant: digests, one per identity and kind (441 in detail, below). In
        // detail, 8 conditional pod-exec steps by `get` on pods/exec with the version
        // unknown (argo-cd's server, gatekeeper, kyverno, the bootstrap garbage collector and
        // namespace controller, two in the vulnerable folder).
    ]
}
