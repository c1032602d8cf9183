// JVM tests of the generated Kotlin bindings against the real libtalus_ffi: the contract a
// phone app relies on (objects, records, errors), not the rules again.
package app.talus.core.tests

import app.talus.core.*
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.nio.file.Files

private const val NOW = 1_780_000_000_000L // 2026-05-28T20:26Z

private fun profile(): String = Files.createTempDirectory("talus-kt").resolve("profile").toString()

private fun checkin(pain: Int, flags: List<String> = emptyList()) = CheckInInput(
    atMs = NOW - 60_000, zone = "UTC",
    painCalf = 0, painAchilles = 0, painAnkle = pain,
    stiffnessCalf = 1, stiffnessAchilles = 0, stiffnessAnkle = 1,
    redFlagsYes = flags, runId = null,
)

private fun next(f: FrameInfo, now: Long): Pair<SessionEvent, Long> = when {
    f.step == Step.NOT_STARTED -> SessionEvent.Start to now
    f.step == Step.INTRO -> SessionEvent.VideoEnded to now + 10_000
    f.step == Step.WORK && f.rep != null -> SessionEvent.RepDone to now + 2_000
    f.step == Step.PAIN_CHECK -> SessionEvent.PainReported(1) to now + 1_000
    else -> SessionEvent.Tick to now + (f.timeLeftMs ?: 1_000L)
}

/** The stable code every error case carries; the `when` is exhaustive over the cases. */
internal fun TalusException.stableCode(): String = when (this) {
    is TalusException.InvalidInput -> code
    is TalusException.NotFound -> code
    is TalusException.Conflict -> code
    is TalusException.Locked -> code
    is TalusException.Paused -> code
    is TalusException.ScreeningNeeded -> code
    is TalusException.Busy -> code
    is TalusException.Storage -> code
    is TalusException.IncompatibleVersion -> code
    is TalusException.Corrupt -> code
    is TalusException.Sync -> code
    is TalusException.Unexpected -> code
}

private val CODES = mapOf(
    TalusException.InvalidInput::class to "invalid_input",
    TalusException.NotFound::class to "not_found",
    TalusException.Conflict::class to "conflict",
    TalusException.Locked::class to "locked",
    TalusException.Paused::class to "paused",
    TalusException.ScreeningNeeded::class to "screening_needed",
)

private inline fun <reified T : TalusException> assertThrows(block: () -> Unit) {
    try {
        block()
        fail("expected ${T::class.simpleName}")
    } catch (e: TalusException) {
        assertTrue("got ${e::class.simpleName}: ${e.message}", e is T)
        // The case carries its stable code; its text (toString, from Rust's Display) is the
        // plain detail with no field-name noise.
        assertEquals(CODES.getValue(T::class), e.stableCode())
        assertFalse(e.toString(), e.toString().contains("reason=") || e.toString().contains("code="))
        assertTrue(e.toString().isNotBlank())
    }
}

class TalusApiTest {
    @Test
    fun fullScenarioFromScreeningToHistory() {
        val dir = profile()
        Engine.open(dir, NOW).use { engine ->
            assertTrue(engine.openInfo().created)
            assertThrows<TalusException.ScreeningNeeded> { engine.startSession(NOW, "UTC") }
            val answers = engine.screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }
            assertEquals(20, answers.size)
            assertFalse(engine.submitScreening(answers, NOW).locked)
            assertEquals(MorningStatus.GREEN, engine.morningCheckin(checkin(1), NOW).status)
            val plan = engine.today(NOW, "UTC")
            assertEquals(PlanVariant.NORMAL, plan.variant)
            assertTrue(plan.items.isNotEmpty())
            assertTrue(plan.items.all { it.reason.message.isNotBlank() })

            engine.startSession(NOW, "UTC").use { session ->
                var now = NOW
                var frame = session.frame(now)
                var steps = 0
                while (frame.step != Step.SUMMARY) {
                    val (event, at) = next(frame, now)
                    now = at
                    frame = session.handle(event, now)
                    steps++
                    assertTrue(steps < 20_000)
                }
                assertEquals(1.0, frame.progress, 1e-9)
                assertTrue(frame.effects.any { it is EffectInfo.SessionFinished })
            }
            val long = RunInput("healthkit", "HK-77", NOW - 3 * 3_600_000, NOW - 3_600_000, 24_000.0, listOf("long"), "Europe/London")
            assertEquals(RunOutcome.INSERTED, engine.recordRun(long, NOW).outcome)
            assertEquals(RunOutcome.UNCHANGED, engine.recordRun(long, NOW).outcome)
        }
        // Reopen: same device, history is there.
        Engine.open(dir, NOW + 1).use { engine ->
            assertFalse(engine.openInfo().created)
            val sessions = engine.recentSessions(10)
            assertEquals(1, sessions.size)
            assertEquals(SessionStatus.FINISHED, sessions[0].status)
            assertTrue(sessions[0].sets.all { it.pain == 1 })
            assertEquals(1, engine.runs(NOW - 86_400_000, NOW).size)
        }
    }

    @Test
    fun everyKindOfBadInputGetsItsDocumentedError() {
        Engine.open(profile(), NOW).use { e ->
            assertThrows<TalusException.InvalidInput> { e.morningCheckin(checkin(11), NOW) }
            assertThrows<TalusException.InvalidInput> { e.morningCheckin(checkin(-1), NOW) }
            assertThrows<TalusException.InvalidInput> { e.recordKneeToWall(Side.LEFT, -2.0, NOW, "UTC", NOW) }
            assertThrows<TalusException.InvalidInput> { e.recordKneeToWall(Side.LEFT, 9.0, NOW, "Mars/Base", NOW) }
            assertThrows<TalusException.InvalidInput> {
                e.recordRun(RunInput("hk", "x", NOW, NOW - 1, 1000.0, emptyList(), "UTC"), NOW)
            }
            assertThrows<TalusException.InvalidInput> {
                e.recordRun(RunInput("hk", "x", NOW - 1000, NOW, -5.0, emptyList(), "UTC"), NOW)
            }
            assertThrows<TalusException.InvalidInput> {
                e.recordRun(RunInput("hk", "x", NOW - 1000, NOW, 5.0, emptyList(), "Nowhere/City"), NOW)
            }
            assertThrows<TalusException.InvalidInput> { e.today(NOW, "Not/AZone") }
            assertThrows<TalusException.InvalidInput> { e.submitScreening(listOf(Answer("nope", ScreeningAnswer.YES)), NOW) }
            e.submitScreening(e.screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }, NOW)
            assertThrows<TalusException.NotFound> { e.drill("moonwalk", "en") }
            assertThrows<TalusException.Conflict> {
                e.morningCheckin(checkin(2).copy(atMs = NOW + 86_400_000), NOW)
            }
            e.startSession(NOW, "UTC").use { s ->
                assertThrows<TalusException.InvalidInput> { s.handle(SessionEvent.RepDone, NOW) }
                s.handle(SessionEvent.Start, NOW)
                assertThrows<TalusException.InvalidInput> { s.handle(SessionEvent.PainReported(11), NOW + 1) }
                assertThrows<TalusException.InvalidInput> { s.handle(SessionEvent.Tick, Long.MIN_VALUE) }
                assertThrows<TalusException.InvalidInput> { s.frame(Long.MIN_VALUE) }
            }
            // Nothing above changed anything.
            assertTrue(e.kneeToWallIsEmpty())
            assertTrue(e.runs(0, NOW * 2).isEmpty())
        }
    }

    @Test
    fun eachSideAnswersPainForItselfAndAStretchIsNotPain() {
        Engine.open(profile(), NOW).use { e ->
            e.submitScreening(e.screeningQuestions("en").map { Answer(it.id, ScreeningAnswer.NO) }, NOW)
            val asked = mutableListOf<Side?>()
            e.startSession(NOW, "UTC").use { s ->
                var now = NOW
                var frame = s.frame(now)
                // The first each-side drill's first set: a stretch on one side, pain 1 on the
                // other (both-feet drills before it answer pain 1).
                while (asked.size < 2) {
                    val event = if (frame.step == Step.PAIN_CHECK && frame.side != null) {
                        assertTrue(frame.canReportPain)
                        asked += frame.side
                        if (asked.size == 1) SessionEvent.StretchReported else SessionEvent.PainReported(1)
                    } else next(frame, now).first
                    now += 1_000
                    frame = s.handle(event, now)
                    if (asked.size == 1 && frame.step != Step.PAIN_CHECK) {
                        // Between the two sides' answers the runner switches legs.
                        assertTrue(frame.step == Step.SIDE_SWITCH || frame.step == Step.WORK)
                    }
                }
                s.handle(SessionEvent.Stop, now + 1_000)
            }
            assertEquals(2, asked.toSet().size)
            assertTrue(asked.all { it != null })
            val sets = e.recentSessions(1).single().sets
            // Each side's set carries its own answer: the stretch as no pain, the other as 1.
            assertEquals(listOf(0), sets.filter { it.side == asked[0] }.map { it.pain })
            assertTrue(sets.filter { it.side == asked[0] }.all { it.stretch })
            assertEquals(listOf(1), sets.filter { it.side == asked[1] }.map { it.pain })
            assertTrue(sets.none { it.side == asked[1] && it.stretch })
        }
    }

    @Test
    fun redFlagLocksUntilClinicianClears() {
        Engine.open(profile(), NOW).use { e ->
            val m = e.morningCheckin(checkin(0, listOf("heel_pop")), NOW)
            assertEquals(MorningStatus.RED, m.status)
            assertEquals(PlanVariant.LOCKED, e.today(NOW, "UTC").variant)
            assertThrows<TalusException.Locked> { e.startSession(NOW, "UTC") }
            val locked = e.safetyState()
            assertEquals(SafetyStatus.LOCKED, locked.status)
            assertEquals(listOf("heel_pop"), locked.reasons)
            val cleared = e.confirmClinicianClearance("Dr Weber", "2026-05-28", NOW + 1, "UTC")
            assertEquals(SafetyStatus.CLEARED, cleared.status)
            assertEquals("Dr Weber", cleared.clinician)
            assertTrue(e.today(NOW + 2, "UTC").variant != PlanVariant.LOCKED)
        }
    }

    @Test
    fun catalogIsLocalizedAndComplete() {
        Engine.open(profile(), NOW).use { e ->
            val drills = e.drills("de")
            assertEquals(23, drills.size)
            val banded = e.drill("banded_df_mob", "de")
            assertEquals("Sprunggelenk-Mobilisation mit Band", banded.name)
            assertEquals(PainPolicy.PAIN_FREE, banded.painPolicy)
            assertNotNull(banded.segments.firstOrNull { it.kind == SegmentKind.DEMO })
            assertEquals(e.drill("banded_df_mob", "fr").name, e.drill("banded_df_mob", "en").name)
        }
    }

    @Test
    fun everyLabelButtonAndErrorComesLocalizedFromTheCore() {
        val german = listOf(
            Step.values().map { it.label("de") }, PlanVariant.values().map { it.label("de") },
            SessionStatus.values().map { it.label("de") }, LevelChange.values().map { it.label("de") },
            MorningStatus.values().map { it.label("de") }, DrillKind.values().map { it.label("de") },
            PainPolicy.values().map { it.label("de") }, app.talus.core.Target.values().map { it.label("de") },
            Equipment.values().map { it.label("de") }, ReminderKind.values().map { it.label("de") },
            Side.values().map { it.label("de") },
        ).flatten()
        // A missing string would come back as its snake_case wire name.
        assertTrue(german.toString(), german.none { it.isBlank() || it.contains('_') })
        assertEquals("Wie hat sich das angefühlt?", Step.PAIN_CHECK.label("de"))
        assertEquals("Rest day", PlanVariant.REST.label("en"))
        val words = screenWords("de")
        assertEquals(11, words.painScale.size)
        assertEquals("Kein Schmerz", words.painScale[0].words)
        assertTrue(words.justStretch.isNotBlank() && words.start != screenWords("en").start)
        Engine.open(profile(), NOW).use { e ->
            try {
                e.drill("moonwalk", "de")
                fail("expected NotFound")
            } catch (err: TalusException) {
                assertTrue(err.userMessage("de"), err.userMessage("de").contains("Eintrag"))
            }
        }
    }

    @Test
    fun correctionsAndDeletesSyncAndAnEditBeatsAConcurrentDelete() {
        val day = 86_400_000L
        Engine.open(profile(), NOW).use { phone ->
            Engine.open(profile(), NOW).use { tablet ->
                val rom = phone.recordKneeToWall(Side.LEFT, 9.0, NOW - day, "UTC", NOW)
                val c = phone.recordCheckin(checkin(2), NOW)
                val run = phone.recordRun(RunInput("manual", "r1", NOW - day, NOW - day + 1_800_000, 5_000.0, emptyList(), "UTC"), NOW).run
                tablet.importSegment(phone.exportForDevice(tablet.deviceId()), NOW)
                // Offline: the tablet deletes, the phone corrects the same entries.
                tablet.deleteKneeToWall(rom.id, NOW + 1)
                tablet.deleteCheckin(c, NOW + 1)
                tablet.deleteRun(run.id, NOW + 1)
                phone.correctKneeToWall(rom.id, Side.LEFT, 9.5, NOW - day, "UTC", NOW + 2)
                phone.correctCheckin(c, checkin(1), NOW + 2)
                tablet.importSegment(phone.exportForDevice(tablet.deviceId()), NOW + 3)
                phone.importSegment(tablet.exportForDevice(phone.deviceId()), NOW + 3)
                for (e in listOf(phone, tablet)) {
                    assertEquals(listOf(9.5), e.kneeToWallSeries(Side.LEFT).map { it.cm })
                    assertEquals(listOf(1), e.checkins(0, NOW * 2).map { it.painAnkle })
                    // The run was deleted and not edited: the delete reached both devices.
                    assertTrue(e.runs(0, NOW * 2).isEmpty())
                }
                // Bad corrections and deletes change nothing.
                assertThrows<TalusException.InvalidInput> { phone.correctKneeToWall(rom.id, Side.LEFT, -1.0, NOW, "UTC", NOW) }
                assertThrows<TalusException.InvalidInput> { phone.correctCheckin(c, checkin(11), NOW) }
                assertThrows<TalusException.InvalidInput> { phone.deleteCheckin("not-an-id", NOW) }
                assertThrows<TalusException.NotFound> { phone.deleteRun(run.id, NOW + 4) }
                assertEquals(listOf(9.5), phone.kneeToWallSeries(Side.LEFT).map { it.cm })
                val report = phone.kneeToWallReport(NOW)
                assertEquals(1, report.left.points.size)
                assertTrue(report.right.points.isEmpty())
            }
        }
    }
}

private fun Engine.kneeToWallIsEmpty(): Boolean =
    kneeToWallSeries(Side.LEFT).isEmpty() && kneeToWallSeries(Side.RIGHT).isEmpty()
