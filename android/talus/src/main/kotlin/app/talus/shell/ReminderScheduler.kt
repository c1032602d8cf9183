// Carries out the core's reminder plan with AlarmManager: cancel, add and replace exactly
// what `reconcileReminders` says, never touching unchanged ones. The core decides what is
// wanted; this file only talks to the OS. Call it from a coroutine (disk and JNA work run
// on Dispatchers.IO).
package app.talus.shell

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.net.Uri
import app.talus.core.Engine
import app.talus.core.PendingReminder
import app.talus.core.ReminderInfo
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.util.TimeZone

class ReminderScheduler(private val context: Context, private val engine: Engine) {
    private val alarms = context.getSystemService(AlarmManager::class.java)
    private val prefs = context.getSharedPreferences("talus.reminders", Context.MODE_PRIVATE)

    private fun loadPending(): Map<String, PendingReminder> =
        prefs.all.mapNotNull { (id, value) ->
            val parts = (value as? String)?.split('|') ?: return@mapNotNull null
            val fire = parts.getOrNull(0)?.toLongOrNull() ?: return@mapNotNull null
            id to PendingReminder(id, fire, parts.getOrElse(1) { "" })
        }.toMap()

    private fun intentFor(id: String, reminder: ReminderInfo?): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java).apply {
            action = "app.talus.REMINDER"
            data = Uri.parse("talus-reminder://$id")
            reminder?.let {
                putExtra("title", it.title)
                putExtra("body", it.body)
                putExtra("deepLink", it.deepLink)
            }
        }
        return PendingIntent.getBroadcast(
            context, id.hashCode(), intent,
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
    }

    /** Call on app start, after importing runs, after a check-in and on a zone change. */
    suspend fun reconcile(zone: String = TimeZone.getDefault().id) {
        val pending = loadPending().toMutableMap()
        val plan = withContext(Dispatchers.IO) {
            engine.reconcileReminders(pending.values.toList(), System.currentTimeMillis(), zone)
        }
        val edit = prefs.edit()
        for (id in plan.cancel) {
            alarms.cancel(intentFor(id, null))
            edit.remove(id)
        }
        for (reminder in plan.add + plan.replace) {
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.fireAtMs, intentFor(reminder.id, reminder))
            edit.putString(reminder.id, "${reminder.fireAtMs}|${reminder.contentHash}")
        }
        edit.apply()
    }
}
