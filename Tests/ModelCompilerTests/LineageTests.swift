import Foundation
import Testing

@testable import ModelCompiler

@Suite struct LineageTests {
    static let cases: [LineageCase] = [
        LineageCase(
            name: "identity and alias",
            sql: "select id, name as customer_name from raw.customers",
            columns: [
                column("id", direct("raw.customers", "id", "IDENTITY")),
                column("customer_name", direct("raw.customers", "name", "IDENTITY")),
            ],
            datasetInputs: [relation("raw.customers")]),
        LineageCase(
            name: "cte chain referencing an earlier cte",
            sql: """
                with nl as (select id, email from raw.customers where country = 'NL'),
                     shouting as (select id, upper(email) as email_upper from nl)
                select id, email_upper from shouting
                """,
            columns: [
                column(
                    "id", direct("raw.customers", "id", "IDENTITY"), indirect("raw.customers", "country", "FILTER")),
                column(
                    "email_upper", direct("raw.customers", "email", "TRANSFORMATION"),
                    indirect("raw.customers", "country", "FILTER")),
            ],
            datasetInputs: [relation("raw.customers")]),
        LineageCase(
            name: "aliased join with filter",
            sql: """
                select o.id, c.name, o.amount
                from raw.orders as o join raw.customers c on c.id = o.customer_id
                where o.status = 'paid'
                """,
            columns: [
                column(
                    "id", direct("raw.orders", "id", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("raw.orders", "customer_id", "JOIN"), indirect("raw.orders", "status", "FILTER")),
                column(
                    "name", direct("raw.customers", "name", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("raw.orders", "customer_id", "JOIN"), indirect("raw.orders", "status", "FILTER")),
                column(
                    "amount", direct("raw.orders", "amount", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("raw.orders", "customer_id", "JOIN"), indirect("raw.orders", "status", "FILTER")),
            ],
            datasetInputs: [relation("raw.orders"), relation("raw.customers")]),
        LineageCase(
            name: "join using merges the column",
            sql: "select id, o.amount, p.amount as paid from raw.orders o join payments p using (id)",
            columns: [
                column(
                    "id", direct("raw.orders", "id", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "id", "JOIN")),
                column(
                    "amount", direct("raw.orders", "amount", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "id", "JOIN")),
                column(
                    "paid", direct("payments", "amount", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "id", "JOIN")),
            ]),
        LineageCase(
            name: "star over join using",
            sql: "select * from payments join raw.customers using (id)",
            columns: [
                column(
                    "id", direct("payments", "id", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
                column(
                    "order_id", direct("payments", "order_id", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
                column(
                    "amount", direct("payments", "amount", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
                column(
                    "name", direct("raw.customers", "name", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
                column(
                    "email", direct("raw.customers", "email", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
                column(
                    "country", direct("raw.customers", "country", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.customers", "id", "JOIN")),
            ]),
        LineageCase(
            name: "union all by position, filters of each branch reach every column",
            sql: "select id, email from raw.customers union all select id, null from raw.orders where status = 'x'",
            columns: [
                column(
                    "id", direct("raw.customers", "id", "IDENTITY"), direct("raw.orders", "id", "IDENTITY"),
                    indirect("raw.orders", "status", "FILTER")),
                column(
                    "email", direct("raw.customers", "email", "IDENTITY"), indirect("raw.orders", "status", "FILTER")),
            ],
            datasetInputs: [relation("raw.customers"), relation("raw.orders")]),
        LineageCase(
            name: "intersect and except",
            sql:
                "select id from raw.customers intersect select customer_id from raw.orders except select order_id from payments",
            columns: [
                column(
                    "id", direct("raw.customers", "id", "IDENTITY"), direct("raw.orders", "customer_id", "IDENTITY"),
                    direct("payments", "order_id", "IDENTITY"))
            ]),
        LineageCase(
            name: "aggregates with group by and having",
            sql: """
                select customer_id, count(*) as orders, sum(amount) as total, max(ordered_at) as last_order
                from raw.orders group by customer_id having sum(amount) > 100
                """,
            columns: [
                column(
                    "customer_id", direct("raw.orders", "customer_id", "IDENTITY"),
                    indirect("raw.orders", "customer_id", "GROUP_BY"), indirect("raw.orders", "amount", "FILTER")),
                column(
                    "orders", indirect("raw.orders", "customer_id", "GROUP_BY"),
                    indirect("raw.orders", "amount", "FILTER")),
                column(
                    "total", direct("raw.orders", "amount", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "GROUP_BY"), indirect("raw.orders", "amount", "FILTER")),
                column(
                    "last_order", direct("raw.orders", "ordered_at", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "GROUP_BY"), indirect("raw.orders", "amount", "FILTER")),
            ]),
        LineageCase(
            name: "count is a masking aggregate",
            sql: "select country, count(email) as emails from raw.customers group by country",
            columns: [
                column(
                    "country", direct("raw.customers", "country", "IDENTITY"),
                    indirect("raw.customers", "country", "GROUP_BY")),
                column(
                    "emails", direct("raw.customers", "email", "AGGREGATION", masked: ["count"]),
                    indirect("raw.customers", "country", "GROUP_BY")),
            ]),
        LineageCase(
            name: "window functions, inline and named",
            sql: """
                select id, row_number() over (partition by customer_id order by ordered_at) as rn,
                       sum(amount) over w as running
                from raw.orders window w as (partition by customer_id)
                """,
            columns: [
                column("id", direct("raw.orders", "id", "IDENTITY")),
                column(
                    "rn", indirect("raw.orders", "customer_id", "WINDOW"),
                    indirect("raw.orders", "ordered_at", "WINDOW")),
                column(
                    "running", direct("raw.orders", "amount", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "WINDOW")),
            ]),
        LineageCase(
            name: "subquery in from with positional group by and order by output name",
            sql: """
                select s.customer_id, s.total * 2 as doubled
                from (select customer_id, sum(amount) as total from raw.orders group by 1) as s
                order by doubled desc
                """,
            columns: [
                column(
                    "customer_id", direct("raw.orders", "customer_id", "IDENTITY"),
                    indirect("raw.orders", "customer_id", "GROUP_BY"), indirect("raw.orders", "amount", "SORT")),
                column(
                    "doubled", direct("raw.orders", "amount", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "GROUP_BY"), indirect("raw.orders", "amount", "SORT")),
            ]),
        LineageCase(
            name: "correlated scalar subquery",
            sql: """
                select c.id, (select max(o.amount) from raw.orders o where o.customer_id = c.id) as biggest
                from raw.customers c
                """,
            columns: [
                column("id", direct("raw.customers", "id", "IDENTITY")),
                column(
                    "biggest", direct("raw.orders", "amount", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "FILTER"), indirect("raw.customers", "id", "FILTER")),
            ],
            datasetInputs: [relation("raw.customers"), relation("raw.orders")]),
        LineageCase(
            name: "star from catalog",
            sql: "select * from raw.customers",
            columns: [
                column("id", direct("raw.customers", "id", "IDENTITY")),
                column("name", direct("raw.customers", "name", "IDENTITY")),
                column("email", direct("raw.customers", "email", "IDENTITY")),
                column("country", direct("raw.customers", "country", "IDENTITY")),
            ]),
        LineageCase(
            name: "qualified star",
            sql: "select p.*, o.status from payments p join raw.orders o on o.id = p.order_id",
            columns: [
                column(
                    "id", direct("payments", "id", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "order_id", "JOIN")),
                column(
                    "order_id", direct("payments", "order_id", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "order_id", "JOIN")),
                column(
                    "amount", direct("payments", "amount", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "order_id", "JOIN")),
                column(
                    "status", direct("raw.orders", "status", "IDENTITY"), indirect("raw.orders", "id", "JOIN"),
                    indirect("payments", "order_id", "JOIN")),
            ]),
        LineageCase(
            name: "case when conditions are conditional edges of their column",
            sql: """
                select id, case when status = 'paid' then amount else 0 end as paid_amount,
                       case status when 'open' then 'o' end
                from raw.orders
                """,
            columns: [
                column("id", direct("raw.orders", "id", "IDENTITY")),
                column(
                    "paid_amount", direct("raw.orders", "amount", "TRANSFORMATION"),
                    indirect("raw.orders", "status", "CONDITIONAL")),
                column("case", indirect("raw.orders", "status", "CONDITIONAL")),
            ]),
        LineageCase(
            name: "coalesce and casts",
            sql:
                "select coalesce(c.name, c.email), c.id::text, cast(c.country as varchar(2)) as cc, 1::int from raw.customers c",
            columns: [
                column(
                    "coalesce", direct("raw.customers", "name", "TRANSFORMATION"),
                    direct("raw.customers", "email", "TRANSFORMATION")),
                column("id", direct("raw.customers", "id", "TRANSFORMATION")),
                column("cc", direct("raw.customers", "country", "TRANSFORMATION")),
                column("int4"),
            ]),
        LineageCase(
            name: "quoted identifiers keep case, unquoted fold",
            sql: #"select "Weird Name", ID as "Upper", w."id" from "Weird Table" w"#,
            columns: [
                column("Weird Name", direct("Weird Table", "Weird Name", "IDENTITY")),
                column("Upper", direct("Weird Table", "id", "IDENTITY")),
                column("id", direct("Weird Table", "id", "IDENTITY")),
            ]),
        LineageCase(
            name: "masking functions: hashes, nested digest, configured pseudonymisation",
            sql: """
                select md5(email) as email_hash, encode(digest(email, 'sha256'), 'hex') as email_digest,
                       analytics.pseudonymise(name) as name_pseudo, lower(email) as email_lower
                from raw.customers
                """,
            columns: [
                column("email_hash", direct("raw.customers", "email", "TRANSFORMATION", masked: ["md5"])),
                column("email_digest", direct("raw.customers", "email", "TRANSFORMATION", masked: ["digest"])),
                column(
                    "name_pseudo", direct("raw.customers", "name", "TRANSFORMATION", masked: ["analytics.pseudonymise"])
                ),
                column("email_lower", direct("raw.customers", "email", "TRANSFORMATION")),
            ]),
        LineageCase(
            name: "whole-row reference to a relation",
            sql: "select row_to_json(p) as doc from payments p",
            columns: [
                column(
                    "doc", direct("payments", "id", "TRANSFORMATION"), direct("payments", "order_id", "TRANSFORMATION"),
                    direct("payments", "amount", "TRANSFORMATION"))
            ]),
        LineageCase(
            name: "aggregate filter and ordered aggregate, group by output alias",
            sql: """
                select upper(status) as s, count(*) filter (where amount > 0) as n, string_agg(status, ',' order by id) as l
                from raw.orders group by s
                """,
            columns: [
                column(
                    "s", direct("raw.orders", "status", "TRANSFORMATION"), indirect("raw.orders", "status", "GROUP_BY")),
                column("n", indirect("raw.orders", "amount", "FILTER"), indirect("raw.orders", "status", "GROUP_BY")),
                column(
                    "l", direct("raw.orders", "status", "AGGREGATION"), indirect("raw.orders", "id", "SORT"),
                    indirect("raw.orders", "status", "GROUP_BY")),
            ]),
        LineageCase(
            name: "ambiguous unqualified column is an issue",
            sql: "select amount from raw.orders o join payments p on p.order_id = o.id",
            columns: [column("amount", indirect("payments", "order_id", "JOIN"), indirect("raw.orders", "id", "JOIN"))],
            issues: [
                LineageIssue(
                    message: #"column reference "amount" is ambiguous: it is a column of raw.orders (o), payments (p)"#,
                    utf8Offset: 7)
            ]),
        LineageCase(
            name: "star over a relation with unknown columns is an issue",
            sql: "select * from events",
            columns: [],
            issues: [LineageIssue(message: "cannot expand *: the columns of events are unknown", utf8Offset: 7)],
            datasetInputs: [relation("events")]),
        LineageCase(
            name: "qualified star over a relation with unknown columns is an issue",
            sql: "select e.*, c.id from events e join raw.customers c on c.id = e.customer_id",
            columns: [
                column(
                    "id", direct("raw.customers", "id", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("events", "customer_id", "JOIN"))
            ],
            issues: [LineageIssue(message: "cannot expand e.*: the columns of events (e) are unknown", utf8Offset: 7)]),
        LineageCase(
            name: "select star in a cte over unknown columns stays traceable",
            sql: """
                with source as (select * from events),
                     renamed as (select user_id as uid, kind from source where kind <> 'x')
                select uid, kind from renamed
                """,
            columns: [
                column("uid", direct("events", "user_id", "IDENTITY"), indirect("events", "kind", "FILTER")),
                column("kind", direct("events", "kind", "IDENTITY"), indirect("events", "kind", "FILTER")),
            ]),
        LineageCase(
            name: "select star of an open cte in the model's output is an issue",
            sql: "with s as (select * from events) select * from s",
            columns: [],
            issues: [LineageIssue(message: "cannot expand *: the columns of s are unknown", utf8Offset: 40)]),
        LineageCase(
            name: "qualified star in a subquery keeps its relation; other columns are known or issues",
            sql: "with s as (select e.*, x.id from events e, payments x) select s.kind, id, other from s",
            columns: [
                column("kind", direct("events", "kind", "IDENTITY")),
                column("id", direct("payments", "id", "IDENTITY")),
                column("other", direct("events", "other", "IDENTITY")),
            ]),
        LineageCase(
            name: "single relation with unknown columns takes unqualified columns",
            sql: "select user_id, count(*) as n from events group by user_id",
            columns: [
                column("user_id", direct("events", "user_id", "IDENTITY"), indirect("events", "user_id", "GROUP_BY")),
                column("n", indirect("events", "user_id", "GROUP_BY")),
            ]),
        LineageCase(
            name: "two relations with unknown columns make an unqualified column ambiguous",
            sql: "select e.user_id, kind from events e join sessions s on s.id = e.session_id",
            columns: [
                column(
                    "user_id", direct("events", "user_id", "IDENTITY"), indirect("sessions", "id", "JOIN"),
                    indirect("events", "session_id", "JOIN")),
                column("kind", indirect("sessions", "id", "JOIN"), indirect("events", "session_id", "JOIN")),
            ],
            issues: [
                LineageIssue(
                    message:
                        #"column reference "kind" is ambiguous: the columns of events (e), sessions (s) are unknown"#,
                    utf8Offset: 18)
            ]),
        LineageCase(
            name: "a known relation answers before a relation with unknown columns",
            sql: "select e.kind, name from events e join raw.customers c on c.id = e.customer_id",
            columns: [
                column(
                    "kind", direct("events", "kind", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("events", "customer_id", "JOIN")),
                column(
                    "name", direct("raw.customers", "name", "IDENTITY"), indirect("raw.customers", "id", "JOIN"),
                    indirect("events", "customer_id", "JOIN")),
            ]),
        LineageCase(
            name: "a column no known relation has is not guessed onto the unknown one",
            sql: "select region from events e join raw.customers c on c.id = e.customer_id",
            columns: [
                column("region", indirect("raw.customers", "id", "JOIN"), indirect("events", "customer_id", "JOIN"))
            ],
            issues: [
                LineageIssue(
                    message: #"cannot resolve column "region": the columns of events (e) are unknown"#, utf8Offset: 7)
            ]),
        LineageCase(
            name: "in-subquery in where",
            sql:
                "select name from raw.customers where id in (select customer_id from raw.orders where status = 'paid')",
            columns: [
                column(
                    "name", direct("raw.customers", "name", "IDENTITY"), indirect("raw.customers", "id", "FILTER"),
                    indirect("raw.orders", "customer_id", "FILTER"), indirect("raw.orders", "status", "FILTER"))
            ],
            datasetInputs: [relation("raw.customers"), relation("raw.orders")]),
        LineageCase(
            name: "correlated exists in where",
            sql: "select id from raw.customers c where exists (select 1 from raw.orders o where o.customer_id = c.id)",
            columns: [
                column(
                    "id", direct("raw.customers", "id", "IDENTITY"), indirect("raw.orders", "customer_id", "FILTER"),
                    indirect("raw.customers", "id", "FILTER"))
            ]),
        LineageCase(
            name: "full join using coalesces both sides",
            sql: "select id from raw.orders full join payments using (id)",
            columns: [
                column(
                    "id", direct("raw.orders", "id", "TRANSFORMATION"), direct("payments", "id", "TRANSFORMATION"),
                    indirect("raw.orders", "id", "JOIN"), indirect("payments", "id", "JOIN"))
            ]),
        LineageCase(
            name: "natural join merges the common columns",
            sql: "select id, amount from payments natural join raw.orders",
            columns: [
                column(
                    "id", direct("payments", "id", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.orders", "id", "JOIN"), indirect("payments", "amount", "JOIN"),
                    indirect("raw.orders", "amount", "JOIN")),
                column(
                    "amount", direct("payments", "amount", "IDENTITY"), indirect("payments", "id", "JOIN"),
                    indirect("raw.orders", "id", "JOIN"), indirect("payments", "amount", "JOIN"),
                    indirect("raw.orders", "amount", "JOIN")),
            ]),
        LineageCase(
            name: "values list",
            sql: "select v.x, upper(v.y) as y from (values (1, 'a'), (2, 'b')) as v(x, y)",
            columns: [column("x"), column("y")]),
        LineageCase(
            name: "column missing from every known relation is an issue",
            sql: "select id, nickname from raw.customers",
            columns: [column("id", direct("raw.customers", "id", "IDENTITY")), column("nickname")],
            issues: [
                LineageIssue(
                    message: #"column "nickname" is not a known column of any relation in the from clause"#,
                    utf8Offset: 11)
            ]),
        LineageCase(
            name: "issue offsets are utf-8 byte offsets",
            sql: "select 'é' as accent, nickname from raw.customers",
            columns: [column("accent"), column("nickname")],
            issues: [
                LineageIssue(
                    message: #"column "nickname" is not a known column of any relation in the from clause"#,
                    utf8Offset: 23)
            ]),
        LineageCase(
            name: "cte with column list, derived table with column aliases, lateral function",
            sql: """
                with totals(cid, spent) as (select customer_id, sum(amount) from raw.orders group by customer_id)
                select t.cid, x.doubled, tag
                from totals t, lateral (select t.spent * 2) as x(doubled), unnest(array[t.cid]) as tag
                """,
            columns: [
                column(
                    "cid", direct("raw.orders", "customer_id", "IDENTITY"),
                    indirect("raw.orders", "customer_id", "GROUP_BY")),
                column(
                    "doubled", direct("raw.orders", "amount", "AGGREGATION"),
                    indirect("raw.orders", "customer_id", "GROUP_BY")),
                column(
                    "tag", direct("raw.orders", "customer_id", "TRANSFORMATION"),
                    indirect("raw.orders", "customer_id", "GROUP_BY")),
            ]),
        LineageCase(
            name: "recursive cte",
            sql: """
                with recursive chain as (
                    select id, customer_id from raw.orders where status = 'root'
                    union all
                    select o.id, c.customer_id from raw.orders o join chain c on o.customer_id = c.id
                )
                select id from chain
                """,
            columns: [
                column(
                    "id", direct("raw.orders", "id", "IDENTITY"), indirect("raw.orders", "status", "FILTER"),
                    indirect("raw.orders", "customer_id", "JOIN"), indirect("raw.orders", "id", "JOIN"))
            ]),
    ]

    @Test(arguments: cases)
    func lineage(_ testCase: LineageCase) throws {
        let lineage = try LineageAnalyzer.analyze(
            testCase.sql, catalog: lineageCatalog, maskingFunctions: ["analytics.pseudonymise"])
        #expect(lineage.columns.map(\.name) == testCase.columns.map(\.name))
        for (actual, expected) in zip(lineage.columns, testCase.columns) {
            #expect(actual.inputs == expected.inputs, "column \(expected.name)")
        }
        #expect(lineage.issues == testCase.issues)
        if let inputs = testCase.datasetInputs {
            #expect(lineage.datasetInputs == inputs)
        }
    }

    @Test(arguments: [
        ("select 1", "?column?"),
        ("select id + 1 from payments", "?column?"),
        ("select now()", "now"),
        ("select exists(select 1 from payments)", "exists"),
        ("select (select max(amount) from payments)", "max"),
        ("select array(select id from payments)", "array"),
        ("select 'x'::text", "text"),
        ("select greatest(1, 2)", "greatest"),
        ("select nullif(1, 2)", "nullif"),
        ("select current_date", "current_date"),
        ("select row(1, 2)", "row"),
        ("select case when true then 1 end::text", "text"),
        (#"select id as "Key" from payments"#, "Key"),
    ])
    func outputColumnNames(_ sql: String, _ expected: String) throws {
        let lineage = try LineageAnalyzer.analyze(sql, catalog: lineageCatalog, maskingFunctions: [])
        #expect(lineage.columns.map(\.name) == [expected])
    }

    @Test func syntaxErrorIsThrown() {
        #expect(throws: SQLSyntaxError.self) {
            try LineageAnalyzer.analyze("select * fro x", catalog: lineageCatalog, maskingFunctions: [])
        }
    }

    @Test func nonSelectStatementIsAnIssue() throws {
        let lineage = try LineageAnalyzer.analyze(
            "create table t (id int)", catalog: lineageCatalog, maskingFunctions: [])
        #expect(lineage.columns.isEmpty)
        #expect(lineage.issues.map(\.message) == ["lineage needs a select statement"])
    }

    @Test func issueBecomesWarningAtItsLine() throws {
        let sql = "select o.id,\n       amount\nfrom raw.orders o join payments p on p.order_id = o.id"
        let lineage = try LineageAnalyzer.analyze(sql, catalog: lineageCatalog, maskingFunctions: [])
        let issue = try #require(lineage.issues.first)
        let diagnostic = issue.diagnostic(in: sql, file: "models/m.sql")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.id == "lineage.unresolved")
        #expect(diagnostic.location == SourceLocation(file: "models/m.sql", line: 2, column: 8))
    }

    /// Generated SQL can chain thousands of operators or union branches; analysis runs on a task's small stack.
    @Test func longChainsDoNotExhaustTheStack() async throws {
        let concatenation =
            "select " + Array(repeating: "name", count: 5000).joined(separator: " || ") + " as x from raw.customers"
        let unions = Array(repeating: "select id from payments", count: 5000).joined(separator: " union all ")
        let (chain, union) = try await Task.detached {
            (
                try LineageAnalyzer.analyze(concatenation, catalog: lineageCatalog, maskingFunctions: []),
                try LineageAnalyzer.analyze(unions, catalog: lineageCatalog, maskingFunctions: [])
            )
        }.value
        #expect(chain.columns == [column("x", direct("raw.customers", "name", "TRANSFORMATION"))])
        #expect(union.columns == [column("id", direct("payments", "id", "IDENTITY"))])
    }

    @Test func catalogsMatchRelationsWrittenWithoutSchema() throws {
        #expect(
            lineageCatalog.columns(of: RelationRef(name: "orders")) == [
                "id", "customer_id", "amount", "status", "ordered_at",
            ])
        #expect(lineageCatalog.columns(of: RelationRef(schema: "other", name: "orders")) == nil)
        let closure = ClosureColumnLookup { $0.name == "t" ? ["a", "b"] : nil }
        let lineage = try LineageAnalyzer.analyze("select * from s.t", catalog: closure, maskingFunctions: [])
        #expect(lineage.columns.map(\.name) == ["a", "b"])
        #expect(lineage.issues.isEmpty)
    }

    @Test func lineageRoundTripsThroughJSON() throws {
        let lineage = try LineageAnalyzer.analyze(
            "select md5(email) as h from raw.customers where country = 'NL'", catalog: lineageCatalog,
            maskingFunctions: [])
        let data = try JSONEncoder().encode(lineage)
        #expect(try JSONDecoder().decode(ModelLineage.self, from: data) == lineage)
    }
}
