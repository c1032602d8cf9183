// Fakes for the platform ports: what a phone would do, recorded so the journey tests can
// assert it, and driven by the test (a clock that moves only when told, a reboot that
// drops every alarm, a health store with pages and tokens, a folder in memory).
package app.talus.android.tests

import app.talus.shell.AlarmPort
import app.talus.shell.ClipRequest
import app.talus.shell.Clock
import app.talus.shell.DocumentEntry
import app.talus.shell.DocumentTree
import app.talus.shell.Haptics
import app.talus.shell.HealthChanges
import app.talus.shell.HealthSession
import app.talus.shell.HealthStore
import app.talus.shell.KeyValueStore
import app.talus.shell.NotificationPermission
import app.talus.shell.ReminderPayload
import app.talus.shell.ScreenAwake
import app.talus.shell.SessionPorts
import app.talus.shell.ShellContext
import app.talus.shell.Speech
import app.talus.shell.TickScheduler
import app.talus.shell.VideoPlayer
import app.talus.core.Engine
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import java.nio.file.Files

class FakeClock(var now: Long, var zoneId: String) : Clock {
    override fun nowMs() = now
    override fun zone() = zoneId
}

class FakePlayer : VideoPlayer {
    val played = mutableListOf<ClipRequest>()
    val cuesAt = mutableListOf<Long>()
    var paused = false
    var stopped = false
    override fun play(clip: ClipRequest) {
        played += clip
        paused = false
        stopped = false
    }

    // The fake plays instantly: a cue waiting for a position is spoken at once.
    override fun atPosition(videoMs: Long, action: () -> Unit) {
        cuesAt += videoMs
        action()
    }

    override fun pause() {
        paused = true
    }

    override fun resume() {
        paused = false
    }

    override fun stop() {
        stopped = true
    }
}

class FakeSpeech : Speech {
    val spoken = mutableListOf<Pair<String, String>>()
    override fun speak(text: String, locale: String) {
        spoken += text to locale
    }

    override fun stop() {}
}

class FakeHaptics : Haptics {
    var pulses = 0
    override fun pulse() {
        pulses++
    }
}

class FakeScreen : ScreenAwake {
    var on = false
    val changes = mutableListOf<Boolean>()
    override fun keepOn(on: Boolean) {
        this.on = on
        changes += on
    }
}

class FakeTicks : TickScheduler {
    var at: Long? = null
    private var action: (() -> Unit)? = null
    override fun schedule(atMs: Long, onFire: () -> Unit) {
        at = atMs
        action = onFire
    }

    override fun cancel() {
        at = null
        action = null
    }

    /** Moves [clock] to the scheduled instant and fires; false when nothing is scheduled. */
    fun fire(clock: FakeClock): Boolean {
        val a = action ?: return false
        val t = at ?: return false
        if (t > clock.now) clock.now = t
        at = null
        action = null
        a()
        return true
    }
}

class MemoryStore : KeyValueStore {
    val map = sortedMapOf<String, String>()
    override fun get(key: String) = map[key]
    override fun put(key: String, value: String?) {
        if (value == null) map.remove(key) else map[key] = value
    }

    override fun keys(prefix: String) = map.keys.filter { it.startsWith(prefix) }.toSet()
}

data class Alarm(val atMs: Long, val windowMs: Long?, val payload: ReminderPayload)

class FakeAlarms(var exactAllowed: Boolean = false) : AlarmPort {
    val armed = sortedMapOf<String, Alarm>()
    var sets = 0
    override fun canScheduleExact() = exactAllowed
    override fun setExact(id: String, atMs: Long, payload: ReminderPayload) {
        check(exactAllowed) { "SecurityException: exact alarm without permission" }
        armed[id] = Alarm(atMs, null, payload)
        sets++
    }

    override fun setWindow(id: String, startMs: Long, lengthMs: Long, payload: ReminderPayload) {
        armed[id] = Alarm(startMs, lengthMs, payload)
        sets++
    }

    override fun cancel(id: String) {
        armed.remove(id)
    }

    /** What a reboot does to AlarmManager: every alarm is gone. */
    fun reboot() = armed.clear()
}

class FakePermission(var granted: Boolean = false) : NotificationPermission {
    override fun granted() = granted
}

class FakeHealth : HealthStore {
    val sessions = mutableListOf<HealthSession>()
    /** Changes not yet read, in pages; a token names how many were read. */
    private var log = mutableListOf<HealthSession>()
    var expired = false
    var permission = true
    var pageSize = 2

    fun add(s: HealthSession) {
        sessions += s
        log += s
    }

    override fun available() = true
    override suspend fun hasReadPermission() = permission
    override suspend fun changesToken() = log.size.toString()
    override suspend fun changes(token: String): HealthChanges {
        if (expired) return HealthChanges(emptyList(), emptyList(), "", false, true)
        val from = token.toInt()
        val to = minOf(log.size, from + pageSize)
        return HealthChanges(log.subList(from, to).toList(), emptyList(), to.toString(), to < log.size, false)
    }

    override suspend fun sessions(fromMs: Long, toMs: Long) = sessions.filter { it.endMs in fromMs..toMs }
}

class MemoryTree : DocumentTree {
    val files = sortedMapOf<String, ByteArray>()
    override fun list() = files.map { (n, b) -> DocumentEntry(n, b.size.toLong()) }
    override fun read(name: String) = files.getValue(name)
    override fun write(name: String, bytes: ByteArray) {
        files[name] = bytes
    }
}

class Ports {
    val player = FakePlayer()
    val speech = FakeSpeech()
    val haptics = FakeHaptics()
    val screen = FakeScreen()
    val ticks = FakeTicks()
    val session = SessionPorts(player, speech, haptics, screen, ticks)
}

fun tempDir(name: String): String = Files.createTempDirectory("talus-android-$name").toString()

/** Everything runs on the calling thread, so a test reads the state right after an action. */
fun shell(engine: Engine, clock: FakeClock, locale: String = "en") =
    ShellContext(engine, clock, CoroutineScope(Dispatchers.Unconfined), Dispatchers.Unconfined, locale)
