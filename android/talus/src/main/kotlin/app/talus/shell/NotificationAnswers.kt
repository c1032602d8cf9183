// The buttons on a reminder and what tapping one does. "All good" on a post-run check-in is
// recorded in the background (no pain, no stiffness, no red flag: exactly what it says) and
// the reminders are reconciled, so the app never opens; the core decides what the answer
// means for the plan and the re-ask. "A bit sore" and "It hurts" carry no scores the core
// could classify, so they open the check-in for that run with two taps to go.
package app.talus.shell

import app.talus.core.CheckInInput
import app.talus.core.Engine
import app.talus.core.MorningInfo
import app.talus.core.ReminderKind

/** What answering did: recorded in the background, or the screen to open. */
data class AnswerOutcome(val recorded: MorningInfo?, val open: Route?)

class NotificationAnswers(
    private val engine: Engine,
    private val reminders: ReminderSync,
) {
    /** The action buttons for a reminder, labelled in [locale]. */
    fun actionsFor(payload: ReminderPayload, locale: String): List<NotificationAction> = when (payload.kind) {
        ReminderKind.LONG_RUN_CHECK_IN, ReminderKind.LONG_RUN_REASK -> listOf(
            NotificationAction(GREEN, ShellText.get(Key.AnswerGreen, locale), opens = null),
            NotificationAction(AMBER, ShellText.get(Key.AnswerAmber, locale), opens = payload.deepLink),
            NotificationAction(RED, ShellText.get(Key.AnswerRed, locale), opens = payload.deepLink),
        )
        ReminderKind.DAILY_DRILLS ->
            listOf(NotificationAction(START, ShellText.get(Key.StartAction, locale), opens = SESSION_LINK))
        ReminderKind.ROM_RETEST ->
            listOf(NotificationAction(RETEST, ShellText.get(Key.RetestAction, locale), opens = RETEST_LINK))
    }

    /** Answers [actionKey] (null for a tap on the notification itself). Call off the main thread. */
    fun answer(actionKey: String?, deepLink: String, nowMs: Long, zone: String): AnswerOutcome {
        val route = Route.parse(deepLink)
        return when (actionKey) {
            GREEN -> {
                val runId = (route as? Route.RunCheckin)?.runId
                val allGood = CheckInInput(nowMs, zone, 0, 0, 0, 0, 0, 0, emptyList(), runId)
                val result = engine.morningCheckin(allGood, nowMs)
                reminders.reconcile(ReconcileTrigger.CHECKIN_ANSWERED, nowMs, zone)
                AnswerOutcome(result, null)
            }
            AMBER, RED -> AnswerOutcome(null, if (route is Route.RunCheckin) route else Route.MorningCheckin)
            START -> AnswerOutcome(null, Route.Session)
            RETEST -> AnswerOutcome(null, Route.KneeToWall)
            else -> AnswerOutcome(null, route)
        }
    }

    companion object {
        const val GREEN = "green"
        const val AMBER = "amber"
        const val RED = "red"
        const val START = "start"
        const val RETEST = "retest"
        const val SESSION_LINK = "talus://session/today"
        const val RETEST_LINK = "talus://rom"
    }
}
