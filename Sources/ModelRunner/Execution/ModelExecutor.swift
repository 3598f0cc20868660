import Foundation
import ModelCompiler

/// Builds models: renders the SQL, plans it with the node's materialization, runs the stage
/// statements, inspects the staged relation, then runs the swap in one transaction.
public struct ModelExecutor: NodeExecutor {
    public let state: RunState

    public init(state: RunState = RunState()) { self.state = state }

    /// The planner for a materialization (nil for ephemeral models, which are not built, and seeds,
    /// which `SeedExecutor` loads).
    public static func materialization(for kind: MaterializationKind) -> (any Materialization)? {
        switch kind {
        case .table: return TableMaterialization()
        case .view: return ViewMaterialization()
        case .incremental: return IncrementalMaterialization()
        case .materializedView: return MaterializedViewMaterialization()
        case .snapshot: return SnapshotMaterialization()
        case .ephemeral, .seed: return nil
        }
    }

    public func execute(_ node: ManifestNode, in context: ExecutionContext) -> NodeResult {
        let compileStart = Date()
        var result = NodeResult(
            uniqueId: node.uniqueId, status: .success, message: "", threadId: context.threadId,
            relation: "\(node.schema).\(node.alias)")
        if node.materialization == .ephemeral {
            result.message = "ephemeral"
            result.relation = nil
            return result
        }
        guard let kind = node.materialization, let materialization = Self.materialization(for: kind) else {
            return failed(
                result, node: node, started: compileStart,
                failure: .compilation("unknown materialization '\(node.config.materializedName)'"))
        }
        var existing = context.catalog.relation(schema: node.schema, name: node.alias)
        // A parent replaced earlier in this run drops a dependent view only when it cannot be
        // recreated on the new parent (and this run rebuilds it): then it is built as new.
        if existing != nil, state.wasDroppedDependent(schema: node.schema, name: node.alias) { existing = nil }
        if kind == .snapshot, context.options.empty, existing != nil {
            // An empty query would close every current version: --empty leaves a snapshot's history alone.
            result.message = "NO-OP (--empty)"
            return result
        }
        let isIncremental =
            kind == .incremental && !context.options.fullRefresh
            && (existing?.kind == .table || existing?.kind == .partitionedTable)
        let adapter = SessionRuntimeAdapter(session: context.session, catalog: context.catalog, state: state)
        let sql: String
        do {
            sql = try context.renderer.render(
                node.uniqueId,
                options: RenderOptions(
                    isIncremental: isIncremental, empty: context.options.empty, sample: context.options.sample),
                adapter: adapter)
        } catch {
            return failed(result, node: node, started: compileStart, failure: .compilation(error.description))
        }
        result.compiledSQL = sql
        let executeStart = Date()
        result.timing.append(NodeTiming(name: "compile", startedAt: compileStart, completedAt: executeStart))
        let input = MaterializationInput(
            node: node, sql: sql, existing: existing, fullRefresh: context.options.fullRefresh,
            suffix: RelationNaming.shortSuffix(context.options.invocationId)
        )
        let recorder = StatementRecorder(session: context.session)
        var cleanupOnFailure: [PlannedStatement] = []
        do {
            try state.ensureSchema(node.schema, using: context.session)
            var stagePreHooks = true
            if let view = materialization as? ViewMaterialization, view.replacesInPlace(input) {
                for statement in try view.preHooks(input) { try recorder.run(statement) }
                stagePreHooks = false
                if try replaceViewInPlace(view, input: input, context: context, recorder: recorder) {
                    return succeeded(
                        result, node: node, compileStart: compileStart, executeStart: executeStart, recorder: recorder)
                }
            }
            var stage =
                try (materialization as? ViewMaterialization)?.stage(input, includingPreHooks: stagePreHooks)
                ?? materialization.stage(input)
            cleanupOnFailure = stage.onFailure
            for statement in stage.statements { try recorder.run(statement) }
            var facts = StageFacts()
            if let probe = stage.definitionProbe, let mv = materialization as? MaterializedViewMaterialization {
                let same = try context.session.execute(
                    "select pg_get_viewdef(to_regclass($1)) = pg_get_viewdef(to_regclass($2))", [probe, input.target]
                ).scalar
                facts.definitionUnchanged = same == "t"
                if same != "t" {
                    stage = try mv.rebuildStage(input)
                    cleanupOnFailure += stage.onFailure
                    for statement in stage.statements { try recorder.run(statement) }
                }
            }
            if let staged = stage.staged, staged.needsColumns {
                facts.columns = try Self.columns(of: staged.lookupName, session: context.session)
            }
            if kind == .snapshot, let staged = stage.staged,
                let secret = RGPDLedger.existingSecret(projectDir: context.projectRoot.path)
            {
                // A person erased with `sqlt rgpd forget` never comes back into a snapshot's history,
                // even from a source that still holds them.
                try RGPDLedger(targetSchema: context.options.targetSchema, secret: secret)
                    .removeForgotten(
                        from: staged.lookupName, columns: facts.columns.map(\.name), session: context.session)
            }
            let keepsRelation =
                (kind == .incremental && !IncrementalMaterialization.buildsFromScratch(input))
                || (kind == .materializedView && facts.definitionUnchanged == true)
                || (kind == .snapshot && input.existing != nil)
            if keepsRelation, !(node.config["grants"]?.objectValue?.isEmpty ?? true) {
                facts.currentGrants = try Self.grants(schema: node.schema, name: node.alias, session: context.session)
            }
            let swap = try materialization.swap(input, facts: facts)
            cleanupOnFailure += swap.onFailure
            try inTransaction(recorder: recorder, session: context.session) {
                var dependents = DependentViews(views: [])
                if let replaced = swap.replaces {
                    try recorder.run(DependentViews.serializeSwaps)
                    dependents = try DependentViews.read(of: replaced, session: context.session)
                    if !dependents.isEmpty { try recorder.run(dependents.dropScript) }
                }
                for statement in swap.transaction { try recorder.run(statement) }
                if !dependents.isEmpty {
                    let left = try dependents.recreate(
                        replacing: swap.replaces ?? input.target, recorder: recorder,
                        rebuiltByThisRun: context.rebuiltRelations)
                    left.forEach(state.markDroppedDependent)
                }
            }
            recorder.runQuietly(swap.cleanup)
        } catch let error as DatabaseError {
            recorder.runQuietly(cleanupOnFailure)
            result.executedSQL = recorder.script
            let line = recorder.failure.map { ":\($0.line)" } ?? ""
            let path = ArtifactPaths.runFile(node)
            var detail = error.description.replacingOccurrences(of: "\n", with: "\n  ")
            if let failure = recorder.failure, let position = failure.error.position,
                let location = context.renderer.templateLocation(
                    of: node.uniqueId,
                    options: RenderOptions(
                        isIncremental: isIncremental, empty: context.options.empty, sample: context.options.sample),
                    statement: failure.statement, position: position)
            {
                detail += "\n  at \(location.file):\(location.line):\(location.column)"
                let root = context.projectRoot
                let source = DiagnosticRenderer {
                    try? String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)
                }
                if let excerpt = source.excerpt(location, length: 1) {
                    detail += "\n" + excerpt.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
                }
            }
            var failure = failed(
                result, node: node, started: executeStart,
                failure: .database(detail + "\n  compiled code at \(path)\(line)"))
            let rebuildsFromScratch =
                kind.rebuildsFromScratch
                || (kind == .incremental && IncrementalMaterialization.buildsFromScratch(input))
            failure.safeToRetry = !recorder.commitSent || rebuildsFromScratch
            return failure
        } catch let diagnostic as Diagnostic {
            recorder.runQuietly(cleanupOnFailure)
            result.executedSQL = recorder.script
            return failed(result, node: node, started: executeStart, failure: .compilation(diagnostic.description))
        } catch {
            recorder.runQuietly(cleanupOnFailure)
            return failed(result, node: node, started: executeStart, failure: .runtime("\(error)"))
        }
        return succeeded(result, node: node, compileStart: compileStart, executeStart: executeStart, recorder: recorder)
    }

    /// Runs `body` between `begin` and `commit`; rolls back (and rethrows) when anything fails.
    private func inTransaction(
        recorder: StatementRecorder, session: any DatabaseSession, _ body: () throws -> Void
    ) throws {
        try recorder.run("begin")
        do {
            try body()
            try recorder.run("commit")
        } catch {
            _ = try? session.executeScript("rollback")
            throw error
        }
    }

    /// `create or replace view` in one transaction with the post-hooks, grants and comments.
    /// Returns false (after a rollback, nothing changed) when PostgreSQL refuses because the
    /// columns do not extend the old ones: the caller then swaps a staged view in.
    private func replaceViewInPlace(
        _ view: ViewMaterialization, input: MaterializationInput, context: ExecutionContext, recorder: StatementRecorder
    ) throws -> Bool {
        var facts = StageFacts()
        if input.existing != nil, !(input.node.config["grants"]?.objectValue?.isEmpty ?? true) {
            facts.currentGrants = try Self.grants(schema: input.schema, name: input.name, session: context.session)
        }
        do {
            try inTransaction(recorder: recorder, session: context.session) {
                try recorder.run(view.createOrReplace(input))
                if try view.needsColumns(input) {
                    facts.columns = try Self.columns(of: input.target, session: context.session)
                }
                for statement in try view.finishInPlace(input, facts: facts) { try recorder.run(statement) }
            }
            return true
        } catch let error as DatabaseError
            where error.sqlState == ViewMaterialization.incompatibleColumns && input.existing != nil
        {
            recorder.forgetFailure()
            return false
        }
    }

    private func succeeded(
        _ result: NodeResult, node: ManifestNode, compileStart: Date, executeStart: Date, recorder: StatementRecorder
    ) -> NodeResult {
        var result = result
        state.markCreated(schema: node.schema, name: node.alias)
        let end = Date()
        result.timing.append(NodeTiming(name: "execute", startedAt: executeStart, completedAt: end))
        result.executionTime = end.timeIntervalSince(compileStart)
        result.executedSQL = recorder.script
        let reported = recorder.reported
        result.message = reported.map { Self.shortTag($0.commandTag, rows: $0.rowsAffected) } ?? "OK"
        result.rowsAffected = reported?.rowsAffected
        return result
    }

    private func failed(_ result: NodeResult, node: ManifestNode, started: Date, failure: NodeFailure) -> NodeResult {
        var result = result
        let end = Date()
        result.status = .error
        result.message = failure.message(uniqueId: node.uniqueId, node: node)
        result.failure = failure
        result.timing.append(NodeTiming(name: "execute", startedAt: started, completedAt: end))
        result.executionTime = end.timeIntervalSince(result.timing.first?.startedAt ?? started)
        return result
    }

    /// `INSERT 0 5` → `INSERT 5`, as dbt-postgres reports it.
    static func shortTag(_ tag: String, rows: Int?) -> String {
        let words = tag.split(separator: " ")
        if words.first == "INSERT", words.count == 3 { return "INSERT \(words[2])" }
        return tag.isEmpty ? "OK" : tag
    }

    /// Columns of a relation by (possibly qualified, quoted) name, with `format_type`.
    static func columns(of relation: String, session: any DatabaseSession) throws(DatabaseError) -> [ColumnShape] {
        let result = try session.execute(
            """
            select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a
            where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped order by a.attnum
            """, [relation]
        )
        return result.rows.map { ColumnShape($0[0] ?? "", $0[1] ?? "") }
    }

    /// Privileges granted by the current role on a relation (privilege, lowercased, to grantees).
    static func grants(
        schema: String, name: String, session: any DatabaseSession
    ) throws(DatabaseError) -> [String: Set<String>] {
        let result = try session.execute(
            """
            select lower(privilege_type), grantee from information_schema.role_table_grants
            where grantor = current_role and grantee <> current_role and table_schema = $1 and table_name = $2
            """, [schema, name]
        )
        var grants: [String: Set<String>] = [:]
        for row in result.rows { grants[row[0] ?? "", default: []].insert(row[1] ?? "") }
        return grants
    }
}
