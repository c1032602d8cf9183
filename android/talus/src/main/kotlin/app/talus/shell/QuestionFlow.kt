// One question per screen with yes / no / not sure and a counter: the first screening (J1,
// J8) and the follow-up after a severe-pain stop (J3) walk their questions the same way and
// differ only in what the core is asked at the end.
package app.talus.shell

import app.talus.core.Answer
import app.talus.core.QuestionInfo
import app.talus.core.ScreeningAnswer

enum class ScreeningChoice { YES, NO, NOT_SURE }

/** Where the runner is in a question flow and what they answered so far. */
interface QuestionFlow {
    val questions: List<QuestionInfo>
    val index: Int
    val answers: Map<String, ScreeningChoice>

    /** The core has answered: no question is current any more. */
    val finished: Boolean

    val current: QuestionInfo? get() = if (finished) null else questions.getOrNull(index)

    /** 1-based position for the "3 of 20" counter. */
    val position: Int get() = index + 1
    val total: Int get() = questions.size
}

abstract class QuestionFlowModel<S : QuestionFlow>(initial: S, ctx: ShellContext) : ScreenModel<S>(initial, ctx) {
    /** The same flow at another question with these answers. */
    protected abstract fun S.at(index: Int, answers: Map<String, ScreeningChoice>): S

    /** Every question answered: hand the answers to the core. */
    protected abstract fun submit(answers: List<Answer>)

    fun answer(choice: ScreeningChoice) {
        val s = state.value
        val q = s.current ?: return
        val answers = s.answers + (q.id to choice)
        if (s.index + 1 < s.questions.size) {
            update { it.at(it.index + 1, answers) }
        } else {
            update { it.at(it.index, answers) }
            submit(s.questions.map { Answer(it.id, answers[it.id].toCore()) })
        }
    }

    fun back() = update { if (it.index > 0 && !it.finished) it.at(it.index - 1, it.answers) else it }
}

/**
 * The three answers go to the core as they are; its policy says what "not sure" means. An
 * unanswered question is "not sure", never "no" (ADR 0010).
 */
private fun ScreeningChoice?.toCore(): ScreeningAnswer = when (this) {
    ScreeningChoice.YES -> ScreeningAnswer.YES
    ScreeningChoice.NO -> ScreeningAnswer.NO
    ScreeningChoice.NOT_SURE, null -> ScreeningAnswer.NOT_SURE
}
