// Broadcast receivers: an alarm firing (show the reminder), a notification button (answer
// without opening the app), and the system events after which the alarm list must be
// reconciled — boot and app update (alarms are gone), time-zone and clock changes, and the
// exact-alarm permission changing. Each hands its work to a coroutine with goAsync().
package app.talus.platform

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import app.talus.shell.ReconcileTrigger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

private val receiverScope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

/** Runs [work] after onReceive returns, keeping the broadcast alive until it is done. */
private fun BroadcastReceiver.async(work: suspend () -> Unit) {
    val pending = goAsync()
    receiverScope.launch {
        try {
            work()
        } finally {
            pending.finish()
        }
    }
}

class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != FIRE) return
        val payload = ReminderExtras.read(intent) ?: return
        async {
            val runtime = TalusRuntime.get(context)
            runtime.reminders.fired(payload.id)
            runtime.notifier.show(payload, emptyList())
        }
    }

    companion object {
        const val FIRE = "app.talus.action.REMINDER_FIRE"
    }
}

class NotificationActionReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != ANSWER) return
        val payload = ReminderExtras.read(intent) ?: return
        val key = intent.getStringExtra(ReminderExtras.ACTION)
        async {
            val runtime = TalusRuntime.get(context)
            val outcome = runtime.answers.answer(key, payload.deepLink, SystemClock.nowMs(), SystemClock.zone())
            // Only background answers come here (buttons that open go straight to the
            // activity); the notification goes once the answer is stored.
            if (outcome.recorded != null) runtime.notifier.dismiss(payload.id)
        }
    }

    companion object {
        const val ANSWER = "app.talus.action.REMINDER_ANSWER"
    }
}

class SystemEventsReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val trigger = when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED -> ReconcileTrigger.BOOT_COMPLETED
            Intent.ACTION_MY_PACKAGE_REPLACED -> ReconcileTrigger.PACKAGE_REPLACED
            Intent.ACTION_TIMEZONE_CHANGED -> ReconcileTrigger.TIMEZONE_CHANGED
            Intent.ACTION_TIME_CHANGED -> ReconcileTrigger.TIME_SET
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED -> ReconcileTrigger.EXACT_ALARM_PERMISSION_CHANGED
            else -> return
        }
        async { TalusRuntime.get(context).reconcile(trigger) }
    }
}
