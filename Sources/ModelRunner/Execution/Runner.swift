import Foundation
import ModelCompiler

/// Runs a selected set of nodes over `threads` workers in dependency order: takes the run lock,
/// runs `on-run-start`, reads the catalog once, dispatches nodes to executors by resource type,
/// runs `on-run-end`, writes the artifacts and reports progress.
public final class Runner: @unchecked Sendable {
    public let manifest: Manifest
    public let graph: DependencyGraph
    public let renderer: any NodeRenderer
    public let options: RunOptions
    public let projectRoot: URL
    public let executors: [ResourceType: any NodeExecutor]
    public let sessionFactory: @Sendable () throws -> any DatabaseSession
    public let reporter: any RunReporter
    public let onRunStart: [String]
    public let onRunEnd: [String]
    /// Extra scheduling edges (for example `sqlt build` making children wait for tests).
    public let extraDependencies: [String: Set<String>]
    /// `args` of `run_results.json`.
    public let args: [String: JSONValue]

    private let lock = NSLock()
    private var cancelled = false
    private var pool: WorkerPool?
    private var lockSession: (any DatabaseSession)?

    public init(
        manifest: Manifest, graph: DependencyGraph, renderer: any NodeRenderer, options: RunOptions, projectRoot: URL,
        executors: [ResourceType: any NodeExecutor],
        sessionFactory: @escaping @Sendable () throws -> any DatabaseSession,
        reporter: any RunReporter, onRunStart: [String] = [], onRunEnd: [String] = [],
        extraDependencies: [String: Set<String>] = [:], args: [String: JSONValue] = [:]
    ) {
        self.manifest = manifest
        self.graph = graph
        self.renderer = renderer
        self.options = options
        self.projectRoot = projectRoot
        self.executors = executors
        self.sessionFactory = sessionFactory
        self.reporter = reporter
        self.onRunStart = onRunStart
        self.onRunEnd = onRunEnd
        self.extraDependencies = extraDependencies
        self.args = args
    }

    /// Cancels the run: the statement in progress on every worker is cancelled and nothing more
    /// starts (safe from a signal-handling thread).
    public func cancel() {
        lock.lock()
        cancelled = true
        let pool = self.pool
        let lockSession = self.lockSession
        lock.unlock()
        pool?.cancelRunning()
        lockSession?.cancel()
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Runs the selected nodes. Throws when the lock, a run hook or the catalog look-up fails
    /// (nothing was built then); node failures are in the outcome.
    public func run(selected: Set<String>) throws -> RunOutcome {
        let started = Date()
        let session = try sessionFactory()
        lock.lock()
        lockSession = session
        lock.unlock()
        defer {
            lock.lock()
            lockSession = nil
            lock.unlock()
        }
        let runLock = try RunLock.acquire(
            session: session, schema: options.targetSchema, invocationId: options.invocationId,
            timeout: options.lockTimeout,
            stop: { [unowned self] in isCancelled })
        defer { runLock.release() }
        let nodes = selected.compactMap { manifest.nodes[$0] }
        // The workers connect (and join the run's lock) while this session runs the hooks and
        // reads the catalog, instead of at their first node.
        let pool = makePool(runLock: runLock, connectingAtStart: nodes.count)
        defer {
            pool.shutdown()
            lock.lock()
            self.pool = nil
            lock.unlock()
        }
        try runHooks(onRunStart, kind: "on-run-start", session: session)
        let schemas = Set(nodes.map(\.schema))
        // The run's schemas in one catalog query, which also shows what an interrupted run left.
        let (swept, catalog) = LeftoverSweep.drop(
            of: nodes.map { ($0.schema, $0.alias) },
            in: try RelationListingReader.read(schemas: schemas, session: session), session: session)
        if !swept.isEmpty {
            reporter.note(
                "Dropped \(swept.count) relation\(swept.count == 1 ? "" : "s") left by an interrupted run: \(swept.joined(separator: ", "))"
            )
        }

        let rebuilt = Set(
            nodes.filter { $0.resourceType != .test && $0.resourceType != .unitTest }.map { "\($0.schema).\($0.alias)" }
        )
        let results = execute(selected: selected, catalog: catalog, rebuilt: rebuilt, runLock: runLock, pool: pool)
        let lockLost = !runLock.isHeld

        var hookError: DatabaseError?
        if !lockLost {
            do { try runHooks(onRunEnd, kind: "on-run-end", session: session) } catch { hookError = error }
        }
        let elapsed = Date().timeIntervalSince(started)
        try RunArtifacts.write(results, nodes: manifest.nodes, options: options, elapsedTime: elapsed, args: args)
        reporter.runFinished(results, nodes: manifest.nodes, elapsed: elapsed)
        if lockLost { throw RunLockLostError(schema: options.targetSchema) }
        if let hookError { throw hookError }
        return RunOutcome(results: results, elapsedTime: elapsed, cancelled: isCancelled)
    }

    /// Runs `on-run-start` / `on-run-end` hooks on the lock session, reporting them as dbt does.
    private func runHooks(_ hooks: [String], kind: String, session: any DatabaseSession) throws(DatabaseError) {
        try ProjectHooks.run(
            hooks, kind: kind, projectName: manifest.metadata.projectName, session: session, reporter: reporter)
    }

    /// `threads` workers; each session joins the run's shared lock, so that a waiting run keeps
    /// waiting while any session of this run works, even after the lock session ended. The
    /// first `connectingAtStart` workers connect at once.
    private func makePool(runLock: RunLock, connectingAtStart: Int) -> WorkerPool {
        let factory = sessionFactory
        let sessionsKey = runLock.sessionsKeyText
        let pool = WorkerPool(count: max(1, options.threads), connectingAtStart: connectingAtStart) {
            let session = try factory()
            try session.execute("select pg_advisory_lock_shared(hashtextextended($1, 0))", [sessionsKey])
            return session
        }
        lock.lock()
        self.pool = pool
        lock.unlock()
        return pool
    }

    /// The scheduling loop: the coordinating thread owns the scheduler; workers run the nodes.
    /// Nodes start only while the run lock's session is alive: it is checked (no round trip) at
    /// every result and every 0.25 s, and once it is gone the running nodes are cancelled and
    /// the rest skipped.
    private func execute(
        selected: Set<String>, catalog: RelationListing, rebuilt: Set<String>, runLock: RunLock, pool: WorkerPool
    ) -> [NodeResult] {
        let ephemeral = Set(
            selected.filter {
                manifest.nodes[$0]?.resourceType == .model && manifest.nodes[$0]?.materialization == .ephemeral
            })
        let total = selected.count - ephemeral.count
        var scheduler = DAGScheduler(
            graph: graph, selected: selected, failFast: options.failFast, extraDependencies: extraDependencies,
            maxRunning: max(1, options.threads)
        )
        var lockLost = false

        var results: [NodeResult] = []
        var indexOf: [String: Int] = [:]
        var nextIndex = 0
        var running = 0
        var pending = scheduler.initialActions()
        // Progress reports wait until the nodes that became ready are submitted: a worker starts
        // its next node while this thread writes the console, log and lineage lines (in the same
        // order as ever).
        var reports: [() -> Void] = []
        let reporter = self.reporter
        while true {
            while !pending.isEmpty {
                let action = pending.removeFirst()
                switch action {
                case .start(let id):
                    if ephemeral.contains(id) {
                        pending += scheduler.finished(id, .success)
                        continue
                    }
                    if !lockLost && !runLock.isHeld {
                        lockLost = true
                        reports.append {
                            reporter.note("The run lock's session ended: stopping (running nodes are cancelled)")
                        }
                        pool.cancelRunning()
                    }
                    if isCancelled || lockLost {
                        results.append(skip(id, because: .cancelled, index: &nextIndex, total: total, into: &reports))
                        pending += scheduler.finished(id, .skipped)
                        continue
                    }
                    nextIndex += 1
                    indexOf[id] = nextIndex
                    guard let node = manifest.nodes[id] else {
                        results.append(NodeResult(uniqueId: id, failure: .notInManifest))
                        let line = "\(nextIndex) of \(total) ERROR \(id) is not in the manifest"
                        reports.append { reporter.note(line) }
                        pending += scheduler.finished(id, .failure)
                        continue
                    }
                    running += 1
                    pool.submit(id, job(for: node, catalog: catalog, rebuilt: rebuilt))
                    let index = nextIndex
                    reports.append { reporter.nodeStarted(node, index: index, total: total) }
                case .skip(let id, let because):
                    guard !ephemeral.contains(id) else { continue }
                    results.append(skip(id, because: because, index: &nextIndex, total: total, into: &reports))
                }
            }
            for report in reports { report() }
            reports = []
            if running == 0 { break }
            // Once stopping, cancel again until the running nodes end: a cancel that arrives
            // between two statements of a node is lost.
            let stopping = isCancelled || lockLost || (options.failFast && scheduler.isHalted)
            guard let result = pool.next(timeout: stopping ? 0.1 : 0.25) else {
                if stopping {
                    pool.cancelRunning()
                } else if !runLock.isHeld {
                    lockLost = true
                    reporter.note("The run lock's session ended: stopping (running nodes are cancelled)")
                    pool.cancelRunning()
                }
                continue
            }
            running -= 1
            results.append(result)
            if let node = manifest.nodes[result.uniqueId] {
                let index = indexOf[result.uniqueId] ?? 0
                reports.append { reporter.nodeFinished(node, result: result, index: index, total: total) }
            }
            let failed = result.status == .error || result.status == .fail
            if failed && options.failFast { pool.cancelRunning(except: result.uniqueId) }
            pending += scheduler.finished(
                result.uniqueId, failed ? .failure : (result.status == .skipped ? .skipped : .success))
        }
        return results
    }

    /// A skipped node's result; its report goes to `reports`, in order with the others.
    private func skip(
        _ id: String, because cause: SkipReason, index: inout Int, total: Int, into reports: inout [() -> Void]
    ) -> NodeResult {
        index += 1
        if let node = manifest.nodes[id] {
            let position = index, reporter = self.reporter
            reports.append { reporter.nodeSkipped(node, because: cause, index: position, total: total) }
        }
        return NodeResult(
            uniqueId: id, status: .skipped, message: "skipped because \(cause.explanation)",
            relation: manifest.nodes[id].map { "\($0.schema).\($0.alias)" })
    }

    private func job(for node: ManifestNode, catalog: RelationListing, rebuilt: Set<String>) -> WorkerPool.Job {
        let manifest = self.manifest
        let renderer = self.renderer
        let options = self.options
        let projectRoot = self.projectRoot
        let executor = executors[node.resourceType]
        return { session, threadId in
            guard let executor else {
                return NodeResult(
                    uniqueId: node.uniqueId, failure: .noExecutor(node.resourceType), threadId: threadId)
            }
            let context = ExecutionContext(
                session: session, manifest: manifest, renderer: renderer, options: options, catalog: catalog,
                projectRoot: projectRoot, threadId: threadId, rebuiltRelations: rebuilt
            )
            var result = executor.execute(node, in: context)
            // Tests write nothing a second run could duplicate: safe to run again on a new connection.
            if node.resourceType == .test || node.resourceType == .unitTest { result.safeToRetry = true }
            return result
        }
    }
}

/// What a run produced.
public struct RunOutcome: Sendable {
    /// One result per selected node (ephemeral models excluded), in completion order.
    public var results: [NodeResult]
    public var elapsedTime: Double
    public var cancelled: Bool

    /// Whether no node errored or failed.
    public var succeeded: Bool { !results.contains { $0.status == .error || $0.status == .fail } && !cancelled }
}
