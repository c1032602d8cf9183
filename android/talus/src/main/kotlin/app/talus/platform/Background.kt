// Work that runs without the app on screen: the periodic run import (WorkManager, at most
// every 15 minutes as the platform allows, and only with Health Connect's background-read
// permission) followed by a reminder reconcile when a run came in.
package app.talus.platform

import android.content.Context
import androidx.health.connect.client.HealthConnectClient
import androidx.health.connect.client.HealthConnectFeatures
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import app.talus.shell.ReconcileTrigger
import java.util.concurrent.TimeUnit

class RunImportWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val runtime = TalusRuntime.get(applicationContext)
        val result = runtime.health.importChanges(SystemClock.nowMs())
        if (result.ingested.isNotEmpty()) runtime.reconcile(ReconcileTrigger.RUN_IMPORTED)
        return Result.success()
    }

    companion object {
        private const val NAME = "talus-run-import"

        /** Enqueues the periodic import where Health Connect allows background reads. */
        suspend fun scheduleIfAllowed(context: Context) {
            if (HealthConnectClient.getSdkStatus(context) != HealthConnectClient.SDK_AVAILABLE) return
            val client = HealthConnectClient.getOrCreate(context)
            val feature = client.features.getFeatureStatus(HealthConnectFeatures.FEATURE_READ_HEALTH_DATA_IN_BACKGROUND)
            if (feature != HealthConnectFeatures.FEATURE_STATUS_AVAILABLE) return
            val granted = client.permissionController.getGrantedPermissions()
            if (HealthConnectStore.BACKGROUND_PERMISSION !in granted) return
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(
                NAME,
                ExistingPeriodicWorkPolicy.KEEP,
                PeriodicWorkRequestBuilder<RunImportWorker>(1, TimeUnit.HOURS).build(),
            )
        }
    }
}
