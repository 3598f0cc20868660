import Foundation

/// Writes `manifest.json` byte for byte as `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`
/// would, without its boxing: keys in UTF-8 byte order, nil optionals left out, nodes on every core.
public struct ManifestJSONWriter {
    private var out: [UInt8] = []
    /// Where full buffers go when writing to a file; nil when encoding in memory.
    private var flush: ((inout [UInt8]) throws -> Void)?

    /// The JSON text of a manifest; throws only for a non-finite number in a config or var.
    public static func encode(_ manifest: Manifest) throws -> Data {
        var writer = ManifestJSONWriter()
        let nodes = encodedNodes(manifest)
        writer.out.reserveCapacity(
            nodes.chunks.reduce(1 << 16) { total, node in total + ((try? node.get().count) ?? 0) + 64 })
        try writer.manifest(manifest, nodes)
        return Data(writer.out)
    }

    /// Writes the manifest to a file atomically (a temporary file beside it, then rename), streaming
    /// it rather than assembling the whole text in memory first: tens of megabytes on large projects.
    public static func write(_ manifest: Manifest, toFile path: String) throws {
        let nodes = encodedNodes(manifest)
        try AtomicFile.write(toFile: path) { file in
            var writer = ManifestJSONWriter()
            writer.out.reserveCapacity(1 << 20)
            writer.flush = { [file] bytes in
                try file.append(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
            try writer.manifest(manifest, nodes)
            try file.append(writer.out)
        }
    }

    /// Every node's JSON, encoded on every core, in unique-id order.
    private static func encodedNodes(_ manifest: Manifest) -> EncodedNodes {
        // The graph maps hold every node (and source): sort their keys once and pick the nodes out.
        let childMap = manifest.childMap, nodes = manifest.nodes
        let graphIds: [String]
        if let given = manifest.sortedGraphIds, given.count == childMap.count,
            given.allSatisfy({ childMap[$0] != nil }),
            zip(given, given.dropFirst()).allSatisfy({ utf8Precedes($0, $1) })
        {
            graphIds = given
        } else {
            graphIds = sortedKeys(childMap)
        }
        let nodeIds =
            (nodes.count <= childMap.count && nodes.keys.allSatisfy({ childMap[$0] != nil })
            ? graphIds.filter { nodes[$0] != nil } : sortedKeys(nodes)).filter { nodes[$0]!.resourceType != .unitTest }
        let chunks: [Result<[UInt8], any Error>] = parallelMap(nodeIds) { id in
            var writer = ManifestJSONWriter()
            writer.out.reserveCapacity(2048)
            return Result {
                try writer.node(manifest.nodes[id]!); return writer.out
            }
        }
        let parentMap = manifest.parentMap
        let parentKeysMatch = parentMap.count == childMap.count && parentMap.keys.allSatisfy { childMap[$0] != nil }
        return EncodedNodes(
            ids: nodeIds, chunks: chunks, graphIds: graphIds, childMapBody: mapBody(childMap, keys: graphIds),
            parentMapBody: parentKeysMatch ? mapBody(parentMap, keys: graphIds) : nil)
    }

    /// The members of a `{"id": [...], ...}` object over `keys` (sorted, every one present), built
    /// in slices on every core: `child_map` and `parent_map` have an entry per node.
    private static func mapBody(_ map: [String: [String]], keys: [String]) -> [UInt8] {
        let slices = stride(from: 0, to: keys.count, by: 2048).map { $0..<min($0 + 2048, keys.count) }
        let parts: [[UInt8]] = parallelMap(slices, minimumCount: 2) { slice in
            var writer = ManifestJSONWriter()
            for index in slice {
                if index > 0 { writer.byte(0x2C) }
                writer.string(keys[index]); writer.byte(0x3A); writer.stringArray(map[keys[index]] ?? [])
            }
            return writer.out
        }
        var body: [UInt8] = []
        body.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { body += part }
        return body
    }

    private struct EncodedNodes {
        var ids: [String]
        var chunks: [Result<[UInt8], any Error>]
        /// The keys of `child_map`, sorted.
        var graphIds: [String]
        /// The members of `child_map`, and of `parent_map` when it has the same keys.
        var childMapBody: [UInt8]
        var parentMapBody: [UInt8]?
    }

    /// Any JSON value, compact, keys sorted as `JSONEncoder`'s `.sortedKeys` sorts them (used for
    /// OpenLineage events: tens of thousands per large run).
    public static func encode(json value: JSONValue) throws -> Data {
        var writer = ManifestJSONWriter()
        writer.out.reserveCapacity(4096)
        try writer.json(value)
        return Data(writer.out)
    }

    static func sortedKeys<V>(_ dictionary: [String: V]) -> [String] {
        dictionary.keys.sorted(by: utf8Precedes)
    }

    /// UTF-8 byte order (JSONEncoder's `.sortedKeys`), compared with memcmp rather than byte by byte.
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    // MARK: Manifest types

    private mutating func manifest(_ m: Manifest, _ encoded: EncodedNodes) throws {
        let nodeIds = encoded.ids, nodes = encoded.chunks
        byte(0x7B)
        key("child_map", first: true); byte(0x7B); out += encoded.childMapBody; byte(0x7D)
        key("disabled"); try map(m.disabled) { w, list in try w.array(list) { try $0.node($1) } }
        key("docs"); map(m.docs) { $0.doc($1) }
        key("exposures"); emptyObject()
        key("group_map"); emptyObject()
        key("groups"); emptyObject()
        key("macros"); map(m.macros) { $0.macro($1) }
        key("metadata"); metadata(m.metadata)
        key("metrics"); emptyObject()
        key("nodes")
        byte(0x7B)
        for (index, id) in nodeIds.enumerated() {
            if index > 0 { byte(0x2C) }
            string(id); byte(0x3A)
            out += try nodes[index].get()
            if let flush, out.count >= 1 << 20 { try flush(&out) }
        }
        byte(0x7D)
        key("parent_map")
        if let body = encoded.parentMapBody {
            byte(0x7B); out += body; byte(0x7D)
        } else {
            map(m.parentMap) { $0.stringArray($1) }
        }
        key("saved_queries"); emptyObject()
        key("selectors"); emptyObject()
        key("semantic_models"); emptyObject()
        key("sources"); try map(m.sources) { try $0.source($1) }
        key("unit_tests")
        let encoder = JSONEncoder.artifacts()
        let entries = m.unitTestEntries
        byte(0x7B)
        for (index, id) in Self.sortedKeys(entries).enumerated() {
            if index > 0 { byte(0x2C) }
            string(id); byte(0x3A)
            out += try encoder.encode(entries[id]!)
        }
        byte(0x7D)
        byte(0x7D)
    }

    private mutating func emptyObject() { byte(0x7B); byte(0x7D) }

    private mutating func metadata(_ m: ManifestMetadata) {
        byte(0x7B)
        key("adapter_type", first: true); string(m.adapterType)
        key("dbt_schema_version"); string(m.dbtSchemaVersion)
        key("dbt_version"); string(m.sqltVersion)
        key("env"); map(m.env) { $0.string($1) }
        key("generated_at"); string(m.generatedAt)
        key("invocation_id"); string(m.invocationId)
        key("project_name"); string(m.projectName)
        byte(0x7D)
    }

    private mutating func node(_ n: ManifestNode) throws {
        byte(0x7B)
        key("alias", first: true); string(n.alias)
        if let v = n.attachedNode { key("attached_node"); string(v) }
        key("checksum"); byte(0x7B); key("checksum", first: true); string(n.checksum.checksum)
        key("name"); string(n.checksum.name); byte(0x7D)
        if let v = n.columnName { key("column_name"); string(v) }
        key("columns"); try map(n.columns) { try $0.column($1) }
        if let v = n.compiledCode { key("compiled_code"); string(v) }
        key("config"); try object(n.config)
        if let v = n.database { key("database"); string(v) }
        key("depends_on"); byte(0x7B); key("macros", first: true); stringArray(n.dependsOn.macros)
        if !n.dependsOn.nodes.isEmpty { key("nodes"); stringArray(n.dependsOn.nodes) }
        byte(0x7D)
        key("description"); string(n.description)
        key("fqn"); stringArray(n.fqn)
        if n.resourceType != .seed || n.language != "sql" { key("language"); string(n.language) }
        if let v = n.latestVersion { key("latest_version"); try json(v) }
        key("meta"); try object(n.meta)
        key("name"); string(n.name)
        key("original_file_path"); string(n.originalFilePath)
        key("package_name"); string(n.packageName)
        if let v = n.patchPath { key("patch_path"); string(v) }
        key("path"); string(n.path)
        key("raw_code"); string(n.rawCode)
        if n.resourceType != .seed || !n.refs.isEmpty { key("refs"); array(n.refs) { $0.ref($1) } }
        if let v = n.relationName { key("relation_name"); string(v) }
        key("resource_type"); string(n.resourceType.rawValue)
        key("schema"); string(n.schema)
        if n.resourceType != .seed || !n.sources.isEmpty { key("sources"); array(n.sources) { $0.stringArray($1) } }
        key("tags"); stringArray(n.tags)
        if let t = n.testMetadata {
            key("test_metadata"); byte(0x7B)
            key("kwargs", first: true); try object(t.kwargs)
            key("name"); string(t.name)
            if let v = t.namespace { key("namespace"); string(v) }
            byte(0x7D)
        }
        key("unique_id"); string(n.uniqueId)
        if let v = n.version { key("version"); try json(v) }
        byte(0x7D)
    }

    private mutating func source(_ s: SourceDefinition) throws {
        byte(0x7B)
        key("columns", first: true); try map(s.columns) { try $0.column($1) }
        key("config"); try object(s.config)
        key("database"); if let v = s.database { string(v) } else { null() }
        key("description"); string(s.description)
        key("fqn"); stringArray(s.fqn)
        if let v = s.freshness { key("freshness"); try json(v) }
        key("identifier"); string(s.identifier)
        if let v = s.loadedAtField { key("loaded_at_field"); string(v) }
        key("loader"); string("")
        key("meta"); try object(s.meta)
        key("name"); string(s.name)
        key("original_file_path"); string(s.originalFilePath)
        key("package_name"); string(s.packageName)
        key("path"); string(s.originalFilePath)
        key("relation_name"); string(s.relationName)
        key("resource_type"); string(s.resourceType.rawValue)
        key("schema"); string(s.schema)
        key("source_description"); string(s.sourceDescription)
        key("source_meta"); try object(s.sourceMeta)
        key("source_name"); string(s.sourceName)
        key("tags"); stringArray(s.tags)
        key("unique_id"); string(s.uniqueId)
        byte(0x7D)
    }

    private mutating func macro(_ m: MacroDefinition) {
        byte(0x7B)
        key("arguments", first: true);
        array(m.arguments) { w, name in
            w.byte(0x7B); w.key("description", first: true); w.string(""); w.key("name"); w.string(name); w.key("type");
            w.null(); w.byte(0x7D)
        }
        key("macro_sql"); string(m.macroSql)
        key("name"); string(m.name)
        key("original_file_path"); string(m.originalFilePath)
        key("package_name"); string(m.packageName)
        key("path"); string(m.originalFilePath)
        key("resource_type"); string(m.resourceType.rawValue)
        key("unique_id"); string(m.uniqueId)
        byte(0x7D)
    }

    private mutating func doc(_ d: DocDefinition) {
        byte(0x7B)
        key("block_contents", first: true); string(d.blockContents)
        key("name"); string(d.name)
        key("original_file_path"); string(d.originalFilePath)
        key("package_name"); string(d.packageName)
        key("unique_id"); string(d.uniqueId)
        byte(0x7D)
    }

    private mutating func column(_ c: ColumnInfo) throws {
        byte(0x7B)
        var first = true
        if let v = c.dataType { key("data_type", first: true); string(v); first = false }
        key("description", first: first); string(c.description)
        key("index"); integer(c.index)
        key("meta"); try object(c.meta)
        key("name"); string(c.name)
        if let v = c.quote { key("quote"); boolean(v) }
        key("tags"); stringArray(c.tags)
        byte(0x7D)
    }

    private mutating func ref(_ r: RefCall) {
        byte(0x7B)
        key("name", first: true); string(r.name)
        if let v = r.package { key("package"); string(v) }
        if let v = r.version { key("version"); string(v) }
        byte(0x7D)
    }

    private mutating func location(_ l: SourceLocation) {
        byte(0x7B)
        key("column", first: true); integer(l.column)
        key("file"); string(l.file)
        key("line"); integer(l.line)
        byte(0x7D)
    }

    // MARK: JSON values

    private mutating func json(_ value: JSONValue) throws {
        switch value {
        case .null: bytes("null")
        case .bool(let b): boolean(b)
        case .int(let i): integer(i)
        case .double(let d):
            // Rare in manifests; Foundation's spelling of doubles (`1e+20`, `1` for 1.0) is kept exactly.
            out += try JSONEncoder().encode(d)
        case .string(let s): string(s)
        case .array(let items): try array(items) { try $0.json($1) }
        case .object(let object): try self.object(object)
        }
    }

    private mutating func object(_ object: [String: JSONValue]) throws {
        try map(object) { try $0.json($1) }
    }

    /// An object with its keys sorted.
    private mutating func map<V>(
        _ dictionary: [String: V], _ value: (inout ManifestJSONWriter, V) throws -> Void
    ) rethrows {
        byte(0x7B)
        if dictionary.count == 1, let (k, v) = dictionary.first {
            string(k); byte(0x3A); try value(&self, v)
        } else if !dictionary.isEmpty {
            for (index, k) in Self.sortedKeys(dictionary).enumerated() {
                if index > 0 { byte(0x2C) }
                string(k); byte(0x3A)
                try value(&self, dictionary[k]!)
            }
        }
        byte(0x7D)
    }

    private mutating func array<V>(_ items: [V], _ value: (inout ManifestJSONWriter, V) throws -> Void) rethrows {
        byte(0x5B)
        for (index, item) in items.enumerated() {
            if index > 0 { byte(0x2C) }
            try value(&self, item)
        }
        byte(0x5D)
    }

    private mutating func stringArray(_ items: [String]) {
        byte(0x5B)
        for (index, item) in items.enumerated() {
            if index > 0 { byte(0x2C) }
            string(item)
        }
        byte(0x5D)
    }

    // MARK: Scalars

    private mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { byte(0x2C) }
        byte(0x22)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        byte(0x22); byte(0x3A)
    }

    private mutating func byte(_ b: UInt8) { out.append(b) }
    private mutating func null() { bytes("null") }
    private mutating func bytes(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
    private mutating func boolean(_ b: Bool) { b ? bytes("true") : bytes("false") }
    private mutating func integer(_ i: Int) { out.append(contentsOf: String(i).utf8) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Foundation's escaping: `"` `\` and control characters; `/` and non-ASCII as they are.
    private mutating func string(_ s: String) {
        byte(0x22)
        var s = s
        s.withUTF8 { buffer in
            var start = 0
            for index in 0..<buffer.count {
                let c = buffer[index]
                guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index])) }
                start = index + 1
                out.append(0x5C)
                switch c {
                case 0x22, 0x5C: out.append(c)
                case 0x08: out.append(0x62)
                case 0x09: out.append(0x74)
                case 0x0A: out.append(0x6E)
                case 0x0C: out.append(0x66)
                case 0x0D: out.append(0x72)
                default: out.append(contentsOf: [0x75, 0x30, 0x30, Self.hex[Int(c >> 4)], Self.hex[Int(c & 0xF)]])
                }
            }
            if start < buffer.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
        }
        byte(0x22)
    }
}
