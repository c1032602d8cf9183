// Small Android adapters for the shell's ports: the wall clock and zone, SharedPreferences
// as the key-value store, the real timer behind ScheduleTick, and the keep-screen-on flag.
package app.talus.platform

import android.content.Context
import app.talus.shell.Clock
import app.talus.shell.KeyValueStore
import app.talus.shell.ScreenAwake
import app.talus.shell.TickScheduler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import java.time.ZoneId

object SystemClock : Clock {
    override fun nowMs(): Long = System.currentTimeMillis()
    override fun zone(): String = ZoneId.systemDefault().id
}

class PrefsStore(context: Context, name: String) : KeyValueStore {
    private val prefs = context.getSharedPreferences(name, Context.MODE_PRIVATE)

    override fun get(key: String): String? = prefs.getString(key, null)

    // commit(), not apply(): a receiver's process may die right after it returns.
    override fun put(key: String, value: String?) {
        val edit = prefs.edit()
        if (value == null) edit.remove(key) else edit.putString(key, value)
        edit.commit()
    }

    override fun keys(prefix: String): Set<String> = prefs.all.keys.filter { it.startsWith(prefix) }.toSet()
}

/** The session's timer: one pending wake-up on the screen's scope (cancelled with it). */
class CoroutineTicks(private val scope: CoroutineScope, private val clock: Clock) : TickScheduler {
    private var job: Job? = null

    override fun schedule(atMs: Long, onFire: () -> Unit) {
        job?.cancel()
        job = scope.launch {
            delay((atMs - clock.nowMs()).coerceAtLeast(0))
            onFire()
        }
    }

    override fun cancel() {
        job?.cancel()
        job = null
    }
}

/**
 * Whether the session screen keeps the display on; the screen applies it to its view
 * (`View.keepScreenOn`), so it follows configuration changes and ends with the screen.
 */
class FlagScreenAwake : ScreenAwake {
    private val flag = MutableStateFlow(false)
    val on: StateFlow<Boolean> = flag

    override fun keepOn(on: Boolean) {
        flag.value = on
    }
}
