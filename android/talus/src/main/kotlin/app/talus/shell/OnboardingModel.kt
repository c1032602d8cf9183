// First run and re-screening (J1, J8): the red-flag questions one per screen with a
// counter, the core's verdict (locked with a referral, or clear), and the way out of a lock
// (a clinician's clearance). The core decides what an answer means.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.QuestionInfo
import app.talus.core.SafetyInfo

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
            val list = s.questions.map { Answer(it.id, answers[it.id].toCoreYes()) }
            core({ it.submitScreening(list, ctx.clock.nowMs()) }) { r -> update { it.copy(result = r) } }
        }
    }

    fun back() = update { if (it.index > 0 && it.result == null) it.copy(index = it.index - 1) else it }

    /** A clinician has seen it: the core lifts the lock when it accepts the clearance. */
    fun confirmClearance() = core({ it.confirmClinicianClearance(true, ctx.clock.nowMs()) }) { locked ->
        update { s -> s.copy(result = s.result?.copy(locked = locked)) }
    }
}

/**
 * The core's screening takes yes/no today. "Not sure" is never "no" (J1), so it is sent as
 * a yes until the core takes the third answer and its documented policy (issue 14).
 */
private fun ScreeningChoice?.toCoreYes(): Boolean = when (this) {
    ScreeningChoice.YES, ScreeningChoice.NOT_SURE -> true
    ScreeningChoice.NO -> false
    null -> true
}
