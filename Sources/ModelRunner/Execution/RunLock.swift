import Foundation
import ModelCompiler

/// The advisory lock that keeps two runs against the same target database and schema apart.
/// Held on a dedicated session for the whole run.
public struct RunLock {
    public let session: any DatabaseSession
    /// The lock key's text: `sqlt:<database>.<schema>`, hashed by the server to a bigint.
    public let keyText: String

    /// Takes the lock, retrying until `timeout` seconds have passed, then fails naming the holder.
    public static func acquire(session: any DatabaseSession, schema: String, invocationId: String, timeout: Double) throws -> RunLock {
        try session.execute("select set_config('application_name', $1, false)", ["sqlt run \(invocationId)"])
        let database = try session.execute("select current_database()").scalar ?? ""
        let keyText = "sqlt:\(database).\(schema)"
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            if try session.execute("select pg_try_advisory_lock(hashtextextended($1, 0))", [keyText]).scalar == "t" {
                return RunLock(session: session, keyText: keyText)
            }
            if Date() >= deadline { break }
            Thread.sleep(forTimeInterval: min(0.25, max(0.01, deadline.timeIntervalSinceNow)))
        }
        throw RunLockError(schema: schema, database: database, timeout: timeout, holder: try holder(keyText: keyText, session: session))
    }

    /// Releases the lock.
    public func release() {
        _ = try? session.execute("select pg_advisory_unlock(hashtextextended($1, 0))", [keyText])
    }

    /// Who holds the lock: pid, application name, client address, backend start and last query.
    static func holder(keyText: String, session: any DatabaseSession) throws(DatabaseError) -> RunLockError.Holder? {
        let result = try session.execute(
            """
            select a.pid::text, a.application_name, coalesce(host(a.client_addr), 'local socket'),
                   to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), a.query
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1
              and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
            limit 1
            """, [keyText]
        )
        guard let row = result.rows.first else { return nil }
        return RunLockError.Holder(pid: row[0] ?? "", applicationName: row[1] ?? "", clientAddress: row[2] ?? "", backendStart: row[3] ?? "", query: row[4] ?? "")
    }
}

/// Another run holds the lock of the target.
public struct RunLockError: Error, Sendable, CustomStringConvertible {
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
    public var holder: Holder?

    public var description: String {
        var text = "another sqlt run holds the lock of \(database).\(schema); gave up after \(String(format: "%.0f", timeout))s"
        if let holder {
            text += "\n  held by pid \(holder.pid) (application_name '\(holder.applicationName)', client \(holder.clientAddress), connected since \(holder.backendStart))"
            text += "\n  its last query: \(holder.query.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return text
    }
}
