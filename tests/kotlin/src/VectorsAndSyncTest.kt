// The shared rule vectors (tests/vectors/progression.json) checked from Kotlin through the
// API's dry run, and the long-run → reminder → sync path of a phone app against the real
// library. Expectations are compared here, in Kotlin, so the records crossing the FFI are
// checked too.
package app.talus.core.tests

import app.talus.core.*
import com.google.gson.JsonElement
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Instant

private fun JsonObject.str(key: String): String? =
    get(key)?.takeUnless { it.isJsonNull }?.asString

private fun sideName(side: Side?): String? = side?.name?.lowercase()

// The vectors name enum values by their stable snake_case wire names.
private fun wire(value: Enum<*>): String = value.name.lowercase()

class VectorsAndSyncTest {
    private fun check(sc: JsonObject): List<String> {
        val fails = mutableListOf<String>()
        val now = Instant.parse(sc.str("now")).toEpochMilli()
        val zone = sc.str("zone")!!
        val settings = sc.get("settings")?.takeUnless { it.isJsonNull }?.toString()
        val expect = sc.getAsJsonObject("expect")
        val outcome = try {
            dryRunRules(sc.get("history").toString(), settings, now, zone)
        } catch (e: TalusException) {
            val want = expect.str("error")
            val kindOk = when (want) {
                "unknown_zone" -> e is TalusException.InvalidInput
                else -> false
            }
            if (!kindOk) fails += "unexpected ${e::class.simpleName}: ${e.message}"
            return fails
        }
        expect.str("error")?.let { fails += "expected error $it, got a result" }
        expect.getAsJsonObject("morning")?.let { m ->
            val got = outcome.morning
            if (got == null) {
                fails += "morning: nothing classified"
            } else {
                if (wire(got.status) != m.str("status")) fails += "morning: ${got.status} != ${m.str("status")}"
                m.str("reason")?.let { r ->
                    if (got.reasons.none { it.code == r }) fails += "morning: no reason $r in ${got.reasons.map { it.code }}"
                }
            }
        }
        expect.getAsJsonArray("levels")?.forEach { el: JsonElement ->
            val l = el.asJsonObject
            val d = outcome.levels.find { it.drillId == l.str("drill") && sideName(it.side) == l.str("side") }
            if (d == null) {
                fails += "levels: no decision for ${l.str("drill")} ${l.str("side")}"
            } else {
                if (wire(d.change) != l.str("change")) fails += "levels ${d.drillId}: ${d.change} != ${l.str("change")}"
                l.str("to_drill")?.let { if (d.toDrillId != it) fails += "levels ${d.drillId}: to ${d.toDrillId} != $it" }
                l.get("to_level")?.takeUnless { it.isJsonNull }?.asLong?.let {
                    // Vectors hold the core's 0-based index; the API counts levels from 1 (ADR 0012).
                    if (d.toLevel.toLong() != it + 1) fails += "levels ${d.drillId}: level ${d.toLevel} != ${it + 1}"
                }
                l.str("reason")?.let { if (d.reason.code != it) fails += "levels ${d.drillId}: ${d.reason.code} != $it" }
            }
        }
        if (expect.get("levels_complete")?.asBoolean == true) {
            val listed = expect.getAsJsonArray("levels")?.size() ?: 0
            if (outcome.levels.size != listed) fails += "levels: ${outcome.levels.size} decisions, expected $listed"
        }
        expect.getAsJsonObject("plan")?.let { p ->
            val plan = outcome.plan
            p.str("variant")?.let { if (wire(plan.variant) != it) fails += "plan: ${plan.variant} != $it" }
            p.getAsJsonArray("reasons")?.forEach { r ->
                if (plan.reasons.none { it.code == r.asString }) fails += "plan: no reason ${r.asString}"
            }
            p.getAsJsonArray("items")?.forEach { el ->
                val want = el.asJsonObject
                val item = plan.items.find { it.drillId == want.str("drill") }
                if (item == null) {
                    fails += "plan: ${want.str("drill")} not planned"
                } else {
                    want.get("level")?.takeUnless { it.isJsonNull }?.asLong?.let {
                        if (item.level.toLong() != it + 1) fails += "plan ${item.drillId}: level ${item.level} != ${it + 1}"
                    }
                    want.str("reason")?.let { if (item.reason.code != it) fails += "plan ${item.drillId}: ${item.reason.code} != $it" }
                }
            }
            p.getAsJsonArray("absent_drills")?.forEach { a ->
                if (plan.items.any { it.drillId == a.asString }) fails += "plan: ${a.asString} should be absent"
            }
            p.get("item_count")?.takeUnless { it.isJsonNull }?.asInt?.let {
                if (plan.items.size != it) fails += "plan: ${plan.items.size} items != $it"
            }
        }
        return fails
    }

    @Test
    fun everySharedVectorHoldsThroughTheApi() {
        val path = System.getProperty("talus.vectors") ?: "tests/vectors/progression.json"
        val root = JsonParser.parseString(File(path).readText()).asJsonObject
        val scenarios = root.getAsJsonArray("scenarios").map { it.asJsonObject }
        assertTrue("at least 40 scenarios", scenarios.size >= 40)
        val failures = scenarios.flatMap { sc -> check(sc).map { "${sc.str("name")}: $it" } }
        if (failures.isNotEmpty()) fail(failures.joinToString("\n"))
        println("vectors: ${scenarios.size} scenarios hold through the API")
    }

    @Test
    fun longRunBringsAReminderThatReconcilesAndSyncsToTheTablet() {
        val now = 1_780_000_000_000L
        val hour = 3_600_000L
        val phone = Engine.open(Files.createTempDirectory("kt-phone").resolve("p").toString(), now)
        val tablet = Engine.open(Files.createTempDirectory("kt-tablet").resolve("p").toString(), now)
        val start = now - 3 * hour
        val ingest = phone.recordRun(
            RunInput("health_connect", "hc-1", start, start + 110 * 60_000L, 21_500.0, emptyList(), "Europe/Berlin"),
            now,
        )
        assertEquals(RunOutcome.INSERTED, ingest.outcome)
        // The same record pushed again changes nothing.
        assertEquals(RunOutcome.UNCHANGED, phone.recordRun(
            RunInput("health_connect", "hc-1", start, start + 110 * 60_000L, 21_500.0, emptyList(), "Europe/Berlin"),
            now,
        ).outcome)
        val wanted = phone.reminders(now, "Europe/Berlin")
        val checkin = wanted.find { it.kind == ReminderKind.LONG_RUN_CHECK_IN }
        assertNotNull("check-in reminder after the long run", checkin)
        assertEquals("talus://checkin/${ingest.run.id}", checkin!!.deepLink)
        // A fake OS scheduler: apply the plan, then a second reconciliation changes nothing.
        val os = mutableMapOf<String, PendingReminder>()
        val first = phone.reconcileReminders(os.values.toList(), now, "Europe/Berlin")
        first.cancel.forEach { os.remove(it) }
        (first.add + first.replace).forEach { os[it.id] = PendingReminder(it.id, it.fireAtMs, it.contentHash) }
        assertEquals(wanted.map { it.id }.toSet(), os.keys)
        val second = phone.reconcileReminders(os.values.toList(), now, "Europe/Berlin")
        assertTrue(second.add.isEmpty() && second.replace.isEmpty() && second.cancel.isEmpty())
        assertEquals(os.size, second.unchanged.size)

        val report = tablet.importSegment(phone.exportForDevice(tablet.deviceId()), now)
        assertTrue(report.newChanges >= 1)
        assertEquals(phone.runs(now - 24 * hour, now), tablet.runs(now - 24 * hour, now))
        val again = tablet.importSegment(phone.exportForDevice(tablet.deviceId()), now)
        assertEquals(0, again.newChanges)
        phone.close(); tablet.close()
    }

    @Test
    fun newCallsRejectBadInputWithTheDocumentedError() {
        val now = 1_780_000_000_000L
        val e = Engine.open(Files.createTempDirectory("kt-bad").resolve("p").toString(), now)
        fun expect(kind: Class<out TalusException>, block: () -> Unit) {
            try {
                block()
                fail("expected ${kind.simpleName}")
            } catch (err: TalusException) {
                assertTrue("got ${err::class.simpleName}: ${err.message}", kind.isInstance(err))
            }
        }
        expect(TalusException.Corrupt::class.java) { e.importSegment("not a segment, just words".toByteArray(), now) }
        expect(TalusException.Corrupt::class.java) { e.importSegment(ByteArray(0), now) }
        expect(TalusException.InvalidInput::class.java) { e.exportForDevice("tablet") }
        expect(TalusException.InvalidInput::class.java) { e.reminders(now, "Mars/Olympus_Mons") }
        expect(TalusException.InvalidInput::class.java) { e.clinicianExport(now, now - 1, "UTC") }
        expect(TalusException.InvalidInput::class.java) { dryRunRules("{not json", null, now, "UTC") }
        expect(TalusException.InvalidInput::class.java) {
            e.reconcileReminders(listOf(PendingReminder("daily:x", Long.MAX_VALUE, "h")), now, "UTC")
        }
        // Nothing was written by any of them.
        assertEquals(0, e.recentSessions(10).size)
        assertTrue(e.runs(0, now).isEmpty())
        e.close()
    }
}
