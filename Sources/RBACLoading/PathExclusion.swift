#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--exclude GLOB`: the files and folders a folder walk leaves out.
///
/// A pattern is a shell glob (`*`, `?`, `[…]`; `*` also crosses `/`). It excludes a path when
/// it matches the whole path or its end from a `/` on: `values.yaml` leaves out every file of
/// that name, `tests` every folder named so (and all below it), `templates/*.yaml` the YAML
/// files of any `templates` folder, `*/charts/*` everything under any `charts` folder.
public struct PathExclusion: Sendable, Hashable {
    public var patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns
    }

    /// Whether `path` (as the walk spells it: the folder given, then `/name`…) is left out.
    public func excludes(_ path: String) -> Bool {
        guard !patterns.isEmpty else { return false }
        var tails = [path]
        var rest = Substring(path)
        while let slash = rest.firstIndex(of: "/") {
            rest = rest[rest.index(after: slash)...]
            if !rest.isEmpty { tails.append(String(rest)) }
        }
        return patterns.contains { pattern in tails.contains { fnmatch(pattern, $0, 0) == 0 } }
    }
}
