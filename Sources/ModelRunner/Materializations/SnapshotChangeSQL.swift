import ModelCompiler

/// The SQL of one snapshot run, written to give the rows dbt-postgres gives.
///
/// - The first run: every source row with `dbt_scd_id = md5(key|updated_at)`, `dbt_updated_at =
///   dbt_valid_from = updated_at`, `dbt_valid_to` null (or `dbt_valid_to_current`), and
///   `dbt_is_deleted = 'False'` with `hard_deletes: new_record`.
/// - Later runs compare the source (`source_data`) with the current versions
///   (`snapshotted_data`: `dbt_valid_to` null or equal to `dbt_valid_to_current`) by key, and
///   stage one row per change: `insert` (a new key, a changed row, a key back after a
///   `new_record` deletion, or the deletion record itself), `update` (the current version of a
///   changed row, closed at the new row's updated_at) and `delete` (a key gone from the source,
///   closed at the snapshot time, with `invalidate` or `new_record`). Then the closing update
///   and the insert run, in the caller's transaction.
///
/// A row changed, with `timestamp`, when its updated_at is later than the current version's
/// dbt_valid_from; with `check`, when a checked column differs (nulls compared as values), or for
/// every row when a checked column is new to the snapshot table. The check strategy's
/// updated_at is the snapshot time, `now()::timestamp without time zone`, unless set.
struct SnapshotChangeSQL: Sendable {
    let settings: SnapshotSettings
    /// The snapshot table, qualified and quoted.
    let target: String
    /// The temporary table of the snapshot query's rows.
    let source: String
    let sourceColumns: [ColumnShape]

    static let snapshotTime = "now()::timestamp without time zone"

    private var names: SnapshotSettings.ColumnNames { settings.columns }
    private var newRecord: Bool { settings.hardDeletes == .newRecord }

    /// The updated_at expression of the strategy.
    var updatedAt: String {
        switch settings.strategy {
        case .timestamp(let column): return column
        case .check(_, let column): return column ?? Self.snapshotTime
        }
    }

    /// `md5(coalesce(cast(a as varchar), '') || '|' || ...)`.
    static func hash(_ arguments: [String]) -> String {
        "md5(" + arguments.map { "coalesce(cast(\($0) as varchar), '')" }.joined(separator: " || '|' || ") + ")"
    }

    /// The staged key columns: `dbt_unique_key`, or `dbt_unique_key_1..n` for a list.
    var keyNames: [String] {
        settings.uniqueKeyIsList ? settings.uniqueKey.indices.map { "dbt_unique_key_\($0 + 1)" } : ["dbt_unique_key"]
    }

    var keyFields: String {
        zip(settings.uniqueKey, keyNames).map { "\($0) as \($1)" }.joined(separator: ", ")
    }

    func keysMatch(_ left: String, _ right: String) -> String {
        keyNames.map { "\(left).\($0) = \(right).\($0)" }.joined(separator: " and ")
    }

    func keyIsNull(_ alias: String) -> String { "\(alias).\(keyNames[0]) is null" }

    /// The condition of a current version.
    func isCurrent(_ relation: String) -> String {
        let validTo = "\(relation).\(quoteIdentifier(names.validTo))"
        guard let current = settings.validToCurrent else { return "\(validTo) is null" }
        return "(\(validTo) = \(current) or \(validTo) is null)"
    }

    /// dbt_valid_to of a new version: null of updated_at's type, or `dbt_valid_to_current`.
    func openValidTo(_ updated: String) -> String {
        let none = "nullif(\(updated), \(updated))"
        return settings.validToCurrent.map { "coalesce(\(none), \($0))" } ?? none
    }

    /// The first run's query.
    func initialSelect() -> String {
        var columns = [
            "\(Self.hash(settings.uniqueKey + [updatedAt])) as \(quoteIdentifier(names.scdId))",
            "\(updatedAt) as \(quoteIdentifier(names.updatedAt))",
            "\(updatedAt) as \(quoteIdentifier(names.validFrom))",
            "\(openValidTo(updatedAt)) as \(quoteIdentifier(names.validTo))",
        ]
        if newRecord { columns.append("'False'::text as \(quoteIdentifier(names.isDeleted))") }
        return "select *,\n    " + columns.joined(separator: ",\n    ") + "\nfrom \(source) as sbq"
    }

    /// `alter table ... add column` for source columns the snapshot table lacks (and
    /// dbt_is_deleted when `new_record` starts on an older table).
    func addMissingColumns(target columns: [ColumnShape]) -> [PlannedStatement] {
        let present = Set(columns.map(\.name))
        var missing = sourceColumns.filter { !present.contains($0.name) }
        if newRecord, !present.contains(names.isDeleted) { missing.append(ColumnShape(names.isDeleted, "text")) }
        return missing.map {
            PlannedStatement("alter table \(target) add column \(quoteIdentifier($0.name)) \($0.type)")
        }
    }

    /// dbt's widening of string columns: a snapshot column whose staged column is a longer string
    /// (text and unsized varchar count as 256 characters) becomes `character varying(<longer>)`, by
    /// adding a column of the new type, copying, dropping the old one (cascade) and renaming, as
    /// dbt-postgres does (so the column moves to the end of the table).
    func expandStringColumns(target columns: [ColumnShape]) -> [PlannedStatement] {
        let targetTypes = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        return sourceColumns.flatMap { column -> [PlannedStatement] in
            guard let current = targetTypes[column.name], let have = Self.stringSize(current),
                var want = Self.stringSize(column.type)
            else { return [] }
            // With new_record, dbt's staged column is the union of the source's and the snapshot's
            // (its deletion records), which PostgreSQL types as an unsized string when they differ.
            if newRecord, current != column.type { want = 256 }
            guard want > have else { return [] }
            let name = quoteIdentifier(column.name), temporary = quoteIdentifier(column.name + "__dbt_alter")
            return [
                PlannedStatement("alter table \(target) add column \(temporary) character varying(\(want))"),
                PlannedStatement("update \(target) set \(temporary) = \(name)"),
                PlannedStatement("alter table \(target) drop column \(name) cascade"),
                PlannedStatement("alter table \(target) rename column \(temporary) to \(name)"),
            ]
        }
    }

    /// The length dbt gives a string type (`format_type` spelling), nil for other types.
    static func stringSize(_ type: String) -> Int? {
        let lowered = type.lowercased()
        let base = lowered.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? lowered
        guard ["text", "character varying", "character", "varchar"].contains(base) else { return nil }
        guard base != "text", let open = lowered.firstIndex(of: "("), let close = lowered.firstIndex(of: ")"),
            let size = Int(lowered[lowered.index(after: open)..<close])
        else { return 256 }
        return size
    }

    /// Whether a source row differs from the current version, as an SQL condition.
    func rowChanged(targetColumns: [ColumnShape]) -> String {
        switch settings.strategy {
        case .timestamp:
            return "(snapshotted_data.\(quoteIdentifier(names.validFrom)) < source_data.\"__sqlt_updated_at\")"
        case .check(let configured, _):
            let queryColumns = configured.map { $0.map(Self.columnName) } ?? sourceColumns.map(\.name)
            let present = Set(targetColumns.map(\.name))
            if queryColumns.contains(where: { !present.contains($0) }) { return "(TRUE)" }
            let checks = queryColumns.map { column -> String in
                let old = "snapshotted_data.\(quoteIdentifier(column))", new = "source_data.\(quoteIdentifier(column))"
                return
                    "\(old) != \(new) or ((\(old) is null) and not (\(new) is null)) or ((not \(old) is null) and (\(new) is null))"
            }
            return "(" + checks.joined(separator: "\n        or ") + ")"
        }
    }

    /// A column as PostgreSQL names it: `"Name"` keeps its case, `Name` folds to lower case.
    static func columnName(_ written: String) -> String {
        let trimmed = written.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") {
            return String(trimmed.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return trimmed.lowercased()
    }

    /// The meta columns a change row carries after the source columns, in insert order.
    var metaColumns: [String] {
        [names.updatedAt, names.validFrom, names.validTo, names.scdId] + (newRecord ? [names.isDeleted] : [])
    }

    /// The staged changes: `dbt_change_type`, the source columns, the key columns, the meta columns.
    func changes(targetColumns: [ColumnShape]) -> String {
        let changed = rowChanged(targetColumns: targetColumns)
        let deleted = newRecord ? " or snapshotted_data.\(quoteIdentifier(names.isDeleted)) = 'True'" : ""
        let sourceList = sourceColumns.map { "source_data.\(quoteIdentifier($0.name))" }
        let sourceKeys = keyNames.map { "source_data.\($0)" }
        let snapshotKeys = keyNames.map { "snapshotted_data.\($0)" }
        let updated = "source_data.\"__sqlt_updated_at\""
        let time = Self.snapshotTime
        func row(_ type: String, _ values: [String]) -> String {
            "select '\(type)'::text as dbt_change_type,\n    " + values.joined(separator: ", ")
        }
        var branches: [String] = []
        // New keys and changed rows: their new version.
        branches.append(
            row(
                "insert",
                sourceList + sourceKeys + [
                    "\(updated) as \(quoteIdentifier(names.updatedAt))",
                    "\(updated) as \(quoteIdentifier(names.validFrom))",
                    "\(openValidTo(updated)) as \(quoteIdentifier(names.validTo))",
                    "source_data.\"__sqlt_scd_id\" as \(quoteIdentifier(names.scdId))",
                ] + (newRecord ? ["'False'::text as \(quoteIdentifier(names.isDeleted))"] : []))
                + "\nfrom source_data\nleft join snapshotted_data on \(keysMatch("snapshotted_data", "source_data"))"
                + "\nwhere \(keyIsNull("snapshotted_data"))\n    or (\(changed)\(deleted))")
        // Changed rows: their current version, closed at the new updated_at.
        branches.append(
            row(
                "update",
                sourceList + sourceKeys + [
                    updated, updated, updated, "snapshotted_data.\(quoteIdentifier(names.scdId))",
                ]
                    + (newRecord ? ["snapshotted_data.\(quoteIdentifier(names.isDeleted))"] : []))
                + "\nfrom source_data\njoin snapshotted_data on \(keysMatch("snapshotted_data", "source_data"))"
                + "\nwhere (\(changed)\(deleted))")
        if settings.hardDeletes != .ignore {
            let alreadyDeleted =
                newRecord
                ? "\n    and not (snapshotted_data.\(quoteIdentifier(names.isDeleted)) = 'True' and \(isCurrent("snapshotted_data")))"
                : ""
            let gone =
                "\nfrom snapshotted_data\nleft join source_data on \(keysMatch("snapshotted_data", "source_data"))"
                + "\nwhere \(keyIsNull("source_data"))\(alreadyDeleted)"
            // Keys gone from the source: their current version, closed at the snapshot time.
            branches.append(
                row(
                    "delete",
                    sourceColumns.map { _ in "null" } + snapshotKeys + [
                        time, time, time, "snapshotted_data.\(quoteIdentifier(names.scdId))",
                    ]
                        + (newRecord ? ["snapshotted_data.\(quoteIdentifier(names.isDeleted))"] : []))
                    + gone)
            if newRecord {
                // ... and a deletion record: the last values, flagged deleted, from the snapshot time.
                let present = Set(targetColumns.map(\.name))
                let values = sourceColumns.map {
                    present.contains($0.name) ? "snapshotted_data.\(quoteIdentifier($0.name))" : "null"
                }
                branches.append(
                    row(
                        "insert",
                        values + snapshotKeys + [
                            time, time, "snapshotted_data.\(quoteIdentifier(names.validTo))",
                            Self.hash(["snapshotted_data.\(quoteIdentifier(names.scdId))", time]), "'True'::text",
                        ]) + gone)
            }
        }
        return """
            with source_data as (
                select *, \(keyFields), \(updatedAt) as "__sqlt_updated_at", \(Self.hash(settings.uniqueKey + [updatedAt])) as "__sqlt_scd_id"
                from \(source)
            ),
            snapshotted_data as (
                select *, \(keyFields)
                from \(target)
                where \(isCurrent(target))
            )
            \(branches.joined(separator: "\nunion all\n"))
            """
    }

    /// Closes the versions staged as `update` or `delete`.
    func closeVersions(staging: String) -> String {
        let validTo = quoteIdentifier(names.validTo), scdId = quoteIdentifier(names.scdId)
        return """
            update \(target)
            set \(validTo) = changes.\(validTo)
            from \(staging) as changes
            where changes.\(scdId)::text = \(target).\(scdId)::text
              and changes.dbt_change_type in ('update', 'delete')
              and \(isCurrent(target))
            """
    }

    /// Inserts the versions staged as `insert` (columns only the snapshot table has stay null).
    func insertVersions(staging: String, targetColumns: [ColumnShape]) -> String {
        let list = (sourceColumns.map(\.name) + metaColumns).map(quoteIdentifier).joined(separator: ", ")
        return """
            insert into \(target) (\(list))
            select \(list)
            from \(staging)
            where dbt_change_type = 'insert'
            """
    }
}
