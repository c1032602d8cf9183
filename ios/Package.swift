// swift-tools-version:5.9
// TalusKit: the generated TalusCore bindings plus a thin Swift layer, over the Rust core
// shipped as an XCFramework (built by scripts/build-xcframework.sh on macOS).
import PackageDescription

let package = Package(
    name: "TalusKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "TalusKit", targets: ["TalusKit"]),
    ],
    targets: [
        .binaryTarget(name: "TalusCoreFFI", path: "build/TalusCoreFFI.xcframework"),
        .target(
            name: "TalusKit",
            dependencies: ["TalusCoreFFI"],
            path: "Sources/TalusKit"
        ),
    ]
)
