/// Unit test rows given by `fixture: name`: the file `<test path>/fixtures/**/name.csv` (format
/// csv) or `name.sql` (format sql), as dbt reads them.
extension PropertyFile {
    /// The file's unit tests with every `fixture:` replaced by that file's text; an unknown fixture
    /// is an error at the unit test.
    mutating func loadFixtures(from fs: any ProjectFileSystem, testPaths: [String]) {
        guard unitTests.contains(where: { $0.expect.fixture != nil || $0.given.contains { $0.rows.fixture != nil } })
        else { return }
        let candidates = testPaths.flatMap { fs.files(under: "\($0)/fixtures", extensions: ["csv", "sql"]) }
        func load(_ rows: inout UnitTestRows, at location: SourceLocation) {
            guard let name = rows.fixture else { return }
            let ext = rows.format == "sql" ? "sql" : "csv"
            guard let path = candidates.first(where: { $0.hasSuffix("/\(name).\(ext)") }), let text = try? fs.read(path)
            else {
                errors.append(
                    .error(
                        "unit-test.fixture",
                        "unknown fixture '\(name)' (no \(name).\(ext) under the fixtures folder of a test path)",
                        at: location))
                return
            }
            rows.rows = .string(text)
            if rows.format == "dict" { rows.format = "csv" }
        }
        for index in unitTests.indices {
            let location = unitTests[index].location
            load(&unitTests[index].expect, at: location)
            for input in unitTests[index].given.indices { load(&unitTests[index].given[input].rows, at: location) }
        }
    }
}
