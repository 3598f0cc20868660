// swift-tools-version: 6.0
// The libFuzzer target for the template lexer, parser and renderer. Built only by
// scripts/fuzz_templates.sh (with -sanitize=fuzzer,address), never by the main build or `swift test`.
import PackageDescription

let package = Package(
    name: "sqlt-fuzz",
    dependencies: [.package(name: "sqlt", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzTemplates",
            dependencies: ["FuzzDriver", .product(name: "ModelCompiler", package: "sqlt")],
            // its entry point is FuzzTemplates_main, written by hand
            swiftSettings: [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
