// Runs every JUnit test class of the suite and prints one closing line CI can read.
package app.talus.core.tests

import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

fun main() {
    val result = JUnitCore.runClasses(TalusApiTest::class.java, VectorsAndSyncTest::class.java, TwoProcessTest::class.java, ReadModelsTest::class.java)
    for (failure in result.failures) {
        println("FAILED ${failure.testHeader}: ${failure.message}")
        println(failure.trace.lineSequence().take(12).joinToString("\n"))
    }
    val failed = result.failureCount
    println("kotlin: ${result.runCount - failed} passed, $failed failed")
    exitProcess(if (result.wasSuccessful()) 0 else 1)
}
