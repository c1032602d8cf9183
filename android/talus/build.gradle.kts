// Library module: the generated Kotlin bindings (scripts/build-android.sh writes them to
// build/generated/uniffi and the per-ABI libtalus_ffi.so to src/main/jniLibs with
// cargo-ndk), JNA, the platform-free shell layer (app.talus.shell, also compiled and
// journey-tested on the JVM by tests/android/run.sh) and its Android adapters
// (app.talus.platform). AGP 9 compiles Kotlin itself.
plugins {
    alias(libs.plugins.android.library)
}

val repoRoot = rootProject.projectDir.parentFile

val buildCore by tasks.registering(Exec::class) {
    description = "Builds libtalus_ffi.so for every ABI (cargo-ndk) and generates the Kotlin bindings."
    workingDir = repoRoot
    commandLine("scripts/build-android.sh")
    inputs.dir(repoRoot.resolve("core/src"))
    inputs.dir(repoRoot.resolve("bindings/src"))
    outputs.dir(layout.buildDirectory.dir("generated/uniffi"))
    outputs.dir(layout.projectDirectory.dir("src/main/jniLibs"))
}

android {
    namespace = "app.talus"
    compileSdk = 36
    defaultConfig {
        minSdk = 26
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].kotlin.srcDirs("src/main/kotlin", layout.buildDirectory.dir("generated/uniffi"))
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

tasks.named("preBuild") { dependsOn(buildCore) }

dependencies {
    // The aar carries libjnidispatch.so per ABI; the plain jar fails with UnsatisfiedLinkError.
    implementation(variantOf(libs.jna) { artifactType("aar") })
    implementation(libs.coroutines.android)
    implementation(libs.androidx.core.ktx)
    implementation(libs.media3.exoplayer)
    implementation(libs.health.connect)
    implementation(libs.documentfile)
    implementation(libs.work.runtime)
    testImplementation(libs.junit)
    androidTestImplementation(libs.androidx.test.runner)
    androidTestImplementation(libs.androidx.test.ext.junit)
}
