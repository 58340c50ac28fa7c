import RBACCore

/// The proof obligation of ``ManifestLoader/Options/prescan``, callable on any input: the
/// fuzz target and the tests load the same bytes with and without the scan and compare.
extension ManifestLoader {
    /// Loads `bytes` with ``Options/prescan`` on and off (``options`` otherwise as given) and
    /// describes the first difference between the two results: the objects, the diagnostics
    /// (message, file, line, column), the statistics a user sees (not the time), the
    /// refusals, the List's `continue`, and the error a strict load stops at. `nil`: none.
    public static func prescanDifference(_ bytes: [UInt8], options: Options = Options(), name: String = "<input>") -> String? {
        func run(_ on: Bool) -> Swift.Result<Result, LoadError> {
            var o = options
            o.prescan = on
            do throws(LoadError) {
                return .success(try ManifestLoader(options: o).load(bytes: bytes, name: name))
            } catch {
                return .failure(error)
            }
        }
        return difference(run(true), run(false))
    }

    /// The same for files and folders (``load(paths:)``): every way a file reaches libyaml
    /// (whole, in parts on several threads, a folder of small files).
    public static func prescanDifference(paths: [String], options: Options = Options()) -> String? {
        func run(_ on: Bool) -> Swift.Result<Result, LoadError> {
            var o = options
            o.prescan = on
            do throws(LoadError) {
                return .success(try ManifestLoader(options: o).load(paths: paths))
            } catch {
                return .failure(error)
            }
        }
        return difference(run(true), run(false))
    }

    /// How many bytes of `bytes` the scan replaces when it is read as one input from its start
    /// (a load resumed after a syntax error scans again from there). The scan alone, without
    /// libyaml: the bench measures its speed with this.
    public static func prescanReplacedBytes(_ bytes: [UInt8]) -> Int {
        let feeder = InputFeeder(source: .memory(bytes, position: 0), maxEventBytes: .max, prescan: true)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: UnreadValueScan.chunkBytes)
        defer { buffer.deallocate() }
        while let n = feeder.read(into: buffer, size: UnreadValueScan.chunkBytes), n > 0 {}
        return feeder.bytesReplaced
    }

    private static func difference(_ a: Swift.Result<Result, LoadError>, _ b: Swift.Result<Result, LoadError>) -> String? {
        switch (a, b) {
        case (.failure(let x), .failure(let y)):
            return "\(x)" == "\(y)" ? nil : "strict error: \(x) with the scan, \(y) without"
        case (.failure(let x), .success):
            return "strict error with the scan only: \(x)"
        case (.success, .failure(let y)):
            return "strict error without the scan only: \(y)"
        case (.success(let x), .success(let y)):
            return difference(x, y)
        }
    }

    private static func difference(_ x: Result, _ y: Result) -> String? {
        if x.diagnostics != y.diagnostics {
            let i = zip(x.diagnostics, y.diagnostics).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.diagnostics.count, y.diagnostics.count)
            let dx = i < x.diagnostics.count ? "\(x.diagnostics[i])" : "nothing"
            let dy = i < y.diagnostics.count ? "\(y.diagnostics[i])" : "nothing"
            return "diagnostic \(i): \(dx) with the scan, \(dy) without"
        }
        var sx = x.statistics, sy = y.statistics
        sx.seconds = 0
        sy.seconds = 0
        if sx != sy { return "statistics: \(sx) with the scan, \(sy) without" }
        if x.refusals != y.refusals { return "refusals differ" }
        if x.listContinue != y.listContinue { return "continue differs" }
        let c = x.cluster, d = y.cluster
        if c.roles != d.roles { return "roles differ" }
        if c.bindings != d.bindings { return "bindings differ" }
        if c.serviceAccounts != d.serviceAccounts { return "service accounts differ" }
        if c.namespaces != d.namespaces { return "namespaces differ" }
        if c.secrets != d.secrets { return "secrets differ" }
        if c.workloads != d.workloads { return "workloads differ" }
        if c.encryptionConfigurations != d.encryptionConfigurations { return "encryption configurations differ" }
        if c.auditPolicies != d.auditPolicies { return "audit policies differ" }
        if c.kubernetesVersion != d.kubernetesVersion { return "Kubernetes versions differ" }
        if c.external != d.external { return "external objects differ" }
        return nil
    }
}
