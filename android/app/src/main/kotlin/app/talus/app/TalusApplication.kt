// Process start: notification channels (one per kind, in the runner's language), the
// reminder reconcile every app start owes, and the background run import where allowed.
package app.talus.app

import android.app.Application
import app.talus.platform.RunImportWorker
import app.talus.platform.TalusRuntime
import app.talus.shell.ReconcileTrigger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

class TalusApplication : Application() {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    override fun onCreate() {
        super.onCreate()
        scope.launch {
            val runtime = TalusRuntime.get(this@TalusApplication)
            runtime.notifier.createChannels()
            runtime.reconcile(ReconcileTrigger.APP_START)
            RunImportWorker.scheduleIfAllowed(this@TalusApplication)
        }
    }
}
