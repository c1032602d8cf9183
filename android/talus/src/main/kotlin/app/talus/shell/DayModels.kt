// The everyday screens' models: today's plan with its reasons (J2), the morning and
// post-run check-in (J4, J8 entry point), the knee-to-wall test (J5), history (J6) and
// settings (J1 profile). Each renders a core read model and forwards one call per action.
package app.talus.shell

import app.talus.core.CheckInInfo
import app.talus.core.CheckInInput
import app.talus.core.KneeToWallReport
import app.talus.core.RunDetail
import app.talus.core.Equipment
import app.talus.core.MorningInfo
import app.talus.core.PlanInfo
import app.talus.core.QuestionInfo
import app.talus.core.RomPoint
import app.talus.core.SessionInfo
import app.talus.core.SettingsInfo
import app.talus.core.Side
import app.talus.core.Target

data class TodayScreen(val plan: PlanInfo? = null)

class TodayModel(ctx: ShellContext) : ScreenModel<TodayScreen>(TodayScreen(), ctx) {
    fun load() = core({ it.today(ctx.clock.nowMs(), ctx.clock.zone()) }) { p -> update { TodayScreen(p) } }
}

/** Body regions the check-in asks about, 0–10 each for pain and stiffness. */
enum class Region { CALF, ACHILLES, ANKLE }

data class CheckinScreen(
    /** Set when the check-in answers a post-run reminder. */
    val runId: String? = null,
    val pain: Map<Region, Int> = Region.entries.associateWith { 0 },
    val stiffness: Map<Region, Int> = Region.entries.associateWith { 0 },
    val redFlagQuestions: List<QuestionInfo> = emptyList(),
    val redFlagsYes: Set<String> = emptySet(),
    val result: MorningInfo? = null,
)

class CheckinModel(ctx: ShellContext, runId: String?) : ScreenModel<CheckinScreen>(CheckinScreen(runId = runId), ctx) {
    /** Loads the red-flag questions asked alongside (any yes locks, J8). */
    fun load() = core({ it.screeningQuestions(ctx.locale) }) { qs -> update { it.copy(redFlagQuestions = qs) } }

    fun setPain(region: Region, value: Int) = update { it.copy(pain = it.pain + (region to value)) }
    fun setStiffness(region: Region, value: Int) = update { it.copy(stiffness = it.stiffness + (region to value)) }
    fun setRedFlag(questionId: String, yes: Boolean) =
        update { it.copy(redFlagsYes = if (yes) it.redFlagsYes + questionId else it.redFlagsYes - questionId) }

    fun submit(onDone: (MorningInfo) -> Unit = {}) {
        val s = state.value
        val now = ctx.clock.nowMs()
        val input = CheckInInput(
            atMs = now,
            zone = ctx.clock.zone(),
            painCalf = s.pain.getValue(Region.CALF),
            painAchilles = s.pain.getValue(Region.ACHILLES),
            painAnkle = s.pain.getValue(Region.ANKLE),
            stiffnessCalf = s.stiffness.getValue(Region.CALF),
            stiffnessAchilles = s.stiffness.getValue(Region.ACHILLES),
            stiffnessAnkle = s.stiffness.getValue(Region.ANKLE),
            redFlagsYes = s.redFlagsYes.toList(),
            runId = s.runId,
        )
        core({ it.morningCheckin(input, now) }) { r ->
            update { it.copy(result = r) }
            onDone(r)
        }
    }
}

data class KneeToWallScreen(
    /** The core's report: both sides, real change against the MDC, asymmetry, retest due. */
    val report: KneeToWallReport? = null,
    val side: Side = Side.LEFT,
    val input: String = "",
    val last: RomPoint? = null,
) {
    val left: List<RomPoint> get() = report?.left?.points.orEmpty()
    val right: List<RomPoint> get() = report?.right?.points.orEmpty()
}

class KneeToWallModel(ctx: ShellContext) : ScreenModel<KneeToWallScreen>(KneeToWallScreen(), ctx) {
    fun load() = core({ it.kneeToWallReport(ctx.clock.nowMs()) }) { r -> update { it.copy(report = r) } }

    fun choose(side: Side) = update { it.copy(side = side) }

    /** Deletes one result (the delete syncs); the chart redraws without it. */
    fun delete(id: String) = core({ it.deleteKneeToWall(id, ctx.clock.nowMs()) }) { load() }
    fun type(text: String) = update { it.copy(input = text) }

    /** Records the typed distance; the core validates it (a bad number is its error). */
    fun record() {
        val s = state.value
        val cm = s.input.replace(',', '.').toDoubleOrNull() ?: Double.NaN
        val now = ctx.clock.nowMs()
        core({ it.recordKneeToWall(s.side, cm, now, ctx.clock.zone(), now) }) { p ->
            update { it.copy(last = p, input = "") }
            load()
        }
    }
}

data class HistoryScreen(
    val sessions: List<SessionInfo> = emptyList(),
    /** Runs with whether each counted as long and why, in the core's words. */
    val runs: List<RunDetail> = emptyList(),
    val checkins: List<CheckInInfo> = emptyList(),
)

class HistoryModel(ctx: ShellContext) : ScreenModel<HistoryScreen>(HistoryScreen(), ctx) {
    /** Deletes a session and its sets (the delete syncs); the screen asked to confirm. */
    fun deleteSession(id: String) = core({ it.deleteSession(id, ctx.clock.nowMs()) }) { load() }

    /** Deletes a run (the delete syncs); a health-store workout pushed again comes back. */
    fun deleteRun(id: String) = core({ it.deleteRun(id, ctx.clock.nowMs()) }) { load() }

    /** Deletes a check-in (the delete syncs). */
    fun deleteCheckin(id: String) = core({ it.deleteCheckin(id, ctx.clock.nowMs()) }) { load() }

    fun load() {
        val now = ctx.clock.nowMs()
        val from = now - HISTORY_DAYS * 86_400_000L
        core({ Triple(it.recentSessions(HISTORY_SESSIONS), it.runHistory(from, now + 1), it.checkins(from, now + 1)) }) { (s, r, c) ->
            update { HistoryScreen(s, r, c) }
        }
    }

    private companion object {
        const val HISTORY_SESSIONS = 100
        const val HISTORY_DAYS = 365L
    }
}

data class SettingsScreen(
    val saved: SettingsInfo? = null,
    val draft: SettingsInfo? = null,
    /** Every piece of equipment some drill uses, from the catalog. */
    val equipmentChoices: List<Equipment> = emptyList(),
    /** Every target some drill works on, from the catalog: the goals a runner can pick. */
    val goalChoices: List<Target> = emptyList(),
)

class SettingsModel(ctx: ShellContext) : ScreenModel<SettingsScreen>(SettingsScreen(), ctx) {
    fun load() = core({ it.settings() to it.drills(ctx.locale) }) { (s, drills) ->
        val equipment = drills.flatMap { d -> d.equipment }.distinct().sortedBy { e -> e.ordinal }
        val goals = drills.flatMap { d -> d.targets }.distinct().sortedBy { t -> t.ordinal }
        update { SettingsScreen(s, s, equipment, goals) }
    }
    fun edit(change: (SettingsInfo) -> SettingsInfo) = update { s -> s.copy(draft = s.draft?.let(change)) }

    /** Saves the draft; the core range-checks it. [onSaved] runs reminders' reconcile. */
    fun save(onSaved: () -> Unit = {}) {
        val draft = state.value.draft ?: return
        core({ it.setSettings(draft, ctx.clock.nowMs()) }) {
            update { s -> s.copy(saved = draft) }
            onSaved()
        }
    }
}
