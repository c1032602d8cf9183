// Brings runs from the health store into the core. The store's changes token makes each
// import read only what changed; ingestion is idempotent on (source, id) in the core, so a
// replayed page or an expired token that forces a full re-read never duplicates a run.
// Whether a run is long, and what it triggers, is the core's decision.
package app.talus.shell

import app.talus.core.Engine
import app.talus.core.RunIngest
import app.talus.core.RunInput
import app.talus.core.TalusException

/** What one import did. */
data class ImportResult(
    val ingested: List<RunIngest>,
    val skippedNotRunning: Int,
    /** Runs the core refused (id → its message); the others still came in. */
    val rejected: Map<String, String>,
    /** The token had expired (after about 30 days): the last [FULL_READ_DAYS] were re-read. */
    val fullRead: Boolean,
)

class HealthImport(
    private val engine: Engine,
    private val health: HealthStore,
    private val store: KeyValueStore,
) {
    /** Imports what changed since the last call. Call off the main thread. */
    suspend fun importChanges(nowMs: Long): ImportResult {
        if (!health.available() || !health.hasReadPermission()) return ImportResult(emptyList(), 0, emptyMap(), false)
        val token = store.get(TOKEN)
        if (token == null) return fullRead(nowMs, expired = false)
        val sessions = mutableListOf<HealthSession>()
        var next: String = token
        while (true) {
            val page = health.changes(next)
            if (page.tokenExpired) return fullRead(nowMs, expired = true)
            sessions += page.upserted
            next = page.nextToken
            if (!page.hasMore) break
        }
        // Deleted sessions stay in the runner's history; the runner deletes runs in Talus.
        val result = ingest(sessions, nowMs, fullRead = false)
        store.put(TOKEN, next)
        return result
    }

    /** A run typed in by the runner (no health store): same path, source `manual`. */
    fun manual(id: String, startMs: Long, endMs: Long, distanceM: Double, tags: List<String>, zone: String, nowMs: Long): RunIngest =
        engine.recordRun(RunInput(MANUAL, id, startMs, endMs, distanceM, tags, zone), nowMs)

    private suspend fun fullRead(nowMs: Long, expired: Boolean): ImportResult {
        // Take the token first, so changes made while reading are not lost.
        val token = health.changesToken()
        val sessions = health.sessions(nowMs - FULL_READ_DAYS * DAY_MS, nowMs)
        val result = ingest(sessions, nowMs, fullRead = expired)
        store.put(TOKEN, token)
        return result
    }

    private fun ingest(sessions: List<HealthSession>, nowMs: Long, fullRead: Boolean): ImportResult {
        val runs = sessions.filter { it.running }
        val rejected = mutableMapOf<String, String>()
        val ingested = runs.mapNotNull { s ->
            try {
                engine.recordRun(
                RunInput(
                    source = SOURCE,
                    externalId = s.id,
                    startMs = s.startMs,
                    endMs = s.endMs,
                    distanceM = s.distanceM ?: 0.0,
                    tags = emptyList(),
                    zone = s.zone,
                ),
                nowMs,
            )
            } catch (e: TalusException.InvalidInput) {
                // One implausible record must not block every later import.
                rejected[s.id] = e.message ?: ""
                null
            }
        }
        return ImportResult(ingested, sessions.size - runs.size, rejected, fullRead)
    }

    companion object {
        const val SOURCE = "health_connect"
        const val MANUAL = "manual"
        private const val TOKEN = "health-connect-changes-token"
        private const val DAY_MS = 86_400_000L

        /** How far back a first import (or one after an expired token) reads. */
        const val FULL_READ_DAYS = 30L
    }
}
