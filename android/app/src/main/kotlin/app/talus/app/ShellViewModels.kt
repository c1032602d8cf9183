// androidx ViewModels around the platform-free shell models: each gets the ViewModel's
// scope (cancelled when the screen goes for good) and Dispatchers.IO for core calls.
package app.talus.app

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import app.talus.platform.SystemClock
import app.talus.platform.TalusRuntime
import app.talus.shell.ShellContext
import kotlinx.coroutines.Dispatchers

class ShellViewModel(runtime: TalusRuntime, locale: String) : ViewModel() {
    val context = ShellContext(runtime.engine, SystemClock, viewModelScope, Dispatchers.IO, locale)
    internal var model: Any? = null
    private val closers = mutableListOf<() -> Unit>()

    /** Releases [close] with the ViewModel (native sessions, players, speech). */
    fun onClear(close: () -> Unit) {
        closers += close
    }

    override fun onCleared() {
        closers.forEach { it() }
    }
}

/**
 * The screen's model, made once per ViewModel and kept across configuration changes;
 * [key] tells models of one screen type apart (e.g. check-ins for different runs).
 */
@Composable
fun <M : Any> shellModel(runtime: TalusRuntime, locale: String, key: String, make: (ShellViewModel, ShellContext) -> M): M {
    val vm: ShellViewModel = viewModel(key = key) { ShellViewModel(runtime, locale) }
    @Suppress("UNCHECKED_CAST")
    return (vm.model ?: make(vm, vm.context).also { vm.model = it }) as M
}
