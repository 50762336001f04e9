// swift-tools-version: 6.2
// Benchmarks of RemoteFunctionsLive, kept out of the main package and its test run.
// Run through `bench/live.sh`.
import Foundation
import PackageDescription

/// The root package is three levels up; SwiftPM names a path dependency after its directory.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let package = Package(
    name: "live-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "live-inprocess-bench",
            dependencies: [.product(name: "RemoteFunctionsLive", package: root.lastPathComponent.lowercased())],
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
