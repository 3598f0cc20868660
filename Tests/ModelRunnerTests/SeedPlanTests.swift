import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

@Suite struct SeedPlanTests {
    static let scan = SeedFileScan(
        columns: ["Id", "name", "Born"], inferredTypes: ["integer", "text", "date"], rowCount: 2, dataStart: 13,
        dataEnd: 40, firstDataLine: 2)

    @Test func goldenLoadAndSwapOverExistingTable() {
        let configuration = SeedConfiguration(
            columnTypes: ["Id": "bigint"], postHooks: ["analyze \"analytics\".\"hr\""],
            grants: ["select": ["reporter"]],
            persistRelationDocs: true, persistColumnDocs: true)
        let plan = SeedLoadPlan(
            schema: "analytics", alias: "hr", runId: "A1B2-C3D4-E5F6", scan: Self.scan, configuration: configuration,
            existing: .table, relationComment: "HR export", columnComments: ["name": "it's the name", "gone": "x"])
        #expect(
            plan.script == """
                create schema if not exists "analytics";
                begin;
                create table "analytics"."hr__sqlt_tmp_a1b2c3d4" ("Id" bigint, "name" text, "Born" date);
                copy "analytics"."hr__sqlt_tmp_a1b2c3d4" ("Id", "name", "Born") from stdin with (format csv, delimiter ',', header false, null '', force_null ("Id", "name", "Born"), encoding 'UTF8');
                drop table if exists "analytics"."hr";
                alter table "analytics"."hr__sqlt_tmp_a1b2c3d4" rename to "hr";
                grant select on table "analytics"."hr" to "reporter";
                comment on table "analytics"."hr" is 'HR export';
                comment on column "analytics"."hr"."name" is 'it''s the name';
                analyze "analytics"."hr";
                commit;
                """)
    }

    @Test func goldenFirstLoadWithUnquotedColumnsAndSemicolon() {
        let configuration = SeedConfiguration(delimiter: UInt8(ascii: ";"), quoteColumns: false, preHooks: ["select 1"])
        let plan = SeedLoadPlan(
            schema: "s", alias: "x", runId: "r1", scan: Self.scan, configuration: configuration, existing: .none)
        #expect(
            plan.transactionStatements == [
                "begin", "select 1", #"create table "s"."x__sqlt_tmp_r1" ("id" integer, "name" text, "born" date)"#,
                #"copy "s"."x__sqlt_tmp_r1" ("id", "name", "born") from stdin with (format csv, delimiter ';', header false, null '', force_null ("id", "name", "born"), encoding 'UTF8')"#,
                #"alter table "s"."x__sqlt_tmp_r1" rename to "x""#, "commit",
            ])
    }

    @Test func replacesAViewAndKeepsNamesWithin63Bytes() {
        let alias = String(repeating: "a", count: 60)
        let plan = SeedLoadPlan(
            schema: "s", alias: alias, runId: "abcdefgh-1234", scan: Self.scan, configuration: .init(),
            existing: .view)
        #expect(plan.temporaryName.utf8.count == 63)
        #expect(plan.temporaryName.hasSuffix("__sqlt_tmp_abcdefgh"))
        #expect(plan.afterCopyStatements.first == #"drop view if exists "s"."\#(alias)""#)
    }

    @Test(arguments: [
        (["delimiter": "ab"] as NodeConfig, "delimiter must be one ASCII character other than a quote or a line end"),
        (["column_types": "int"] as NodeConfig, "column_types must map column names to types"),
        (["quote_columns": "maybe"] as NodeConfig, "quote_columns must be true or false"),
    ])
    func badConfiguration(config: NodeConfig, message: String) {
        #expect(
            throws: Diagnostic.error(
                "seed.config", message, at: SourceLocation(file: "seeds/x.csv", line: 1, column: 1))
        ) {
            try SeedConfiguration(config: config, file: "seeds/x.csv")
        }
    }

    @Test func readsConfiguration() throws {
        let configuration = try SeedConfiguration(
            config: [
                "column_types": ["a": "varchar(3)"], "delimiter": ";", "quote_columns": true,
                "grants": ["select": ["r1", "r2"]], "persist_docs": ["relation": true], "post-hook": ["select 2"],
            ], file: "seeds/x.csv")
        #expect(configuration.columnTypes == ["a": "varchar(3)"])
        #expect(configuration.delimiter == UInt8(ascii: ";"))
        #expect(configuration.quoteColumns == true)
        #expect(configuration.grants == ["select": ["r1", "r2"]])
        #expect(configuration.persistRelationDocs && !configuration.persistColumnDocs)
        #expect(configuration.postHooks == ["select 2"])
    }

    @Test(arguments: [
        (#"COPY hr__sqlt_tmp_x, line 3, column id: "abc""#, 3, "id"),
        ("COPY hr__sqlt_tmp_x, line 12", 12, nil),
    ])
    func parsesCopyContext(context: String, line: Int, column: String?) {
        #expect(SeedLoader.copyLine(in: context) == line)
        #expect(SeedLoader.copyColumn(in: context) == column)
    }
}
