// Where a `talus://` link from a notification (or another app) leads. The core writes the
// links into reminders; this only reads them into a typed route for navigation.
package app.talus.shell

import java.net.URI

sealed class Route {
    object Today : Route()
    object Session : Route()

    /** Post-run check-in for a run; `reask` is the follow-up about 48 h after the run. */
    data class RunCheckin(val runId: String, val reask: Boolean) : Route()
    object MorningCheckin : Route()
    object KneeToWall : Route()
    object History : Route()
    object Settings : Route()
    object Sync : Route()
    object Runs : Route()

    companion object {
        /** The route for [link], or [Today] for anything this version does not know. */
        fun parse(link: String): Route {
            val uri = runCatching { URI(link) }.getOrNull() ?: return Today
            if (uri.scheme != "talus") return Today
            val parts = listOfNotNull(uri.host) + (uri.path ?: "").split('/').filter { it.isNotEmpty() }
            val query = (uri.query ?: "").split('&').filter { it.isNotEmpty() }.associate {
                it.substringBefore('=') to it.substringAfter('=', "")
            }
            return when (parts.firstOrNull()) {
                "checkin" -> parts.getOrNull(1)?.let { RunCheckin(it, query["reask"] == "1") } ?: MorningCheckin
                "session" -> Session
                "rom", "knee-to-wall" -> KneeToWall
                "history" -> History
                "settings" -> Settings
                "sync" -> Sync
                "runs" -> Runs
                else -> Today
            }
        }
    }
}
