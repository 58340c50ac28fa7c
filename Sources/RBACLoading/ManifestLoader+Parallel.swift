import RBACCore

/// Loading on several threads: files, and parts of large multi-document files, are parsed by
/// ``InputParser`` on any thread; the session applies what each found in input order, on the
/// calling thread, so the result (objects, diagnostics and their positions, statistics) is the
/// one a load on one thread gives.
extension ManifestLoader.Session {
    /// One unit of parsing.
    enum Job {
        /// Standard input: read and parsed in line when its turn comes.
        case standardInput
        case file(String)
        /// Small files parsed one after the other by one thread (fewer hand-overs).
        case files([String])
        /// A part of a multi-document file (``DocumentSplit/Cutter``).
        case part(path: String, DocumentSplit.Part, first: Bool, last: Bool)
        /// Some of the items of a `kind: List` file (``DocumentSplit/ListSplit``).
        case listItems(path: String, DocumentSplit.Part)
        /// A `kind: List` file without its items, after its last items; nil: the file turned
        /// out not to be a List that can be cut (it is then parsed in line).
        case listEnd(path: String, DocumentSplit.ListSplit?)
    }

    /// One thing a job found, in stream order, kept until its turn: small, unlike a
    /// ``ParsedItem`` (which holds a whole draft), so that thousands of them are cheap to keep
    /// and to grow an array of.
    enum Found {
        /// The next of ``JobResult/objects``.
        case object
        case diagnostic(LoadDiagnostic)
        case document
        case skippedDocument
        case listContinue(String)
        case progress(Int)
    }

    /// What a job found.
    struct JobResult {
        var found: [Found] = []
        var end = InputParseEnd(fedTotal: 0, fatalErrors: 0)
        var binary = false
        /// A list's head or items: usable only when `clean` (else the file is parsed in line).
        var clean = true
        var listContinue: String?
        /// A list's items: their field errors.
        var issues: [LoadDiagnostic] = []
        /// The objects found, prepared, in order (a list's items, or those `found` refers to).
        var objects: [PreparedObject] = []
        /// The results of ``Job/files(_:)``, file by file.
        var files: [JobResult] = []

        /// Keeps what a parse emitted, its object prepared (``prepare(_:defaultKind:options:)``)
        /// so that the thread that parsed it does that work. Jobs run only in loads of files,
        /// whose objects have no default kind.
        mutating func keep(_ item: ParsedItem, options: ManifestLoader.Options) {
            switch item {
            case .object(let draft):
                objects.append(ManifestLoader.Session.prepare(draft, defaultKind: nil, options: options))
                found.append(.object)
            case .diagnostic(let d): found.append(.diagnostic(d))
            case .document: found.append(.document)
            case .skippedDocument: found.append(.skippedDocument)
            case .listContinue(let c): found.append(.listContinue(c))
            case .progress(let fed): found.append(.progress(fed))
            }
        }
    }

    /// Plans the jobs of a load one at a time, as the threads need them: small files in
    /// batches, large ones cut by ``DocumentSplit/FileCutter`` as its scan goes on.
    final class JobPlanner {
        private let inputs: [(path: String, size: Int)]
        private let partBytes: Int
        private var index = 0
        private var cutting: (path: String, cutter: DocumentSplit.FileCutter, first: Bool)?

        init(inputs: [(path: String, size: Int)], partBytes: Int) {
            self.inputs = inputs
            self.partBytes = max(partBytes, 1)
        }

        private func isLarge(_ input: (path: String, size: Int)) -> Bool {
            input.path != "-" && input.size >= 2 * partBytes
        }

        func next() -> Job? {
            if let c = cutting {
                if let piece = c.cutter.next() {
                    cutting?.first = false
                    return job(piece, path: c.path, first: c.first)
                }
                cutting = nil
            }
            guard index < inputs.count else { return nil }
            let input = inputs[index]
            index += 1
            if input.path == "-" { return .standardInput }
            if isLarge(input) {
                guard FileSystem.looksBinary(path: input.path) == false,
                    let cutter = DocumentSplit.FileCutter(path: input.path, minimumBytes: partBytes),
                    let piece = cutter.next()
                else { return .file(input.path) }
                cutting = (input.path, cutter, false)
                return job(piece, path: input.path, first: true)
            }
            var batch = [input.path]
            var bytes = input.size
            while bytes < partBytes, batch.count < 256, index < inputs.count, inputs[index].path != "-", !isLarge(inputs[index]) {
                batch.append(inputs[index].path)
                bytes += inputs[index].size
                index += 1
            }
            return batch.count == 1 ? .file(input.path) : .files(batch)
        }

        private func job(_ piece: DocumentSplit.Piece, path: String, first: Bool) -> Job {
            switch piece {
            case .whole: return .file(path)
            case .streamPart(let part, let last): return .part(path: path, part, first: first, last: last)
            case .listItems(let part): return .listItems(path: path, part)
            case .listEnd(let split): return .listEnd(path: path, split)
            }
        }
    }

    /// Loads the inputs in order, on ``ManifestLoader/Options/parallelism`` threads.
    mutating func load(inputs: [(path: String, size: Int)]) throws(LoadError) {
        let threads = options.parallelism
        if threads <= 1 || inputs.count == 0 || (inputs.count == 1 && inputs[0].size < 2 * options.parallelPartBytes) {
            for input in inputs { try apply(input.path == "-" ? .standardInput : .file(input.path), nil) }
            return
        }
        let options = self.options
        let planner = JobPlanner(inputs: inputs, partBytes: options.parallelPartBytes)
        let runner = OrderedJobs<Job, JobResult>(window: 4 * threads, plan: planner.next) { job in
            Self.run(job, options: options)
        }
        var superseded = false
        var list = ListInParts()
        try runner.run(threads: threads) { (job, result) throws(LoadError) in
            switch job {
            case .part(_, _, let first, _):
                if first { superseded = false }
                if superseded { return }
                superseded = try apply(job, result)
            case .listItems:
                list.add(result, to: self)
            case .listEnd(let path, _):
                try applyList(path: path, head: result, list)
                list = ListInParts()
            case .files(let paths):
                for (path, r) in zip(paths, result.files) { try apply(.file(path), r) }
            default:
                try apply(job, result)
            }
        }
    }

    /// The items of a `kind: List` file parsed in parts, as they arrive in order, before the
    /// file's head (parsed last, once the scan has found where the items end).
    ///
    /// Applied in line, the List gives: the document, the items' field errors, its `continue`,
    /// then the items' objects. So objects can only be added once every part and the head are
    /// known. While no part has a field error, their objects are added as the parts arrive to
    /// a copy of the session (`staged`), which becomes the session when the head turns out
    /// clean: adding them then overlaps the parse of the parts still to come instead of
    /// following the last one. Anything else (a field error, a part or head that is not clean,
    /// an error in strict mode) drops the copy, and the List is applied as before.
    struct ListInParts {
        var items: [JobResult] = []
        var staged: ManifestLoader.Session?
        /// Whether every object so far went to `staged`.
        var staging = true

        mutating func add(_ result: JobResult, to session: ManifestLoader.Session) {
            items.append(result)
            guard staging, result.clean, result.issues.isEmpty else {
                staging = false
                staged = nil
                return
            }
            if staged == nil { staged = session }
            do {
                for o in result.objects { try staged?.commit(o) }
            } catch {
                staging = false
                staged = nil
            }
        }
    }

    /// Applies a `kind: List` file parsed in parts, as its parse in line would: the document,
    /// the items' field errors in order, the list's `continue`, then the items. When the head
    /// or a part was not clean, parses the file in line instead.
    mutating func applyList(path: String, head: JobResult, _ list: ListInParts) throws(LoadError) {
        guard head.clean, list.items.allSatisfy(\.clean) else {
            try load(file: path)
            return
        }
        if list.staging, let staged = list.staged {
            // The items' objects are in `staged` already; nothing else of the List reports
            // anything or depends on them.
            self = staged
            statistics.files += 1
            currentFile = path
            try apply(.document)
            if let c = head.listContinue, !c.isEmpty { try apply(.listContinue(c)) }
        } else {
            statistics.files += 1
            currentFile = path
            try apply(.document)
            for r in list.items {
                for d in r.issues { try apply(.diagnostic(d)) }
            }
            if let c = head.listContinue, !c.isEmpty { try apply(.listContinue(c)) }
            for r in list.items {
                for o in r.objects { try commit(o) }
            }
        }
        try apply(.progress(head.end.fedTotal))
        finishInput(fedTotal: head.end.fedTotal)
    }

    /// Parses one job (any thread).
    static func run(_ job: Job, options: ManifestLoader.Options) -> JobResult {
        var r = JobResult()
        let max = options.maxScalarBytes
        /// Parses `path` from `start` on, keeping what the parse finds.
        func collect(_ path: String, start: Int = 0, lineBase: Int = 0, _ open: (Int) -> InputFeeder?, _ lines: (Int) -> LineScanner?) {
            do {
                r.end = try InputParser(name: path, options: options).parse(start: start, lineBase: lineBase, open: open, lines: lines) {
                    item in r.keep(item, options: options)
                }
            } catch {
                r.end.fatalErrors += 1  // not reached: collecting never throws
            }
        }
        switch job {
        case .standardInput:
            return r
        case .file(let path):
            // A file small enough to be one job is read whole: one read, no buffered stream
            // and no second open for the binary test (a folder of small files spends much
            // of its time opening and reading them). One that cannot be opened is reported
            // by the parse below.
            if let bytes = FileSystem.readFile(path, atMost: 2 * options.parallelPartBytes) {
                r.binary = FileSystem.looksBinary(bytes[...])
                if !r.binary {
                    collect(path) { offset in InputFeeder(source: .memory(bytes, position: offset), maxEventBytes: max) } _: { offset in
                        LineScanner(bytes: bytes, offset: offset)
                    }
                }
                return r
            }
            r.binary = FileSystem.looksBinary(path: path) == true
            if !r.binary {
                collect(path) { offset in InputFeeder.open(path: path, offset: offset, maxEventBytes: max) } _: { offset in
                    LineScanner(path: path, offset: offset)
                }
            }
        case .files(let paths):
            r.files = paths.map { run(.file($0), options: options) }
        case .listEnd(let path, let split):
            guard let split else {
                r.clean = false
                return r
            }
            return ListParser(path: path, options: options).head(split)
        case .listItems(let path, let part):
            return ListParser(path: path, options: options).items(part)
        case .part(let path, let part, _, _):
            collect(path, start: part.start, lineBase: part.line) { offset in
                InputFeeder.open(path: path, offset: offset, maxEventBytes: max, limit: part.end - offset)
            } _: { offset in
                LineScanner(path: path, offset: offset, end: part.end)
            }
        }
        return r
    }

    /// Applies what a job found, in order.
    mutating func apply(found result: JobResult) throws(LoadError) {
        var next = 0
        for f in result.found {
            switch f {
            case .object:
                try commit(result.objects[next])
                next += 1
            case .diagnostic(let d): try add(d)
            case .document: try apply(.document)
            case .skippedDocument: try apply(.skippedDocument)
            case .listContinue(let c): try apply(.listContinue(c))
            case .progress(let fed): try apply(.progress(fed))
            }
        }
    }

    /// Applies a job's result (`nil`: parse it now, in line).
    /// - Returns: whether the rest of the job's file was parsed in line (its later parts are
    ///   then to be ignored).
    @discardableResult
    mutating func apply(_ job: Job, _ result: JobResult?) throws(LoadError) -> Bool {
        switch job {
        case .standardInput:
            try load(memory: FileSystem.readAll(fd: 0), name: "-")
        case .listEnd(let path, _), .listItems(let path, _):
            try load(file: path)  // not reached: lists are split only on several threads
        case .files(let paths):
            for path in paths { try apply(.file(path), nil) }
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
            try apply(found: result)
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
            try apply(found: result)
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

    /// The document without its items: the bytes before them, then those after them (both
    /// whole lines, so `items:` is followed by the next key). Clean when it is one `*List`
    /// mapping whose head and tail raise no problem at all. Positions in the tail are off by
    /// the items' lines, but a head is used only when it reports nothing (else the file is
    /// parsed in line), so none is ever shown; libyaml need not read a blank line per line
    /// of the items.
    func head(_ split: DocumentSplit.ListSplit) -> JobResult {
        var r = JobResult()
        r.clean = false
        let size = FileSystem.size(of: path)
        guard var bytes = FileSystem.readRange(path, from: 0, count: split.itemsStart),
            let tail = FileSystem.readRange(path, from: split.itemsEnd, count: size - split.itemsEnd)
        else { return r }
        r.end.fedTotal = size
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
                if let draft = try decoder.decodeObject(topLevel: false, item: { _ in }) {
                    r.objects.append(ManifestLoader.Session.prepare(draft, defaultKind: nil, options: options))
                }
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
