import Foundation
import ModelCompiler

/// The record of forgotten subjects: `<target schema>_sqlt.sqlt_rgpd_forgotten`, one row per
/// subject with a keyed SHA-256 of `column=value` (never the raw key, itself an indirect
/// identifier), the time and the number of rows deleted. With the secret, `isForgotten` tells
/// whether a subject was erased before (for example after a `sqlt seed` reloaded a CSV that still
/// holds them); without it, the hashes identify no one.
public struct RGPDLedger: Sendable {
    public var schema: String
    /// The hashing secret (never stored in the database).
    public var secret: String

    public static let tableName = "sqlt_rgpd_forgotten"

    public init(targetSchema: String, secret: String) {
        self.schema = targetSchema + "_sqlt"
        self.secret = secret
    }

    /// `"<schema>"."sqlt_rgpd_forgotten"`.
    public var qualified: String { qualifiedName(schema, Self.tableName) }

    /// The text hashed for a set of subjects: `column=value` pairs sorted, joined by `&`.
    static func message(_ subjects: [RGPDSubject]) -> String {
        subjects.sorted { $0.column < $1.column }.map(\.description).joined(separator: "&")
    }

    /// SQL of the message of a row, for the key columns (the same text `message` gives for the
    /// row's values in their canonical text form).
    /// `aliases` names the relation's column for a key held under another name.
    static func rowMessageSQL(_ columns: [String], aliases: [String: String] = [:]) -> String {
        columns.sorted().map { quoteLiteral($0 + "=") + " || cast(\(quoteIdentifier(aliases[$0] ?? $0)) as text)" }
            .joined(separator: " || '&' || ")
    }

    /// Every recorded key column set (`a,b`), with how many subjects were forgotten by it.
    public func keyColumnSets(session: any DatabaseSession) throws(DatabaseError) -> [[String]] {
        guard try session.execute("select to_regclass($1) is not null", [qualified]).scalar == "t" else { return [] }
        return try session.execute("select distinct key_columns from \(qualified) order by 1").rows
            .compactMap { $0[0]?.split(separator: ",").map(String.init) }
    }

    /// The `where` condition matching rows of forgotten subjects by these key columns
    /// (parameter `$1` is the secret).
    func forgottenRowsCondition(_ columns: [String], aliases: [String: String] = [:]) -> String {
        let hash =
            "encode(sha256(convert_to($1, 'UTF8') || '\\x00'::bytea || convert_to(\(Self.rowMessageSQL(columns, aliases: aliases)), 'UTF8')), 'hex')"
        return
            "\(hash) in (select subject_hash from \(qualified) where key_columns = \(quoteLiteral(columns.sorted().joined(separator: ","))))"
    }

    /// SQL of the keyed hash of `$secret`/`$message` parameters.
    static func hashSQL(secret: Int, message: Int) -> String {
        "encode(sha256(convert_to($\(secret), 'UTF8') || '\\x00'::bytea || convert_to($\(message), 'UTF8')), 'hex')"
    }

    /// Creates the schema and table when missing.
    public func ensure(session: any DatabaseSession) throws(DatabaseError) {
        try session.executeScript(
            """
            create schema if not exists \(quoteIdentifier(schema));
            create table if not exists \(qualified) (
                subject_hash text primary key,
                key_columns text not null,
                forgotten_at timestamptz not null default now(),
                rows_deleted bigint not null
            )
            """)
    }

    /// Records (or refreshes) a forgotten subject.
    public func record(_ subjects: [RGPDSubject], rowsDeleted: Int, session: any DatabaseSession) throws(DatabaseError)
    {
        try ensure(session: session)
        try session.execute(
            """
            insert into \(qualified) (subject_hash, key_columns, forgotten_at, rows_deleted)
            values (\(Self.hashSQL(secret: 1, message: 2)), $3, now(), $4)
            on conflict (subject_hash) do update set forgotten_at = excluded.forgotten_at, rows_deleted = excluded.rows_deleted
            """,
            [
                secret, Self.message(subjects), subjects.map(\.column).sorted().joined(separator: ","),
                String(rowsDeleted),
            ])
    }

    /// Whether the subject was forgotten before (false when the ledger does not exist).
    public func isForgotten(_ subjects: [RGPDSubject], session: any DatabaseSession) throws(DatabaseError) -> Bool {
        let exists = try session.execute("select to_regclass($1) is not null", [qualified]).scalar == "t"
        guard exists else { return false }
        let result = try session.execute(
            "select count(*) from \(qualified) where subject_hash = \(Self.hashSQL(secret: 1, message: 2))",
            [secret, Self.message(subjects)])
        return (Int(result.scalar ?? "0") ?? 0) > 0
    }

    /// The secret from `SQLT_RGPD_SECRET`, else from `<projectDir>/.sqlt/rgpd_secret`, created
    /// with 32 random bytes (hex, mode 0600) the first time.
    /// The secret when one exists (environment or `.sqlt/rgpd_secret`), without creating one.
    public static func existingSecret(
        projectDir: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let secret = environment["SQLT_RGPD_SECRET"], !secret.isEmpty { return secret }
        let path = ((projectDir as NSString).appendingPathComponent(".sqlt") as NSString).appendingPathComponent(
            "rgpd_secret")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Deletes the rows of forgotten subjects from a relation being loaded (a seed's table inside
    /// its load transaction), for every recorded key column set the relation has. Returns rows deleted.
    @discardableResult
    /// `keyAliases` maps a subject key to the column holding it under another name (a seed
    /// column's `meta.subject_key`).
    public func removeForgotten(
        from relation: String, columns: [String], keyAliases: [String: String] = [:], session: any DatabaseSession
    ) throws(DatabaseError) -> Int {
        var deleted = 0
        let available = Set(columns.map { $0.lowercased() })
        let aliases = keyAliases.filter { available.contains($0.value.lowercased()) }
        for keys in try keyColumnSets(session: session)
        where keys.allSatisfy({ available.contains($0.lowercased()) || aliases[$0] != nil }) {
            let condition = forgottenRowsCondition(keys, aliases: aliases)
            deleted += try session.execute("delete from \(relation) where \(condition)", [secret]).rowsAffected ?? 0
        }
        return deleted
    }

    public static func loadSecret(
        projectDir: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        if let secret = environment["SQLT_RGPD_SECRET"], !secret.isEmpty { return secret }
        let folder = (projectDir as NSString).appendingPathComponent(".sqlt")
        let path = (folder as NSString).appendingPathComponent("rgpd_secret")
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { return text }
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw Diagnostic.error("rgpd.secret", "cannot write the rgpd secret to '\(path)'")
        }
        return secret
    }
}
