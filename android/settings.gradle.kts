// Talus Android: the `talus` library module (generated bindings + thin Kotlin layer).
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositories { google(); mavenCentral() }
}
rootProject.name = "talus-android"
include(":talus")
