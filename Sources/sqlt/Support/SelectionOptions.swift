import ArgumentParser

/// `-s/--select`, `--exclude` and `--state`, as dbt spells them.
struct SelectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("s"), .customLong("select"), .customLong("models"), .customShort("m")],
        parsing: .upToNextOption,
        help:
            "Nodes to include (dbt selection syntax: names, +x, x+, @x, tag:, path:, config.x:, source:, state:modified, ...)."
    )
    var select: [String] = []

    @Option(name: .customLong("exclude"), parsing: .upToNextOption, help: "Nodes to leave out, same syntax.")
    var exclude: [String] = []

    @Option(name: .customLong("state"), help: "Folder of an earlier manifest.json, for state:modified and state:new.")
    var state: String?
}
