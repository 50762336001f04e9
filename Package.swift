// swift-tools-version: 6.2
import PackageDescription

/// Every Swift target gets exactly these settings: Swift 6 language mode (complete strict
/// concurrency), explicit `any`, and warnings treated as errors so the build stays at zero warnings.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

func library(_ name: String, _ dependencies: [Target.Dependency] = [], resources: [Resource]? = nil) -> Target {
    .target(name: name, dependencies: dependencies, resources: resources, swiftSettings: strictSettings)
}

func executable(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, swiftSettings: strictSettings)
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, swiftSettings: strictSettings)
}

let package = Package(
    name: "swift-remote-functions",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RemoteFunctions", targets: ["RemoteFunctions"]),
        .library(name: "RemoteFunctionsHTTP", targets: ["RemoteFunctionsHTTP"]),
        .library(name: "RemoteFunctionsServer", targets: ["RemoteFunctionsServer"]),
        .library(name: "RemoteFunctionsHTTPTransport", targets: ["RemoteFunctionsHTTPTransport"]),
        .library(name: "RemoteFunctionsClient", targets: ["RemoteFunctionsClient"]),
        .library(name: "RemoteFunctionsLive", targets: ["RemoteFunctionsLive"]),
        .library(name: "RemoteFunctionsSQLite", targets: ["RemoteFunctionsSQLite"]),
        .library(name: "RemoteFunctionsTesting", targets: ["RemoteFunctionsTesting"]),
        // For the nested Postgres package (PostgreSQL implementation of the demo's storage).
        .library(name: "LiveSessionsAPI", targets: ["LiveSessionsAPI"]),
        .library(name: "LiveSessionsServer", targets: ["LiveSessionsServer"]),
        .library(name: "LiveSessionsClient", targets: ["LiveSessionsClient"]),
        .executable(name: "http-bench", targets: ["http-bench"]),
        .executable(name: "remote", targets: ["remote"]),
        .executable(name: "remote-bench-server", targets: ["remote-bench-server"]),
        .executable(name: "live-sessions", targets: ["live-sessions"]),
    ],
    targets: [
        // C shims: system headers only.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(name: "CAffinity", path: "Sources/CAffinity"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),

        // Layers, bottom up.
        library("RemoteFunctionsHTTP", ["CEpoll"]),
        library("RemoteFunctions"),
        library("RemoteFunctionsServer", ["RemoteFunctions"], resources: [.copy("Resources")]),
        library("RemoteFunctionsHTTPTransport", ["RemoteFunctionsServer", "RemoteFunctionsHTTP"]),
        library("RemoteFunctionsClient", ["RemoteFunctions", "RemoteFunctionsHTTP"]),
        library("RemoteFunctionsLive", ["RemoteFunctions", "RemoteFunctionsServer", "CAffinity"]),
        library("RemoteFunctionsSQLite", ["CSQLite"]),
        library("RemoteFunctionsTesting", ["RemoteFunctionsServer", "RemoteFunctionsClient", "RemoteFunctionsHTTPTransport"]),

        // The LiveSessions demo: shared API, server, Swift client helpers, executable.
        library("LiveSessionsAPI", ["RemoteFunctions"]),
        library(
            "LiveSessionsServer", ["LiveSessionsAPI", "RemoteFunctionsServer", "RemoteFunctionsLive", "RemoteFunctionsSQLite"],
            resources: [.copy("Public")]),
        library("LiveSessionsClient", ["LiveSessionsAPI", "RemoteFunctionsClient"]),

        // Executables.
        executable("http-bench", ["RemoteFunctionsHTTP"]),
        executable("remote", ["RemoteFunctionsClient", "RemoteFunctionsHTTPTransport"]),
        executable("remote-bench-server", ["RemoteFunctionsServer", "RemoteFunctionsLive", "RemoteFunctionsHTTPTransport"]),
        executable("live-sessions", ["LiveSessionsServer", "LiveSessionsClient", "RemoteFunctionsHTTPTransport"]),

        // Tests.
        tests("RemoteFunctionsHTTPTests", ["RemoteFunctionsHTTP"]),
        tests("RemoteFunctionsTests", ["RemoteFunctions"]),
        tests("RemoteFunctionsClientTests", ["RemoteFunctionsClient", "RemoteFunctionsHTTP", "RemoteFunctionsHTTPTransport", "RemoteFunctionsServer", "RemoteFunctionsTesting"]),
        .testTarget(
            name: "RemoteFunctionsServerTests",
            dependencies: ["RemoteFunctionsServer", "RemoteFunctionsClient", "RemoteFunctionsTesting", "RemoteFunctionsHTTP"],
            exclude: ["python"], swiftSettings: strictSettings),
        tests("RemoteFunctionsLiveTests", ["RemoteFunctionsLive", "RemoteFunctionsTesting"]),
        tests("LiveSessionsTests", ["LiveSessionsServer", "LiveSessionsClient", "RemoteFunctionsTesting"]),
    ]
)
