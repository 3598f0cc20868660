/// What a `config()` argument that is not a literal sees while parsing, as in dbt's parse-time
/// render: `var()`, `env_var()`, `target`, the project's macros, and `ref`/`source` answering a
/// relation name (the edge itself comes from the call read without rendering).
extension NodeFactory {
    var parseContext: RenderContext {
        let schema = options.target.schema
        let ref = TemplateFunction(name: "ref") { args in
            guard let name = args.positional.last?.description else { throw TemplateError("ref() needs a model name") }
            return CompiledProject.relation(schema: schema, identifier: name, database: nil, empty: false)
        }
        let source = TemplateFunction(name: "source") { args in
            guard args.positional.count == 2 else {
                throw TemplateError("source() takes a source name and a table name")
            }
            return CompiledProject.relation(
                schema: args.positional[0].description, identifier: args.positional[1].description, database: nil,
                empty: false)
        }
        return RenderContext(
            globals: ["ref": .function(ref), "source": .function(source), "execute": .bool(false)],
            sharedGlobals: globals,
            macros: macros)
    }
}
