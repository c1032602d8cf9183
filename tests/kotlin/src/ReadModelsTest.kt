// JVM tests of the screens' read models and of session corrections through the generated
// Kotlin bindings: week plan, session detail, level numbering, safety state, sync status,
// per-cause error codes, and a session edit that beats a concurrent delete on another device.
package app.talus.core.tests

import app.talus.core.*
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.nio.file.Files

private const val T0 = 1_780_000_000_000L // 2026-05-28T20:26Z
private const val HOUR = 3_600_000L
private const val DAY = 24 * HOUR

private fun newProfile(): String = Files.createTempDirectory("talus-kt-rm").resolve("profile").toString()

private fun quietMorning(at: Long, flags: List<String> = emptyList()) = CheckInInput(
    atMs = at, zone = "UTC",
    painCalf = 0, painAchilles = 0, painAnkle = 1,
    stiffnessCalf = 1, stiffnessAchilles = 0, stiffnessAnkle = 1,
    redFlagsYes = flags, runId = null,
)

/** A screened profile with a green morning. */
private fun Engine.ready(): Engine {
    submitScreening(screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }, T0 - 4_000)
    morningCheckin(quietMorning(T0 - 3_000), T0 - 3_000)
    return this
}

/** Runs today's session to the end answering [pain] after every set; returns its id and end. */
private fun Engine.runSession(pain: Int): Pair<String, Long> =
    startSession(T0, "UTC").use { s ->
        var now = T0
        var frame = s.frame(now)
        var n = 0
        while (frame.step != Step.SUMMARY) {
            val (event, at) = when {
                frame.step == Step.NOT_STARTED -> SessionEvent.Start to now
                frame.step == Step.INTRO -> SessionEvent.VideoEnded to now + 10_000
                frame.step == Step.WORK && frame.rep != null -> SessionEvent.RepDone to now + 2_000
                frame.step == Step.PAIN_CHECK -> SessionEvent.PainReported(pain) to now + 1_000
                else -> SessionEvent.Tick to now + (frame.timeLeftMs ?: 1_000L)
            }
            now = at
            frame = s.handle(event, now)
            assertTrue(++n < 20_000)
        }
        s.id() to now
    }

private fun causeOf(block: () -> Unit): Pair<String, String> {
    try {
        block()
    } catch (e: TalusException) {
        return when (e) {
            is TalusException.InvalidInput -> e.code to e.causeCode
            is TalusException.NotFound -> e.code to e.causeCode
            is TalusException.Conflict -> e.code to e.causeCode
            is TalusException.Locked -> e.code to e.causeCode
            is TalusException.Paused -> e.code to e.causeCode
            is TalusException.ScreeningNeeded -> e.code to e.causeCode
            is TalusException.Busy -> e.code to e.causeCode
            is TalusException.Storage -> e.code to e.causeCode
            is TalusException.IncompatibleVersion -> e.code to e.causeCode
            is TalusException.Corrupt -> e.code to e.causeCode
            is TalusException.Sync -> e.code to e.causeCode
            is TalusException.Unexpected -> e.code to e.causeCode
        }
    }
    fail("expected an error")
    throw IllegalStateException()
}

class ReadModelsTest {
    @Test
    fun planLevelsCountFromOneAndMatchTheDrillsDosage() {
        Engine.open(newProfile(), T0).use { e ->
            e.ready()
            val plan = e.today(T0, "UTC")
            assertTrue(plan.items.isNotEmpty())
            for (item in plan.items) {
                assertEquals("a new runner starts on level 1", 1, item.level)
                val dose = e.drill(item.drillId, "en").dosage[item.level - 1]
                assertEquals(item.reps, dose.reps)
                assertEquals(1.0, item.reason.numbers.first { it.name == "level" }.value, 0.0)
            }
        }
    }

    @Test
    fun weekPlanHasSevenNamedDaysWithTheirReasons() {
        Engine.open(newProfile(), T0).use { e ->
            e.ready()
            val week = e.weekPlan(T0, "Europe/Berlin")
            assertEquals(7, week.days.size)
            assertTrue(week.days[0].isToday)
            assertEquals(week.days.map { it.date }.distinct().size, 7)
            for (day in week.days) {
                assertTrue(day.reasons.isNotEmpty() && day.reasons.all { it.message.isNotBlank() })
                assertTrue(day.drillNames.none { it.contains('_') })
                if (day.drillNames.isNotEmpty()) assertTrue(day.estimatedMs > 0)
                // Exhaustive over the variants: a new one breaks this build, not a screen.
                val heading = when (day.variant) {
                    PlanVariant.NORMAL, PlanVariant.LIGHT, PlanVariant.MOBILITY_ONLY, PlanVariant.RECOVERY,
                    PlanVariant.REST, PlanVariant.LOCKED, PlanVariant.PAUSED, PlanVariant.SCREENING_NEEDED,
                    -> day.variant.label("de")
                }
                assertFalse(heading, heading.contains('_'))
            }
            assertEquals("bad_zone", causeOf { e.weekPlan(T0, "Mars/Base") }.second)
        }
    }

    @Test
    fun sessionDetailAndCorrectionOfAWrongPainAnswer() {
        Engine.open(newProfile(), T0).use { e ->
            e.ready()
            val (id, end) = e.runSession(1)
            val detail = e.sessionDetail(id)
            assertEquals(SessionOutcome.FINISHED, detail.session.outcome)
            assertEquals(end - T0, detail.totalMs)
            assertTrue(detail.drills.isNotEmpty())
            assertTrue(detail.drills.all { it.drillName != it.drillId && it.level == 1 && it.maxPain == 1 })
            assertEquals(detail.session.sets.size, detail.drills.sumOf { it.setsDone + it.setsSkipped })
            val first = detail.session.sets[0]
            val fix = SetCorrectionInput(first.drillId, first.side, first.setIndex, 0, first.repsDone, first.holdDoneMs)
            val fixed = e.correctSessionSet(id, fix, end + 1_000)
            assertEquals(0, fixed.session.sets[0].pain)
            assertEquals(0, e.session(id).sets[0].pain)
            // A bad value or an unknown set changes nothing, each with its cause.
            assertEquals("invalid_input" to "bad_value", causeOf { e.correctSessionSet(id, fix.copy(pain = 11), end + 2_000) })
            assertEquals("not_found" to "unknown_record", causeOf { e.correctSessionSet(id, fix.copy(setIndex = 99), end + 2_000) })
            assertEquals("invalid_input" to "bad_id", causeOf { e.sessionDetail("session-1") })
            assertEquals(0, e.session(id).sets[0].pain)
        }
    }

    @Test
    fun aSessionEditBeatsAConcurrentDeleteOnTheOtherDevice() {
        Engine.open(newProfile(), T0).use { phone ->
            Engine.open(newProfile(), T0).use { tablet ->
                phone.ready()
                val (id, end) = phone.runSession(1)
                tablet.importSegment(phone.exportForDevice(tablet.deviceId()), end)
                val sets = tablet.session(id).sets
                val first = sets[0]
                // Offline on both: the tablet deletes the session, the phone then corrects it.
                tablet.deleteSession(id, end + 10)
                phone.correctSessionSet(id, SetCorrectionInput(first.drillId, first.side, first.setIndex, 3, first.repsDone, first.holdDoneMs), end + 20)
                val toPhone = phone.importSegment(tablet.exportForDevice(phone.deviceId()), end + 30)
                val toTablet = tablet.importSegment(phone.exportForDevice(tablet.deviceId()), end + 30)
                assertTrue((toPhone.keptAfterDelete + toTablet.keptAfterDelete).any { it.contains(id) })
                for (e in listOf(phone, tablet)) {
                    val s = e.session(id)
                    assertEquals("every set came back", sets.size, s.sets.size)
                    assertEquals(3, s.sets[0].pain)
                }
                // A later delete wins everywhere.
                phone.deleteSession(id, end + 40)
                tablet.importSegment(phone.exportForDevice(tablet.deviceId()), end + 50)
                for (e in listOf(phone, tablet)) {
                    assertEquals("not_found" to "unknown_record", causeOf { e.session(id) })
                }
                // The sync screen: when each device last heard from the other.
                val status = tablet.syncStatus()
                assertTrue(status.devices.first().thisDevice)
                assertNull(status.devices.first().lastExchangeMs)
                assertEquals(end + 50, status.devices.first { it.deviceId == phone.deviceId() }.lastExchangeMs)
                assertNull(status.lastFolderSyncMs)
                assertTrue(status.skipped.isEmpty())
            }
        }
    }

    @Test
    fun safetyStateNamesTheQuestionWhereAndWhenAndWhoCleared() {
        Engine.open(newProfile(), T0).use { e ->
            e.ready()
            e.morningCheckin(quietMorning(T0 - 1_000, listOf("calf_swollen_hot")), T0 - 1_000)
            val locked = e.safetyState()
            assertEquals(SafetyStatus.LOCKED, locked.status)
            val flag = locked.flags.single()
            assertEquals("calf_swollen_hot", flag.questionId)
            assertEquals("clot", flag.group)
            assertEquals(FlagSource.MORNING_CHECK_IN, flag.source)
            assertEquals(T0 - 1_000, flag.atMs)
            assertTrue(flag.urgent && locked.urgent)
            assertFalse(flag.question, flag.question.contains('_'))
            assertFalse(FlagSource.MORNING_CHECK_IN.label("de").contains('_'))
            assertNotNull(locked.referral)
            assertEquals("locked" to "red_flag", causeOf { e.startSession(T0, "UTC") })
            assertEquals("locked" to "red_flag", causeOf { e.startSession(T0, "UTC") })
            val cleared = e.confirmClinicianClearance("Dr Weber", "2026-05-28", T0 + 1, "UTC")
            assertEquals(SafetyStatus.CLEARED, cleared.status)
            assertEquals("Dr Weber", cleared.clinician)
            assertEquals("2026-05-28", cleared.seenOn)
            assertEquals(T0 + 1, cleared.sinceMs)
            assertTrue(cleared.flags.isEmpty())
            assertEquals("invalid_input" to "bad_clearance", causeOf { e.confirmClinicianClearance("Dr Weber", "28.05.2026", T0 + 2, "UTC") })
        }
    }

    @Test
    fun levelHistoryIsEmptyUntilALevelMovesAndConflictsNameTheirCause() {
        Engine.open(newProfile(), T0).use { e ->
            assertTrue(e.levelHistory().isEmpty())
            assertEquals("screening_needed" to "not_screened", causeOf { e.startSession(T0, "UTC") })
            e.ready()
            e.startSession(T0, "UTC").use { s -> s.handle(SessionEvent.Start, T0) }
            // The open session is resumed by startSession; correcting it is refused until it is over.
            val open = e.resumeSession()!!
            assertEquals("conflict" to "state_changed", causeOf {
                e.correctSessionSet(open.id(), SetCorrectionInput("x", null, 0, 1, null, null), T0 + 1)
            })
            open.close()
        }
    }
}
