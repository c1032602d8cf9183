// First run and re-screening (J1, J8): the red-flag questions one per screen with a
// counter, the core's verdict (locked with a referral, or clear), and the way out of a lock
// (a clinician's clearance). The core decides what an answer means.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.QuestionInfo
import app.talus.core.SafetyInfo
import app.talus.core.ScreeningAnswer

enum class ScreeningChoice { YES, NO, NOT_SURE }

data class ScreeningScreen(
    val questions: List<QuestionInfo> = emptyList(),
    val index: Int = 0,
    val answers: Map<String, ScreeningChoice> = emptyMap(),
    val result: SafetyInfo? = null,
) {
    val current: QuestionInfo? get() = if (result == null) questions.getOrNull(index) else null

    /** 1-based position for the "3 of 20" counter. */
    val position: Int get() = index + 1
    val total: Int get() = questions.size
}

class OnboardingModel(ctx: ShellContext) : ScreenModel<ScreeningScreen>(ScreeningScreen(), ctx) {
    fun load() = core({ it.screeningQuestions(ctx.locale) }) { qs -> update { ScreeningScreen(questions = qs) } }

    fun answer(choice: ScreeningChoice) {
        val s = state.value
        val q = s.current ?: return
        val answers = s.answers + (q.id to choice)
        if (s.index + 1 < s.questions.size) {
            update { it.copy(index = it.index + 1, answers = answers) }
        } else {
            update { it.copy(answers = answers) }
            val list = s.questions.map { Answer(it.id, answers[it.id].toCore()) }
            core({ it.submitScreening(list, ctx.clock.nowMs()) }) { r -> update { it.copy(result = r) } }
        }
    }

    /** Today's local date `YYYY-MM-DD` in the runner's zone (the default "seen on"). */
    fun today(): String =
        java.time.Instant.ofEpochMilli(ctx.clock.nowMs()).atZone(java.time.ZoneId.of(ctx.clock.zone())).toLocalDate().toString()

    fun back() = update { if (it.index > 0 && it.result == null) it.copy(index = it.index - 1) else it }

    /**
     * A clinician has seen it: who, and the local date `YYYY-MM-DD` they saw the runner. The
     * core lifts the lock when it accepts the clearance and returns the new safety state.
     */
    fun confirmClearance(clinician: String, seenOn: String = today()) =
        core({ it.confirmClinicianClearance(clinician, seenOn, ctx.clock.nowMs(), ctx.clock.zone()) }) { info ->
            update { s -> s.copy(result = info) }
        }
}

/**
 * The three answers go to the core as they are; its policy says what "not sure" means. An
 * unanswered question is "not sure", never "no" (ADR 0010).
 */
internal fun ScreeningChoice?.toCore(): ScreeningAnswer = when (this) {
    ScreeningChoice.YES -> ScreeningAnswer.YES
    ScreeningChoice.NO -> ScreeningAnswer.NO
    ScreeningChoice.NOT_SURE, null -> ScreeningAnswer.NOT_SURE
}
