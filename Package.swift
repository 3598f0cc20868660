// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sqlt",
    products: [
        .executable(name: "sqlt", targets: ["sqlt"]),
        // for Fuzz/ (the libFuzzer package), which depends on this package by path
        .library(name: "ModelCompiler", targets: ["ModelCompiler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CPgQuery",
            path: "Sources/CPgQuery",
            providers: [.apt(["libpg-query-dev"])]
        ),
        .executableTarget(name: "EmbedResources"),
        .plugin(name: "EmbedResourcesPlugin", capability: .buildTool(), dependencies: ["EmbedResources"]),
        .target(
            name: "ModelCompiler",
            dependencies: ["CPgQuery", "CYAML"],
            exclude: ["Resources"],
            plugins: ["EmbedResourcesPlugin"]
        ),
        .target(
            name: "ModelRunner",
            dependencies: [
                "ModelCompiler", "CLibPQ",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Resources"],
            plugins: ["EmbedResourcesPlugin"]
        ),
        .executableTarget(
            name: "sqlt",
            dependencies: [
                "ModelCompiler", "ModelRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["ModelRunner"],
            path: "Tests/TestSupport"
        ),
        // TemplateCrashes/: the fuzzer's regression corpus, read from the source tree by TemplateCrashCorpusTests
        .testTarget(name: "ModelCompilerTests", dependencies: ["ModelCompiler"], exclude: ["TemplateCrashes"]),
        .testTarget(
            name: "ModelRunnerTests",
            dependencies: [
                "ModelRunner", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(name: "SqltTests", dependencies: ["ModelRunner", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
