// J3: after a session ended for severe pain the programme is paused until a short
// follow-up screening. One question per screen with yes / no / not sure, like the first
// screening; the core decides whether the pause ends, stays, or a red flag locks.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.FollowUpInfo
import app.talus.core.QuestionInfo

data class FollowUpScreen(
    val questions: List<QuestionInfo> = emptyList(),
    val index: Int = 0,
    val answers: Map<String, ScreeningChoice> = emptyMap(),
    val result: FollowUpInfo? = null,
) {
    val current: QuestionInfo? get() = if (result == null) questions.getOrNull(index) else null

    /** 1-based position for the "2 of 5" counter. */
    val position: Int get() = index + 1
    val total: Int get() = questions.size
}

class FollowUpModel(ctx: ShellContext) : ScreenModel<FollowUpScreen>(FollowUpScreen(), ctx) {
    fun load() = core({ it.followUpQuestions(ctx.locale) }) { qs -> update { FollowUpScreen(questions = qs) } }

    fun answer(choice: ScreeningChoice) {
        val s = state.value
        val q = s.current ?: return
        val answers = s.answers + (q.id to choice)
        if (s.index + 1 < s.questions.size) {
            update { it.copy(index = it.index + 1, answers = answers) }
        } else {
            update { it.copy(answers = answers) }
            val list = s.questions.map { Answer(it.id, answers[it.id].toCore()) }
            core({ it.submitFollowUp(list, ctx.clock.nowMs()) }) { r -> update { it.copy(result = r) } }
        }
    }

    fun back() = update { if (it.index > 0 && it.result == null) it.copy(index = it.index - 1) else it }
}
