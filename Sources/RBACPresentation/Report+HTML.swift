// The report as one self-contained HTML page.

import RBACCore

extension Report {

    /// One self-contained HTML page: summary, findings with severity colours, principals.
    /// - Parameter graphic: inline SVG for a finding (the access graph of its path or grant),
    ///   or nil; called for high and critical findings.
    public func html(graphic: ((Finding) -> String?)? = nil) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>rbacgraph report</title>
            <style>
            body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
            header{background:#24292f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#d0d7de}
            main{padding:16px 32px;max-width:1200px}
            p.warning{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}
            .cards{display:flex;gap:12px;margin:12px 0 20px}.card{flex:1;background:#fff;border-radius:8px;padding:12px 16px;border-top:4px solid}
            .card b{font-size:26px;display:block}
            .critical{border-color:#8b0000}.high{border-color:#cf222e}.medium{border-color:#bf8700}.low{border-color:#0969da}.info{border-color:#8c959f}
            .sev{display:inline-block;min-width:64px;text-align:center;border-radius:12px;padding:1px 8px;color:#fff;font-size:12px;font-weight:600}
            .sev.critical{background:#8b0000}.sev.high{background:#cf222e}.sev.medium{background:#bf8700}.sev.low{background:#0969da}.sev.info{background:#8c959f}
            table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;margin:8px 0 16px}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d8dee4;vertical-align:top}th{background:#eaeef2;font-weight:600}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff1f3;padding:1px 4px;border-radius:4px}
            details{background:#fff;border-radius:8px;padding:8px 12px;margin:8px 0}summary{cursor:pointer;font-weight:600}
            .evidence{color:#57606a;font-size:13px;margin:4px 0 0 0;padding-left:18px}.graphic{overflow:auto;margin-top:8px}.graphic svg{max-width:100%;height:auto}
            pre{background:#24292f;color:#f6f8fa;padding:10px;border-radius:6px;overflow:auto}
            </style></head><body>
            <header><h1>rbacgraph report</h1><p>\(TextEscaping.html(inputSummary))</p></header><main>
            <div class="cards">
            """
        for (s, n) in summary { h += "<div class=\"card \(s)\"><b>\(n)</b>\(s)</div>" }
        h += "</div>\n"
        if !ignored.isEmpty { h += "<p>\(ignored.count) finding(s) left out by the baseline.</p>\n" }
        h += "<p>Built-in policy: \(TextEscaping.html(builtinPolicy ?? "none (the input alone)"))</p>\n"
        for n in notChecked {
            h += "<p class=\"notchecked\">Not checked: \(TextEscaping.html(n.ruleIDs.joined(separator: ", "))) — \(TextEscaping.html(n.reason))</p>\n"
        }
        if !builtIn.isEmpty {
            h += "<details><summary>\(builtIn.count) finding(s) rest only on the API server's built-in policy (every cluster has it; not counted by --fail-on)</summary><ul class=\"evidence\">"
            h += builtIn.map { "<li>\($0.severity) <code>\(TextEscaping.html($0.ruleID))</code> \(TextEscaping.html($0.message))</li>" }.joined() + "</ul></details>\n"
        }
        h += "<h2>Findings</h2>\n"
        if findings.isEmpty { h += "<p>No findings.</p>\n" }
        for f in findings {
            h += "<details\(f.severity >= .high ? " open" : "")><summary><span class=\"sev \(f.severity)\">\(f.severity)</span> <code>\(TextEscaping.html(f.ruleID))</code> \(TextEscaping.html(f.message))</summary>\n"
            h += "<div>Object: <code>\(TextEscaping.html(f.object.description))</code>"
            if let s = f.object.source { h += " at <code>\(TextEscaping.html(s.description))</code>" }
            h += "</div>\n"
            if !f.evidence.isEmpty {
                h += "<ul class=\"evidence\">" + f.evidence.prefix(10).map { "<li>\(TextEscaping.html($0))</li>" }.joined() + "</ul>\n"
            }
            if f.severity >= .high, let svg = graphic?(f) { h += "<div class=\"graphic\">\(svg)</div>\n" }
            h += "</details>\n"
        }
        h += "<h2>Principals</h2>\n"
        for p in principals {
            h += "<details><summary>\(TextEscaping.html(p.name))"
            if let w = p.worst { h += " <span class=\"sev \(w)\">\(w)</span> \(p.findingCount) finding(s)" }
            h += "</summary>\n"
            if p.permissions.isEmpty {
                h += "<p>Holds no permissions.</p>"
            } else {
                h += "<table><tr><th>scope</th><th>resource</th><th>verbs</th><th>names</th></tr>"
                for l in p.permissions {
                    h += "<tr><td>\(TextEscaping.html(l.scope))</td><td><code>\(TextEscaping.html(l.resource))</code></td><td>\(TextEscaping.html(l.verbs.joined(separator: " ")))</td><td>\(TextEscaping.html(l.resourceNames.joined(separator: " ")))</td></tr>"
                }
                h += "</table><p>Through: " + p.grants.map { "<code>\(TextEscaping.html($0.binding))</code> → <code>\(TextEscaping.html($0.role))</code>" }.joined(separator: "; ") + "</p>"
            }
            if let u = p.usage {
                h += "<p><b>Audit log:</b> \(u.observed.count) distinct request(s); \(u.unusedRules.count) held rule(s) never used.</p>"
                h += "<p>Minimal policy (\(u.suggestion.verified ? "verified" : "not verified")):</p><pre>\(TextEscaping.html(u.suggestion.yaml))</pre>"
                if !u.suggestion.notHeldToday.isEmpty {
                    h += "<p class=\"warning\"><b>Warning:</b> \(TextEscaping.html(u.suggestion.widening(of: p.name))):</p><ul>"
                    for r in u.suggestion.notHeldToday { h += "<li><code>\(TextEscaping.html(r.description))</code></li>" }
                    h += "</ul>"
                }
            }
            h += "</details>\n"
        }
        h += "<h2>Rules</h2>\n<table><tr><th>id</th><th>severity</th><th>category</th><th>title</th></tr>"
        for r in rules {
            h += "<tr><td><code>\(TextEscaping.html(r.id))</code></td><td><span class=\"sev \(r.severity)\">\(r.severity)</span></td><td>\(TextEscaping.html(r.category.rawValue))</td><td>\(TextEscaping.html(r.title))</td></tr>"
        }
        h += "</table>\n</main></body></html>\n"
        return h
    }
}
