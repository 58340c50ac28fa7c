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
    /// and to grow an array of. The rare cases with a large payload are boxed (`indirect`):
    /// a record then takes 16 bytes, not the 64 a diagnostic needs, for the three or so of every
    /// document (its start, its object, the progress after it).
    enum Found {
        /// The next of ``JobResult/objects``.
        case object
        indirect case diagnostic(LoadDiagnostic)
        case document
        case skippedDocument
        indirect case listContinue(String)
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
        /// ``Job/files(_:)``: how the parse of each file ended, and where its part of `found`
        /// ends (the files of a batch share one result: a few arrays per batch, not per file).
        var fileEnds: [(found: Int, end: InputParseEnd, binary: Bool)] = []

        /// Object `i`, moved out (an empty object is left in its place): adding it to the
        /// cluster then copies nothing, and dropping the result releases nothing of it.
        mutating func takeObject(_ i: Int) -> PreparedObject {
            var o = PreparedObject()
            swap(&o, &objects[i])
            return o
        }

        /// Keeps what a parse emitted (its objects come prepared by the thread that parsed
        /// them). Jobs run only in loads of files, whose objects have no default kind.
        mutating func keep(_ item: consuming ParsedItem, options: ManifestLoader.Options) {
            switch consume item {
            case .object(let object):
                objects.append(consume object)
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
        if threads <= 1 || inputs.count == 0 || (inputs.count == 1 && inputs[0].size < options.wholeFileBytes) {
            for input in inputs { try applyInLine(input.path == "-" ? .standardInput : .file(input.path)) }
            return
        }
        let options = self.options
        let planner = JobPlanner(inputs: inputs, partBytes: options.parallelPartBytes)
        let runner = OrderedJobs<Job, JobResult>(window: 4 * threads, plan: planner.next) { job in
            Self.run(job, options: options)
        }
        var superseded = false
        var list = ListInParts()
        try runner.run(threads: threads) { (job, result: inout JobResult) throws(LoadError) in
            switch job {
            case .part(_, _, let first, _):
                if first { superseded = false }
                if superseded { return }
                superseded = try apply(job, &result)
            case .listItems:
                list.add(&result, to: self)
            case .listEnd(let path, _):
                try applyList(path: path, head: result, list)
                list = ListInParts()
            default:
                try apply(job, &result)
            }
        }
    }

    /// The items of a `kind: List` file parsed in parts, as they arrive in order, before the
    /// file's head (parsed last, once the scan has found where the items end).
    ///
    /// Applied in line, the List gives: the document, the items' field errors, its `continue`,
    /// then the items' objects. So objects can only be added once every part and the head are
    /// known. While no part has a field error, their objects are moved as the parts arrive to
    /// a copy of the session (`staged`), which becomes the session when the head turns out
    /// clean: adding them then overlaps the parse of the parts still to come instead of
    /// following the last one, and nothing of the parts is kept. When a part has field errors
    /// (or, in strict mode, an object has an error) after others were staged, the List is
    /// parsed again in line; before any was staged, the parts are kept and the List is applied
    /// from them in line's order.
    struct ListInParts {
        /// The parts' results while not staging.
        var items: [JobResult] = []
        var staged: ManifestLoader.Session?
        /// Whether every object so far went to `staged`.
        var staging = true
        /// Whether every part so far was clean.
        var clean = true
        /// Objects went to `staged` before staging stopped: the List is to be parsed in line.
        var reparse = false

        mutating func add(_ result: inout JobResult, to session: ManifestLoader.Session) {
            clean = clean && result.clean
            if staging, result.clean, result.issues.isEmpty {
                if staged == nil { staged = session }
                do {
                    for i in result.objects.indices { try staged?.commit(result.takeObject(i)) }
                    return
                } catch {}
            }
            if staging {
                staging = false
                reparse = staged != nil
                staged = nil
            }
            if !reparse { items.append(result) }
        }
    }

    /// Applies a `kind: List` file parsed in parts, as its parse in line would: the document,
    /// the items' field errors in order, the list's `continue`, then the items. When the head
    /// or a part was not clean, or staged objects were dropped, parses the file in line instead.
    mutating func applyList(path: String, head: JobResult, _ list: ListInParts) throws(LoadError) {
        guard head.clean, list.clean, !list.reparse else {
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
        switch job {
        case .standardInput:
            break
        case .file(let path):
            (r.end, r.binary) = parse(file: path, options: options, into: &r)
        case .files(let paths):
            // One reader's buffers for the whole batch (one thread parses it, file after file).
            let buffers = ReaderBuffers()
            for path in paths {
                let (end, binary) = parse(file: path, options: options, buffers: buffers, into: &r)
                r.fileEnds.append((r.found.count, end, binary))
            }
        case .listEnd(let path, let split):
            guard let split else {
                r.clean = false
                return r
            }
            return ListParser(path: path, options: options).head(split)
        case .listItems(let path, let part):
            return ListParser(path: path, options: options).items(part)
        case .part(let path, let part, _, _):
            let max = options.maxScalarBytes
            r.end = collect(path, start: part.start, lineBase: part.line, options: options, into: &r) { offset in
                InputFeeder.open(path: path, offset: offset, maxEventBytes: max, limit: part.end - offset, prescan: options.prescanFeeds)
            } lines: { offset in
                LineScanner(path: path, offset: offset, end: part.end)
            }
        }
        return r
    }

    /// Parses a whole file, adding what it finds to `r`.
    /// - Returns: how the parse ended, and whether the file is binary (then it is not parsed).
    private static func parse(
        file path: String, options: ManifestLoader.Options, buffers: ReaderBuffers? = nil, into r: inout JobResult
    ) -> (end: InputParseEnd, binary: Bool) {
        let max = options.maxScalarBytes
        let none = InputParseEnd(fedTotal: 0, fatalErrors: 0)
        // A file small enough to be one job is read whole: one read, no buffered stream and
        // no second open for the binary test (a folder of small files spends much of its
        // time opening and reading them). One that cannot be opened is reported by the
        // parse below.
        if let bytes = FileSystem.readFile(path, atMost: options.wholeFileBytes) {
            if FileSystem.looksBinary(bytes[...]) { return (none, true) }
            let end = collect(path, options: options, buffers: buffers, into: &r) { offset in
                InputFeeder(source: .memory(bytes, position: offset), maxEventBytes: max, prescan: options.prescanFeeds)
            } lines: { offset in
                LineScanner(bytes: bytes, offset: offset)
            }
            return (end, false)
        }
        if FileSystem.looksBinary(path: path) == true { return (none, true) }
        let end = collect(path, options: options, buffers: buffers, into: &r) { offset in
            InputFeeder.open(path: path, offset: offset, maxEventBytes: max, prescan: options.prescanFeeds)
        } lines: { offset in
            LineScanner(path: path, offset: offset)
        }
        return (end, false)
    }

    /// Parses `path` from `start` on, adding what the parse finds to `r`.
    private static func collect(
        _ path: String, start: Int = 0, lineBase: Int = 0, options: ManifestLoader.Options, buffers: ReaderBuffers? = nil,
        into r: inout JobResult,
        open: (Int) -> InputFeeder?, lines: (Int) -> LineScanner?
    ) -> InputParseEnd {
        do {
            return try InputParser(name: path, options: options, buffers: buffers).parse(start: start, lineBase: lineBase, open: open, lines: lines) { item in
                r.keep(item, options: options)
            }
        } catch {
            return InputParseEnd(fedTotal: start, fatalErrors: 1)  // not reached: collecting never throws
        }
    }

    /// Applies `result.found[range]` in order; the objects it refers to are moved out of
    /// `result.objects` from index `next` on.
    mutating func apply(found result: inout JobResult, _ range: Range<Int>, next: inout Int) throws(LoadError) {
        for i in range {
            switch result.found[i] {
            case .object:
                try commit(result.takeObject(next))
                next += 1
            case .diagnostic(let d): try add(d)
            case .document: try apply(.document)
            case .skippedDocument: try apply(.skippedDocument)
            case .listContinue(let c): try apply(.listContinue(c))
            case .progress(let fed): try apply(.progress(fed))
            }
        }
    }

    /// Parses a job in line and applies what it finds.
    mutating func applyInLine(_ job: Job) throws(LoadError) {
        switch job {
        case .standardInput:
            try load(memory: FileSystem.readAll(fd: 0), name: "-")
        case .file(let path), .listEnd(let path, _), .listItems(let path, _):
            try load(file: path)  // lists are split only on several threads
        case .files(let paths):
            for path in paths { try load(file: path) }
        case .part(let path, let part, let first, _):
            if first {
                statistics.files += 1
                currentFile = path
            }
            try parseInLine(path, from: part)
        }
    }

    /// Parses a file from a part on in line, as one stream, and applies what it finds.
    private mutating func parseInLine(_ path: String, from part: DocumentSplit.Part) throws(LoadError) {
        let max = options.maxScalarBytes
        let prescan = options.prescanFeeds
        let end = try InputParser(name: path, options: options).parse(start: part.start, lineBase: part.line) { offset in
            InputFeeder.open(path: path, offset: offset, maxEventBytes: max, prescan: prescan)
        } lines: { offset in
            LineScanner(path: path, offset: offset)
        } emit: { (item) throws(LoadError) in
            try apply(item)
        }
        finishInput(fedTotal: end.fedTotal)
    }

    /// Applies a job's result (its objects are moved out of it).
    /// - Returns: whether the rest of the job's file was parsed in line (its later parts are
    ///   then to be ignored).
    @discardableResult
    mutating func apply(_ job: Job, _ result: inout JobResult) throws(LoadError) -> Bool {
        var next = 0
        switch job {
        case .standardInput, .listEnd, .listItems:
            try applyInLine(job)
        case .files(let paths):
            var from = 0
            for (path, e) in zip(paths, result.fileEnds) {
                try apply(file: path, binary: e.binary, end: e.end, &result, from..<e.found, next: &next)
                from = e.found
            }
        case .file(let path):
            try apply(file: path, binary: result.binary, end: result.end, &result, result.found.indices, next: &next)
        case .part(let path, let part, let first, let last):
            if first {
                statistics.files += 1
                currentFile = path
            }
            guard last || result.end.fatalErrors == 0 else {
                // A fatal error before the cut may be the cut's doing (a quoted scalar or a
                // flow collection running over it): parse from this part on in line, as one
                // stream, which is what a load on one thread does from here.
                try parseInLine(path, from: part)
                return !last
            }
            try apply(found: &result, result.found.indices, next: &next)
            if last { finishInput(fedTotal: result.end.fedTotal) }
        }
        return false
    }

    /// Applies the result of one whole file (`found[range]`, objects from `next` on).
    private mutating func apply(
        file path: String, binary: Bool, end: InputParseEnd, _ result: inout JobResult, _ range: Range<Int>, next: inout Int
    ) throws(LoadError) {
        statistics.files += 1
        if binary {
            try report(.error, SourceLocation(file: path), Self.binaryMessage)
            return
        }
        currentFile = path
        try apply(found: &result, range, next: &next)
        finishInput(fedTotal: end.fedTotal)
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
        let feeder = InputFeeder(source: .memory(bytes, position: 0), maxEventBytes: options.maxScalarBytes, prescan: options.prescanFeeds)
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
        guard let feeder = InputFeeder.open(
            path: path, offset: part.start, maxEventBytes: options.maxScalarBytes, limit: part.end - part.start, prescan: options.prescanFeeds)
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
