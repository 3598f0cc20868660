import Foundation
import ModelCompiler

/// `threads` workers on dedicated `Thread`s (libpq blocks), each owning one session made by the
/// factory on its first node and reused for all its nodes. Jobs go in, results come out, in a
/// queue the coordinating thread waits on. A session found dead (terminated backend, cut
/// connection) is replaced before the next node, and a node that failed with its connection lost
/// before committing anything runs once more on a new session.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable (_ session: any DatabaseSession, _ threadId: String) -> NodeResult

    private let condition = NSCondition()
    private var jobs: [(id: String, job: Job)] = []
    private var completed: [NodeResult] = []
    private var closing = false
    /// The session each worker owns and the node it runs (for cancellation).
    private var sessions: [Int: any DatabaseSession] = [:]
    private var runningNode: [Int: String] = [:]
    private var finishedWorkers = 0
    private let factory: @Sendable () throws -> any DatabaseSession
    let count: Int

    init(count: Int, factory: @escaping @Sendable () throws -> any DatabaseSession) {
        self.count = max(1, count)
        self.factory = factory
        for index in 1...self.count {
            let thread = Thread { [self] in work(index) }
            thread.name = "sqlt-worker-\(index)"
            thread.start()
        }
    }

    /// Queues a node for the next free worker.
    func submit(_ id: String, _ job: @escaping Job) {
        condition.lock()
        jobs.append((id, job))
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the next finished node; nil when `timeout` seconds pass first.
    func next(timeout: Double? = nil) -> NodeResult? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while completed.isEmpty {
            if let deadline {
                if !condition.wait(until: deadline) && completed.isEmpty { return nil }
            } else {
                condition.wait()
            }
        }
        return completed.removeFirst()
    }

    /// Cancels the statement in progress on every worker (other than `except`, a unique id).
    func cancelRunning(except: String? = nil) {
        condition.lock()
        let targets = runningNode.filter { $0.value != except }.compactMap { sessions[$0.key] }
        condition.unlock()
        for session in targets { session.cancel() }
    }

    /// Stops the workers once the queue is empty and waits for them; their sessions are released.
    func shutdown() {
        condition.lock()
        closing = true
        condition.broadcast()
        while finishedWorkers < count { condition.wait() }
        sessions.removeAll()
        condition.unlock()
    }

    /// A new session for worker `index` (registered for cancellation), or nil with the reason.
    private func connect(_ index: Int, error: inout String) -> (any DatabaseSession)? {
        do {
            let made = try factory()
            condition.lock()
            sessions[index] = made
            condition.unlock()
            return made
        } catch let failure {
            error = "\(failure)"
            return nil
        }
    }

    private func work(_ index: Int) {
        let threadId = "Thread-\(index) (worker)"
        var session: (any DatabaseSession)?
        while true {
            condition.lock()
            while jobs.isEmpty && !closing { condition.wait() }
            if jobs.isEmpty {
                finishedWorkers += 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let (id, job) = jobs.removeFirst()
            runningNode[index] = id
            condition.unlock()

            if let current = session, !current.isAlive { session = nil }
            var connectError = ""
            if session == nil { session = connect(index, error: &connectError) }
            var result =
                session.map { job($0, threadId) }
                ?? NodeResult(uniqueId: id, failure: .connection(connectError), threadId: threadId)
            if result.status == .error, result.safeToRetry, let current = session, !current.isAlive {
                session = connect(index, error: &connectError)
                if let retried = session { result = job(retried, threadId) }
            }
            condition.lock()
            runningNode[index] = nil
            completed.append(result)
            condition.broadcast()
            condition.unlock()
        }
    }
}
