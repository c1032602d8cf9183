// One profile written from two JVM processes at once through the generated bindings: every
// call succeeds, nothing is lost, no internal SQL error reaches Kotlin (ADR 0008). The
// second process is this file's `main`, started with the same class path.
package app.talus.core.tests

import app.talus.core.*
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files

private const val T0 = 1_780_000_000_000L
private const val WRITES = 40

/** Records WRITES runs and knee-to-wall results as `who`; returns the error codes seen. */
private fun writeMany(engine: Engine, who: String, offsetMs: Long): List<String> {
    val errors = mutableListOf<String>()
    for (i in 0 until WRITES) {
        val start = T0 - (i + 1) * 3_600_000L
        try {
            engine.recordRun(RunInput(who, "$who-$i", start, start + 1_800_000L, 5_000.0, emptyList(), "UTC"), T0)
            engine.recordKneeToWall(Side.RIGHT, 8.5, T0 - 86_400_000L + offsetMs + i, "UTC", T0)
        } catch (e: TalusException) {
            errors += e.message ?: e.toString()
        }
    }
    return errors
}

/** The second process: `TwoProcessTestKt <profile dir>`; prints how many calls failed. */
fun main(args: Array<String>) {
    val errors = Engine.open(args[0], T0).use { writeMany(it, "child", 100_000L) }
    println("TALUS-ERRORS ${errors.size}")
    errors.take(3).forEach { println("TALUS-ERROR $it") }
}

class TwoProcessTest {
    @Test
    fun twoProcessesWriteOneProfileAndLoseNothing() {
        val dir = Files.createTempDirectory("kt-two").resolve("p").toString()
        Engine.open(dir, T0).use { engine ->
            val java = File(System.getProperty("java.home"), "bin/java").path
            val child = ProcessBuilder(
                java,
                "-Djna.library.path=${System.getProperty("jna.library.path") ?: ""}",
                "-cp", System.getProperty("java.class.path"),
                "app.talus.core.tests.TwoProcessTestKt", dir,
            ).redirectErrorStream(true).start()
            val mine = writeMany(engine, "parent", 0L)
            val output = child.inputStream.bufferedReader().readText()
            assertEquals(output, 0, child.waitFor())
            assertTrue("child: $output", output.contains("TALUS-ERRORS 0"))
            assertTrue("parent: $mine", mine.isEmpty())
            assertEquals(2 * WRITES, engine.runs(0, T0 * 2).size)
            assertEquals(2 * WRITES, engine.kneeToWallSeries(Side.RIGHT).size)
            assertTrue(engine.verifyStorage())
        }
    }
}
