// Talus Android: `:talus` (generated bindings, JNA, the shell layer and its Android
// adapters) and `:app` (the single-Activity Compose app).
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories { google(); mavenCentral() }
}
rootProject.name = "talus-android"
include(":talus", ":app")
