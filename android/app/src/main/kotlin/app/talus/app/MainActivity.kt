// The single Activity: opens the core off the main thread, then hands the Compose tree the
// runtime, the runner's language and every deep link that arrives (launch and new intents,
// notification buttons, Health Connect's permission rationale).
package app.talus.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.lifecycle.lifecycleScope
import app.talus.platform.AndroidNotifier
import app.talus.platform.TalusRuntime
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

class MainActivity : ComponentActivity() {
    private val links = MutableStateFlow<String?>(null)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        receive(intent)
        lifecycleScope.launch {
            val runtime = TalusRuntime.get(this@MainActivity)
            val (locale, onboarded) = withContext(Dispatchers.IO) {
                runtime.locale() to (runtime.keyValues.get(ONBOARDED) != null)
            }
            setContent { TalusApp(runtime, locale, onboarded, links) }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        receive(intent)
    }

    private fun receive(intent: Intent?) {
        intent ?: return
        links.value = when (intent.action) {
            HEALTH_RATIONALE, Intent.ACTION_VIEW_PERMISSION_USAGE -> "talus://runs"
            else -> intent.data?.toString()
        }
        val dismiss = intent.getStringExtra(AndroidNotifier.DISMISS) ?: return
        lifecycleScope.launch { TalusRuntime.get(this@MainActivity).notifier.dismiss(dismiss) }
    }

    companion object {
        const val ONBOARDED = "onboarded"
        private const val HEALTH_RATIONALE = "androidx.health.ACTION_SHOW_PERMISSIONS_RATIONALE"
    }
}
