import Foundation
import ModelCompiler

/// The advisory lock that keeps two runs against the same target database and schema apart.
///
/// Two session-level advisory locks, so that losing one session never lets a second run in while
/// the first still works: the lock session holds `sqlt:<database>.<schema>` exclusively, and every
/// session of the run (the lock session and each worker) holds `…:sessions` shared. A new run
/// takes the first, then waits until it can take the second exclusively (no session of an earlier
/// run is left), then holds it shared. When the lock session ends (`pg_terminate_backend`,
/// `idle_session_timeout`, a network cut), the runner notices (`isAlive`) and stops with
/// `RunLockLostError`; a waiting run keeps waiting until the old run's workers are gone.
public struct RunLock {
    public let session: any DatabaseSession
    /// The lock key's text: `sqlt:<database>.<schema>`, hashed by the server to a bigint.
    public let keyText: String

    /// The shared key every session of the run holds.
    public var sessionsKeyText: String { Self.sessionsKey(keyText) }

    static func sessionsKey(_ keyText: String) -> String { keyText + ":sessions" }

    /// Takes the lock, retrying until `timeout` seconds have passed (or `stop` returns true), then
    /// fails naming the holder and how long it waited.
    public static func acquire(
        session: any DatabaseSession, schema: String, invocationId: String, timeout: Double,
        stop: () -> Bool = { false }
    ) throws -> RunLock {
        let database =
            try session.execute(
                "select current_database(), set_config('application_name', $1, false)", ["sqlt run \(invocationId)"]
            ).scalar ?? ""
        let keyText = "sqlt:\(database).\(schema)"
        let started = Date()
        let deadline = started.addingTimeInterval(max(0, timeout))
        func wait(_ sql: String, _ key: String) throws -> Bool {
            while true {
                if try session.execute(sql, [key]).scalar == "t" { return true }
                if Date() >= deadline || stop() { return false }
                Thread.sleep(forTimeInterval: min(0.1, max(0.01, deadline.timeIntervalSinceNow)))
            }
        }
        let sessionsKey = sessionsKey(keyText)
        // The usual case, no other run, in one round trip: `both` (the lock held, the sessions key
        // taken exclusively then turned shared), `first` (the lock only) or `none`.
        let attempt = try session.execute(
            """
            select case
                when not pg_try_advisory_lock(hashtextextended($1, 0)) then 'none'
                when not pg_try_advisory_lock(hashtextextended($2, 0)) then 'first'
                else (select 'both' from (select pg_advisory_unlock(hashtextextended($2, 0)),
                                                 pg_advisory_lock_shared(hashtextextended($2, 0))) swap)
            end
            """, [keyText, sessionsKey]
        ).scalar
        if attempt == "both" { return RunLock(session: session, keyText: keyText) }
        if try attempt == "first" || wait("select pg_try_advisory_lock(hashtextextended($1, 0))", keyText) {
            if try wait("select pg_try_advisory_lock(hashtextextended($1, 0))", sessionsKey) {
                try session.execute(
                    "select pg_advisory_unlock(hashtextextended($1, 0)), pg_advisory_lock_shared(hashtextextended($1, 0))",
                    [sessionsKey])
                return RunLock(session: session, keyText: keyText)
            }
            let holder = try holder(keyText: sessionsKey, session: session)
            _ = try? session.execute("select pg_advisory_unlock(hashtextextended($1, 0))", [keyText])
            if stop() { throw RunCancelledError() }
            throw RunLockError(
                schema: schema, database: database, timeout: timeout, waited: Date().timeIntervalSince(started),
                holder: holder, earlierRunSession: true)
        }
        if stop() { throw RunCancelledError() }
        throw RunLockError(
            schema: schema, database: database, timeout: timeout, waited: Date().timeIntervalSince(started),
            holder: try holder(keyText: keyText, session: session))
    }

    /// Makes `worker` one of the run's sessions (shared lock: never waits on the run's own lock).
    public func join(_ worker: any DatabaseSession) throws(DatabaseError) {
        try worker.execute("select pg_advisory_lock_shared(hashtextextended($1, 0))", [sessionsKeyText])
    }

    /// Whether the lock session is still connected (no round trip).
    public var isHeld: Bool { session.isAlive }

    /// Releases the lock.
    public func release() {
        _ = try? session.execute(
            "select pg_advisory_unlock_shared(hashtextextended($2, 0)), pg_advisory_unlock(hashtextextended($1, 0))",
            [keyText, sessionsKeyText])
    }

    /// Who holds the lock: pid, application name, client address, backend start and last query.
    static func holder(keyText: String, session: any DatabaseSession) throws(DatabaseError) -> RunLockError.Holder? {
        let result = try session.execute(
            """
            select a.pid::text, a.application_name, coalesce(host(a.client_addr), 'local socket'),
                   to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), a.query
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.pid <> pg_backend_pid()
              and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
            limit 1
            """, [keyText]
        )
        guard let row = result.rows.first else { return nil }
        return RunLockError.Holder(
            pid: row[0] ?? "", applicationName: row[1] ?? "", clientAddress: row[2] ?? "", backendStart: row[3] ?? "",
            query: row[4] ?? "")
    }
}

/// Another run holds the lock of the target (exit code 3 from the CLI).
public struct RunLockError: Error, Sendable, CustomStringConvertible {
    /// The CLI's exit code for a lock that could not be taken in time.
    public static let exitCode: Int32 = 3

    public struct Holder: Sendable {
        public var pid: String
        public var applicationName: String
        public var clientAddress: String
        public var backendStart: String
        public var query: String
    }
    public var schema: String
    public var database: String
    public var timeout: Double
    /// Seconds actually waited.
    public var waited: Double
    public var holder: Holder?
    /// The lock was free but sessions of an earlier run (whose lock session ended) still work.
    public var earlierRunSession = false

    public var description: String {
        let waitedText = String(format: "%.1f", waited)
        var text =
            earlierRunSession
            ? "sessions of an earlier sqlt run on \(database).\(schema) are still working (its lock session ended); waited \(waitedText)s (--lock-timeout \(String(format: "%g", timeout)))"
            : "another sqlt run holds the lock of \(database).\(schema); waited \(waitedText)s (--lock-timeout \(String(format: "%g", timeout)))"
        if let holder {
            text +=
                "\n  held by pid \(holder.pid) (application_name '\(holder.applicationName)', client \(holder.clientAddress), connected since \(holder.backendStart))"
            text += "\n  its last query: \(holder.query.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return text
    }
}

/// The run lock's session ended while the run worked: the run stopped (exit code 1).
public struct RunLockLostError: Error, Sendable, CustomStringConvertible {
    public var schema: String
    public var description: String {
        "the run lock's session on \(schema) ended (terminated backend, idle_session_timeout or a lost connection): the run stopped; nodes in progress were cancelled and rolled back, finished nodes are kept"
    }
}

/// The run was cancelled (SIGINT, SIGTERM) before it started building.
public struct RunCancelledError: Error, Sendable, CustomStringConvertible {
    public var description: String { "the run was cancelled before it started" }
}
