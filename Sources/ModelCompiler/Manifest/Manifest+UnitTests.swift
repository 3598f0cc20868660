import Foundation

/// A unit test's fixtures as its property file gives them, kept on its node so `manifest.json`
/// can list it in dbt's `unit_tests` map (dbt's nodes have no unit-test type).
public struct UnitTestFixtures: Sendable, Hashable {
    public var model: String
    public var given: [UnitTestInput]
    public var expect: UnitTestRows
    public var overrides: JSONValue?

    public init(model: String, given: [UnitTestInput], expect: UnitTestRows, overrides: JSONValue? = nil) {
        self.model = model
        self.given = given
        self.expect = expect
        self.overrides = overrides
    }
}

/// One entry of manifest v12's `unit_tests` map (dbt's `UnitTestDefinition`), made from a unit
/// test node and read back into one.
struct UnitTestEntry: Codable {
    struct Fixture: Codable {
        var input: String?
        var rows: JSONValue
        var format: String
        var fixture: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: ManifestKey.self)
            try container.encode(fixture, forKey: ManifestKey("fixture"))
            try container.encode(format, forKey: ManifestKey("format"))
            try container.encodeIfPresent(input, forKey: ManifestKey("input"))
            try container.encode(rows, forKey: ManifestKey("rows"))
        }
    }

    var uniqueId: String
    var name: String
    var model: String
    var packageName: String
    var path: String
    var originalFilePath: String
    var fqn: [String]
    var schema: String?
    var description: String
    var config: NodeConfig
    var dependsOn: DependsOn
    var checksum: String?
    var given: [Fixture]
    var expect: Fixture
    var overrides: JSONValue?
    var resourceType: ResourceType = .unitTest

    enum CodingKeys: String, CodingKey {
        case name, model, path, fqn, schema, description, config, checksum, given, expect, overrides
        case uniqueId = "unique_id"
        case packageName = "package_name"
        case originalFilePath = "original_file_path"
        case dependsOn = "depends_on"
        case resourceType = "resource_type"
    }

    init(_ node: ManifestNode) {
        let fixtures = node.unitTestFixtures
        uniqueId = node.uniqueId
        name = node.name
        model = fixtures?.model ?? node.attachedNode.flatMap { $0.split(separator: ".").last.map(String.init) } ?? ""
        packageName = node.packageName
        path = node.path
        originalFilePath = node.originalFilePath
        fqn = node.fqn
        schema = node.schema
        description = node.description
        config = node.config
        dependsOn = node.dependsOn
        checksum = node.checksum.checksum
        given =
            fixtures?.given.map {
                Fixture(input: $0.input, rows: $0.rows.rows, format: $0.rows.format, fixture: $0.rows.fixture)
            } ?? []
        expect =
            fixtures.map {
                Fixture(input: nil, rows: $0.expect.rows, format: $0.expect.format, fixture: $0.expect.fixture)
            }
            ?? Fixture(input: nil, rows: .array([]), format: "dict", fixture: nil)
        overrides = fixtures?.overrides
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(checksum, forKey: .checksum)
        try container.encode(config, forKey: .config)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encode(description, forKey: .description)
        try container.encode(expect, forKey: .expect)
        try container.encode(fqn, forKey: .fqn)
        try container.encode(given, forKey: .given)
        try container.encode(model, forKey: .model)
        try container.encode(name, forKey: .name)
        try container.encode(originalFilePath, forKey: .originalFilePath)
        try container.encodeIfPresent(overrides, forKey: .overrides)
        try container.encode(packageName, forKey: .packageName)
        try container.encode(path, forKey: .path)
        try container.encode(resourceType, forKey: .resourceType)
        try container.encode(schema, forKey: .schema)
        try container.encode(uniqueId, forKey: .uniqueId)
    }

    /// The node again; the model's raw code and database come from the model in `nodes`.
    func node(models nodes: [String: ManifestNode]) -> ManifestNode {
        let modelId = "model.\(packageName).\(model)"
        let attached = nodes[modelId] ?? nodes.values.first { $0.resourceType == .model && $0.name == model }
        var node = ManifestNode(
            uniqueId: uniqueId, resourceType: .unitTest, name: name, packageName: packageName, path: path,
            originalFilePath: originalFilePath, fqn: fqn, database: attached?.database, schema: schema ?? "",
            alias: name,
            rawCode: attached?.rawCode ?? "", config: config, description: description, dependsOn: dependsOn,
            checksum: FileChecksum(checksum: checksum ?? ""), attachedNode: attached?.uniqueId ?? modelId)
        node.tags = config.configTags
        node.unitTestFixtures = UnitTestFixtures(
            model: model,
            given: given.map {
                UnitTestInput(
                    input: $0.input ?? "", rows: UnitTestRows(format: $0.format, rows: $0.rows, fixture: $0.fixture))
            },
            expect: UnitTestRows(format: expect.format, rows: expect.rows, fixture: expect.fixture),
            overrides: overrides)
        return node
    }
}

extension Manifest {
    /// The unit tests in dbt's `unit_tests` shape, by unique id.
    var unitTestEntries: [String: UnitTestEntry] {
        var entries: [String: UnitTestEntry] = [:]
        for (id, node) in nodes where node.resourceType == .unitTest { entries[id] = UnitTestEntry(node) }
        return entries
    }

    /// Gives unit tests read from `unit_tests` their model's id, raw code and database once the
    /// models are in `nodes` (the `--state` reader decodes nodes apart).
    public mutating func attachUnitTestsToModels() {
        for (id, node) in nodes where node.resourceType == .unitTest && node.rawCode.isEmpty {
            guard let model = node.unitTestFixtures?.model,
                let attached = nodes["model.\(node.packageName).\(model)"]
                    ?? nodes.values.first(where: { $0.resourceType == .model && $0.name == model })
            else { continue }
            var fixed = node
            fixed.rawCode = attached.rawCode
            fixed.database = attached.database
            fixed.attachedNode = attached.uniqueId
            nodes[id] = fixed
        }
    }

    /// Nodes without the unit tests (which go to `unit_tests`).
    var nodesWithoutUnitTests: [String: ManifestNode] { nodes.filter { $0.value.resourceType != .unitTest } }
}
