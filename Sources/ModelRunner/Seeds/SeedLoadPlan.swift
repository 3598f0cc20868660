import ModelCompiler

/// A seed's configuration keys (dbt's), read from its node.
public struct SeedConfiguration: Sendable, Equatable {
    /// `column_types`: column name to PostgreSQL type, overriding inference.
    public var columnTypes: [String: String]
    /// `delimiter`: one ASCII byte, `,` by default.
    public var delimiter: UInt8
    /// `quote_columns`: nil (unset) quotes, as dbt-postgres does; false folds names to lower case
    /// as PostgreSQL does for unquoted identifiers (and still quotes the result, so odd names stay valid).
    public var quoteColumns: Bool?
    public var preHooks: [String]
    public var postHooks: [String]
    /// `grants`: privilege to grantees.
    public var grants: [String: [String]]
    public var persistRelationDocs: Bool
    public var persistColumnDocs: Bool
    /// `sheet`: the sheet of an `.xlsx` seed to load (the first sheet when nil).
    public var sheet: String?

    public init(
        columnTypes: [String: String] = [:], delimiter: UInt8 = UInt8(ascii: ","), quoteColumns: Bool? = nil,
        preHooks: [String] = [], postHooks: [String] = [], grants: [String: [String]] = [:],
        persistRelationDocs: Bool = false, persistColumnDocs: Bool = false, sheet: String? = nil
    ) {
        self.sheet = sheet
        self.columnTypes = columnTypes
        self.delimiter = delimiter
        self.quoteColumns = quoteColumns
        self.preHooks = preHooks
        self.postHooks = postHooks
        self.grants = grants
        self.persistRelationDocs = persistRelationDocs
        self.persistColumnDocs = persistColumnDocs
    }

    /// Reads the keys of a node's config; a bad value is a diagnostic at the seed file.
    public init(config: NodeConfig, file: String) throws(Diagnostic) {
        var columnTypes: [String: String] = [:]
        if let value = config["column_types"], !value.isNull {
            guard let object = value.objectValue else {
                throw Diagnostic.error("seed.config", "column_types must map column names to types", at: Self.at(file))
            }
            for (column, type) in object {
                guard let text = type.stringValue, !text.isEmpty else {
                    throw Diagnostic.error(
                        "seed.config", "column_types.\(column) must be a type name", at: Self.at(file))
                }
                columnTypes[column] = text
            }
        }
        var delimiter = UInt8(ascii: ",")
        if let value = config["delimiter"], !value.isNull {
            guard let text = value.stringValue, text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80,
                byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D
            else {
                throw Diagnostic.error(
                    "seed.config", "delimiter must be one ASCII character other than a quote or a line end",
                    at: Self.at(file))
            }
            delimiter = byte
        }
        var quoteColumns: Bool?
        if let value = config["quote_columns"], !value.isNull {
            guard let flag = value.boolValue else {
                throw Diagnostic.error("seed.config", "quote_columns must be true or false", at: Self.at(file))
            }
            quoteColumns = flag
        }
        var grants: [String: [String]] = [:]
        for (privilege, grantees) in config["grants"]?.objectValue ?? [:] {
            grants[privilege] = grantees.stringList ?? []
        }
        var sheet: String?
        if let value = config["sheet"], !value.isNull {
            guard let name = value.stringValue, !name.isEmpty else {
                throw Diagnostic.error(
                    "seed.config", "sheet must be the name of a sheet of the workbook", at: Self.at(file))
            }
            sheet = name
        }
        let docs = config["persist_docs"]?.objectValue ?? [:]
        self.init(
            columnTypes: columnTypes, delimiter: delimiter, quoteColumns: quoteColumns, preHooks: config.preHooks,
            postHooks: config.postHooks, grants: grants, persistRelationDocs: docs["relation"]?.boolValue ?? false,
            persistColumnDocs: docs["columns"]?.boolValue ?? false, sheet: sheet)
    }

    private static func at(_ file: String) -> SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    /// The column name as it appears in SQL.
    public func columnIdentifier(_ name: String) -> String {
        quoteColumns == false ? quoteIdentifier(name.lowercased()) : quoteIdentifier(name)
    }
}

/// The statements that load a seed: build a temporary table, fill it with `COPY`, swap it into
/// place by rename, all in one transaction, then drop the old table. Pure: tested as golden SQL.
public struct SeedLoadPlan: Sendable, Equatable {
    /// What already holds the seed's name.
    public enum Existing: Sendable, Equatable {
        case none, table, view
        /// A table with exactly the planned columns and types: it is truncated and reloaded in
        /// place (as dbt does), so views that depend on the seed survive the reload.
        case sameTable
    }

    public var schema: String
    public var alias: String
    public var temporaryName: String
    /// Column definitions in order: SQL identifier and type.
    public var columns: [(identifier: String, type: String)]
    public var existing: Existing
    public var configuration: SeedConfiguration
    /// Comments to persist: relation description and column descriptions by header name.
    public var relationComment: String?
    public var columnComments: [String: String]

    public static func == (lhs: SeedLoadPlan, rhs: SeedLoadPlan) -> Bool {
        lhs.transactionStatements == rhs.transactionStatements && lhs.copyStatement == rhs.copyStatement
    }

    /// Builds the plan from the scan of the file and the node's configuration.
    public init(
        schema: String, alias: String, runId: String, scan: SeedFileScan, configuration: SeedConfiguration,
        existing: Existing, relationComment: String? = nil, columnComments: [String: String] = [:]
    ) {
        self.schema = schema
        self.alias = alias
        let suffix = String(runId.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(8))
        self.temporaryName = Self.name(alias, "__sqlt_tmp_" + suffix)
        self.columns = zip(scan.columns, scan.inferredTypes).map { name, inferred in
            (configuration.columnIdentifier(name), configuration.columnTypes[name] ?? inferred)
        }
        self.existing = existing
        self.configuration = configuration
        self.relationComment =
            configuration.persistRelationDocs ? relationComment.flatMap { $0.isEmpty ? nil : $0 } : nil
        self.columnComments =
            configuration.persistColumnDocs
            ? columnComments.filter { !$0.value.isEmpty && scan.columns.contains($0.key) } : [:]
    }

    /// `alias` plus a suffix, cut to PostgreSQL's 63-byte identifiers on a character boundary.
    static func name(_ alias: String, _ suffix: String) -> String {
        var base = alias
        while base.utf8.count + suffix.utf8.count > 63, !base.isEmpty { base.removeLast() }
        return base + suffix
    }

    public var relation: String { qualifiedName(schema, alias) }
    public var temporaryRelation: String { qualifiedName(schema, temporaryName) }

    public var createSchemaStatement: String { "create schema if not exists \(quoteIdentifier(schema))" }

    public var createTableStatement: String {
        let definitions = columns.map { "\($0.identifier) \($0.type)" }.joined(separator: ", ")
        return "create table \(temporaryRelation) (\(definitions))"
    }

    /// `COPY` in CSV format: an empty field, quoted or not, is NULL (`force_null`), as dbt's
    /// agate reader makes both NULL.
    public var copyStatement: String {
        let names = columns.map(\.identifier).joined(separator: ", ")
        let delimiter = quoteLiteral(String(UnicodeScalar(configuration.delimiter)))
        return "copy \(loadTarget) (\(names)) from stdin with (format csv, delimiter \(delimiter), "
            + "header false, null '', force_null (\(names)), encoding 'UTF8')"
    }

    /// Statements before the `COPY` inside the transaction.
    public var beforeCopyStatements: [String] {
        ["begin"] + configuration.preHooks + [
            existing == .sameTable ? "truncate table \(relation)" : createTableStatement
        ]
    }

    /// Where `COPY` writes: the existing table when reloaded in place, else the temporary one.
    public var loadTarget: String { existing == .sameTable ? relation : temporaryRelation }

    /// Statements after the `COPY`, through `commit`: the swap, grants, comments and post-hooks.
    public var afterCopyStatements: [String] {
        var statements: [String] = []
        switch existing {
        case .none, .sameTable: break
        // No cascade: the loader drops (and recreates) the views depending on the old relation.
        case .table: statements.append("drop table if exists \(relation)")
        case .view: statements.append("drop view if exists \(relation)")
        }
        if existing != .sameTable {
            statements.append("alter table \(temporaryRelation) rename to \(quoteIdentifier(alias))")
        }
        for (privilege, grantees) in configuration.grants.sorted(by: { $0.key < $1.key }) where !grantees.isEmpty {
            let roles = grantees.map(quoteIdentifier).joined(separator: ", ")
            statements.append("grant \(Self.privilege(privilege)) on table \(relation) to \(roles)")
        }
        if let relationComment {
            statements.append("comment on table \(relation) is \(quoteLiteral(relationComment))")
        }
        for (name, comment) in columnComments.sorted(by: { $0.key < $1.key }) {
            statements.append(
                "comment on column \(relation).\(configuration.columnIdentifier(name)) is \(quoteLiteral(comment))")
        }
        statements += configuration.postHooks
        statements.append("commit")
        return statements
    }

    /// Every statement of the transaction, with the `COPY` in its place (for `target/run/`).
    public var transactionStatements: [String] { beforeCopyStatements + [copyStatement] + afterCopyStatements }

    /// The whole plan as one script (what is written under `target/run/`).
    public var script: String {
        ([createSchemaStatement] + transactionStatements).map { $0 + ";" }.joined(separator: "\n")
    }

    /// A privilege keyword from a `grants` key; anything that is not plain letters is refused by
    /// quoting it, so the server rejects it rather than running spliced text.
    static func privilege(_ key: String) -> String {
        let lower = key.lowercased()
        return lower.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == " ") }) ? lower : quoteIdentifier(key)
    }
}
