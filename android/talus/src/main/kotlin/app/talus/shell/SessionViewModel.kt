// One lifecycle-aware view model for the guided-session screen: forwards user actions and
// ticks to the core's GuidedSession (off the main thread) and exposes the frame it returns.
// Effects are carried out by the injected handler; no rule lives here.
package app.talus.shell

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import app.talus.core.EffectInfo
import app.talus.core.FrameInfo
import app.talus.core.GuidedSession
import app.talus.core.SessionEvent
import app.talus.core.TalusException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

fun interface EffectHandler {
    fun perform(effect: EffectInfo)
}

class SessionViewModel(
    private val session: GuidedSession,
    private val effects: EffectHandler,
) : ViewModel() {
    private val _frame = MutableStateFlow(session.frame(System.currentTimeMillis()))
    val frame: StateFlow<FrameInfo> = _frame
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error
    private var tick: Job? = null

    fun send(event: SessionEvent) {
        viewModelScope.launch {
            try {
                val next = withContext(Dispatchers.IO) { session.handle(event, System.currentTimeMillis()) }
                _frame.value = next
                _error.value = null
                for (effect in next.effects) {
                    when (effect) {
                        is EffectInfo.ScheduleTick -> scheduleTick(effect.atMs)
                        else -> effects.perform(effect)
                    }
                }
            } catch (e: TalusException) {
                _error.value = e.message
            }
        }
    }

    private fun scheduleTick(atMs: Long) {
        tick?.cancel()
        tick = viewModelScope.launch {
            delay((atMs - System.currentTimeMillis()).coerceAtLeast(0))
            send(SessionEvent.Tick)
        }
    }

    override fun onCleared() {
        session.close()
    }
}
