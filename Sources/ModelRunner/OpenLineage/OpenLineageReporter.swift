import Foundation
import ModelCompiler

/// A `RunReporter` that forwards to another and emits one OpenLineage run per model run: START when the
/// model starts, then COMPLETE or FAIL (ABORT when the run ends before the model's result).
///
/// The runner reports from its scheduling thread; events are built, encoded and written on a serial
/// queue of their own, in order, so a run of thousands of models never waits for them (`runFinished`
/// waits until every event is out).
public final class OpenLineageReporter: RunReporter, @unchecked Sendable {
    /// The reporter every call is forwarded to (the console).
    public let inner: any RunReporter
    /// Builds the events from the project's lineage.
    public let builder: OpenLineageEventBuilder
    /// Writes (and posts) the events.
    public let emitter: OpenLineageEmitter
    private let lock = NSLock()
    private var runIds: [String: String] = [:]
    private let work = DispatchQueue(label: "sqlt.openlineage.events")

    public init(wrapping inner: any RunReporter, builder: OpenLineageEventBuilder, emitter: OpenLineageEmitter) {
        self.inner = inner
        self.builder = builder
        self.emitter = emitter
    }

    public func nodeStarted(_ node: ManifestNode, index: Int, total: Int) {
        inner.nodeStarted(node, index: index, total: total)
        guard node.resourceType == .model || node.resourceType == .snapshot else { return }
        let runId = UUID().uuidString.lowercased()
        lock.withLock { runIds[node.uniqueId] = runId }
        let time = Date()
        work.async {
            let event = self.builder.event(.start, node: node, runId: runId, time: time, sql: node.compiledCode)
            self.emitter.emit(event, job: self.builder.jobName(node), type: "START")
        }
    }

    public func nodeFinished(_ node: ManifestNode, result: NodeResult, index: Int, total: Int) {
        inner.nodeFinished(node, result: result, index: index, total: total)
        guard node.resourceType == .model || node.resourceType == .snapshot,
            let runId = lock.withLock({ runIds.removeValue(forKey: node.uniqueId) })
        else { return }
        let failed = result.status == .error || result.status == .fail
        let time = Date()
        work.async {
            let event = self.builder.event(
                failed ? .fail : .complete, node: node, runId: runId, time: time,
                sql: node.compiledCode, error: failed ? result.message : nil)
            self.emitter.emit(event, job: self.builder.jobName(node), type: failed ? "FAIL" : "COMPLETE")
        }
    }

    public func nodeSkipped(_ node: ManifestNode, because cause: SkipReason, index: Int, total: Int) {
        inner.nodeSkipped(node, because: cause, index: index, total: total)
    }

    public func runFinished(_ results: [NodeResult], nodes: [String: ManifestNode], elapsed: Double) {
        work.sync {}
        // A model cancelled between START and its result still gets its final event.
        let open = lock.withLock {
            let pending = runIds
            runIds = [:]
            return pending
        }
        for (id, runId) in open.sorted(by: { $0.key < $1.key }) {
            guard let node = nodes[id] else { continue }
            let event = builder.event(.abort, node: node, runId: runId, time: Date(), sql: node.compiledCode)
            emitter.emit(event, job: builder.jobName(node), type: "ABORT")
        }
        emitter.flush()
        inner.runFinished(results, nodes: nodes, elapsed: elapsed)
    }

    public func note(_ text: String) { inner.note(text) }
}
