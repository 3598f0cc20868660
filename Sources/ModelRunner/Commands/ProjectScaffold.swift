import Foundation
import ModelCompiler

/// `sqlt init [name]`: a new project folder with dbt's layout, a `profiles.yml` whose target is
/// the project's embedded PostgreSQL (`type: embedded`), a seed, two models and their tests, so
/// that `sqlt build` works in it at once.
public enum ProjectScaffold {
    /// The files of a new project named `name`, by path.
    public static func files(name: String) -> [String: String] {
        [
            "sqlt_project.yml": """
            name: \(name)
            version: "1.0.0"
            profile: \(name)

            model-paths: ["models"]
            seed-paths: ["seeds"]
            test-paths: ["tests"]
            macro-paths: ["macros"]
            snapshot-paths: ["snapshots"]
            target-path: "target"
            clean-targets: ["target", "logs"]

            models:
              \(name):
                +materialized: view

            """,
            "profiles.yml": """
            \(name):
              target: dev
              outputs:
                dev:
                  # The project's own PostgreSQL under .sqlt/postgres, started by sqlt when needed.
                  # For another server: type: postgres, host, port, user, password, dbname, schema.
                  type: embedded
                  threads: 4

            """,
            "seeds/countries.csv": "code,name\nFR,France\nDE,Germany\nIT,Italy\n",
            "models/staging/stg_countries.sql": "select code, name from {{ ref('countries') }}\n",
            "models/marts/country_count.sql":
                "{{ config(materialized='table') }}\nselect count(*) as countries from {{ ref('stg_countries') }}\n",
            "models/schema.yml": """
            version: 2
            models:
              - name: stg_countries
                description: Countries, one row per ISO code.
                columns:
                  - name: code
                    data_tests: [unique, not_null]
              - name: country_count
                columns:
                  - name: countries
                    data_tests: [not_null]

            """,
            "macros/.gitkeep": "", "tests/.gitkeep": "", "snapshots/.gitkeep": "",
            ".gitignore": "target/\nlogs/\n.sqlt/\n",
        ]
    }

    /// Whether `name` can name a project (dbt's rule: letters, digits and underscores, not
    /// starting with a digit).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// Creates `folder` with the project files; refuses an existing folder.
    public static func create(name: String, in folder: URL) throws {
        guard isValidName(name) else {
            throw Diagnostic.error(
                "init.name",
                "'\(name)' is not a valid project name: use letters, digits and underscores, not starting with a digit")
        }
        if FileManager.default.fileExists(atPath: folder.path) {
            throw Diagnostic.error(
                "init.exists", "'\(folder.path)' already exists; sqlt init creates a new folder",
                hint: "choose another name")
        }
        for (path, text) in files(name: name) {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }
}
