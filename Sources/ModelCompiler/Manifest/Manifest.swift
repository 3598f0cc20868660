import Foundation

/// The compiler's output and the only contract with the runner: every node, source, macro and
/// doc of a project with its configuration and edges. Keys follow dbt's `manifest.json` where the
/// concept is the same, so tools that read dbt manifests can read it.
public struct Manifest: Codable, Sendable {
    public var metadata: ManifestMetadata
    /// Models, seeds, tests, analyses and unit tests by unique id (`model.<project>.<name>`).
    public var nodes: [String: ManifestNode]
    /// Sources by unique id (`source.<project>.<source>.<table>`).
    public var sources: [String: SourceDefinition]
    public var macros: [String: MacroDefinition]
    public var docs: [String: DocDefinition]
    /// Unique id to the unique ids it depends on (nodes and sources).
    public var parentMap: [String: [String]]
    /// Unique id to the unique ids that depend on it.
    public var childMap: [String: [String]]
    public var disabled: [String: [ManifestNode]]
    /// The keys of `childMap` in sorted order when the compiler already has them (not encoded):
    /// `ManifestJSONWriter` checks and reuses them instead of sorting tens of thousands of ids again.
    public var sortedGraphIds: [String]?

    public init(
        metadata: ManifestMetadata, nodes: [String: ManifestNode] = [:], sources: [String: SourceDefinition] = [:],
        macros: [String: MacroDefinition] = [:], docs: [String: DocDefinition] = [:],
        parentMap: [String: [String]] = [:], childMap: [String: [String]] = [:],
        disabled: [String: [ManifestNode]] = [:]
    ) {
        self.metadata = metadata
        self.nodes = nodes
        self.sources = sources
        self.macros = macros
        self.docs = docs
        self.parentMap = parentMap
        self.childMap = childMap
        self.disabled = disabled
    }

    enum CodingKeys: String, CodingKey {
        case metadata, nodes, sources, macros, docs, disabled
        case parentMap = "parent_map"
        case childMap = "child_map"
    }

    /// dbt's manifest v12 keys for what sqlt projects do not have, written as empty objects.
    public static let emptyDbtKeys = [
        "exposures", "group_map", "groups", "metrics", "saved_queries", "selectors", "semantic_models",
    ]

    /// Unit tests are read back from dbt's `unit_tests` map into `nodes`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ManifestKey.self)
        metadata = try container.decode(ManifestMetadata.self, forKey: ManifestKey("metadata"))
        nodes = try container.decodeIfPresent([String: ManifestNode].self, forKey: ManifestKey("nodes")) ?? [:]
        sources = try container.decodeIfPresent([String: SourceDefinition].self, forKey: ManifestKey("sources")) ?? [:]
        macros = try container.decodeIfPresent([String: MacroDefinition].self, forKey: ManifestKey("macros")) ?? [:]
        docs = try container.decodeIfPresent([String: DocDefinition].self, forKey: ManifestKey("docs")) ?? [:]
        disabled = try container.decodeIfPresent([String: [ManifestNode]].self, forKey: ManifestKey("disabled")) ?? [:]
        parentMap = try container.decodeIfPresent([String: [String]].self, forKey: ManifestKey("parent_map")) ?? [:]
        childMap = try container.decodeIfPresent([String: [String]].self, forKey: ManifestKey("child_map")) ?? [:]
        let unitTests =
            try container.decodeIfPresent([String: UnitTestEntry].self, forKey: ManifestKey("unit_tests")) ?? [:]
        addUnitTests(unitTests)
    }

    /// Unit tests read from `unit_tests` become nodes again (after the models they test).
    mutating func addUnitTests(_ entries: [String: UnitTestEntry]) {
        for (id, entry) in entries { nodes[id] = entry.node(models: nodes) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ManifestKey.self)
        try container.encode(metadata, forKey: ManifestKey("metadata"))
        try container.encode(nodesWithoutUnitTests, forKey: ManifestKey("nodes"))
        try container.encode(unitTestEntries, forKey: ManifestKey("unit_tests"))
        try container.encode(sources, forKey: ManifestKey("sources"))
        try container.encode(macros, forKey: ManifestKey("macros"))
        try container.encode(docs, forKey: ManifestKey("docs"))
        try container.encode(disabled, forKey: ManifestKey("disabled"))
        try container.encode(parentMap, forKey: ManifestKey("parent_map"))
        try container.encode(childMap, forKey: ManifestKey("child_map"))
        for key in Self.emptyDbtKeys { try container.encode([String: JSONValue](), forKey: ManifestKey(key)) }
    }
}

/// A JSON object key by name, for encoders that write keys outside a type's `CodingKeys`.
struct ManifestKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

public struct ManifestMetadata: Codable, Sendable {
    public var dbtSchemaVersion = "https://schemas.getdbt.com/dbt/manifest/v12.json"
    public var sqltVersion: String
    public var generatedAt: String
    public var invocationId: String
    public var projectName: String
    public var adapterType = "postgres"
    public var env: [String: String] = [:]

    public init(sqltVersion: String, generatedAt: String, invocationId: String, projectName: String) {
        self.sqltVersion = sqltVersion
        self.generatedAt = generatedAt
        self.invocationId = invocationId
        self.projectName = projectName
    }

    enum CodingKeys: String, CodingKey {
        case dbtSchemaVersion = "dbt_schema_version"
        case sqltVersion = "dbt_version"
        case generatedAt = "generated_at"
        case invocationId = "invocation_id"
        case projectName = "project_name"
        case adapterType = "adapter_type"
        case env
    }
}

public enum ResourceType: String, Codable, Sendable, CaseIterable {
    case model, seed, test, source, macro, analysis, operation, snapshot
    case unitTest = "unit_test"
}

/// A node's configuration: dbt's keys (`materialized`, `unique_key`, `schema`, ...) as data.
/// Typed accessors live in `NodeConfig+Accessors.swift`.
public typealias NodeConfig = [String: JSONValue]

/// A column as declared in a property file.
public struct ColumnInfo: Codable, Sendable, Hashable {
    public var name: String
    public var description: String
    public var meta: [String: JSONValue]
    public var dataType: String?
    public var tags: [String]
    public var quote: Bool?
    /// Position in the property file (0-based), to keep declared order.
    public var index: Int

    public init(
        name: String, description: String = "", meta: [String: JSONValue] = [:], dataType: String? = nil,
        tags: [String] = [], quote: Bool? = nil, index: Int = 0
    ) {
        self.name = name
        self.description = description
        self.meta = meta
        self.dataType = dataType
        self.tags = tags
        self.quote = quote
        self.index = index
    }

    /// `meta.pii`: direct, indirect, sensitive or none.
    public var pii: String? { meta["pii"]?.stringValue }

    enum CodingKeys: String, CodingKey {
        case name, description, meta, tags, quote, index
        case dataType = "data_type"
    }
}

public struct DependsOn: Codable, Sendable, Hashable {
    public var nodes: [String]
    public var macros: [String]
    public init(nodes: [String] = [], macros: [String] = []) {
        self.nodes = nodes
        self.macros = macros
    }

    enum CodingKeys: String, CodingKey { case nodes, macros }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nodes = try container.decodeIfPresent([String].self, forKey: .nodes) ?? []
        macros = try container.decodeIfPresent([String].self, forKey: .macros) ?? []
    }

    /// `nodes` only when there are some: dbt's seed nodes allow `macros` alone.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(macros, forKey: .macros)
        if !nodes.isEmpty { try container.encode(nodes, forKey: .nodes) }
    }
}

/// `ref('name')`, `ref('package', 'name')`, as recorded in dbt's manifest.
public struct RefCall: Codable, Sendable, Hashable {
    public var name: String
    public var package: String?
    public var version: String?
    public init(name: String, package: String? = nil, version: String? = nil) {
        self.name = name
        self.package = package
        self.version = version
    }
}

/// What a generic test node was made from (`unique`, `not_null`, ... with its arguments).
public struct TestMetadata: Codable, Sendable, Hashable {
    public var name: String
    public var kwargs: [String: JSONValue]
    public var namespace: String?
    public init(name: String, kwargs: [String: JSONValue], namespace: String? = nil) {
        self.name = name
        self.kwargs = kwargs
        self.namespace = namespace
    }
}

public struct FileChecksum: Codable, Sendable, Hashable {
    public var name: String
    public var checksum: String
    public init(name: String = "sha256", checksum: String) {
        self.name = name
        self.checksum = checksum
    }
}

/// A model, seed, test, analysis or unit test.
///
/// A value type whose fields live in one shared, copy-on-write box: nodes are copied in and out
/// of dictionaries and closures all through a compile, and copying thirty fields meant thirty
/// reference-count updates each time; now it is one. Mutation copies the box only when shared.
public struct ManifestNode: Codable, Sendable {
    /// The stored fields, encoded with dbt's key names.
    struct Fields: Codable, Sendable {
        var uniqueId: String
        var resourceType: ResourceType
        var name: String
        var packageName: String
        var path: String
        var originalFilePath: String
        var fqn: [String]
        var database: String?
        var schema: String
        var alias: String
        var relationName: String?
        var rawCode: String
        var compiledCode: String?
        /// Nil for seeds: dbt's seed nodes have no `language`, `refs` or `sources`.
        var language: String?
        var config: NodeConfig
        var tags: [String]
        var description: String
        var meta: [String: JSONValue]
        var columns: [String: ColumnInfo]
        var dependsOn: DependsOn
        var refs: [RefCall]?
        var sources: [[String]]?
        var checksum: FileChecksum
        var patchPath: String?
        var testMetadata: TestMetadata?
        var columnName: String?
        var attachedNode: String?
        /// Not in manifest.json: dbt's node schemas allow no such key.
        var declaredAt: SourceLocation? = nil
        /// Unit tests: their fixtures, written in the manifest's `unit_tests` map.
        var unitTestFixtures: UnitTestFixtures? = nil
        /// A versioned model's `v` and its model's latest version (nil for others).
        var version: JSONValue? = nil
        var latestVersion: JSONValue? = nil
        /// `config.materialized` parsed (not encoded: the configuration holds dbt's string); kept in
        /// step with `config` by `ManifestNode`'s accessors.
        var materialization: MaterializationKind? = .view

        enum CodingKeys: String, CodingKey {
            case name, path, fqn, database, schema, alias, language, config, tags, description, meta, columns
            case refs, sources, checksum
            case uniqueId = "unique_id"
            case resourceType = "resource_type"
            case packageName = "package_name"
            case originalFilePath = "original_file_path"
            case relationName = "relation_name"
            case rawCode = "raw_code"
            case compiledCode = "compiled_code"
            case dependsOn = "depends_on"
            case patchPath = "patch_path"
            case testMetadata = "test_metadata"
            case columnName = "column_name"
            case attachedNode = "attached_node"
            case version
            case latestVersion = "latest_version"
        }
    }

    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// The box, copied first if another value shares it.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    public var uniqueId: String {
        get { box.fields.uniqueId }
        _modify { yield &unique().fields.uniqueId }
    }
    public var resourceType: ResourceType {
        get { box.fields.resourceType }
        _modify { yield &unique().fields.resourceType }
    }
    public var name: String {
        get { box.fields.name }
        _modify { yield &unique().fields.name }
    }
    public var packageName: String {
        get { box.fields.packageName }
        _modify { yield &unique().fields.packageName }
    }
    /// Path relative to its resource folder (for example `staging/stg_orders.sql`).
    public var path: String {
        get { box.fields.path }
        _modify { yield &unique().fields.path }
    }
    /// Path relative to the project root (for example `models/staging/stg_orders.sql`).
    public var originalFilePath: String {
        get { box.fields.originalFilePath }
        _modify { yield &unique().fields.originalFilePath }
    }
    public var fqn: [String] {
        get { box.fields.fqn }
        _modify { yield &unique().fields.fqn }
    }
    public var database: String? {
        get { box.fields.database }
        _modify { yield &unique().fields.database }
    }
    public var schema: String {
        get { box.fields.schema }
        _modify { yield &unique().fields.schema }
    }
    public var alias: String {
        get { box.fields.alias }
        _modify { yield &unique().fields.alias }
    }
    /// `"schema"."alias"` (nil for ephemeral models and tests).
    public var relationName: String? {
        get { box.fields.relationName }
        _modify { yield &unique().fields.relationName }
    }
    public var rawCode: String {
        get { box.fields.rawCode }
        _modify { yield &unique().fields.rawCode }
    }
    public var compiledCode: String? {
        get { box.fields.compiledCode }
        _modify { yield &unique().fields.compiledCode }
    }
    public var language: String {
        get { box.fields.language ?? "sql" }
        set { unique().fields.language = newValue }
    }
    /// The node's configuration; setting it parses `materialized` again into `materialization`.
    public var config: NodeConfig {
        get { box.fields.config }
        _modify {
            let storage = unique()
            yield &storage.fields.config
            storage.fields.materialization = MaterializationKind(config: storage.fields.config)
        }
    }
    /// What the node is built as, parsed from `config.materialized` whenever the configuration is
    /// set (`view` when it names none); nil when it names a materialization sqlt does not know,
    /// which the compiler reports for models.
    public var materialization: MaterializationKind? { box.fields.materialization }
    public var tags: [String] {
        get { box.fields.tags }
        _modify { yield &unique().fields.tags }
    }
    public var description: String {
        get { box.fields.description }
        _modify { yield &unique().fields.description }
    }
    public var meta: [String: JSONValue] {
        get { box.fields.meta }
        _modify { yield &unique().fields.meta }
    }
    public var columns: [String: ColumnInfo] {
        get { box.fields.columns }
        _modify { yield &unique().fields.columns }
    }
    public var dependsOn: DependsOn {
        get { box.fields.dependsOn }
        _modify { yield &unique().fields.dependsOn }
    }
    public var refs: [RefCall] {
        get { box.fields.refs ?? [] }
        set { unique().fields.refs = newValue }
    }
    /// `[source_name, table_name]` pairs.
    public var sources: [[String]] {
        get { box.fields.sources ?? [] }
        set { unique().fields.sources = newValue }
    }
    public var checksum: FileChecksum {
        get { box.fields.checksum }
        _modify { yield &unique().fields.checksum }
    }
    /// The property file that described this node, if any.
    public var patchPath: String? {
        get { box.fields.patchPath }
        _modify { yield &unique().fields.patchPath }
    }
    /// A versioned model's version (`v:` as written), nil for others.
    public var version: JSONValue? {
        get { box.fields.version }
        _modify { yield &unique().fields.version }
    }
    /// The latest version of a versioned model, nil for others.
    public var latestVersion: JSONValue? {
        get { box.fields.latestVersion }
        _modify { yield &unique().fields.latestVersion }
    }
    /// Generic tests: which test and with which arguments.
    public var testMetadata: TestMetadata? {
        get { box.fields.testMetadata }
        _modify { yield &unique().fields.testMetadata }
    }
    public var columnName: String? {
        get { box.fields.columnName }
        _modify { yield &unique().fields.columnName }
    }
    /// Tests: the node they test.
    public var attachedNode: String? {
        get { box.fields.attachedNode }
        _modify { yield &unique().fields.attachedNode }
    }
    /// Unit tests: the model, `given` and `expect` of the property file.
    public var unitTestFixtures: UnitTestFixtures? {
        get { box.fields.unitTestFixtures }
        set { unique().fields.unitTestFixtures = newValue }
    }
    /// Where the node is declared (for tests declared in property files, their YAML line).
    public var declaredAt: SourceLocation? {
        get { box.fields.declaredAt }
        _modify { yield &unique().fields.declaredAt }
    }

    public init(
        uniqueId: String, resourceType: ResourceType, name: String, packageName: String, path: String,
        originalFilePath: String, fqn: [String], database: String? = nil, schema: String, alias: String,
        relationName: String? = nil, rawCode: String, compiledCode: String? = nil, language: String = "sql",
        config: NodeConfig = [:], tags: [String] = [], description: String = "", meta: [String: JSONValue] = [:],
        columns: [String: ColumnInfo] = [:], dependsOn: DependsOn = DependsOn(), refs: [RefCall] = [],
        sources: [[String]] = [], checksum: FileChecksum = FileChecksum(checksum: ""), patchPath: String? = nil,
        testMetadata: TestMetadata? = nil, columnName: String? = nil, attachedNode: String? = nil,
        declaredAt: SourceLocation? = nil
    ) {
        let seed = resourceType == .seed
        box = Box(
            Fields(
                uniqueId: uniqueId, resourceType: resourceType, name: name, packageName: packageName, path: path,
                originalFilePath: originalFilePath, fqn: fqn, database: database, schema: schema, alias: alias,
                relationName: relationName, rawCode: rawCode, compiledCode: compiledCode,
                language: seed ? nil : language, config: config, tags: tags, description: description, meta: meta,
                columns: columns, dependsOn: dependsOn, refs: seed && refs.isEmpty ? nil : refs,
                sources: seed && sources.isEmpty ? nil : sources, checksum: checksum, patchPath: patchPath,
                testMetadata: testMetadata, columnName: columnName, attachedNode: attachedNode, declaredAt: declaredAt,
                materialization: MaterializationKind(config: config)))
    }

    public init(from decoder: any Decoder) throws {
        var fields = try Fields(from: decoder)
        fields.materialization = MaterializationKind(config: fields.config)
        box = Box(fields)
    }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    /// Columns in the order the property file declares them.
    public var orderedColumns: [ColumnInfo] { columns.values.sorted { ($0.index, $0.name) < ($1.index, $1.name) } }
}

extension ColumnInfo {
    /// The column as its generic tests receive it (`column_name`): double-quoted when the property
    /// file says `quote: true` (names with spaces, accents or capitals, as dbt does), else as written.
    public var testedName: String { quote == true ? quoteIdentifier(name) : name }
}
