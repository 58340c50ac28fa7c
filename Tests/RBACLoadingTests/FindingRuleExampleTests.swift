import RBACCore
import RBACLoading
import Testing

/// Every report rule carries manifests that must trigger it and manifests that must not; this
/// one test checks them all, as SwiftLint checks its rules' examples.
@Suite("Report rules: their own examples")
struct FindingRuleExampleTests {
    static let ruleIDs = FindingRule.all.map(\.id)

    /// The example's findings of `rule`: its manifests and its Vault folder loaded as
    /// `-f` and `--vault` load them.
    static func findings(_ example: FindingRule.Example, rule: FindingRule) -> [Finding] {
        var result = load(example.manifests, name: "\(rule.id)-example.yaml")
        #expect(result.errors.isEmpty, "the example of \(rule.id) does not load: \(result.errors)")
        if !example.vault.isEmpty {
            do {
                let vault = try VaultLoader().load(files: example.vault, root: "\(rule.id)-vault")
                #expect(!vault.hasErrors, "the Vault folder of \(rule.id)'s example does not load: \(vault.diagnostics.map(\.description))")
                result.cluster.external.vault.append(contentsOf: vault.inventory)
            } catch {
                Issue.record("a non-strict Vault load threw: \(error)")
            }
        }
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
        // A rule reading Vault shows it in its examples, and only such a rule has Vault files.
        let withVault = (rule.triggeringExamples + rule.nonTriggeringExamples).contains { !$0.vault.isEmpty }
        #expect(withVault == rule.inputs.contains(.vault), "\(id): inputs \(rule.inputs) but Vault files in examples: \(withVault)")
    }

    @Test("triggering examples trigger the rule", arguments: ruleIDs)
    func triggering(_ id: String) throws {
        let rule = try #require(FindingRule.rule(id: id))
        for example in rule.triggeringExamples {
            let found = Self.findings(example, rule: rule)
            #expect(!found.isEmpty, "\(id) did not trigger on:\n\(example.manifests)\n\(example.vault)")
            #expect(found.allSatisfy { $0.ruleID == id && $0.severity <= rule.severity })
        }
    }

    @Test("non-triggering examples do not", arguments: ruleIDs)
    func nonTriggering(_ id: String) throws {
        let rule = try #require(FindingRule.rule(id: id))
        for example in rule.nonTriggeringExamples {
            let found = Self.findings(example, rule: rule)
            #expect(found.isEmpty, "\(id) triggered on:\n\(example.manifests)\n\(example.vault)\n\(found.map(\.message))")
        }
    }
}
