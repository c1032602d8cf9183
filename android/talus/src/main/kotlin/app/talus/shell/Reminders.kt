// Keeps the OS alarm list equal to the core's desired reminders. The core decides which
// reminders exist and when (ADR 0003); this class only records what the OS holds, applies
// the core's reconciliation plan with AlarmManager-shaped calls, and knows the platform
// facts: alarms die with a reboot (and with the exact-alarm permission being revoked), so
// those triggers forget the recorded list and every wanted reminder is armed again.
package app.talus.shell

import app.talus.core.Engine
import app.talus.core.PendingReminder
import app.talus.core.ReminderInfo

/** Why a reconcile runs. */
enum class ReconcileTrigger(
    /** The OS dropped every alarm of ours: the recorded list no longer says what it holds. */
    val alarmsLost: Boolean,
) {
    APP_START(false),
    RUN_IMPORTED(false),
    CHECKIN_ANSWERED(false),
    SETTINGS_CHANGED(false),
    TIMEZONE_CHANGED(false),
    TIME_SET(false),
    BOOT_COMPLETED(true),
    PACKAGE_REPLACED(true),
    EXACT_ALARM_PERMISSION_CHANGED(true),
}

/** What one reconcile did, for the caller and for tests. */
data class ReconcileResult(
    val armed: List<String>,
    val cancelled: List<String>,
    val unchanged: List<String>,
    /** Alarms were set exact (the runner granted SCHEDULE_EXACT_ALARM) or as a window. */
    val exact: Boolean,
    /** Reminders are planned but notifications are not allowed yet: ask now, with the reason. */
    val askNotificationPermission: Boolean,
)

class ReminderSync(
    private val engine: Engine,
    private val alarms: AlarmPort,
    private val store: KeyValueStore,
    private val permission: NotificationPermission,
) {
    /** Recorded OS state: id → "fireAtMs|contentHash|kind". */
    fun pending(): List<PendingReminder> = store.keys(PENDING).mapNotNull { key ->
        val parts = store.get(key)?.split('|') ?: return@mapNotNull null
        val fire = parts.getOrNull(0)?.toLongOrNull() ?: return@mapNotNull null
        PendingReminder(key.removePrefix(PENDING), fire, parts.getOrElse(1) { "" })
    }

    /** Call off the main thread: it reads the store through the core. */
    fun reconcile(trigger: ReconcileTrigger, nowMs: Long, zone: String): ReconcileResult {
        if (trigger.alarmsLost) {
            for (key in store.keys(PENDING)) store.put(key, null)
        }
        val plan = engine.reconcileReminders(pending(), nowMs, zone)
        for (id in plan.cancel) {
            alarms.cancel(id)
            store.put(PENDING + id, null)
        }
        val exact = alarms.canScheduleExact()
        val armed = plan.add + plan.replace
        for (reminder in armed) {
            arm(reminder, exact)
            store.put(PENDING + reminder.id, "${reminder.fireAtMs}|${reminder.contentHash}|${reminder.kind}")
        }
        val anyPlanned = armed.isNotEmpty() || plan.unchanged.isNotEmpty()
        val ask = anyPlanned && !permission.granted() && store.get(ASKED) == null
        return ReconcileResult(armed.map { it.id }, plan.cancel, plan.unchanged, exact, ask)
    }

    /**
     * The screen showed the system permission dialog (only a foreground screen can): do not
     * ask again on the next reconcile; the settings screen still offers it.
     */
    fun permissionAsked(nowMs: Long) {
        store.put(ASKED, nowMs.toString())
    }

    /** A reminder's alarm fired and its notification is up: the OS no longer holds it. */
    fun fired(id: String) {
        store.put(PENDING + id, null)
    }

    private fun arm(reminder: ReminderInfo, exact: Boolean) {
        val payload = ReminderPayload(reminder.id, reminder.kind, reminder.title, reminder.body, reminder.deepLink)
        if (exact) {
            alarms.setExact(reminder.id, reminder.fireAtMs, payload)
        } else {
            // The core placed the instant inside the wake window; the window only lets the
            // OS batch the wake-up, starting at that instant and as short as it allows.
            alarms.setWindow(reminder.id, reminder.fireAtMs, WINDOW_MS, payload)
        }
    }

    companion object {
        private const val PENDING = "pending:"
        private const val ASKED = "asked-notification-permission"

        /** The shortest window AlarmManager honours (shorter ones are stretched to 10 min). */
        const val WINDOW_MS = 10 * 60 * 1000L
    }
}
