import Foundation
import ModelCompiler

/// Checks, before a run changes anything, that every `column_types` type of the seeds it loads
/// names a type the server knows: PostgreSQL decides (`to_regtype`, which reads `numeric(10,2)`,
/// `varchar(20)[]`, schema-qualified and user-defined types as the column definition would),
/// and an unknown one is an error at the `file:line:col` of the property file or project file
/// where the type is written.
public enum SeedColumnTypeCheck {
    /// The diagnostics of every unknown type of `seeds`' `column_types` (empty when all are known).
    /// Connects with `connect` only when some seed has `column_types`.
    public static func unknownTypes(
        of seeds: [ManifestNode], projectRoot: URL, projectFile: String,
        connect: () throws -> PostgresConnection
    ) throws -> [Diagnostic] {
        var wanted: [(node: ManifestNode, column: String, type: String)] = []
        for node in seeds where node.resourceType == .seed {
            guard let configuration = try? SeedConfiguration(config: node.config, file: node.originalFilePath) else {
                continue  // a malformed config is the seed's own error when it runs
            }
            for (column, type) in configuration.columnTypes.sorted(by: { $0.key < $1.key }) {
                wanted.append((node, column, type))
            }
        }
        guard !wanted.isEmpty else { return [] }
        let connection = try connect()
        defer { connection.close() }
        let session: any DatabaseSession = connection
        var known: [String: String?] = [:]  // type to nil when known, else the reason
        for type in Set(wanted.map(\.type)) {
            let resolved: String?
            do {
                resolved = try session.execute("select to_regtype($1)::text", [type]).scalar
            } catch {
                // A type name that does not parse (`int int`, `varchar(`): the server's words.
                let state = error.sqlState ?? ""
                guard state.hasPrefix("42") || state.hasPrefix("22") else { throw error }
                known[type] = .some("'\(type)' is not a type: \(error.message)")
                continue
            }
            known[type] = resolved == nil ? .some("PostgreSQL knows no type '\(type)'") : .some(nil)
        }
        var files: [String: YAMLNode?] = [:]
        func yaml(_ path: String) -> YAMLNode? {
            if let cached = files[path] { return cached }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : projectRoot.appendingPathComponent(path)
            let node = FileManager.default.contents(atPath: url.path).flatMap {
                try? YAMLNode.parse(String(decoding: $0, as: UTF8.self), file: path)
            }
            files[path] = .some(node)
            return node
        }
        var diagnostics: [Diagnostic] = []
        for (node, column, type) in wanted {
            guard case .some(.some(let reason)) = known[type] else { continue }
            let location =
                node.patchPath.flatMap { path in
                    yaml(path).flatMap { propertyLocation(in: $0, seed: node.name, column: column) }
                }
                ?? yaml(projectFile).flatMap { projectLocation(in: $0, column: column, type: type) }
                ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
            diagnostics.append(
                Diagnostic.error(
                    "seed.column-type",
                    "unknown type in column_types of seed '\(node.name)', column '\(column)': \(reason)",
                    at: location, length: max(1, type.count),
                    hint:
                        "write a PostgreSQL type name, as in a column definition (integer, numeric(10,2), text, date...)"
                ))
        }
        return diagnostics.sorted {
            ($0.location?.file ?? "", $0.location?.line ?? 0) < ($1.location?.file ?? "", $1.location?.line ?? 0)
        }
    }

    /// Where `column`'s type is written in a property file: `seeds: [- name: seed, config: {column_types: {column: …}}]`.
    static func propertyLocation(in root: YAMLNode, seed: String, column: String) -> SourceLocation? {
        for item in root["seeds"]?.items ?? [] where item["name"]?.string == seed {
            for types in [item["config"]?["column_types"], item["column_types"]] {
                if let value = types?[column] { return value.location }
            }
        }
        return nil
    }

    /// Where `column: type` is written under `seeds:` of the project file (`column_types` or
    /// `+column_types` at any folder or seed level).
    static func projectLocation(in root: YAMLNode, column: String, type: String) -> SourceLocation? {
        func search(_ node: YAMLNode) -> SourceLocation? {
            for entry in node.entries ?? [] {
                if entry.key == "column_types" || entry.key == "+column_types", let value = entry.value[column],
                    value.string == type
                {
                    return value.location
                }
                if let found = search(entry.value) { return found }
            }
            return nil
        }
        return root["seeds"].flatMap(search)
    }
}
