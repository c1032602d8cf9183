// Process start: notification channels (one per kind, in the runner's language) and the
// background run import where allowed. The app-start reconcile runs with the Activity,
// which can ask for the notification permission it may need.
package app.talus.app

import android.app.Application
import app.talus.platform.RunImportWorker
import app.talus.platform.TalusRuntime
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
            RunImportWorker.scheduleIfAllowed(this@TalusApplication)
        }
    }
}
