// The shell's view of the platform: every Android service the view models and handlers use
// sits behind one of these small interfaces, so the shell layer runs on the JVM under JUnit
// with fakes and on a phone with the adapters in `app.talus.platform`. No Android type
// appears here.
package app.talus.shell

import app.talus.core.ReminderKind
import app.talus.core.SegmentKind

/** Wall clock and the device's IANA time-zone name (read once per call, never cached). */
interface Clock {
    fun nowMs(): Long
    fun zone(): String
}

/** A clip segment to show: `startMs`..`endMs` of the drill's video, looped for the rep loop. */
data class ClipRequest(
    val assetId: String,
    /** The clip's file name in the clip pack the app ships (from the core's effect). */
    val file: String,
    val segment: SegmentKind,
    val startMs: Long,
    val endMs: Long,
    val looped: Boolean,
    val mirrored: Boolean,
)

/** The video player (Media3 ExoPlayer on Android). */
interface VideoPlayer {
    fun play(clip: ClipRequest)
    /** Runs [action] once when the current clip reaches [videoMs] (spoken cues). */
    fun atPosition(videoMs: Long, action: () -> Unit)
    fun pause()
    fun resume()
    fun stop()
}

/** Spoken cues (TextToSpeech with transient, ducking audio focus on Android). */
interface Speech {
    fun speak(text: String, locale: String)
    fun stop()
}

/** A short vibration at a rep or a phase change. */
interface Haptics {
    fun pulse()
}

/** Keeps the screen on while a session runs (FLAG_KEEP_SCREEN_ON on Android). */
interface ScreenAwake {
    fun keepOn(on: Boolean)
}

/** One pending wake-up at an instant: the session's countdown redraws and its `tick` at the deadline. */
interface TickScheduler {
    fun schedule(atMs: Long, onFire: () -> Unit)
    fun cancel()
}

/** A small durable key-value store (SharedPreferences on Android). */
interface KeyValueStore {
    fun get(key: String): String?
    fun put(key: String, value: String?)
    fun keys(prefix: String): Set<String>
}

/** What the OS alarm service can do for one reminder id. */
interface AlarmPort {
    /** `AlarmManager.canScheduleExactAlarms()`; always true below Android 12. */
    fun canScheduleExact(): Boolean
    fun setExact(id: String, atMs: Long, payload: ReminderPayload)
    /** Delivered somewhere in `[startMs, startMs + lengthMs]`, also in Doze. */
    fun setWindow(id: String, startMs: Long, lengthMs: Long, payload: ReminderPayload)
    fun cancel(id: String)
}

/** What a fired alarm needs to show its notification without asking the core again. */
data class ReminderPayload(
    val id: String,
    val kind: ReminderKind,
    val title: String,
    val body: String,
    val deepLink: String,
)

/** Runtime notification permission (POST_NOTIFICATIONS from Android 13). */
interface NotificationPermission {
    fun granted(): Boolean
}

/** Posts and removes notifications; a channel per reminder kind. */
interface Notifier {
    fun show(payload: ReminderPayload, actions: List<NotificationAction>)
    fun dismiss(id: String)
}

/**
 * A button on a notification: answered in the background when [opens] is null, else it
 * opens that deep link directly (Android forbids starting an activity from a receiver
 * behind a notification, so the platform wires such a button to the activity itself).
 */
data class NotificationAction(val key: String, val label: String, val opens: String?)

/** One exercise session as the health store reports it, already typed by the adapter. */
data class HealthSession(
    val id: String,
    val origin: String,
    val running: Boolean,
    val startMs: Long,
    val endMs: Long,
    val distanceM: Double?,
    val zone: String,
)

/** One page of changes since a token (Health Connect `getChanges`). */
data class HealthChanges(
    val upserted: List<HealthSession>,
    val deletedIds: List<String>,
    val nextToken: String,
    val hasMore: Boolean,
    val tokenExpired: Boolean,
)

/** The health store (Health Connect on Android). */
interface HealthStore {
    fun available(): Boolean
    suspend fun hasReadPermission(): Boolean
    suspend fun changesToken(): String
    suspend fun changes(token: String): HealthChanges
    suspend fun sessions(fromMs: Long, toMs: Long): List<HealthSession>
}

/** A file in the runner's sync folder. */
data class DocumentEntry(val name: String, val size: Long)

/** The folder the runner picked (Storage Access Framework tree on Android). */
interface DocumentTree {
    fun list(): List<DocumentEntry>
    fun read(name: String): ByteArray
    /** Creates or truncates and writes (`"wt"` mode on Android). */
    fun write(name: String, bytes: ByteArray)
}
