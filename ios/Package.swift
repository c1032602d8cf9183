// swift-tools-version:5.9
// TalusKit: the generated TalusCore bindings plus the shell layer (view models, effect
// handling, reminder reconciliation, run import, sync-folder bridge) over the Rust core,
// shipped as TalusCoreFFI.xcframework (built only by scripts/build-xcframework.sh).
//
// Platforms, honestly: the app is iOS 17+. macOS 14 is listed only so the view-model tests
// run with `swift test` on a Mac: TalusKit keeps every platform type behind a protocol,
// and the XCFramework carries a macOS slice for that purpose. TalusIOS (AVFoundation
// player, speech, UserNotifications, HealthKit, iCloud, BGTask adapters) is iOS-only; on
// macOS its files compile to nothing (`#if os(iOS)`).
import PackageDescription

let package = Package(
    name: "TalusKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "TalusKit", targets: ["TalusKit"]),
        .library(name: "TalusIOS", targets: ["TalusIOS"]),
    ],
    targets: [
        .binaryTarget(name: "TalusCoreFFI", path: "build/TalusCoreFFI.xcframework"),
        .target(
            name: "TalusKit",
            dependencies: ["TalusCoreFFI"],
            path: "Sources/TalusKit"
        ),
        .target(
            name: "TalusIOS",
            dependencies: ["TalusKit"],
            path: "Sources/TalusIOS"
        ),
        .testTarget(
            name: "TalusKitTests",
            dependencies: ["TalusKit"],
            path: "Tests/TalusKitTests"
        ),
    ]
)
