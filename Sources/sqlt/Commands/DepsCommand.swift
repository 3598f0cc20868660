import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt deps`: installs the packages of `packages.yml` (or `dependencies.yml`) as `dbt deps` does.
struct DepsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract:
            "Install the packages of packages.yml into dbt_packages/ (hub, git, local, tarball), through package-lock.yml.",
        discussion: """
            Hub packages come from SQLT_PACKAGE_MIRROR (a folder laid out <org>/<name>/<version>/, no network) \
            when it is set, else from the hub at DBT_PACKAGE_HUB_URL (default https://hub.getdbt.com/).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("upgrade"), help: "Resolve the requirements again, ignoring package-lock.yml.")
    var upgrade = false

    @Flag(name: .customLong("lock"), help: "Resolve and write package-lock.yml only; install nothing.")
    var lock = false

    @Option(
        name: .customLong("add-package"),
        help: "Add a package to packages.yml first, as NAME@VERSION (a range as NAME@>=1.0.0,<2.0.0).")
    var addPackage: String?

    @Option(name: .customLong("source"), help: "Where --add-package's package comes from: hub (default), git or local.")
    var source: String = "hub"

    func run() async throws {
        let root = global.projectURL
        var vars: [String: JSONValue] = [:]
        if let text = global.vars, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard case .object(let object) = try YAMLNode.parse(text, file: "--vars").json else {
                throw Diagnostic.error(
                    "vars.invalid", "--vars must be a YAML or JSON mapping, such as '{year: 2025}'")
            }
            vars = object
        }
        var added: (name: String, version: String?, source: PackagesFileEditor.Source)?
        if let addPackage {
            guard let kind = PackagesFileEditor.Source(rawValue: source) else {
                throw Diagnostic.error("deps.source", "--source must be hub, git or local, not '\(source)'")
            }
            // NAME@VERSION, split at the last `@` (a git URL may hold one).
            if let at = addPackage.lastIndex(of: "@"), at != addPackage.startIndex {
                added = (String(addPackage[..<at]), String(addPackage[addPackage.index(after: at)...]), kind)
            } else {
                added = (addPackage, nil, kind)
            }
        }
        let deps = PackageDeps(
            projectDir: root.path, upgrade: upgrade, lockOnly: lock, vars: vars,
            environment: ProcessInfo.processInfo.environment,
            addPackage: added)
        let outcome = try await deps.run(
            log: { Console.print($0) },
            warn: { Console.error(Console.colorize("warning: \($0)", .yellow, stderr: true)) })
        if lock {
            Console.print(
                "Resolved \(outcome.packages.count) package\(outcome.packages.count == 1 ? "" : "s") into \(PackageLock.fileName)"
            )
        }
    }
}
