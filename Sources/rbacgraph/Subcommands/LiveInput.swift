import ArgumentParser
import Dispatch
import RBACCluster
import RBACCore
import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// Reading the cluster of the current kubeconfig context (no `-f`): the flags, the blocking
/// bridge to the async reader, progress on stderr, and what could not be read.
struct LiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The kubeconfig file (instead of KUBECONFIG or ~/.kube/config); no -f: read the cluster.", valueName: "file"))
    var kubeconfig: String?

    @Option(help: ArgumentHelp("The kubeconfig context to read (instead of current-context).", valueName: "name"))
    var context: String?

    @Flag(help: "Do not list secrets at all (the secret views then know no secret names or types).")
    var noSecrets = false

    @Option(help: ArgumentHelp("How long to wait for a connection or for the next bytes of a response, in seconds.", valueName: "seconds"))
    var requestTimeout: Int = 30

    var isSet: Bool { kubeconfig != nil || context != nil || noSecrets }
}

/// What a live read gave the CLI.
struct LiveRead {
    var read: ClusterRead

    /// The read's gaps as error diagnostics (so `hasErrors` and exit 3 follow them).
    var gapDiagnostics: [LoadDiagnostic] {
        read.gaps.map {
            LoadDiagnostic(severity: .error, location: SourceLocation(file: read.server, line: 0, column: 0), message: "could not read \($0)")
        }
    }
}

enum LiveLoader {
    /// Reads the cluster, printing progress and what could not be read on stderr.
    static func read(_ options: LiveOptions, quiet: Bool) throws -> LiveRead {
        let loader = KubeconfigLoader(explicitPath: options.kubeconfig, context: options.context)
        let config: ConnectionConfig
        let transport: HTTPTransport
        do {
            config = try loader.resolve()
            transport = try HTTPTransport(config, timeout: .seconds(Int64(max(1, options.requestTimeout))))
        } catch {
            Terminal.writeStderr("error: \(error)\n")
            throw ExitCode(1)
        }
        for w in transport.warnings { Terminal.warn(w) }
        if !quiet { Terminal.writeStderr("reading the cluster of \(config.origin) at \(config.server)\n") }
        var readerOptions = ClusterReader.Options()
        readerOptions.readSecrets = !options.noSecrets
        let showProgress = !quiet && (isatty(2) != 0)
        if showProgress {
            readerOptions.progress = { p in
                Terminal.progress("reading: \(p.listsDone)/\(p.listsTotal) kinds, \(p.objects) objects, \(p.bytes >> 20) MiB")
            }
        }
        let reader = ClusterReader(
            transport: transport, server: config.server, origin: config.origin, contextNamespace: config.namespace,
            options: readerOptions)
        let outcome = blocking { () async -> Result<ClusterRead, ClusterError> in
            let r: Result<ClusterRead, ClusterError>
            do throws(ClusterError) {
                r = .success(try await reader.read())
            } catch {
                r = .failure(error)
            }
            await transport.shutdown()
            return r
        }
        if showProgress { Terminal.clearProgress() }
        switch outcome {
        case .failure(let e):
            Terminal.writeStderr("error: \(e)\n")
            throw ExitCode(1)
        case .success(let read):
            if !quiet {
                let secrets = read.secretsSkipped ? " (secrets not read: --no-secrets)" : ""
                Terminal.writeStderr(
                    "read \(read.objects) objects (\(read.bytes >> 10) KiB, \(read.requests) requests) in \(String(format1: read.seconds)) s\(secrets)\n")
            }
            for g in read.gaps { Terminal.warn("could not read \(g)") }
            if !read.gaps.isEmpty && !quiet {
                Terminal.writeStderr(
                    read.rbacComplete
                        ? "note: every RBAC object was read; facts about what could not be read are unknown, not false\n"
                        : "note: some RBAC objects could not be read: a \"yes\" stands, a \"no\" or a list may be incomplete (exit 3)\n")
            }
            return LiveRead(read: read)
        }
    }

    /// Runs async work from synchronous code (the CLI's main thread is not in the async pool).
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    final class Box<T>: @unchecked Sendable { var value: T? }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
