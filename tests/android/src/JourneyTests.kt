// Journey tests of the Android shell layer (J1, J3, J4, J8 in JOURNEYS.md): the same view
// models, effect dispatcher, reminder reconciliation, health import and sync bridge the app
// uses, on the JVM against the real libtalus_ffi, with fakes for the platform.
package app.talus.android.tests

import app.talus.core.*
import app.talus.core.RunInput
import app.talus.core.Side
import app.talus.shell.CheckinModel
import app.talus.shell.FollowUpModel
import app.talus.shell.HealthImport
import app.talus.shell.HealthSession
import app.talus.shell.HistoryModel
import app.talus.shell.KneeToWallModel
import app.talus.shell.NotificationAnswers
import app.talus.shell.ShellText
import app.talus.shell.OnboardingModel
import app.talus.shell.PainAnswer
import app.talus.shell.ReconcileTrigger
import app.talus.shell.ReminderSync
import app.talus.shell.Route
import app.talus.shell.ScreeningChoice
import app.talus.shell.SessionModel
import app.talus.shell.SettingsModel
import app.talus.shell.SyncBridge
import app.talus.shell.SyncModel
import app.talus.shell.TodayModel
import app.talus.shell.nextCountdownRedraw
import app.talus.shell.timeLeftAt
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.time.ZoneId
import java.time.ZonedDateTime

private const val ZONE = "Europe/Berlin"

/** A local wall time in Berlin as epoch ms. */
private fun berlin(y: Int, mo: Int, d: Int, h: Int, mi: Int = 0): Long =
    ZonedDateTime.of(y, mo, d, h, mi, 0, 0, ZoneId.of(ZONE)).toInstant().toEpochMilli()

private val MORNING = berlin(2026, 6, 3, 7, 30)

/** Screening answered "no" throughout, through the onboarding model. */
private fun screenClear(engine: Engine, clock: FakeClock) {
    val m = OnboardingModel(shell(engine, clock))
    m.load()
    while (m.state.value.current != null) m.answer(ScreeningChoice.NO)
    assertEquals(false, m.state.value.result?.locked)
}

/** A green morning through the check-in model (every score 0, no red flag). */
private fun greenMorning(engine: Engine, clock: FakeClock) {
    val c = CheckinModel(shell(engine, clock), null)
    c.load()
    c.submit()
    assertEquals(MorningStatus.GREEN, c.state.value.result?.status)
}

/** Drives a session model the way a runner and the real timer would, until [until] says stop. */
private fun drive(s: SessionModel, p: Ports, clock: FakeClock, pain: (Int) -> PainAnswer, until: () -> Boolean) {
    var painChecks = 0
    var steps = 0
    while (!until()) {
        val f = s.state.value.frame ?: error("no frame; error ${s.error.value}")
        check(steps++ < 20_000) { "session did not end (step ${f.step})" }
        when {
            s.state.value.askingPain -> {
                clock.now += 3_000
                s.reportPain(pain(painChecks++))
            }
            f.step == Step.NOT_STARTED -> s.start()
            f.step == Step.INTRO -> {
                clock.now += 5_000
                s.videoEnded()
            }
            f.step == Step.WORK && f.canRepDone -> {
                clock.now += 2_500
                s.repDone()
            }
            else -> assertTrue("nothing scheduled at ${f.step}", p.ticks.fire(clock))
        }
        assertNull("core refused: ${s.error.value}", s.error.value)
    }
}

class FirstRunJourney {
    @Test
    fun everyChromeWordExistsInEnglishAndGerman() {
        assertEquals(emptyList<String>(), ShellText.missing())
        assertEquals("3 von 20", ShellText.counter(3, 20, "de"))
    }

    @Test
    fun screeningOnePerScreenThenProfileBaselineAndTheFirstReminderAsksForNotifications() {
        val clock = FakeClock(MORNING, ZONE)
        Engine.open(tempDir("j1") + "/p", clock.now).use { engine ->
            val onboarding = OnboardingModel(shell(engine, clock))
            onboarding.load()
            val first = onboarding.state.value
            assertEquals(1, first.position)
            assertEquals(20, first.total)
            assertTrue(first.current!!.text.isNotBlank())
            onboarding.answer(ScreeningChoice.NO)
            assertEquals(2, onboarding.state.value.position)
            onboarding.back()
            assertEquals(1, onboarding.state.value.position)
            while (onboarding.state.value.current != null) onboarding.answer(ScreeningChoice.NO)
            assertEquals(false, onboarding.state.value.result!!.locked)

            // Profile: zone from the system, a daily reminder at 07:45, equipment.
            val settings = SettingsModel(shell(engine, clock))
            settings.load()
            settings.edit { it.copy(homeZone = clock.zone(), dailyReminderMin = 7 * 60 + 45, equipment = listOf(Equipment.WALL, Equipment.BAND)) }
            settings.save()
            assertNull(settings.error.value)
            settings.edit { it.copy(wakeStartMin = 2000) }
            settings.save()
            assertNotNull("an impossible wake window is the core's error", settings.error.value)
            assertEquals(listOf(Equipment.WALL, Equipment.BAND), engine.settings().equipment)

            // Baseline knee-to-wall, both sides; a typo is refused and records nothing.
            val rom = KneeToWallModel(shell(engine, clock))
            rom.type("abc")
            rom.record()
            assertNotNull(rom.error.value)
            rom.type("11,5")
            rom.record()
            rom.choose(Side.RIGHT)
            rom.type("9.0")
            rom.record()
            assertNull(rom.error.value)
            assertEquals(listOf(11.5), rom.state.value.left.map { it.cm })
            assertEquals(listOf(9.0), rom.state.value.right.map { it.cm })

            // The first planned reminder is when notifications are asked for, once.
            val alarms = FakeAlarms()
            val store = MemoryStore()
            val permission = FakePermission(granted = false)
            val reminders = ReminderSync(engine, alarms, store, permission)
            val r = reminders.reconcile(ReconcileTrigger.SETTINGS_CHANGED, clock.now, clock.zone())
            assertTrue(r.armed.any { it.startsWith("daily:") })
            assertTrue(r.askNotificationPermission)
            assertFalse("exact alarms are denied by default", r.exact)
            assertTrue(alarms.armed.values.all { it.windowMs == ReminderSync.WINDOW_MS })
            reminders.permissionAsked(clock.now)
            assertFalse(reminders.reconcile(ReconcileTrigger.APP_START, clock.now, clock.zone()).askNotificationPermission)
            // Daily reminders fire at 07:45 local.
            val daily = alarms.armed.values.first { it.payload.kind == ReminderKind.DAILY_DRILLS }
            val local = java.time.Instant.ofEpochMilli(daily.atMs).atZone(ZoneId.of(ZONE))
            assertEquals(7 to 45, local.hour to local.minute)
            assertEquals(Route.Session, Route.parse(daily.payload.deepLink))
        }
    }

    @Test
    fun aYesOrNotSureLocksWithAReferralUntilAClinicianClears() {
        for (choice in listOf(ScreeningChoice.YES, ScreeningChoice.NOT_SURE)) {
            val clock = FakeClock(MORNING, ZONE)
            Engine.open(tempDir("j1-lock") + "/p", clock.now).use { engine ->
                val m = OnboardingModel(shell(engine, clock))
                m.load()
                m.answer(ScreeningChoice.NO)
                m.answer(ScreeningChoice.NO)
                m.answer(choice)
                while (m.state.value.current != null) m.answer(ScreeningChoice.NO)
                val result = m.state.value.result!!
                assertTrue("$choice must lock", result.locked)
                assertNotNull(result.referral)
                val today = TodayModel(shell(engine, clock))
                today.load()
                assertEquals(PlanVariant.LOCKED, today.state.value.plan!!.variant)
                val p = Ports()
                val s = SessionModel(shell(engine, clock), p.session)
                s.open()
                assertNotNull("no drills while locked", s.state.value.refused)
                assertFalse(p.screen.on)

                clock.now += 60_000
                m.confirmClearance("Dr Weber", java.time.Instant.ofEpochMilli(clock.now).atZone(java.time.ZoneId.of(ZONE)).toLocalDate().toString())
                assertEquals(false, m.state.value.result!!.locked)
                today.load()
                assertTrue(today.state.value.plan!!.variant != PlanVariant.LOCKED)
            }
        }
    }
}

class GuidedSessionJourney {
    @Test
    fun aWholeSessionPlaysLoopsSpeaksAndKeepsTheScreenOnUntilTheSummary() {
        val clock = FakeClock(MORNING, ZONE)
        Engine.open(tempDir("j3") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            greenMorning(engine, clock)
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            assertEquals(Step.NOT_STARTED, s.state.value.frame!!.step)
            assertFalse(p.screen.on)
            s.start()
            assertTrue("screen kept on during the session", p.screen.on)

            // Leaving the app pauses the core and the player; coming back resumes.
            drive(s, p, clock, { PainAnswer.Score(1) }) { s.state.value.frame!!.step == Step.WORK }
            s.onBackground()
            assertTrue(s.state.value.frame!!.paused)
            assertTrue(p.player.paused)
            clock.now += 600_000
            s.onForeground()
            assertFalse(s.state.value.frame!!.paused)
            assertFalse(p.player.paused)

            // A pause the runner chose is not undone by coming back to the app.
            s.pause()
            s.onBackground()
            s.onForeground()
            assertTrue(s.state.value.frame!!.paused)
            s.resume()

            var stretchAnswers = 0
            drive(s, p, clock, { n -> if (n % 2 == 0) { stretchAnswers++; PainAnswer.StretchOnly } else PainAnswer.Score(1) }) {
                s.state.value.finished
            }
            assertTrue(stretchAnswers > 0)
            assertEquals(Step.SUMMARY, s.state.value.frame!!.step)
            assertFalse("screen released at the end", p.screen.on)
            assertTrue(p.player.stopped)
            assertTrue("the rep loop is looped", p.player.played.any { it.looped })
            assertTrue("intros play once", p.player.played.any { !it.looped })
            assertTrue("the other side is shown mirrored", p.player.played.any { it.mirrored })
            assertTrue("and the filmed side as filmed", p.player.played.any { it.looped && !it.mirrored })
            assertTrue(p.player.played.all { it.endMs > it.startMs })
            assertTrue("cues are spoken", p.speech.spoken.isNotEmpty())
            assertTrue(p.speech.spoken.all { it.second == "en" })
            assertTrue(p.haptics.pulses > 0)
            s.close()
            val recorded = engine.recentSessions(5).single()
            assertEquals(SessionStatus.FINISHED, recorded.status)
            assertTrue(recorded.sets.isNotEmpty())
            assertTrue(recorded.sets.all { it.pain == null || it.pain!!.toInt() <= 1 })
            assertTrue("a stretch is kept as a stretch, scored as no pain", recorded.sets.any { it.stretch && it.pain == 0 })
            assertTrue("a pain answer is not a stretch", recorded.sets.none { it.stretch && it.pain != 0 })

            // History shows it; a delete (confirmed on screen) removes it, a bad id changes nothing.
            val history = HistoryModel(shell(engine, clock))
            history.load()
            assertEquals(listOf(recorded.id), history.state.value.sessions.map { it.id })
            history.deleteSession("not-a-session")
            assertNotNull(history.error.value)
            assertEquals(1, history.state.value.sessions.size)
            history.deleteSession(recorded.id)
            assertNull(history.error.value)
            assertTrue(history.state.value.sessions.isEmpty())
        }
    }

    @Test
    fun aCountdownMovesEverySecondOnScreenWithOneCallIntoTheCoreAtItsEnd() {
        val clock = FakeClock(MORNING, ZONE)
        Engine.open(tempDir("j3-countdown") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            greenMorning(engine, clock)
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            s.start()
            var countdowns = 0
            while (countdowns < 3) {
                drive(s, p, clock, { PainAnswer.Score(1) }) {
                    val f = s.state.value.frame!!
                    f.deadlineMs != null && f.deadlineMs!! - clock.now >= 2_000
                }
                countdowns++
                val first = s.state.value.frame!!
                val deadline = first.deadlineMs!!
                assertEquals(timeLeftAt(first, clock.now), first.timeLeftMs)
                var shown = first.timeLeftMs!!
                // Every wake-up before the deadline redraws the next whole second from the
                // deadline alone: the core's elapsed time stays as it was (no call was made).
                while (p.ticks.at!! < deadline) {
                    assertEquals(nextCountdownRedraw(deadline, clock.now), p.ticks.at)
                    assertTrue(p.ticks.fire(clock))
                    val f = s.state.value.frame!!
                    assertEquals(shown - 1_000, f.timeLeftMs)
                    assertEquals(first.copy(timeLeftMs = f.timeLeftMs), f)
                    shown = f.timeLeftMs!!
                }
                assertEquals(1_000L, shown)
                // At the deadline the core is asked, and the session moves on.
                assertTrue(p.ticks.fire(clock))
                val after = s.state.value.frame!!
                assertTrue(after.deadlineMs != deadline)
                assertTrue(after.elapsedMs > first.elapsedMs)
            }
            // A paused countdown stands still and schedules nothing of its own.
            drive(s, p, clock, { PainAnswer.Score(1) }) { s.state.value.frame!!.deadlineMs != null }
            s.pause()
            val paused = s.state.value.frame!!
            assertNull(paused.deadlineMs)
            clock.now += 5_000
            s.resume()
            assertTrue(s.state.value.frame!!.deadlineMs!! > clock.now)
            s.close()
        }
    }

    @Test
    fun aSessionKilledMidSetComesBackWhereItWas() {
        val clock = FakeClock(MORNING, ZONE)
        val dir = tempDir("j3-kill") + "/p"
        val before = Engine.open(dir, clock.now).use { engine ->
            screenClear(engine, clock)
            greenMorning(engine, clock)
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            var painDone = false
            drive(s, p, clock, { painDone = true; PainAnswer.Score(2) }) {
                painDone && s.state.value.frame!!.step == Step.WORK
            }
            val f = s.state.value.frame!!
            s.repDone() // one rep into the next set, then the process dies
            s.close()
            Triple(f.drillId, f.set, f.side)
        }
        clock.now += 120_000
        Engine.open(dir, clock.now).use { engine ->
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            // Back at the rest before that set (the last point the core saved): the pain
            // already answered is kept, the set starts again from its first rep.
            assertFalse(s.state.value.askingPain)
            assertTrue(p.screen.on)
            var asked = false
            drive(s, p, clock, { asked = true; PainAnswer.Score(1) }) { s.state.value.frame!!.step == Step.WORK }
            assertFalse("no second pain question for the answered set", asked)
            val f = s.state.value.frame!!
            assertEquals(before, Triple(f.drillId, f.set, f.side))
            assertEquals(0, f.rep ?: 0)
            drive(s, p, clock, { PainAnswer.Score(1) }) { s.state.value.finished }
            assertEquals(SessionStatus.FINISHED, engine.recentSessions(5).single().status)
        }
    }

    @Test
    fun aSessionWhoseSavedStateIsDamagedDoesNotBlockTheNextStart() {
        val clock = FakeClock(MORNING, ZONE)
        val dir = tempDir("j3-damaged") + "/p"
        val first = Engine.open(dir, clock.now).use { engine ->
            screenClear(engine, clock)
            greenMorning(engine, clock)
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            s.start()
            s.pause()
            s.close()
            engine.recentSessions(5).single().id
        }
        // The saved state is damaged while the app is away (a bad sector, a copied profile).
        val python = ProcessBuilder(
            "python3", "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); " +
                "n = c.execute(\"UPDATE session SET snapshot = 'talus-run;junk' WHERE status IN ('started', 'paused')\").rowcount; " +
                "c.commit(); sys.exit(0 if n == 1 else 1)",
            "$dir/talus.db",
        ).inheritIO().start()
        assertEquals(0, python.waitFor())
        clock.now += 120_000
        Engine.open(dir, clock.now).use { engine ->
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            assertNull(s.state.value.refused)
            assertEquals(Step.NOT_STARTED, s.state.value.frame!!.step)
            val sessions = engine.recentSessions(5)
            assertEquals(SessionStatus.ABANDONED, sessions.single { it.id == first }.status)
            assertEquals(2, sessions.size)
        }
    }

    @Test
    fun severePainEndsTheSessionAtOnceAndItIsNotRecordedAsFinished() {
        val clock = FakeClock(MORNING, ZONE)
        Engine.open(tempDir("j3-pain") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            greenMorning(engine, clock)
            val p = Ports()
            val s = SessionModel(shell(engine, clock), p.session)
            s.open()
            drive(s, p, clock, { PainAnswer.Score(8) }) { s.state.value.finished }
            assertFalse(p.screen.on)
            val f = s.state.value.frame!!
            assertTrue("the reason is on screen", f.decisions.isNotEmpty())
            // Only what was worked before the answer is logged, with its pain, as stopped.
            // (The session's status, "ended for pain", is the core's next step: issue 14.)
            val sets = engine.recentSessions(5).single().sets
            assertTrue(sets.isNotEmpty())
            assertTrue(sets.toString(), sets.all { it.pain?.toInt() == 8 && it.stopped && it.setIndex == 0 })
            assertEquals(1, sets.map { it.drillId }.distinct().size)
        }
    }

    @Test
    fun afterSeverePainTodayIsPausedUntilTheFollowUpScreeningSaysGoOn() {
        for (lastAnswer in listOf(ScreeningChoice.NO, ScreeningChoice.NOT_SURE)) {
            val clock = FakeClock(MORNING, ZONE)
            Engine.open(tempDir("j3-follow-up") + "/p", clock.now).use { engine ->
                screenClear(engine, clock)
                greenMorning(engine, clock)
                val p = Ports()
                val s = SessionModel(shell(engine, clock), p.session)
                s.open()
                drive(s, p, clock, { PainAnswer.Score(8) }) { s.state.value.finished }

                clock.now += 60_000
                val today = TodayModel(shell(engine, clock))
                today.load()
                assertEquals(PlanVariant.PAUSED, today.state.value.plan!!.variant)
                assertTrue("no drills while paused", today.state.value.plan!!.items.isEmpty())
                val again = SessionModel(shell(engine, clock), Ports().session)
                again.open()
                assertNotNull("no session while paused", again.state.value.refused)

                val followUp = FollowUpModel(shell(engine, clock))
                followUp.load()
                val total = followUp.state.value.total
                assertTrue("a short follow-up, not the whole screening", total in 1..8)
                assertEquals(1, followUp.state.value.position)
                repeat(total - 1) { followUp.answer(ScreeningChoice.NO) }
                followUp.answer(lastAnswer)
                val result = followUp.state.value.result!!
                today.load()
                if (lastAnswer == ScreeningChoice.NO) {
                    assertTrue(result.resumed)
                    assertFalse(result.safety.locked)
                    assertTrue(today.state.value.plan!!.variant != PlanVariant.PAUSED)
                    assertTrue(today.state.value.plan!!.items.isNotEmpty())
                } else {
                    // "Not sure" is never "no": the programme does not simply go on.
                    assertFalse(result.resumed)
                    assertTrue(today.state.value.plan!!.variant in setOf(PlanVariant.PAUSED, PlanVariant.LOCKED))
                }
            }
        }
    }
}

class LongRunJourney {
    private fun session(id: String, startMs: Long, minutes: Long, km: Double, running: Boolean = true) =
        HealthSession(id, "com.example.watch", running, startMs, startMs + minutes * 60_000, km * 1000, ZONE)

    @Test
    fun aLongRunFromHealthConnectGetsOneMorningCheckInThatSurvivesARebootAndIsAnsweredOnce() = runBlocking {
        val evening = berlin(2026, 6, 3, 17, 0)
        val clock = FakeClock(berlin(2026, 6, 3, 21, 0), ZONE)
        Engine.open(tempDir("j4") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            val health = FakeHealth()
            val keys = MemoryStore()
            val import = HealthImport(engine, health, keys)
            // Earlier weeks of ordinary runs, a bike ride, then tonight's long run.
            for (d in 1..20L step 3) health.add(session("easy-$d", evening - d * 86_400_000, 40, 7.5))
            health.add(session("bike-1", evening - 86_400_000, 90, 30.0, running = false))
            val first = import.importChanges(clock.now)
            assertEquals(7, first.ingested.size)
            assertEquals(1, first.skippedNotRunning)
            health.add(session("long-1", evening, 150, 26.0))
            val changes = import.importChanges(clock.now)
            assertEquals(listOf(RunOutcome.INSERTED), changes.ingested.map { it.outcome })
            assertTrue("nothing new since", import.importChanges(clock.now).ingested.isEmpty())
            // An expired token re-reads everything; (source, id) keeps it idempotent.
            health.expired = true
            val reread = import.importChanges(clock.now)
            assertTrue(reread.fullRead)
            assertTrue(reread.ingested.all { it.outcome == RunOutcome.UNCHANGED })
            health.expired = false
            assertEquals(8, engine.runs(0, clock.now).size)
            val history = HistoryModel(shell(engine, clock))
            history.load()
            val long = history.state.value.runs.single { it.run.externalId == "long-1" }
            assertTrue("the runner sees that it counted", long.long)
            assertTrue("and why", long.reasons.isNotEmpty() && long.reasons.all { it.message.isNotBlank() })

            val alarms = FakeAlarms(exactAllowed = false)
            val store = MemoryStore()
            val reminders = ReminderSync(engine, alarms, store, FakePermission(granted = true))
            val r = reminders.reconcile(ReconcileTrigger.RUN_IMPORTED, clock.now, clock.zone())
            val checkins = alarms.armed.values.filter { it.payload.kind == ReminderKind.LONG_RUN_CHECK_IN }
            assertEquals("one check-in, for the long run only", 1, checkins.size)
            val checkin = checkins.single()
            assertEquals(ReminderSync.WINDOW_MS, checkin.windowMs)
            val local = java.time.Instant.ofEpochMilli(checkin.atMs).atZone(ZoneId.of(ZONE))
            assertEquals(4, local.dayOfMonth)
            assertTrue("inside the 07:00–10:00 wake window", local.hour in 7..9)
            assertTrue(checkin.atMs >= evening + 150 * 60_000 + 8 * 3_600_000)
            val runId = engine.runs(evening - 1, evening + 1).single().id
            assertEquals(Route.RunCheckin(runId, reask = false), Route.parse(checkin.payload.deepLink))
            assertFalse(r.askNotificationPermission)

            // Nothing changed: the next reconcile leaves every alarm alone.
            val again = reminders.reconcile(ReconcileTrigger.APP_START, clock.now, clock.zone())
            assertTrue(again.armed.isEmpty())
            assertEquals(alarms.armed.keys.toList(), again.unchanged.sorted())

            // A reboot drops every alarm; BOOT_COMPLETED arms every wanted one again.
            val before = alarms.armed.toMap()
            alarms.reboot()
            val boot = reminders.reconcile(ReconcileTrigger.BOOT_COMPLETED, clock.now, clock.zone())
            assertEquals(before.keys, boot.armed.toSet())
            assertEquals(before, alarms.armed.toMap())

            // The runner grants exact alarms: re-armed exact.
            alarms.exactAllowed = true
            val exact = reminders.reconcile(ReconcileTrigger.EXACT_ALARM_PERMISSION_CHANGED, clock.now, clock.zone())
            assertTrue(exact.exact)
            assertTrue(alarms.armed.values.all { it.windowMs == null })

            // Travel: the zone changes; nothing is duplicated and the check-in stays in a wake window.
            clock.zoneId = "America/New_York"
            val moved = reminders.reconcile(ReconcileTrigger.TIMEZONE_CHANGED, clock.now, clock.zone())
            assertEquals(alarms.armed.keys.size, (moved.armed + moved.unchanged).toSet().size)
            assertEquals(1, alarms.armed.values.count { it.payload.kind == ReminderKind.LONG_RUN_CHECK_IN })

            // Next morning the alarm fires, the runner answers; the reminder is gone for good.
            clock.zoneId = ZONE
            clock.now = checkin.atMs
            alarms.armed.remove(checkin.payload.id) // a fired alarm is gone from AlarmManager
            reminders.fired(checkin.payload.id)
            val answers = NotificationAnswers(engine, reminders)
            val buttons = answers.actionsFor(checkin.payload, "de")
            assertEquals(listOf("Alles gut", "Etwas gereizt", "Es schmerzt"), buttons.map { it.label })
            // "All good" is answered in the background; the others open the run's check-in.
            assertEquals(listOf(null, checkin.payload.deepLink, checkin.payload.deepLink), buttons.map { it.opens })
            // "A bit sore" opens the check-in for this run; nothing is recorded yet.
            val sore = answers.answer(NotificationAnswers.AMBER, checkin.payload.deepLink, clock.now, ZONE)
            assertEquals(Route.RunCheckin(runId, reask = false), sore.open)
            assertNull(sore.recorded)
            // "All good" is answered without opening the app, and the reminder is gone for good.
            val good = answers.answer(NotificationAnswers.GREEN, checkin.payload.deepLink, clock.now, ZONE)
            assertNull(good.open)
            assertEquals(MorningStatus.GREEN, good.recorded!!.status)
            assertTrue(alarms.armed.values.none { it.payload.kind == ReminderKind.LONG_RUN_CHECK_IN || it.payload.kind == ReminderKind.LONG_RUN_REASK })
            clock.now += 3_600_000
            reminders.reconcile(ReconcileTrigger.APP_START, clock.now, ZONE)
            assertTrue(alarms.armed.values.none { it.payload.kind == ReminderKind.LONG_RUN_CHECK_IN || it.payload.kind == ReminderKind.LONG_RUN_REASK })
        }
    }

    @Test
    fun aShortJogTypedInNeverTriggersACheckIn() {
        val clock = FakeClock(berlin(2026, 6, 3, 21, 0), ZONE)
        Engine.open(tempDir("j4-jog") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            val import = HealthImport(engine, FakeHealth(), MemoryStore())
            val start = berlin(2026, 6, 3, 18, 0)
            val jog = import.manual("jog-1", start, start + 15 * 60_000, 2_500.0, emptyList(), ZONE, clock.now)
            assertEquals(RunOutcome.INSERTED, jog.outcome)
            assertEquals(RunOutcome.UNCHANGED, import.manual("jog-1", start, start + 15 * 60_000, 2_500.0, emptyList(), ZONE, clock.now).outcome)
            val alarms = FakeAlarms()
            ReminderSync(engine, alarms, MemoryStore(), FakePermission(true)).reconcile(ReconcileTrigger.RUN_IMPORTED, clock.now, ZONE)
            assertTrue(alarms.armed.values.none { it.payload.kind == ReminderKind.LONG_RUN_CHECK_IN })
        }
    }
}

class RedFlagLaterJourney {
    @Test
    fun aRedFlagAtTheMorningCheckInLocksTodayAndTheSession() {
        val clock = FakeClock(MORNING, ZONE)
        Engine.open(tempDir("j8") + "/p", clock.now).use { engine ->
            screenClear(engine, clock)
            val c = CheckinModel(shell(engine, clock), null)
            c.load()
            val question = c.state.value.redFlagQuestions.first()
            c.setRedFlag(question.id, true)
            c.submit()
            assertEquals(MorningStatus.RED, c.state.value.result!!.status)
            val today = TodayModel(shell(engine, clock))
            today.load()
            assertEquals(PlanVariant.LOCKED, today.state.value.plan!!.variant)
            assertTrue(today.state.value.plan!!.items.isEmpty())
            val s = SessionModel(shell(engine, clock), Ports().session)
            s.open()
            assertNotNull(s.state.value.refused)
        }
    }

    @Test
    fun aRedFlagDuringASessionEndsItLocksAndTheLockReachesTheOtherDevice() {
        val clock = FakeClock(MORNING, ZONE)
        val folder = MemoryTree()
        val root = tempDir("j8-sync")
        Engine.open("$root/phone", clock.now).use { phone ->
            Engine.open("$root/tablet", clock.now).use { tablet ->
                screenClear(phone, clock)
                greenMorning(phone, clock)
                val phoneSync = SyncBridge(phone, File("$root/phone-staging"))
                val tabletSync = SyncBridge(tablet, File("$root/tablet-staging"))
                phoneSync.sync(folder, clock.now)
                tabletSync.sync(folder, clock.now)

                val p = Ports()
                val s = SessionModel(shell(phone, clock), p.session)
                s.open()
                s.start()
                clock.now += 10_000
                val question = phone.screeningQuestions("en").first { it.urgent }
                s.redFlag(question.id)
                assertTrue(s.state.value.finished)
                assertFalse(p.screen.on)
                val today = TodayModel(shell(phone, clock))
                today.load()
                assertEquals(PlanVariant.LOCKED, today.state.value.plan!!.variant)

                clock.now += 60_000
                val out = phoneSync.sync(folder, clock.now)
                assertTrue(out.copiedOut.isNotEmpty())
                val inTablet = tabletSync.sync(folder, clock.now)
                assertTrue(inTablet.copiedIn.isNotEmpty())
                assertTrue(inTablet.report.rejected.isEmpty())
                assertEquals("stopped or ended session reached the tablet", 1, tablet.recentSessions(5).size)
                val tabletToday = TodayModel(shell(tablet, clock))
                tabletToday.load()
                assertEquals(PlanVariant.LOCKED, tabletToday.state.value.plan!!.variant)
                val tabletScreen = SyncModel(shell(tablet, clock), tabletSync, File("$root/tablet-backups"))
                tabletScreen.load()
                val devices = tabletScreen.state.value.status!!.devices
                assertEquals(listOf(true, false), devices.map { it.thisDevice })
                assertEquals(phone.deviceId(), devices[1].deviceId)
                // A second exchange copies nothing again.
                assertTrue(tabletSync.sync(folder, clock.now).copiedIn.isEmpty())
            }
        }
    }
}
