// The reminder ports on Android: AlarmManager (exact only where the runner granted
// SCHEDULE_EXACT_ALARM, else a 10-minute window the OS may batch, both allowed in Doze),
// notifications with a channel per kind and answer buttons, and the runtime notification
// permission. What to schedule is the core's plan, applied by app.talus.shell.ReminderSync.
package app.talus.platform

import android.Manifest
import android.annotation.SuppressLint
import android.app.AlarmManager
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import app.talus.R
import app.talus.core.ReminderKind
import app.talus.shell.AlarmPort
import app.talus.shell.NotificationAction
import app.talus.shell.NotificationPermission
import app.talus.shell.Notifier
import app.talus.shell.ReminderPayload

internal object ReminderExtras {
    const val ID = "app.talus.reminder.ID"
    const val KIND = "app.talus.reminder.KIND"
    const val TITLE = "app.talus.reminder.TITLE"
    const val BODY = "app.talus.reminder.BODY"
    const val LINK = "app.talus.reminder.LINK"
    const val ACTION = "app.talus.reminder.ACTION"

    fun put(intent: Intent, p: ReminderPayload): Intent = intent
        .putExtra(ID, p.id).putExtra(KIND, p.kind.name).putExtra(TITLE, p.title)
        .putExtra(BODY, p.body).putExtra(LINK, p.deepLink)

    fun read(intent: Intent): ReminderPayload? {
        val id = intent.getStringExtra(ID) ?: return null
        val kind = intent.getStringExtra(KIND)?.let { k -> ReminderKind.entries.firstOrNull { it.name == k } } ?: return null
        return ReminderPayload(
            id, kind, intent.getStringExtra(TITLE) ?: "", intent.getStringExtra(BODY) ?: "",
            intent.getStringExtra(LINK) ?: "talus://today",
        )
    }
}

class AlarmManagerPort(private val context: Context) : AlarmPort {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    override fun canScheduleExact(): Boolean =
        Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()

    override fun setExact(id: String, atMs: Long, payload: ReminderPayload) {
        try {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, intent(id, payload))
        } catch (e: SecurityException) {
            // Revoked between the check and the call: deliver in the window instead.
            setWindow(id, atMs, app.talus.shell.ReminderSync.WINDOW_MS, payload)
        }
    }

    override fun setWindow(id: String, startMs: Long, lengthMs: Long, payload: ReminderPayload) {
        alarms.setWindow(AlarmManager.RTC_WAKEUP, startMs, lengthMs, intent(id, payload))
    }

    override fun cancel(id: String) {
        alarms.cancel(intent(id, null))
    }

    // The id is in the data URI so each reminder has its own PendingIntent (extras do not
    // count in PendingIntent equality); FLAG_UPDATE_CURRENT refreshes a replaced text.
    private fun intent(id: String, payload: ReminderPayload?): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java)
            .setAction(ReminderReceiver.FIRE)
            .setData(Uri.parse("talus-reminder://alarm/${Uri.encode(id)}"))
        if (payload != null) ReminderExtras.put(intent, payload)
        return PendingIntent.getBroadcast(
            context, 0, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
    }
}

class AndroidNotificationPermission(private val context: Context) : NotificationPermission {
    override fun granted(): Boolean = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
        ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
    } else {
        NotificationManagerCompat.from(context).areNotificationsEnabled()
    }
}

class AndroidNotifier(
    private val context: Context,
    private val locale: () -> String,
    private val actions: (ReminderPayload) -> List<NotificationAction>,
) : Notifier {
    private val manager = NotificationManagerCompat.from(context)

    /** One channel per kind of reminder, named in the runner's language; call at app start. */
    fun createChannels() {
        val system = context.getSystemService(NotificationManager::class.java)
        for (kind in ReminderKind.entries) {
            val name = kind.label(locale())
            system.createNotificationChannel(NotificationChannel(channelId(kind), name, NotificationManager.IMPORTANCE_DEFAULT))
        }
    }

    // Lint cannot see the permission check one call away; it is the first line.
    @SuppressLint("MissingPermission")
    override fun show(payload: ReminderPayload, actions: List<NotificationAction>) {
        if (!AndroidNotificationPermission(context).granted()) return
        val open = PendingIntent.getActivity(
            context, 0,
            Intent(Intent.ACTION_VIEW, Uri.parse(payload.deepLink)).setPackage(context.packageName),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val builder = NotificationCompat.Builder(context, channelId(payload.kind))
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(payload.title)
            .setContentText(payload.body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(payload.body))
            .setContentIntent(open)
            .setAutoCancel(true)
        for (action in actions.ifEmpty { this.actions(payload) }) {
            val link = action.opens
            val pi = if (link == null) {
                val answer = Intent(context, NotificationActionReceiver::class.java)
                    .setAction(NotificationActionReceiver.ANSWER)
                    .setData(Uri.parse("talus-reminder://answer/${Uri.encode(payload.id)}/${action.key}"))
                    .putExtra(ReminderExtras.ACTION, action.key)
                ReminderExtras.put(answer, payload)
                PendingIntent.getBroadcast(context, 0, answer, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
            } else {
                val view = Intent(Intent.ACTION_VIEW, Uri.parse(link)).setPackage(context.packageName)
                    .putExtra(DISMISS, payload.id)
                PendingIntent.getActivity(context, action.key.hashCode(), view, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
            }
            builder.addAction(0, action.label, pi)
        }
        try {
            manager.notify(payload.id, NOTIFICATION, builder.build())
        } catch (e: SecurityException) {
            // The permission was revoked after the check; nothing to show.
        }
    }

    override fun dismiss(id: String) = manager.cancel(id, NOTIFICATION)

    companion object {
        private const val NOTIFICATION = 1

        /** Extra on an opening intent: the reminder whose notification to take down. */
        const val DISMISS = "app.talus.reminder.DISMISS"

        fun channelId(kind: ReminderKind): String = "talus-" + kind.name.lowercase()
    }
}
