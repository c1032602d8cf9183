// The base of every screen's view model: one state flow the screen renders, one error line,
// and core calls that always run on the I/O dispatcher (they touch disk). Plain Kotlin: the
// app wraps each model in an androidx ViewModel whose scope it passes in.
package app.talus.shell

import app.talus.core.Engine
import app.talus.core.TalusException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/** What every screen model needs: the open engine, the clock, a scope and the I/O dispatcher. */
class ShellContext(
    val engine: Engine,
    val clock: Clock,
    val scope: CoroutineScope,
    val io: CoroutineDispatcher,
    val locale: String,
)

abstract class ScreenModel<S>(initial: S, protected val ctx: ShellContext) {
    private val mutableState = MutableStateFlow(initial)
    val state: StateFlow<S> = mutableState

    private val mutableError = MutableStateFlow<String?>(null)

    /** The core's message for the last failed call, for people; null after a success. */
    val error: StateFlow<String?> = mutableError

    /** The core's calm sentence for the error, in the runner's language (never the detail). */
    protected fun reportError(e: TalusException) {
        mutableError.value = e.userMessage(ctx.locale)
    }

    protected fun clearError() {
        mutableError.value = null
    }

    protected fun update(change: (S) -> S) {
        mutableState.value = change(mutableState.value)
    }

    /** Runs [call] on the I/O dispatcher, then [apply] with its result on the caller's one. */
    protected fun <T> core(call: (Engine) -> T, apply: (T) -> Unit) {
        ctx.scope.launch {
            try {
                val result = withContext(ctx.io) { call(ctx.engine) }
                clearError()
                apply(result)
            } catch (e: TalusException) {
                reportError(e)
            }
        }
    }
}
