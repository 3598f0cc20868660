import Foundation
import ModelCompiler

/// Why a seed did not load: a diagnostic at the seed file (with the file line when one is
/// known) and, for failures the server reported, its error.
public struct SeedLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostic: Diagnostic
    public var databaseError: DatabaseError?
    public init(_ diagnostic: Diagnostic, databaseError: DatabaseError? = nil) {
        self.diagnostic = diagnostic
        self.databaseError = databaseError
    }
    public var description: String { diagnostic.description }
}

/// What a successful load did.
public struct SeedLoadResult: Sendable {
    /// Rows copied.
    public var rows: Int
    /// `schema.alias`, unquoted.
    public var relation: String
    /// The plan's SQL, for `target/run/`.
    public var script: String
    public var columns: [(name: String, type: String)]
}

/// Loads one CSV file into `"schema"."alias"`: scans it once (types, field counts), then creates
/// a temporary table, streams the file's bytes through `COPY ... FROM STDIN` and swaps the table
/// into place in one transaction. On any failure the previous table is left untouched.
/// Usable outside the runner (`sqlt seed`, tools).
public struct SeedLoader: Sendable {
    /// The CSV file on disk.
    public var file: URL
    /// The path printed in errors, relative to the project (`seeds/hr.csv`).
    public var displayPath: String
    public var schema: String
    public var alias: String
    public var configuration: SeedConfiguration
    public var relationComment: String?
    public var columnComments: [String: String]
    /// Bytes per read and per `COPY` message.
    public var chunkSize: Int
    /// For a sheet of a workbook converted to CSV: where each CSV line came from.
    var sheetMap: XLSXSheetMap?

    public init(
        file: URL, displayPath: String, schema: String, alias: String, configuration: SeedConfiguration = .init(),
        relationComment: String? = nil, columnComments: [String: String] = [:], chunkSize: Int = 1 << 20
    ) {
        self.file = file
        self.displayPath = displayPath
        self.schema = schema
        self.alias = alias
        self.configuration = configuration
        self.relationComment = relationComment
        self.columnComments = columnComments
        self.chunkSize = chunkSize
    }

    /// The loader of a seed node of the manifest.
    public init(node: ManifestNode, projectRoot: URL) throws(SeedLoadError) {
        let configuration: SeedConfiguration
        do {
            configuration = try SeedConfiguration(config: node.config, file: node.originalFilePath)
        } catch {
            throw SeedLoadError(error)
        }
        self.init(
            file: projectRoot.appendingPathComponent(node.originalFilePath), displayPath: node.originalFilePath,
            schema: node.schema, alias: node.alias, configuration: configuration,
            relationComment: node.description,
            columnComments: node.columns.mapValues(\.description))
    }

    func fail(
        _ message: String, line: Int? = nil, column: Int? = nil, databaseError: DatabaseError? = nil
    ) -> SeedLoadError {
        var location = line.map { SourceLocation(file: displayPath, line: $0, column: 1) }
        if let sheetMap, let line {
            // A workbook's error is at its cell: `seeds/hr.xlsx:Feuille 1!B12`.
            let row = sheetMap.row(ofLine: line) ?? line
            let sheetColumn = column.flatMap { $0 < sheetMap.sheetColumns.count ? sheetMap.sheetColumns[$0] : nil } ?? 0
            location = SourceLocation(
                file: displayPath, line: row, column: sheetColumn + 1, cell: sheetMap.cell(line: line, column: column))
        }
        let text = location == nil ? "\(displayPath): \(message)" : message
        return SeedLoadError(Diagnostic.error("seed.load", text, at: location), databaseError: databaseError)
    }

    func openFile() throws(SeedLoadError) -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: file)
        } catch {
            throw fail("cannot open seed file")
        }
    }

    /// The first pass: header, types and structure, with no database.
    public func scan() throws(SeedLoadError) -> SeedFileScan {
        if isWorkbook { return try withConvertedSheet { loader throws(SeedLoadError) in try loader.scan() } }
        let handle = try openFile()
        defer { try? handle.close() }
        var reader = CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: chunkSize)
        do {
            return try SeedFileScan.scan(&reader, overrides: configuration.columnTypes)
        } catch {
            throw fail(error.message, line: error.line, column: error.column)
        }
    }

    /// The plan for a scanned file, given what holds the name now.
    public func plan(scan: SeedFileScan, existing: SeedLoadPlan.Existing, runId: String) -> SeedLoadPlan {
        SeedLoadPlan(
            schema: schema, alias: alias, runId: runId, scan: scan, configuration: configuration, existing: existing,
            relationComment: relationComment, columnComments: columnComments)
    }

    /// Loads through `session`. `runId` names the temporary and backup tables. The file is
    /// scanned on another thread while its bytes stream to `COPY` with the types of its first
    /// records; when the whole file types otherwise (or needs rewriting), that transaction is
    /// rolled back and the load redone with the scan's types. Nothing is committed before the
    /// whole scan agrees.
    public func load(
        session: any DatabaseSession, runId: String, rebuiltByThisRun: Set<String> = [],
        beforeCommit: (
            (any DatabaseSession, _ loadTarget: String, _ columns: [String]) throws(DatabaseError) -> Void
        )? = nil
    ) throws(SeedLoadError) -> SeedLoadResult {
        if isWorkbook {
            return try withConvertedSheet { loader throws(SeedLoadError) in
                try loader.load(session: session, runId: runId, beforeCommit: beforeCommit)
            }
        }
        var known: SeedFileScan?
        if configuration.preHooks.isEmpty {
            switch try loadWhileScanning(session: session, runId: runId) {
            case .loaded(let plan, let scan, let rows):
                return try finish(
                    plan: plan, scan: scan, rows: rows, session: session, rebuiltByThisRun: rebuiltByThisRun,
                    beforeCommit: beforeCommit)
            case .scanned(let scan): known = scan
            case .notStarted: break
            }
        }
        let scan: SeedFileScan
        if let known { scan = known } else { scan = try self.scan() }
        let plan = try prepare(scan: scan, session: session, runId: runId)
        let rows: Int
        do {
            rows = try copy(plan: plan, scan: scan, session: session)
        } catch let error as SeedLoadError {
            rollback(session)
            throw error
        } catch let error as DatabaseError {
            rollback(session)
            throw mapCopyError(error, plan: plan, scan: scan, session: session)
        } catch {
            rollback(session)
            throw fail("copy failed: \(error)")
        }
        return try finish(
            plan: plan, scan: scan, rows: rows, session: session, rebuiltByThisRun: rebuiltByThisRun,
            beforeCommit: beforeCommit)
    }

    /// Opens the transaction: what holds the name now, the schema, the pre-hooks, then the empty
    /// table `COPY` fills (or the existing one truncated). Rolled back on error.
    func prepare(scan: SeedFileScan, session: any DatabaseSession, runId: String) throws(SeedLoadError) -> SeedLoadPlan
    {
        let existing: SeedLoadPlan.Existing
        do {
            let kind = try session.execute(
                """
                select c.relkind::text from pg_catalog.pg_class c
                join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                where n.nspname = $1 and c.relname = $2
                """, [schema, alias]
            ).scalar
            switch kind {
            case nil: existing = .none
            case "v"?, "m"?: existing = .view
            default: existing = try sameColumns(scan: scan, session: session, runId: runId) ? .sameTable : .table
            }
            do {
                try session.execute(plan(scan: scan, existing: .none, runId: runId).createSchemaStatement)
            } catch let error where error.sqlState == "23505" || error.sqlState == "42P06" {
                // Another worker created the schema at the same moment: it exists, which is the point.
            }
        } catch {
            throw fail(error.message, databaseError: error)
        }
        let plan = plan(scan: scan, existing: existing, runId: runId)
        do {
            for statement in plan.beforeCopyStatements { try session.executeScript(statement) }
        } catch {
            rollback(session)
            throw fail(error.message, databaseError: error)
        }
        return plan
    }

    /// After the `COPY`: the swap (keeping dependent views), grants, comments, post-hooks, commit.
    func finish(
        plan: SeedLoadPlan, scan: SeedFileScan, rows: Int, session: any DatabaseSession,
        rebuiltByThisRun: Set<String>,
        beforeCommit: ((any DatabaseSession, _ loadTarget: String, _ columns: [String]) throws(DatabaseError) -> Void)?
    ) throws(SeedLoadError) -> SeedLoadResult {
        do {
            try beforeCommit?(session, plan.loadTarget, scan.columns)
            let replaces = plan.existing == .table || plan.existing == .view
            if replaces { try session.execute(DependentViews.serializeSwaps) }
            let dependents =
                replaces ? try DependentViews.read(of: plan.relation, session: session) : DependentViews(views: [])
            let recorder = StatementRecorder(session: session)
            if !dependents.isEmpty { try recorder.run(dependents.dropScript) }
            for statement in plan.afterCopyStatements.dropLast() { try session.executeScript(statement) }
            if !dependents.isEmpty {
                _ = try dependents.recreate(
                    replacing: plan.relation, recorder: recorder, rebuiltByThisRun: rebuiltByThisRun)
            }
            try session.executeScript("commit")
        } catch {
            rollback(session)
            throw fail(error.message, databaseError: error)
        }
        return SeedLoadResult(
            rows: rows, relation: "\(schema).\(alias)", script: plan.script,
            columns: plan.columns.map { ($0.identifier, $0.type) })
    }

    /// Whether the existing table has exactly the columns and types the file would create.
    private func sameColumns(
        scan: SeedFileScan, session: any DatabaseSession, runId: String
    ) throws(DatabaseError) -> Bool {
        let planned = plan(scan: scan, existing: .none, runId: runId).columns
        let existing = try session.execute(
            """
            select a.attname::text, format_type(a.atttypid, a.atttypmod)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_class c on c.oid = a.attrelid
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
            order by a.attnum
            """, [schema, alias]
        ).rows
        guard existing.count == planned.count else { return false }
        for (row, column) in zip(existing, planned) {
            guard quoteIdentifier(row[0] ?? "") == column.identifier,
                Self.normalizedType(row[1] ?? "") == Self.normalizedType(column.type)
            else { return false }
        }
        return true
    }

    /// Type names as `format_type` prints them (`timestamp` is `timestamp without time zone`).
    static func normalizedType(_ type: String) -> String {
        let lower = type.lowercased().trimmingCharacters(in: .whitespaces)
        switch lower {
        case "timestamp": return "timestamp without time zone"
        case "timestamptz": return "timestamp with time zone"
        case "int", "int4": return "integer"
        case "int8": return "bigint"
        case "bool": return "boolean"
        case "varchar": return "character varying"
        case "float8", "double": return "double precision"
        default: return lower
        }
    }

    func rollback(_ session: any DatabaseSession) {
        _ = try? session.executeScript("rollback")
    }

    /// Streams the data records' bytes (no byte order mark, no header, no trailing blank lines),
    /// rewritten when the scan says some values must be (see `SeedRecordRewriter`).
    func copy(plan: SeedLoadPlan, scan: SeedFileScan, session: any DatabaseSession) throws -> Int {
        if scan.rewrites {
            let handle = try openFile()
            defer { try? handle.close() }
            var rewriter = SeedRecordRewriter(
                reader: CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: chunkSize),
                types: plan.columns.map(\.type), rewritten: scan.rewritten, rows: scan.rowCount, chunkSize: chunkSize)
            return try session.copyIn(plan.copyStatement) { try rewriter.nextChunk() }
        }
        return try copyBytes(plan: plan, from: scan.dataStart, to: scan.dataEnd, session: session)
    }

    /// Streams bytes `from..<to` of the file to the plan's `COPY`.
    func copyBytes(plan: SeedLoadPlan, from: Int, to: Int, session: any DatabaseSession) throws -> Int {
        let handle = try openFile()
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(from))
        } catch {
            throw fail("cannot read seed file: \(error.localizedDescription)")
        }
        var remaining = to - from
        let size = chunkSize
        return try session.copyIn(plan.copyStatement) {
            guard remaining > 0 else { return nil }
            guard let data = try handle.read(upToCount: min(size, remaining)), !data.isEmpty else { return nil }
            remaining -= data.count
            return [UInt8](data)
        }
    }

    /// Maps the server's `COPY …, line N` context (N counts the records sent) to the file line;
    /// without a context, a data error's record is found by `locateRejectedRecord`.
    func mapCopyError(
        _ error: DatabaseError, plan: SeedLoadPlan, scan: SeedFileScan, session: any DatabaseSession
    ) -> SeedLoadError {
        var message = error.message
        var record: Int?
        var columnIndex: Int?
        if let context = error.context, let line = Self.copyLine(in: context) {
            record = line
            if let column = Self.copyColumn(in: context) {
                message += " (column \(column))"
                columnIndex = sheetMap?.column(named: column)
            }
        } else if error.sqlState?.hasPrefix("22") == true, !scan.rewrites {
            record = locateRejectedRecord(plan: plan, scan: scan, session: session)
        }
        var fileLine: Int?
        if let record, let handle = try? FileHandle(forReadingFrom: file) {
            defer { try? handle.close() }
            var reader = CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: chunkSize)
            fileLine = SeedFileScan.lineOfDataRecord(record, reader: &reader)
        }
        if columnIndex == nil, sheetMap != nil, let record {
            columnIndex = rejectedField(record: record, message: error.message)
        }
        return fail(message, line: fileLine, column: columnIndex, databaseError: error)
    }

    /// The field of data record `record` (1-based) holding the value a server message quotes last
    /// (`invalid input syntax for type integer: "abc"`), when exactly one field holds it: what
    /// puts a workbook's error at its cell when the server gave no `COPY` context.
    func rejectedField(record: Int, message: String) -> Int? {
        guard message.hasSuffix("\""), let open = message.dropLast().lastIndex(of: "\"") else { return nil }
        let value = String(message[message.index(after: open)..<message.index(before: message.endIndex)])
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        var reader = CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: chunkSize)
        var fields = CSVRecord()
        var count = -1
        while (try? reader.next(into: &fields)) == true {
            count += 1
            guard count == record else { continue }
            let matches = (0..<fields.count).filter { fields.string($0) == value }
            return matches.count == 1 ? matches[0] : nil
        }
        return nil
    }

    /// N in `COPY name, line N` / `COPY name, line N, column c: "v"`.
    static func copyLine(in context: String) -> Int? {
        guard let range = context.range(of: ", line ") else { return nil }
        let digits = context[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// c in `COPY name, line N, column c: "v"`.
    static func copyColumn(in context: String) -> String? {
        guard let range = context.range(of: ", column ") else { return nil }
        let rest = context[range.upperBound...]
        let name = rest.prefix { $0 != ":" && $0 != "\n" }
        return name.isEmpty ? nil : String(name)
    }
}
