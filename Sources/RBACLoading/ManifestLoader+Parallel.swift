import RBACCore

/// Loading on several threads: files, and parts of large multi-document files, are parsed by
/// ``InputParser`` on any thread; the session applies what each found in input order, on the
/// calling thread, so the result (objects, diagnostics and their positions, statistics) is the
/// one a load on one thread gives.
extension ManifestLoader.Session {
    /// One unit of parsing.
    enum Job: Sendable {
        /// Standard input: read and parsed in line when its turn comes.
        case standardInput
        case file(String)
        /// A part of a multi-document file (``DocumentSplit``).
        case part(path: String, DocumentSplit.Part, first: Bool, last: Bool)
        /// A `kind: List` file without its items (``DocumentSplit/ListSplit``).
        case listHead(path: String, DocumentSplit.ListSplit)
        /// Some of the items of a `kind: List` file.
        case listItems(path: String, DocumentSplit.Part, last: Bool)
    }

    /// What a job found.
    struct JobResult {
        var items: [ParsedItem] = []
        var end = InputParseEnd(fedTotal: 0, fatalErrors: 0)
        var binary = false
        /// A list's head or items: usable only when `clean` (else the file is parsed in line).
        var clean = true
        var listContinue: String?
        var issues: [LoadDiagnostic] = []
        var objects: [ObjectDraft] = []
    }

    /// Loads the inputs in order, on ``ManifestLoader/Options/parallelism`` threads.
    mutating func load(inputs: [(path: String, size: Int)]) throws(LoadError) {
        let threads = options.parallelism
        var jobs: [Job] = []
        for input in inputs {
            if input.path == "-" {
                jobs.append(.standardInput)
            } else if threads > 1, input.size >= 2 * options.parallelPartBytes,
                FileSystem.looksBinary(path: input.path) == false,
                let parts = DocumentSplit.parts(ofFile: input.path, minimumBytes: options.parallelPartBytes)
            {
                for (k, part) in parts.enumerated() {
                    jobs.append(.part(path: input.path, part, first: k == 0, last: k == parts.count - 1))
                }
            } else if threads > 1, input.size >= 2 * options.parallelPartBytes,
                FileSystem.looksBinary(path: input.path) == false,
                let list = DocumentSplit.listParts(ofFile: input.path, minimumBytes: options.parallelPartBytes)
            {
                jobs.append(.listHead(path: input.path, list))
                for (k, part) in list.parts.enumerated() {
                    jobs.append(.listItems(path: input.path, part, last: k == list.parts.count - 1))
                }
            } else {
                jobs.append(.file(input.path))
            }
        }
        if threads <= 1 || jobs.count < 2 {
            for job in jobs { try apply(job, nil) }
            return
        }
        let options = self.options
        let planned = jobs
        let runner = OrderedJobs<JobResult>(count: planned.count, window: 4 * threads) { i in
            Self.run(planned[i], options: options)
        }
        var superseded = false
        var list: [JobResult] = []
        try runner.run(threads: threads) { (i, result) throws(LoadError) in
            switch jobs[i] {
            case .part(_, _, let first, _):
                if first { superseded = false }
                if superseded { return }
                superseded = try apply(jobs[i], result)
            case .listHead:
                list = [result]
            case .listItems(let path, _, let last):
                list.append(result)
                if last {
                    try applyList(path: path, list)
                    list = []
                }
            default:
                try apply(jobs[i], result)
            }
        }
    }

    /// Applies a `kind: List` file parsed in parts, as its parse in line would: the document,
    /// the items' field errors in order, the list's `continue`, then the items. When the head
    /// or a part was not clean, parses the file in line instead.
    mutating func applyList(path: String, _ results: [JobResult]) throws(LoadError) {
        guard results.allSatisfy(\.clean) else {
            try load(file: path)
            return
        }
        statistics.files += 1
        currentFile = path
        try apply(.document)
        for r in results {
            for d in r.issues { try apply(.diagnostic(d)) }
        }
        if let c = results.first?.listContinue, !c.isEmpty { try apply(.listContinue(c)) }
        for r in results {
            for o in r.objects { try apply(.object(o)) }
        }
        let size = results.first?.end.fedTotal ?? 0
        try apply(.progress(size))
        finishInput(fedTotal: size)
    }

    /// Parses one job (any thread).
    static func run(_ job: Job, options: ManifestLoader.Options) -> JobResult {
        var r = JobResult()
        let max = options.maxScalarBytes
        switch job {
        case .standardInput:
            return r
        case .file(let path):
            if FileSystem.looksBinary(path: path) == true {
                r.binary = true
                return r
            }
            do {
                r.end = try InputParser(name: path, options: options).parse { offset in
                    InputFeeder.open(path: path, offset: offset, maxEventBytes: max)
                } lines: { offset in
                    LineScanner(path: path, offset: offset)
                } emit: { item in
                    r.items.append(item)
                }
            } catch {
                r.end.fatalErrors += 1  // not reached: collecting never throws
            }
        case .listHead(let path, let split):
            return ListParser(path: path, options: options).head(split)
        case .listItems(let path, let part, _):
            return ListParser(path: path, options: options).items(part)
        case .part(let path, let part, _, _):
            do {
                r.end = try InputParser(name: path, options: options).parse(start: part.start, lineBase: part.line) { offset in
                    InputFeeder.open(path: path, offset: offset, maxEventBytes: max, limit: part.end - offset)
                } lines: { offset in
                    LineScanner(path: path, offset: offset, end: part.end)
                } emit: { item in
                    r.items.append(item)
                }
            } catch {
                r.end.fatalErrors += 1
            }
        }
        return r
    }

    /// Applies a job's result (`nil`: parse it now, in line).
    /// - Returns: whether the rest of the job's file was parsed in line (its later parts are
    ///   then to be ignored).
    @discardableResult
    mutating func apply(_ job: Job, _ result: JobResult?) throws(LoadError) -> Bool {
        switch job {
        case .standardInput:
            try load(memory: FileSystem.readAll(fd: 0), name: "-")
        case .listHead(let path, _), .listItems(let path, _, _):
            try load(file: path)  // not reached: lists are split only on several threads
        case .file(let path):
            guard let result else {
                try load(file: path)
                return false
            }
            statistics.files += 1
            if result.binary {
                try report(.error, SourceLocation(file: path), Self.binaryMessage)
                return false
            }
            currentFile = path
            for item in result.items { try apply(item) }
            finishInput(fedTotal: result.end.fedTotal)
        case .part(let path, let part, let first, let last):
            if first {
                statistics.files += 1
                currentFile = path
            }
            guard let result, last || result.end.fatalErrors == 0 else {
                // A fatal error before the cut may be the cut's doing (a quoted scalar or a
                // flow collection running over it): parse from this part on in line, as one
                // stream, which is what a load on one thread does from here.
                let max = options.maxScalarBytes
                let end = try InputParser(name: path, options: options).parse(start: part.start, lineBase: part.line) { offset in
                    InputFeeder.open(path: path, offset: offset, maxEventBytes: max)
                } lines: { offset in
                    LineScanner(path: path, offset: offset)
                } emit: { (item) throws(LoadError) in
                    try apply(item)
                }
                finishInput(fedTotal: end.fedTotal)
                return !last
            }
            for item in result.items { try apply(item) }
            if last { finishInput(fedTotal: result.end.fedTotal) }
        }
        return false
    }

    /// The bookkeeping at the end of an input read through `fedTotal`.
    mutating func finishInput(fedTotal: Int) {
        statistics.bytes += max(fedTotal, 0)
        bytesBefore += max(fedTotal, 0)
    }
}

/// The parse of a `kind: List` file in parts (``DocumentSplit/ListSplit``): the document
/// without its items, and runs of items parsed as a sequence of their own. Each part reports
/// whether it is clean: nothing in it could read differently inside the whole document.
struct ListParser {
    var path: String
    var options: ManifestLoader.Options

    typealias JobResult = ManifestLoader.Session.JobResult

    /// The document with its items replaced by as many empty lines (so every position after
    /// them stays the same). Clean when it is one `*List` mapping whose head and tail raise no
    /// problem at all.
    func head(_ split: DocumentSplit.ListSplit) -> JobResult {
        var r = JobResult()
        r.clean = false
        let size = FileSystem.size(of: path)
        guard var bytes = FileSystem.readRange(path, from: 0, count: split.itemsStart),
            let tail = FileSystem.readRange(path, from: split.itemsEnd, count: size - split.itemsEnd)
        else { return r }
        r.end.fedTotal = size
        bytes.append(contentsOf: repeatElement(0x0A, count: split.itemLines))
        bytes.append(contentsOf: tail)
        let feeder = InputFeeder(source: .memory(bytes, position: 0), maxEventBytes: options.maxScalarBytes)
        let reader = YAMLEventReader(feeder: feeder, maxDepth: options.maxDepth, maxAliasEvents: options.maxAliasEvents)
        let decoder = ManifestDecoder(reader: reader, file: path, lineBase: 0)
        do {
            try reader.advance()
            try reader.advance()
            guard reader.kind == .documentStart else { return r }
            try reader.advance()
            var items = 0
            let draft = try decoder.decodeObject(topLevel: true) { _ in items += 1 }
            decoder.reportDuplicateKeys()
            guard let draft, items == 0, InputParser.isList(draft.kind), decoder.issues.isEmpty, reader.kind == .documentEnd,
                !reader.sawAnchorOrAlias
            else { return r }
            try reader.advance()
            guard reader.kind == .streamEnd else { return r }
            r.listContinue = draft.listContinue
            r.clean = true
        } catch {
            return r
        }
        return r
    }

    /// A run of items, parsed as a top-level sequence. Clean when it parses without a fatal
    /// error and holds no anchor or alias (an alias may refer to an anchor of another part).
    func items(_ part: DocumentSplit.Part) -> JobResult {
        var r = JobResult()
        r.clean = false
        guard let feeder = InputFeeder.open(path: path, offset: part.start, maxEventBytes: options.maxScalarBytes, limit: part.end - part.start)
        else { return r }
        // Items sit two levels deep in the document (its mapping, the items sequence), one here.
        let reader = YAMLEventReader(feeder: feeder, maxDepth: options.maxDepth - 1, maxAliasEvents: options.maxAliasEvents)
        let decoder = ManifestDecoder(reader: reader, file: path, lineBase: part.line)
        do {
            try reader.advance()
            try reader.advance()
            guard reader.kind == .documentStart else { return r }
            try reader.advance()
            guard reader.kind == .sequenceStart else { return r }
            try decoder.readSequence("items") { () throws(YAMLStreamError) in
                if let draft = try decoder.decodeObject(topLevel: false, item: { _ in }) { r.objects.append(draft) }
            }
            decoder.reportDuplicateKeys()
            guard reader.kind == .documentEnd, !reader.sawAnchorOrAlias else { return r }
            try reader.advance()
            guard reader.kind == .streamEnd else { return r }
            r.issues = decoder.issues
            r.clean = true
        } catch {
            return r
        }
        return r
    }
}
