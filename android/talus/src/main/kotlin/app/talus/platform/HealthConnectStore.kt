// Health Connect behind the shell's HealthStore port: running sessions (outdoor and
// treadmill) with a changes token, distance aggregated from the session's own data origin,
// and the zone the device is in (Health Connect stores offsets, not zone names).
package app.talus.platform

import android.content.Context
import androidx.health.connect.client.HealthConnectClient
import androidx.health.connect.client.HealthConnectFeatures
import androidx.health.connect.client.changes.DeletionChange
import androidx.health.connect.client.changes.UpsertionChange
import androidx.health.connect.client.permission.HealthPermission
import androidx.health.connect.client.records.DistanceRecord
import androidx.health.connect.client.records.ExerciseSessionRecord
import androidx.health.connect.client.request.AggregateRequest
import androidx.health.connect.client.request.ChangesTokenRequest
import androidx.health.connect.client.request.ReadRecordsRequest
import androidx.health.connect.client.time.TimeRangeFilter
import app.talus.shell.HealthChanges
import app.talus.shell.HealthSession
import app.talus.shell.HealthStore
import java.time.Instant

class HealthConnectStore(private val context: Context) : HealthStore {
    private val client: HealthConnectClient? by lazy {
        if (available()) HealthConnectClient.getOrCreate(context) else null
    }

    override fun available(): Boolean =
        HealthConnectClient.getSdkStatus(context) == HealthConnectClient.SDK_AVAILABLE

    override suspend fun hasReadPermission(): Boolean {
        val c = client ?: return false
        return c.permissionController.getGrantedPermissions().containsAll(READ_PERMISSIONS)
    }

    override suspend fun changesToken(): String =
        requireClient().getChangesToken(ChangesTokenRequest(setOf(ExerciseSessionRecord::class)))

    override suspend fun changes(token: String): HealthChanges {
        val c = requireClient()
        val response = c.getChanges(token)
        val upserted = response.changes.filterIsInstance<UpsertionChange>()
            .mapNotNull { it.record as? ExerciseSessionRecord }
            .map { toSession(c, it) }
        val deleted = response.changes.filterIsInstance<DeletionChange>().map { it.recordId }
        return HealthChanges(upserted, deleted, response.nextChangesToken, response.hasMore, response.changesTokenExpired)
    }

    override suspend fun sessions(fromMs: Long, toMs: Long): List<HealthSession> {
        val c = requireClient()
        val out = mutableListOf<HealthSession>()
        var page: String? = null
        do {
            val response = c.readRecords(
                ReadRecordsRequest(
                    recordType = ExerciseSessionRecord::class,
                    timeRangeFilter = TimeRangeFilter.between(Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs)),
                    pageToken = page,
                ),
            )
            response.records.mapTo(out) { toSession(c, it) }
            page = response.pageToken
        } while (page != null)
        return out
    }

    private suspend fun toSession(c: HealthConnectClient, s: ExerciseSessionRecord): HealthSession {
        val running = s.exerciseType == ExerciseSessionRecord.EXERCISE_TYPE_RUNNING ||
            s.exerciseType == ExerciseSessionRecord.EXERCISE_TYPE_RUNNING_TREADMILL
        val distance = if (!running) {
            null
        } else {
            c.aggregate(
                AggregateRequest(
                    metrics = setOf(DistanceRecord.DISTANCE_TOTAL),
                    timeRangeFilter = TimeRangeFilter.between(s.startTime, s.endTime),
                    dataOriginFilter = setOf(s.metadata.dataOrigin),
                ),
            )[DistanceRecord.DISTANCE_TOTAL]?.inMeters
        }
        return HealthSession(
            id = s.metadata.id,
            origin = s.metadata.dataOrigin.packageName,
            running = running,
            startMs = s.startTime.toEpochMilli(),
            endMs = s.endTime.toEpochMilli(),
            distanceM = distance,
            zone = SystemClock.zone(),
        )
    }

    /** The read permissions, plus background reading where this phone offers it. */
    suspend fun permissionsToAsk(): Set<String> {
        val c = client ?: return READ_PERMISSIONS
        val background = c.features.getFeatureStatus(HealthConnectFeatures.FEATURE_READ_HEALTH_DATA_IN_BACKGROUND) ==
            HealthConnectFeatures.FEATURE_STATUS_AVAILABLE
        return if (background) READ_PERMISSIONS + BACKGROUND_PERMISSION else READ_PERMISSIONS
    }

    private fun requireClient(): HealthConnectClient = client ?: error("Health Connect is not available")

    companion object {
        val READ_PERMISSIONS: Set<String> = setOf(
            HealthPermission.getReadPermission(ExerciseSessionRecord::class),
            HealthPermission.getReadPermission(DistanceRecord::class),
        )

        /** Asked for only where the platform offers reading in the background. */
        const val BACKGROUND_PERMISSION = HealthPermission.PERMISSION_READ_HEALTH_DATA_IN_BACKGROUND
    }
}
