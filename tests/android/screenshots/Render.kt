// Renders every Android screen state to PNG without a device: the same Compose screens the
// app draws, compiled against Compose Multiplatform's desktop artifacts, fed with read
// models that the real core produces from a fixed scripted history (so the German text is
// the core's own). Each state is drawn light and dark, in English and German, and at the
// largest font scale; every image is checked for drawn content.
package app.talus.android.screenshots

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Alignment
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.unit.Density
import app.talus.android.tests.FakeClock
import app.talus.android.tests.Ports
import app.talus.android.tests.shell
import app.talus.core.Answer
import app.talus.core.ScreeningAnswer
import app.talus.core.DeviceSeen
import app.talus.core.CheckInInput
import app.talus.core.Engine
import app.talus.core.FollowUpInfo
import app.talus.core.FrameInfo
import app.talus.core.PlanInfo
import app.talus.core.QuestionInfo
import app.talus.core.RunInput
import app.talus.core.SessionEvent
import app.talus.core.Side
import app.talus.core.Step
import app.talus.core.Equipment
import app.talus.core.Target
import app.talus.shell.CheckinScreen
import app.talus.shell.FollowUpScreen
import app.talus.shell.HistoryScreen
import app.talus.shell.KneeToWallScreen
import app.talus.shell.PainAnswer
import app.talus.shell.ScreeningScreen
import app.talus.shell.SessionScreen
import app.talus.shell.SettingsModel
import app.talus.shell.SettingsScreen
import app.talus.shell.SyncScreen
import app.talus.ui.CheckinView
import app.talus.ui.FollowUpView
import app.talus.ui.HistoryView
import app.talus.ui.KneeToWallView
import app.talus.ui.LocalLocale
import app.talus.ui.LocalWords
import app.talus.core.screenWords
import app.talus.ui.PermissionState
import app.talus.ui.RunForm
import app.talus.ui.RunsView
import app.talus.ui.ScreeningView
import app.talus.ui.SessionActions
import app.talus.ui.SessionView
import app.talus.ui.SettingsView
import app.talus.ui.SyncView
import app.talus.ui.TalusDark
import app.talus.ui.TalusLight
import app.talus.ui.TalusTheme
import app.talus.ui.TodayView
import app.talus.ui.WelcomeView
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import java.io.File
import java.nio.file.Files
import java.time.ZoneId
import java.time.ZonedDateTime
import kotlin.system.exitProcess

private const val ZONE = "Europe/Berlin"
private const val WIDTH_DP = 400
private const val HEIGHT_DP = 860
private const val DENSITY = 2f

private fun berlin(d: Int, h: Int, mi: Int = 0): Long =
    ZonedDateTime.of(2026, 6, d, h, mi, 0, 0, ZoneId.of(ZONE)).toInstant().toEpochMilli()

private object NoActions : SessionActions {
    override fun start() {}
    override fun repDone() {}
    override fun pause() {}
    override fun resume() {}
    override fun skipStep() {}
    override fun skipDrill() {}
    override fun switchSide() {}
    override fun stop() {}
    override fun pain(answer: PainAnswer) {}
    override fun close() {}
}

/** A poster where the phone shows ExoPlayer. */
@Composable
private fun Poster(name: String) {
    Box(Modifier.fillMaxSize().background(Color(0xFF24302B)), contentAlignment = Alignment.Center) {
        Text("▶ $name", color = Color.White, style = MaterialTheme.typography.titleLarge)
    }
}

/** Read models for one locale, produced by the real core from a scripted history. */
private class States(locale: String) {
    val screens = linkedMapOf<String, @Composable () -> Unit>()

    init {
        val clock = FakeClock(berlin(3, 7, 30), ZONE)
        val dir = Files.createTempDirectory("talus-shots").resolve("p").toString()
        Engine.open(dir, berlin(1, 7)).use { e ->
            val settings = e.settings().copy(locale = locale, homeZone = ZONE, equipment = listOf(Equipment.WALL, Equipment.BAND), goals = listOf(Target.DORSIFLEXION))
            e.setSettings(settings, berlin(1, 7))
            val questions = e.screeningQuestions(locale)
            e.submitScreening(questions.map { Answer(it.id, ScreeningAnswer.NO) }, berlin(1, 7, 5))
            for ((day, cm) in listOf(1 to (9.5 to 11.0), 8 to (10.5 to 11.2), 15 to (11.5 to 11.4))) {
                e.recordKneeToWall(Side.LEFT, cm.first, berlin(day, 8), ZONE, berlin(day, 8, 1))
                e.recordKneeToWall(Side.RIGHT, cm.second, berlin(day, 8), ZONE, berlin(day, 8, 1))
            }
            clock.now = berlin(16, 7, 30)
            e.recordRun(RunInput("health_connect", "run-1", berlin(15, 17), berlin(15, 19, 30), 26_000.0, emptyList(), ZONE), berlin(15, 20))
            val morning = e.morningCheckin(CheckInInput(clock.now, ZONE, 2, 3, 1, 3, 2, 2, emptyList(), null), clock.now)
            val plan = e.today(clock.now, ZONE)
            val ctx = shell(e, clock, locale)
            val settingsModel = SettingsModel(ctx).also { it.load() }
            val settingsState: SettingsScreen = settingsModel.state.value

            // Session frames: intro, a rep, the pain prompt, a rest, the summary.
            val frames = linkedMapOf<Step, FrameInfo>()
            e.startSession(clock.now, ZONE).use { s ->
                var now = clock.now
                var f = s.handle(SessionEvent.Start, now)
                var guard = 0
                while (f.step != Step.SUMMARY && guard++ < 5_000) {
                    if (f.step !in frames && f.step != Step.NOT_STARTED) frames[f.step] = f
                    now += 4_000
                    f = when {
                        f.step == Step.INTRO -> s.handle(SessionEvent.VideoEnded, now)
                        f.step == Step.WORK && f.canRepDone -> s.handle(SessionEvent.RepDone, now)
                        f.step == Step.PAIN_CHECK -> s.handle(SessionEvent.PainReported(2), now)
                        else -> s.handle(SessionEvent.Tick, (now + (f.timeLeftMs ?: 1000L)).also { now = it })
                    }
                }
                frames[Step.SUMMARY] = f
            }
            // A second profile whose first set hurts (8/10): the summary names the stop.
            val painDir = Files.createTempDirectory("talus-shots-pain").resolve("p").toString()
            lateinit var pausedPlan: PlanInfo
            lateinit var followUpQuestions: List<QuestionInfo>
            lateinit var followUpResult: FollowUpInfo
            val painSummary = Engine.open(painDir, clock.now).use { p ->
                p.setSettings(p.settings().copy(locale = locale), clock.now)
                p.submitScreening(questions.map { Answer(it.id, ScreeningAnswer.NO) }, clock.now)
                p.startSession(clock.now, ZONE).use { s ->
                    var now = clock.now
                    var f = s.handle(SessionEvent.Start, now)
                    var guard = 0
                    while (f.step != Step.SUMMARY && guard++ < 5_000) {
                        now += 4_000
                        f = when {
                            f.step == Step.INTRO -> s.handle(SessionEvent.VideoEnded, now)
                            f.step == Step.WORK && f.canRepDone -> s.handle(SessionEvent.RepDone, now)
                            f.step == Step.PAIN_CHECK -> s.handle(SessionEvent.PainReported(8), now)
                            else -> s.handle(SessionEvent.Tick, (now + (f.timeLeftMs ?: 1000L)).also { now = it })
                        }
                    }
                    f
                }.also {
                    // Paused after pain 8: today offers the follow-up screening, which resumes.
                    pausedPlan = p.today(clock.now + 60_000, ZONE)
                    followUpQuestions = p.followUpQuestions(locale)
                    followUpResult = p.submitFollowUp(followUpQuestions.map { Answer(it.id, ScreeningAnswer.NO) }, clock.now + 120_000)
                }
            }
            val history = HistoryScreen(e.recentSessions(10), e.runHistory(0, clock.now + 1), e.checkins(0, clock.now + 1))
            val romState = KneeToWallScreen(e.kneeToWallReport(clock.now), Side.LEFT, "11,5")
            val lockedDir = Files.createTempDirectory("talus-shots-locked").resolve("p").toString()
            val locked = Engine.open(lockedDir, clock.now).use { l ->
                l.setSettings(l.settings().copy(locale = locale), clock.now)
                l.submitScreening(questions.mapIndexed { i, q -> Answer(q.id, if (i == 2) ScreeningAnswer.YES else ScreeningAnswer.NO) }, clock.now)
            }

            screens["01-welcome"] = { WelcomeView {} }
            screens["02-screening"] = { ScreeningView(ScreeningScreen(questions, 2), null, {}, {}, {}, {}) }
            screens["03-locked"] = { ScreeningView(ScreeningScreen(questions, 19, result = locked), null, {}, {}, {}, {}) }
            screens["04-today"] = { TodayView(plan, null, {}, {}, {}, {}) }
            screens["04-today-paused"] = { TodayView(pausedPlan, null, {}, {}, {}, {}) }
            screens["14-follow-up"] = { FollowUpView(FollowUpScreen(followUpQuestions, 1), null, {}, {}, {}, {}) }
            screens["14-follow-up-resumed"] = {
                FollowUpView(FollowUpScreen(followUpQuestions, followUpQuestions.size - 1, result = followUpResult), null, {}, {}, {}, {})
            }
            for ((step, f) in frames) {
                screens["05-session-${step.name.lowercase()}"] = { SessionView(SessionScreen(f), null, NoActions) { Poster(f.drillName) } }
            }
            screens["05-session-summary-pain"] = { SessionView(SessionScreen(painSummary, finished = true), null, NoActions) {} }
            frames[Step.WORK]?.let { f -> screens["06-pain-prompt"] = { SessionView(SessionScreen(f, askingPain = true), null, NoActions) {} } }
            val checkinQuestions = questions.take(4)
            screens["07-checkin"] = { CheckinView(CheckinScreen(redFlagQuestions = checkinQuestions), null, { _, _ -> }, { _, _ -> }, { _, _ -> }, {}) }
            screens["08-checkin-result"] = { CheckinView(CheckinScreen(result = morning), null, { _, _ -> }, { _, _ -> }, { _, _ -> }, {}) }
            screens["09-knee-to-wall"] = { KneeToWallView(romState, null, {}, {}, {}, {}) }
            screens["10-history"] = { HistoryView(history, null, {}, {}, {}) }
            screens["11-settings"] = {
                SettingsView(settingsState, PermissionState(false, false, true, false), null, {}, {}, {}, {}, {})
            }
            screens["12-runs"] = { RunsView(true, false, RunForm("45", "8,5", false), null, null, {}, {}, {}) }
            val status = e.syncStatus().let { s ->
                s.copy(devices = s.devices + DeviceSeen("0191c2d4-7e1a-7000-8000-00000000beef", false, clock.now - 3_600_000, clock.now - 600_000))
            }
            screens["13-sync"] = { SyncView(SyncScreen(folderChosen = true, status = status), "Drive/Talus", null, {}, {}, {}, {}) }
        }
    }
}

private fun render(out: File, dark: Boolean, locale: String, fontScale: Float, content: @Composable () -> Unit): Image {
    val scene = ImageComposeScene((WIDTH_DP * DENSITY).toInt(), (HEIGHT_DP * DENSITY).toInt(), Density(DENSITY, fontScale)) {
        CompositionLocalProvider(LocalLocale provides locale, LocalWords provides screenWords(locale), LocalDensity provides Density(DENSITY, fontScale)) {
            TalusTheme(dark) { content() }
        }
    }
    try {
        scene.render() // first frame lays out; the second draws after effects settle
        val image = scene.render(16_000_000L)
        out.writeBytes(image.encodeToData(EncodedImageFormat.PNG)!!.bytes)
        return image
    } finally {
        scene.close()
    }
}

/** True when the image has text or shapes: enough pixels differ from the corner colour. */
private fun drawn(image: Image): Boolean {
    val bitmap = org.jetbrains.skia.Bitmap.makeFromImage(image)
    val corner = bitmap.getColor(1, 1)
    var differing = 0
    for (y in 0 until bitmap.height step 4) for (x in 0 until bitmap.width step 4) if (bitmap.getColor(x, y) != corner) differing++
    return differing > 200
}

/** WCAG 2 contrast ratio of two opaque colours. */
private fun contrast(a: Color, b: Color): Double {
    fun channel(c: Float): Double = if (c <= 0.03928f) c / 12.92 else Math.pow((c + 0.055) / 1.055, 2.4)
    fun luminance(c: Color) = 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)
    val (hi, lo) = listOf(luminance(a), luminance(b)).sortedDescending()
    return (hi + 0.05) / (lo + 0.05)
}

/** Every text-on-background pair the screens use reaches 4.5:1 (WCAG AA) in both schemes. */
private fun contrastFailures(): List<String> = listOf("light" to TalusLight, "dark" to TalusDark).flatMap { (name, c) ->
    listOf(
        "onBackground/background" to (c.onBackground to c.background),
        "onSurface/surface" to (c.onSurface to c.surface),
        "onSurfaceVariant/surfaceVariant" to (c.onSurfaceVariant to c.surfaceVariant),
        "onSurfaceVariant/surface" to (c.onSurfaceVariant to c.surface),
        "onPrimary/primary" to (c.onPrimary to c.primary),
        "primary/surface" to (c.primary to c.surface),
        "tertiary/surface" to (c.tertiary to c.surface),
        "error/surface" to (c.error to c.surface),
        "onErrorContainer/errorContainer" to (c.onErrorContainer to c.errorContainer),
        "onSecondaryContainer/secondaryContainer" to (c.onSecondaryContainer to c.secondaryContainer),
        "onSurface/surfaceContainerHighest" to (c.onSurface to c.surfaceContainerHighest),
    ).mapNotNull { (pair, colors) ->
        val ratio = contrast(colors.first, colors.second)
        if (ratio < 4.5) "$name $pair ${"%.2f".format(ratio)}:1" else null
    }
}

fun main(args: Array<String>) {
    val outDir = File(args.firstOrNull() ?: "build/screenshots").apply { mkdirs() }
    val variants = listOf(
        Triple("en", false, 1f), Triple("en", true, 1f),
        Triple("de", false, 1f), Triple("de", true, 1f),
        Triple("en", false, 2f), Triple("de", true, 2f),
    )
    var passed = 0
    var failed = 0
    for (failure in contrastFailures()) {
        failed++
        println("FAILED contrast $failure")
    }
    for (locale in listOf("en", "de")) {
        val states = States(locale)
        for ((loc, dark, scale) in variants.filter { it.first == locale }) {
            for ((name, content) in states.screens) {
                val file = File(outDir, "$name-$loc-${if (dark) "dark" else "light"}${if (scale > 1f) "-font200" else ""}.png")
                val ok = runCatching { drawn(render(file, dark, loc, scale, content)) }.getOrElse {
                    println("FAILED ${file.name}: $it")
                    false
                }
                if (ok) passed++ else { failed++; println("FAILED ${file.name}: blank") }
            }
        }
    }
    println("screenshots: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
