// Runs the Android shell's journey tests and prints one closing line CI can read.
package app.talus.android.tests

import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

fun main() {
    val result = JUnitCore.runClasses(
        FirstRunJourney::class.java,
        GuidedSessionJourney::class.java,
        LongRunJourney::class.java,
        RedFlagLaterJourney::class.java,
    )
    for (failure in result.failures) {
        println("FAILED ${failure.testHeader}: ${failure.message}")
        println(failure.trace.lineSequence().take(14).joinToString("\n"))
    }
    val failed = result.failureCount
    println("android shell: ${result.runCount - failed} passed, $failed failed")
    exitProcess(if (result.wasSuccessful()) 0 else 1)
}
