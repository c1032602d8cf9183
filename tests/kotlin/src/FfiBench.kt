// FFI cost from Kotlin over JNA, each figure a ratio to a no-op uniffi call measured in the
// same rounds (floor and measure alternate, so load on the shared machine hits both alike).
// Run by scripts/bench-ffi.sh, which passes the 10-year profile and the Rust side's figures
// for it (bindings/benches/ffi_parts.rs) as system properties:
//   talus.profile  a copy of the 10-year profile folder (optional)
//   talus.nowMs, talus.zone  the instant and zone the Rust side measured at
//   talus.todayStoreReadsNs, talus.todayRustNs, talus.remindersRustNs  its medians
//   talus.profileOnly  "true" to measure only the 10-year profile (the script's later passes)
package app.talus.core.tests

import app.talus.core.*
import java.nio.file.Files

/** Keeps the JIT from dropping work whose result is otherwise unused. */
@Volatile private var sink = 0L

/** What the shells show at `now` for a frame drawn earlier (SessionModel's timeLeftAt). */
private fun countdownAt(frame: FrameInfo, now: Long): Long? =
    frame.deadlineMs?.let { ((it - now).coerceAtLeast(0) + 999) / 1_000 * 1_000 } ?: frame.timeLeftMs

/** Median time of one call, in ns, over a batch of `n` calls. */
private fun batch(n: Int, block: () -> Unit): Double {
    val times = LongArray(n)
    for (i in 0 until n) {
        val t = System.nanoTime()
        block()
        times[i] = System.nanoTime() - t
    }
    times.sort()
    return times[n / 2].toDouble()
}

private class Measure(val ns: Double, val floorNs: Double, val ratio: Double, val lo: Double, val hi: Double)

/**
 * `rounds` rounds of (a batch of no-op calls, a batch of `n` calls of `block`); the figure is
 * the median over rounds, the ratio the median of the per-round ratios to `floorOf(noop)`.
 */
private fun measure(rounds: Int, n: Int, floorOf: (Double) -> Double = { it }, block: () -> Unit): Measure {
    val ns = DoubleArray(rounds)
    val floors = DoubleArray(rounds)
    val ratios = DoubleArray(rounds)
    for (r in 0 until rounds) {
        floors[r] = floorOf(batch(2_001) { noop() })
        ns[r] = batch(n, block)
        ratios[r] = ns[r] / floors[r]
    }
    ns.sort(); floors.sort(); ratios.sort()
    return Measure(ns[rounds / 2], floors[rounds / 2], ratios[rounds / 2], ratios[rounds / 10], ratios[rounds - 1 - rounds / 10])
}

private fun report(name: String, m: Measure, floor: String = "no-op") = println(
    "%-44s %9.1f µs  floor (%s) %7.1f µs  %5.2f× (%.2f–%.2f)".format(name, m.ns / 1000, floor, m.floorNs / 1000, m.ratio, m.lo, m.hi),
)

fun main() {
    val now = 1_780_000_000_000L
    val dir = Files.createTempDirectory("talus-bench").resolve("p").toString()
    repeat(20_000) { noop() } // warm-up (JIT)
    println("FFI from Kotlin: median per call; ratio = median of per-round ratios (10th–90th percentile)")
    // talus.profileOnly: a later pass of bench-ffi.sh, which repeats only the 10-year part.
    if (System.getProperty("talus.profileOnly") != "true") Engine.open(dir, now).use { e ->
        // Screened, so today() plans a real day (before the first screening it returns early).
        e.submitScreening(e.screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }, now)
        repeat(200) { e.catalogVersion(); e.today(now, "UTC") }
        report("noop() (floor against itself)", measure(15, 20_001) { noop() })
        // A free function returning a short string: the call plus freeing its buffer.
        report("coreVersion() (String)", measure(15, 20_001) { coreVersion() })
        report("catalogVersion() (object method, Int)", measure(15, 20_001) { e.catalogVersion() })
        report("drills(en) (23 records)", measure(15, 501) { e.drills("en") })
        val todayEmpty = measure(15, 201) { e.today(now, "UTC") }
        report("today() empty profile", todayEmpty)
        System.getProperty("talus.todayEmptyRustNs")?.toDouble()?.let { rust ->
            println("  of which the Rust call %.1f µs, the FFI %.1f µs".format(rust / 1000, (todayEmpty.ns - rust) / 1000))
        }
        report("weekPlan() (7 days)", measure(15, 51) { e.weekPlan(now, "UTC") })
        e.startSession(now, "UTC").use { s ->
            s.handle(SessionEvent.Start, now)
            repeat(2_000) { s.handle(SessionEvent.Tick, now) } // warm-up
            report("GuidedSession.resumed() (Boolean)", measure(15, 20_001) { s.resumed() })
            // The intro's frame carries the drill's description; the frames of a set do not.
            report("frame(now) → FrameInfo, intro", measure(15, 20_001) { s.frame(now) })
            report("handle(Tick) → FrameInfo, intro", measure(15, 20_001) { s.handle(SessionEvent.Tick, now) })
            s.handle(SessionEvent.VideoEnded, now) // the first set: what a timer ticks through
            repeat(2_000) { s.tick(now) }
            report("frame(now) → FrameInfo, set", measure(15, 20_001) { s.frame(now) })
            report("handle(Tick) → FrameInfo, set", measure(15, 20_001) { s.handle(SessionEvent.Tick, now) })
            report("tick(now) → FrameInfo, set", measure(15, 20_001) { s.tick(now) })
            // The per-second event of a countdown (ADR 0014 addendum): the shell works the
            // seconds out from the frame's deadline (SessionModel's timeLeftAt) and calls
            // nothing; the core hears one tick per countdown, at its deadline.
            // Reps tapped and the pain answered until a countdown runs (an end-range pause or
            // the rest after the set).
            val hold = generateSequence(s.frame(now)) { f ->
                when {
                    f.deadlineMs != null -> null
                    f.canRepDone -> s.handle(SessionEvent.RepDone, now)
                    f.canReportPain -> s.handle(SessionEvent.PainReported(0), now)
                    else -> null
                }
            }.firstOrNull { it.deadlineMs != null }
            if (hold != null) {
                var clock = now
                val local = measure(15, 20_001) { clock += 1; sink += countdownAt(hold, clock) ?: 0L }
                report("countdown second, shell-side (no call; ${hold.step})", local)
                val tick = measure(15, 20_001) { s.tick(now) }
                val seconds = ((hold.timeLeftMs ?: 1_000L) / 1_000L).coerceAtLeast(1L)
                val perSecond = ((seconds - 1) * local.ns + tick.ns) / seconds
                println(
                    "per second of a %d s countdown: %d redraws + 1 tick = %.2f µs a second, %.2f× the no-op (was one tick a second: %.2f×)"
                        .format(seconds, seconds - 1, perSecond / 1000, perSecond / tick.floorNs, tick.ratio),
                )
            }
            report("Step.label(de)", measure(15, 20_001) { Step.WORK.label("de") })
            val rustTick = System.getProperty("talus.tickWorkRustNs")?.toDouble()
            if (rustTick != null) {
                val m = measure(15, 20_001) { s.tick(now) }
                println(
                    "tick() decomposition: Rust call %.1f µs · FFI (3 JNA trips: clone handle, call, free buffer; lifting) %.1f µs (%.2f× no-op)"
                        .format(rustTick / 1000, (m.ns - rustTick) / 1000, (m.ns - rustTick) / m.floorNs),
                )
            }
        }
    }
    val profile = System.getProperty("talus.profile") ?: return
    val at = System.getProperty("talus.nowMs").toLong()
    val zone = System.getProperty("talus.zone")
    val reads = System.getProperty("talus.todayStoreReadsNs").toDouble()
    val rustToday = System.getProperty("talus.todayRustNs").toDouble()
    val rustReminders = System.getProperty("talus.remindersRustNs").toDouble()
    println("10-year profile ($profile), now $at, $zone")
    Engine.open(profile, at).use { e ->
        // Warm: the day's levels are stored, and the JIT has compiled the calls and the
        // lifting of their records as it has the no-op's (20,000 calls above). With 30 calls
        // the lifting was still interpreted in a fresh JVM: the FFI share of today() came out
        // at 165 µs after the empty-profile benches and 370–385 µs without them.
        repeat(1_000) { e.today(at, zone); e.reminders(at, zone) }
        // The clock moves on a second per call (the Today screen opened again a little
        // later): today() plans on the history read by the call before, kept while a fresh
        // read would return the same (nothing written, no window edge passed, same day).
        var later = at
        val today = measure(15, 21, { 2 * it + reads }) { later += 1_000; e.today(later, zone) }
        report("today() warm", today, "2 × no-op + store reads")
        // The same call with the clock set back a second each time: nothing kept can serve
        // an earlier instant, so every call reads its history again (the path before
        // issue 21's kept reads, plus their bookkeeping).
        var earlier = at
        val todayFresh = measure(15, 21, { 2 * it + reads }) { earlier -= 1_000; e.today(earlier, zone) }
        report("today() reading its history every call", todayFresh, "2 × no-op + store reads")
        val reminders = measure(15, 21) { e.reminders(at, zone) }
        report("reminders()", reminders)
        println(
            "today() decomposition: Rust today() on kept reads %.1f µs (planning, the freshness check, conversion) · FFI (JNA calls, lowering, lifting) %.1f µs; a fresh read alone is %.1f µs"
                .format(rustToday / 1000, (today.ns - rustToday) / 1000, reads / 1000),
        )
        println(
            "reminders() decomposition: Rust call %.1f µs · FFI %.1f µs · %.2f ms against the 1 ms budget"
                .format(rustReminders / 1000, (reminders.ns - rustReminders) / 1000, reminders.ns / 1e6),
        )
    }
}
