import Foundation
import RBACCore
import RBACLoading
import RBACPresentation
import Testing
import TestSupport

/// The report on samples/: what it finds, baselines, and the SARIF it writes.
@Suite("Report")
struct ReportTests {
    static func samplesReport(ignore: [String] = []) throws -> Report {
        let loaded = try ManifestLoader().load(paths: [Repository.samples.path])
        return Report(graph: AccessGraph(loaded.cluster), ignore: ignore, inputSummary: "samples/")
    }

    @Test("samples/ trigger the secrets-management rules the background document warns about")
    func samplesFindings() throws {
        let report = try Self.samplesReport()
        let ids = Set(report.findings.map(\.ruleID))
        // The encryption config lists identity first and uses a static aesgcm key.
        #expect(ids.contains("encryption-identity-first"))
        #expect(ids.contains("encryption-static-key"))
        // mypod takes my-secret through an environment variable; the api Deployment by envFrom.
        #expect(report.findings.filter { $0.ruleID == "secret-in-env" }.map(\.object.description).sorted()
            == ["Deployment/prod/api", "Pod/prod/mypod"])
        // The secret-reader Role lets alice and prod/api list secrets (values included).
        let readers = report.findings.filter { $0.ruleID == "secrets-read" }.compactMap(\.principal)
        #expect(readers.contains("user:alice") && readers.contains("sa:prod/api"))
        #expect(report.findings.contains { $0.ruleID == "missing-role" && $0.object.description == "RoleBinding/prod/auditors" })
        #expect(report.findings.contains { $0.ruleID == "full-authority" && $0.principal == "group:ops" })
        // Most severe first.
        #expect(report.findings.map(\.severity) == report.findings.map(\.severity).sorted(by: >))
        // Findings point at the manifest line of their object.
        let enc = try #require(report.findings.first { $0.ruleID == "encryption-identity-first" })
        #expect(enc.object.source?.file.hasSuffix("samples/secrets-management.yaml") == true)
    }

    @Test("a baseline leaves out accepted findings, by key or by rule and object")
    func baseline() throws {
        let all = try Self.samplesReport()
        let enc = try #require(all.findings.first { $0.ruleID == "encryption-identity-first" })
        let report = try Self.samplesReport(ignore: ["# accepted until the KMS is set up", enc.baselineKey, "secret-in-env Pod/prod/mypod"])
        #expect(!report.findings.contains { $0.ruleID == "encryption-identity-first" })
        #expect(report.findings.filter { $0.ruleID == "secret-in-env" }.map(\.object.description) == ["Deployment/prod/api"])
        #expect(report.ignored.count == 2)
        #expect(report.findings.count == all.findings.count - 2)
    }

    @Test("principals: what each holds and where from, worst finding first")
    func principals() throws {
        let report = try Self.samplesReport()
        let api = try #require(report.principals.first { $0.name == "sa:prod/api" })
        #expect(api.permissions.contains(Report.PermissionLine(scope: "prod", resource: "secrets", verbs: ["get", "list"], resourceNames: [])))
        #expect(api.grants.contains { $0.binding == "RoleBinding/prod/read-secrets" && $0.role == "Role/prod/secret-reader" })
        #expect(report.principals.first?.worst == .critical)  // group:ops holds full authority
    }

    @Test("SARIF has the 2.1.0 shape: rules, results, levels, locations")
    func sarifShape() throws {
        let report = try Self.samplesReport()
        let base = URL(fileURLWithPath: Repository.samples.path).deletingLastPathComponent().path + "/"
        let text = report.sarif(baseURI: base).serialized()
        let sarif = try JSONValue.parse(text)
        #expect(sarif["version"]?.stringValue == "2.1.0")
        #expect(sarif["$schema"]?.stringValue == "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try #require(sarif["runs"]?.arrayValue)
        #expect(runs.count == 1)
        let driver = try #require(runs[0]["tool"]?["driver"])
        #expect(driver["name"]?.stringValue == "rbacgraph")
        let rules = try #require(driver["rules"]?.arrayValue)
        #expect(rules.count == FindingRule.all.count)
        for r in rules {
            #expect(r["id"]?.stringValue?.isEmpty == false)
            #expect(r["shortDescription"]?["text"]?.stringValue?.isEmpty == false)
            #expect(["none", "note", "warning", "error"].contains(r["defaultConfiguration"]?["level"]?.stringValue ?? ""))
        }
        let results = try #require(runs[0]["results"]?.arrayValue)
        #expect(results.count == report.findings.count)
        for r in results {
            let id = try #require(r["ruleId"]?.stringValue)
            guard case .number(let index)? = r["ruleIndex"] else { Issue.record("ruleIndex missing"); continue }
            #expect(rules[Int(index)]["id"]?.stringValue == id)
            #expect(["none", "note", "warning", "error"].contains(r["level"]?.stringValue ?? ""))
            #expect(r["message"]?["text"]?.stringValue?.isEmpty == false)
            let location = try #require(r["locations"]?.arrayValue?.first)
            if let physical = location["physicalLocation"] {
                let uri = try #require(physical["artifactLocation"]?["uri"]?.stringValue)
                #expect(uri.hasPrefix("samples/"), "repository-relative: \(uri)")
                guard case .number(let line)? = physical["region"]?["startLine"] else { Issue.record("startLine"); continue }
                #expect(line >= 1 && line == line.rounded())
            } else {
                #expect(location["logicalLocations"]?.arrayValue?.isEmpty == false)
            }
            #expect(r["partialFingerprints"]?["rbacgraph/v1"]?.stringValue?.count == 16)
        }
    }

    @Test("JSON has the documented schema fields")
    func jsonShape() throws {
        let json = try Self.samplesReport().json()
        #expect(json["schema"]?.stringValue == "rbacgraph.report/v1")
        for key in ["summary", "findings", "principals", "rules", "ignored", "input"] { #expect(json[key] != nil, "\(key)") }
        let f = try #require(json["findings"]?.arrayValue?.first)
        for key in ["ruleId", "severity", "message", "object", "baselineKey"] { #expect(f[key] != nil, "\(key)") }
    }

    @Test("Markdown and HTML carry every finding; HTML is one self-contained page")
    func textFormats() throws {
        let report = try Self.samplesReport()
        let md = report.markdown()
        let html = report.html { f in f.ruleID == "full-authority" ? "<svg id=\"g\"></svg>" : nil }
        for f in report.findings {
            #expect(md.contains(f.ruleID))
            #expect(html.contains(f.ruleID))
        }
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<style>") && !html.contains("<script src") && !html.contains("<link "))
        #expect(html.contains("<svg id=\"g\"></svg>"))
        // Secret values of samples/ never appear.
        for value in ["dXNlcm5hbWU=", "cGFzc3dvcmQ=", "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/"] {
            #expect(!md.contains(value) && !html.contains(value) && !report.json().serialized().contains(value))
        }
    }
}

/// docs/findings.md documents every rule as the code defines it.
@Suite("Findings reference")
struct FindingsDocTests {
    @Test("every rule's id, title, severity, rationale and fix are in docs/findings.md")
    func documented() throws {
        let path = URL(fileURLWithPath: Repository.samples.path).deletingLastPathComponent().appendingPathComponent("docs/findings.md")
        let doc = try String(contentsOf: path, encoding: .utf8)
        for rule in FindingRule.all {
            let heading = "#### `\(rule.id)` — \(rule.title)\n\n"
            #expect(doc.contains(heading), "\(rule.id)")
            // The severity under the rule's own heading, not anywhere in the page.
            #expect(doc.contains(heading + "Severity: **\(rule.severity)** (highest"), "severity of \(rule.id)")
            #expect(doc.contains(rule.rationale), "rationale of \(rule.id)")
            #expect(doc.contains(rule.remediation), "remediation of \(rule.id)")
        }
    }
}
