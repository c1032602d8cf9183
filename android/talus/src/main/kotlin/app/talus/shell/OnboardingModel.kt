// First run and re-screening (J1, J8): the red-flag questions one per screen with a
// counter, the core's verdict (locked with a referral, or clear), and the way out of a lock
// (a clinician's clearance). The core decides what an answer means.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.QuestionInfo
import app.talus.core.SafetyInfo

data class ScreeningScreen(
    override val questions: List<QuestionInfo> = emptyList(),
    override val index: Int = 0,
    override val answers: Map<String, ScreeningChoice> = emptyMap(),
    val result: SafetyInfo? = null,
) : QuestionFlow {
    override val finished: Boolean get() = result != null
}

class OnboardingModel(ctx: ShellContext) : QuestionFlowModel<ScreeningScreen>(ScreeningScreen(), ctx) {
    fun load() = core({ it.screeningQuestions(ctx.locale) }) { qs -> update { ScreeningScreen(questions = qs) } }

    override fun ScreeningScreen.at(index: Int, answers: Map<String, ScreeningChoice>) = copy(index = index, answers = answers)

    override fun submit(answers: List<Answer>) =
        core({ it.submitScreening(answers, ctx.clock.nowMs()) }) { r -> update { it.copy(result = r) } }

    /** Today's local date `YYYY-MM-DD` in the runner's zone (the default "seen on"). */
    fun today(): String =
        java.time.Instant.ofEpochMilli(ctx.clock.nowMs()).atZone(java.time.ZoneId.of(ctx.clock.zone())).toLocalDate().toString()

    /**
     * A clinician has seen it: who, and the local date `YYYY-MM-DD` they saw the runner. The
     * core lifts the lock when it accepts the clearance and returns the new safety state.
     */
    fun confirmClearance(clinician: String, seenOn: String = today()) =
        core({ it.confirmClinicianClearance(clinician, seenOn, ctx.clock.nowMs(), ctx.clock.zone()) }) { info ->
            update { s -> s.copy(result = info) }
        }
}
