import RBACCore
import RBACLoading
import Testing

/// Every report rule carries manifests that must trigger it and manifests that must not; this
/// one test checks them all, as SwiftLint checks its rules' examples.
@Suite("Report rules: their own examples")
struct FindingRuleExampleTests {
    static let ruleIDs = FindingRule.all.map(\.id)

    static func findings(_ yaml: String, rule: FindingRule) -> [Finding] {
        let result = load(yaml, name: "\(rule.id)-example.yaml")
        #expect(result.errors.isEmpty, "the example of \(rule.id) does not load: \(result.errors)")
        return rule.findings(in: ReportContext(graph: AccessGraph(result.cluster)))
    }

    @Test("ids are unique and stable in form")
    func ids() {
        #expect(Set(Self.ruleIDs).count == Self.ruleIDs.count)
        for id in Self.ruleIDs {
            #expect(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id)")
        }
    }

    @Test("every rule documents itself and has examples both ways", arguments: ruleIDs)
    func documented(_ id: String) throws {
        let rule = try #require(FindingRule.rule(id: id))
        #expect(!rule.title.isEmpty && !rule.rationale.isEmpty && !rule.remediation.isEmpty)
        #expect(!rule.triggeringExamples.isEmpty)
        #expect(!rule.nonTriggeringExamples.isEmpty)
    }

    @Test("triggering examples trigger the rule", arguments: ruleIDs)
    func triggering(_ id: String) throws {
        let rule = try #require(FindingRule.rule(id: id))
        for example in rule.triggeringExamples {
            let found = Self.findings(example, rule: rule)
            #expect(!found.isEmpty, "\(id) did not trigger on:\n\(example)")
            #expect(found.allSatisfy { $0.ruleID == id && $0.severity <= rule.severity })
        }
    }

    @Test("non-triggering examples do not", arguments: ruleIDs)
    func nonTriggering(_ id: String) throws {
        let rule = try #require(FindingRule.rule(id: id))
        for example in rule.nonTriggeringExamples {
            let found = Self.findings(example, rule: rule)
            #expect(found.isEmpty, "\(id) triggered on:\n\(example)\n\(found.map(\.message))")
        }
    }
}
