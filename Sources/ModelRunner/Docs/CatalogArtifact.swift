import Foundation
import ModelCompiler

/// `target/catalog.json` in dbt's shape: the columns and types of every built relation.
public struct CatalogArtifact: Codable, Sendable {
    public var metadata: Metadata
    /// Models and seeds by unique id.
    public var nodes: [String: Table]
    /// Sources by unique id.
    public var sources: [String: Table]
    public var errors: [String]?

    /// dbt's catalog metadata block.
    public struct Metadata: Codable, Sendable {
        public var dbtSchemaVersion = "https://schemas.getdbt.com/dbt/catalog/v1.json"
        public var sqltVersion: String
        public var generatedAt: String
        public var invocationId: String
        /// sqlt's version also under `SQLT_VERSION`: dbt's schema allows no other metadata key.
        public var env: [String: String] = ["SQLT_VERSION": SqltVersion.current]

        enum CodingKeys: String, CodingKey {
            case env
            case dbtSchemaVersion = "dbt_schema_version"
            case sqltVersion = "dbt_version"
            case generatedAt = "generated_at"
            case invocationId = "invocation_id"
        }
    }

    /// One relation: its metadata, columns by name and (empty) stats.
    public struct Table: Codable, Sendable {
        public var metadata: TableMetadata
        public var columns: [String: Column]
        public var stats: [String: Stat]
        public var uniqueId: String

        enum CodingKeys: String, CodingKey {
            case metadata, columns, stats
            case uniqueId = "unique_id"
        }

        /// Columns in database order.
        public var orderedColumns: [Column] { columns.values.sorted { $0.index < $1.index } }
    }

    /// `BASE TABLE`, `VIEW` or `MATERIALIZED VIEW`, with schema and name.
    public struct TableMetadata: Codable, Sendable {
        public var type: String
        public var schema: String
        public var name: String
        public var database: String?
        public var comment: String?
        public var owner: String?
    }

    /// A column with its formatted type and 1-based position.
    public struct Column: Codable, Sendable {
        public var type: String
        public var index: Int
        public var name: String
        public var comment: String?
    }

    /// dbt's `has_stats` entry.
    public struct Stat: Codable, Sendable {
        public var id: String
        public var label: String
        public var value: Bool
        public var include: Bool
        public var description: String
    }

    public init(metadata: Metadata, nodes: [String: Table], sources: [String: Table], errors: [String]? = nil) {
        self.metadata = metadata
        self.nodes = nodes
        self.sources = sources
        self.errors = errors
    }

    /// An empty catalog (the database could not be reached).
    public static func empty(generatedAt: String, invocationId: String, error: String?) -> CatalogArtifact {
        CatalogArtifact(
            metadata: Metadata(sqltVersion: SqltVersion.current, generatedAt: generatedAt, invocationId: invocationId),
            nodes: [:], sources: [:], errors: error.map { [$0] })
    }

    /// The catalog entry of a node or source, if its relation exists.
    public func table(for uniqueId: String) -> Table? { nodes[uniqueId] ?? sources[uniqueId] }

    /// Reads every relation of the manifest's models, seeds, snapshots and sources in one query.
    public static func read(
        manifest: Manifest, session: any DatabaseSession, database: String?, generatedAt: String, invocationId: String
    ) throws(DatabaseError) -> CatalogArtifact {
        var wanted: [(id: String, schema: String, name: String, isSource: Bool)] = []
        for node in manifest.nodes.values where [.model, .seed, .snapshot].contains(node.resourceType) {
            guard node.relationName != nil else { continue }
            wanted.append((node.uniqueId, node.schema, node.alias, false))
        }
        for source in manifest.sources.values {
            wanted.append((source.uniqueId, source.schema, source.identifier, true))
        }
        let snapshot = try RelationListingReader.read(schemas: Set(wanted.map(\.schema)), session: session)
        var nodes: [String: Table] = [:]
        var sources: [String: Table] = [:]
        for entry in wanted {
            guard let relation = snapshot.relation(schema: entry.schema, name: entry.name) else { continue }
            let table = Self.table(relation, uniqueId: entry.id, database: database)
            if entry.isSource { sources[entry.id] = table } else { nodes[entry.id] = table }
        }
        return CatalogArtifact(
            metadata: Metadata(sqltVersion: SqltVersion.current, generatedAt: generatedAt, invocationId: invocationId),
            nodes: nodes, sources: sources, errors: nil)
    }

    static func table(_ relation: RelationListing.Relation, uniqueId: String, database: String?) -> Table {
        let type: String
        switch relation.kind {
        case .view: type = "VIEW"
        case .materializedView: type = "MATERIALIZED VIEW"
        case .foreign: type = "FOREIGN TABLE"
        case .table, .partitionedTable: type = "BASE TABLE"
        }
        var columns: [String: Column] = [:]
        for (offset, column) in relation.columns.enumerated() {
            columns[column.name] = Column(type: column.type, index: offset + 1, name: column.name, comment: nil)
        }
        let stats = [
            "has_stats": Stat(
                id: "has_stats", label: "Has Stats?", value: false, include: false,
                description: "Indicates whether there are statistics for this table")
        ]
        return Table(
            metadata: TableMetadata(
                type: type, schema: relation.schema, name: relation.name, database: database, comment: nil, owner: nil),
            columns: columns, stats: stats, uniqueId: uniqueId)
    }
}
