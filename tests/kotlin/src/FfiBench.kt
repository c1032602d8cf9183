// FFI cost from Kotlin: a no-op call (the floor), a cheap catalog call, today's plan, the
// week ahead and a guided-session event (`handle(Tick)`, which returns a whole frame), each reported as a
// ratio to the floor measured in the same run. Run by scripts/bench-ffi.sh.
package app.talus.core.tests

import app.talus.core.*
import java.nio.file.Files

private fun median(runs: Int, block: () -> Unit): Double {
    val times = LongArray(runs)
    for (i in 0 until runs) {
        val t = System.nanoTime()
        block()
        times[i] = System.nanoTime() - t
    }
    times.sort()
    return times[runs / 2].toDouble()
}

fun main() {
    val now = 1_780_000_000_000L
    val dir = Files.createTempDirectory("talus-bench").resolve("p").toString()
    Engine.open(dir, now).use { e ->
        // Screened, so today() plans a real day (before the first screening it returns early).
        e.submitScreening(e.screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }, now)
        repeat(20_000) { noop() } // warm-up (JIT)
        repeat(200) { e.catalogVersion(); e.today(now, "UTC") }
        val floor = median(20_001) { noop() }
        val version = median(20_001) { e.catalogVersion() }
        val drills = median(2_001) { e.drills("en") }
        val today = median(501) { e.today(now, "UTC") }
        println("noop floor: %.1f µs".format(floor / 1000))
        println("catalogVersion: %.1f µs (%.1f× floor)".format(version / 1000, version / floor))
        println("drills(en) (23 records): %.1f µs (%.1f× floor)".format(drills / 1000, drills / floor))
        val week = median(101) { e.weekPlan(now, "UTC") }
        println("today(): %.1f µs (%.1f× floor)".format(today / 1000, today / floor))
        println("weekPlan() (7 days): %.1f µs (%.1f× floor)".format(week / 1000, week / floor))
        e.startSession(now, "UTC").use { s ->
            s.handle(SessionEvent.Start, now)
            repeat(2_000) { s.handle(SessionEvent.Tick, now) } // warm-up
            val handle = median(20_001) { s.handle(SessionEvent.Tick, now) }
            val label = median(20_001) { Step.WORK.label("de") }
            println("handle(Tick) → frame: %.1f µs (%.1f× floor)".format(handle / 1000, handle / floor))
            println("Step.label(de): %.1f µs (%.1f× floor)".format(label / 1000, label / floor))
        }
    }
}
