// One per process: the open Engine on the profile in app storage and the services built on
// it (reminders, run import, notification answers). Receivers, workers and the Activity all
// reach the core through here, so a profile is never opened twice in one process. Opening
// touches disk: `get` suspends and runs it on Dispatchers.IO.
package app.talus.platform

import android.content.Context
import app.talus.core.Engine
import app.talus.shell.HealthImport
import app.talus.shell.NotificationAnswers
import app.talus.shell.ReconcileTrigger
import app.talus.shell.ReconcileResult
import app.talus.shell.ReminderSync
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import java.io.File

class TalusRuntime private constructor(context: Context) {
    private val app = context.applicationContext
    val engine: Engine = Engine.open(File(app.filesDir, "profile").path, SystemClock.nowMs())
    private val store = PrefsStore(app, "talus.shell")

    /** The runner's language as the core stores it. */
    fun locale(): String = engine.settings().locale

    val reminders = ReminderSync(engine, AlarmManagerPort(app), store, AndroidNotificationPermission(app))
    val answers = NotificationAnswers(engine, reminders)
    val notifier = AndroidNotifier(app, ::locale) { answers.actionsFor(it, locale()) }
    val health = HealthImport(engine, HealthConnectStore(app), store)
    val keyValues: PrefsStore get() = store

    /** Reconciles reminders now; serialised, so two triggers never interleave. */
    suspend fun reconcile(trigger: ReconcileTrigger): ReconcileResult = withContext(Dispatchers.IO) {
        reconcileLock.withLock { reminders.reconcile(trigger, SystemClock.nowMs(), SystemClock.zone()) }
    }

    companion object {
        private val lock = Mutex()
        private val reconcileLock = Mutex()

        @Volatile
        private var instance: TalusRuntime? = null

        suspend fun get(context: Context): TalusRuntime = instance ?: lock.withLock {
            instance ?: withContext(Dispatchers.IO) { TalusRuntime(context) }.also { instance = it }
        }
    }
}
