import RBACCore

/// Says on standard error when an answer rests on objects the API server would refuse
/// (``APIServerValidation``): they are evaluated as written, but cannot exist in a cluster.
enum RefusalNotes {
    /// - Parameters:
    ///   - granting: display names of the bindings and roles that grant the answer.
    static func warn(
        _ refusals: [APIServerValidation.Refusal], request: Request, anyNamespace: Bool = false,
        granting: Set<String> = [], quiet: Bool
    ) {
        guard !quiet, !refusals.isEmpty else { return }
        let bearing = APIServerValidation.refusals(refusals, bearingOn: request, anyNamespace: anyNamespace, granting: granting)
        guard !bearing.isEmpty else { return }
        var lines = ["this answer rests on \(bearing.count == 1 ? "an object" : "objects") the API server would refuse, "
            + "evaluated as written (in a cluster they cannot exist; --strict leaves them out):"]
        for r in bearing {
            let at = r.source.map { " (\($0))" } ?? ""
            let role = granting.contains(r.object) ? ", which grants it" : ""
            lines.append("  \(r.object)\(at)\(role): " + r.problems.map(\.description).joined(separator: "; "))
        }
        Terminal.warn(lines.joined(separator: "\n"))
    }
}
