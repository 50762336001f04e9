// swift-tools-version: 6.2
import PackageDescription

// The PostgreSQL adapter lives in its own package so that the root package's default build never
// needs libpq. Build and test it with:
//
//     swift build --package-path Postgres
//     export REMOTE_FUNCTIONS_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
//     swift test --package-path Postgres
//
// It depends on the root package by path, so it always builds against the same checkout.

/// The same settings as the root package: Swift 6 language mode (complete strict concurrency),
/// explicit `any`, internal imports by default, and warnings treated as errors.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "swift-remote-functions-postgres",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RemoteFunctionsPostgres", targets: ["RemoteFunctionsPostgres"]),
        .library(name: "RemoteFunctionsPostgresLive", targets: ["RemoteFunctionsPostgresLive"]),
        .library(name: "LiveSessionsPostgres", targets: ["LiveSessionsPostgres"]),
        .executable(name: "live-sessions-postgres", targets: ["live-sessions-postgres"]),
    ],
    dependencies: [
        // The root package, by path; named so that the product references below do not depend
        // on the name of the directory it was checked out into.
        .package(name: "swift-remote-functions", path: "..")
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .target(name: "RemoteFunctionsPostgres", dependencies: ["CLibPQ"], swiftSettings: strictSettings),
        .target(
            name: "RemoteFunctionsPostgresLive",
            dependencies: [
                "RemoteFunctionsPostgres", .product(name: "RemoteFunctionsLive", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "LiveSessionsPostgres",
            dependencies: [
                "RemoteFunctionsPostgres",
                .product(name: "RemoteFunctions", package: "swift-remote-functions"),
                .product(name: "LiveSessionsAPI", package: "swift-remote-functions"),
                .product(name: "LiveSessionsServer", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
        // The multi-instance test fixture: a demo instance on PostgreSQL, in-process.
        .target(
            name: "PostgresDemoFixture",
            dependencies: [
                "LiveSessionsPostgres", "RemoteFunctionsPostgresLive",
                .product(name: "LiveSessionsServer", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsServer", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsLive", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
        // The demo server on PostgreSQL (`live-sessions-postgres --database postgres://…`).
        .executableTarget(
            name: "live-sessions-postgres",
            dependencies: [
                "LiveSessionsPostgres", "RemoteFunctionsPostgresLive",
                .product(name: "LiveSessionsServer", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsServer", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsLive", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsHTTPTransport", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
        // Benchmark (bench/postgres.sh builds it in release); not part of any test run.
        .executableTarget(
            name: "postgres-bench",
            dependencies: [
                "RemoteFunctionsPostgres", "LiveSessionsPostgres", "PostgresDemoFixture",
                .product(name: "LiveSessionsAPI", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsClient", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsHTTPTransport", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
        // One test target, so that every test needing the server nests in one serialized suite
        // (one of them restarts PostgreSQL).
        .testTarget(
            name: "PostgresTests",
            dependencies: [
                "RemoteFunctionsPostgres", "RemoteFunctionsPostgresLive", "LiveSessionsPostgres", "PostgresDemoFixture",
                .product(name: "RemoteFunctionsServer", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsClient", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsTesting", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsHTTPTransport", package: "swift-remote-functions"),
                .product(name: "LiveSessionsClient", package: "swift-remote-functions"),
                .product(name: "RemoteFunctionsLive", package: "swift-remote-functions"),
            ],
            swiftSettings: strictSettings),
    ]
)
