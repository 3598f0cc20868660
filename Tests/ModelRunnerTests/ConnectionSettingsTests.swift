import ModelCompiler
import ModelRunner
import Testing

@Suite("ConnectionSettings URLs")
struct ConnectionSettingsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var expected: ConnectionSettings
        var testDescription: String { url }
    }

    static let cases: [Case] = [
        Case(
            url: "postgresql://alice:secret@db.example.com:5433/warehouse",
            expected: ConnectionSettings(
                host: "db.example.com", port: 5433, user: "alice", password: "secret", dbname: "warehouse", origin: "t")
        ),
        Case(
            url: "postgres://bob@localhost/analytics?sslmode=require&schema=staging",
            expected: ConnectionSettings(
                host: "localhost", user: "bob", dbname: "analytics", schema: "staging", sslmode: "require", origin: "t")
        ),
        Case(
            url: "postgresql:///sqlt?host=/tmp/sock%20dir&port=5499",
            expected: ConnectionSettings(host: "/tmp/sock dir", port: 5499, dbname: "sqlt", origin: "t")),
        Case(
            url: "postgresql://us%40er:p%3Ass%2Fw%40rd@%2Fvar%2Frun%2Fpostgresql/db",
            expected: ConnectionSettings(
                host: "/var/run/postgresql", user: "us@er", password: "p:ss/w@rd", dbname: "db", origin: "t")),
        Case(
            url: "postgresql://[::1]:6000/x?options=-c%20work_mem%3D64MB&connect_timeout=5&statement_timeout=1000",
            expected: ConnectionSettings(
                host: "::1", port: 6000, dbname: "x", connectTimeout: 5, statementTimeout: 1000,
                options: "-c work_mem=64MB", origin: "t")),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) throws {
        let settings = try ConnectionSettings(url: testCase.url, origin: "t")
        #expect(settings == testCase.expected)
        // Printing and parsing again gives the same settings.
        #expect(try ConnectionSettings(url: settings.url(), origin: "t") == settings)
    }

    @Test func masksThePassword() throws {
        let settings = try ConnectionSettings(url: "postgresql://alice:s3cret@db:5432/w", origin: "t")
        #expect(settings.maskedDescription == "postgresql://alice:****@db:5432/w")
        #expect(!settings.maskedDescription.contains("s3cret"))
        let socket = ConnectionSettings(host: "/tmp/x", port: 5432, user: "postgres", dbname: "sqlt")
        #expect(socket.maskedDescription == "postgresql://postgres@:5432/sqlt?host=/tmp/x")
    }

    @Test(arguments: ["mysql://a@b/c", "postgresql://a@b:notaport/c", "postgresql://a@b/c?bogus=1"])
    func rejects(_ url: String) {
        #expect(throws: Diagnostic.self) { try ConnectionSettings(url: url, origin: "t") }
    }

    @Test(arguments: ["postgresql://alice:UrlPw-s3cret%ZZ@db/w", "postgresql://alice@db/w?password=UrlPw-s3cret%ZZ"])
    func aBadPasswordIsNeverEchoed(_ url: String) throws {
        do {
            _ = try ConnectionSettings(url: url, origin: "t")
            Issue.record("parsed")
        } catch {
            #expect(error.message == "invalid percent-encoding in the password")
            #expect(!"\(error)".contains("UrlPw"), "\(error)")
        }
    }

    @Test func libpqParametersCarryApplicationNameAndStatementTimeout() {
        let settings = ConnectionSettings(
            host: "h", user: "u", password: "p", statementTimeout: 250, options: "-c work_mem=1MB")
        let parameters = Dictionary(uniqueKeysWithValues: settings.libpqParameters.map { ($0.keyword, $0.value) })
        #expect(parameters["application_name"] == "sqlt")
        #expect(parameters["options"] == "-c work_mem=1MB -c statement_timeout=250")
        #expect(parameters["password"] == "p")
        #expect(parameters["port"] == nil)
    }
}
