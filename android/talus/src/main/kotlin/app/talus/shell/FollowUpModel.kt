// J3: after a session ended for severe pain the programme is paused until a short
// follow-up screening. One question per screen with yes / no / not sure, like the first
// screening; the core decides whether the pause ends, stays, or a red flag locks.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.FollowUpInfo
import app.talus.core.QuestionInfo

data class FollowUpScreen(
    override val questions: List<QuestionInfo> = emptyList(),
    override val index: Int = 0,
    override val answers: Map<String, ScreeningChoice> = emptyMap(),
    val result: FollowUpInfo? = null,
) : QuestionFlow {
    override val finished: Boolean get() = result != null
}

class FollowUpModel(ctx: ShellContext) : QuestionFlowModel<FollowUpScreen>(FollowUpScreen(), ctx) {
    fun load() = core({ it.followUpQuestions(ctx.locale) }) { qs -> update { FollowUpScreen(questions = qs) } }

    override fun FollowUpScreen.at(index: Int, answers: Map<String, ScreeningChoice>) = copy(index = index, answers = answers)

    override fun submit(answers: List<Answer>) =
        core({ it.submitFollowUp(answers, ctx.clock.nowMs()) }) { r -> update { it.copy(result = r) } }
}
