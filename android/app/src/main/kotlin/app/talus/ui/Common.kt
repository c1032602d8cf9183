// Small building blocks every screen shares: the chrome word lookup, a titled screen
// scaffold, the core's reasons as cards, and a labelled 0–10 scale that TalkBack reads.
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import app.talus.core.ReasonInfo
import app.talus.shell.Key
import app.talus.shell.ShellText

@Composable
fun word(key: Key): String = ShellText.get(key, LocalLocale.current, LocalWords.current)

/** A scrolling screen with a heading; content stacks with even spacing. */
@Composable
fun Screen(title: String, error: String? = null, content: @Composable ColumnScope.() -> Unit) {
    Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        Column(
            Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(20.dp),
            verticalArrangement = Arrangement.spacedBy(14.dp),
        ) {
            Text(title, style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
            if (error != null) ErrorLine(error)
            content()
        }
    }
}

@Composable
fun ErrorLine(message: String) {
    Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer)) {
        Text(message, Modifier.padding(12.dp), color = MaterialTheme.colorScheme.onErrorContainer)
    }
}

/** One reason from the core, in its own words. */
@Composable
fun ReasonCard(reason: ReasonInfo) {
    Card(Modifier.fillMaxWidth(), colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceVariant)) {
        Text(reason.message, Modifier.padding(12.dp), color = MaterialTheme.colorScheme.onSurfaceVariant)
    }
}

/** Which words stand at 0 and 10 of a scale. */
enum class Scale(val low: Key, val high: Key) {
    PAIN(Key.PainNone, Key.PainWorst),
    STIFFNESS(Key.StiffNone, Key.StiffWorst),
}

/**
 * 0–10 in one tap: eleven chips with words at the anchors (0, 5, 10). TalkBack reads the
 * number with its anchor word and whether it is selected.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ZeroToTen(label: String, value: Int?, scale: Scale = Scale.PAIN, onPick: (Int) -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(label, style = MaterialTheme.typography.titleMedium)
        // The pain scale's words come from the core, one for every score.
        val coreWords = if (scale == Scale.PAIN) LocalWords.current?.painScale?.associate { it.score to it.words } else null
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            for (n in 0..10) {
                val anchor = coreWords?.get(n) ?: when (n) {
                    0 -> word(scale.low)
                    5 -> word(Key.PainModerate)
                    10 -> word(scale.high)
                    else -> null
                }
                FilterChip(
                    selected = value == n,
                    onClick = { onPick(n) },
                    label = { Text(n.toString()) },
                    modifier = Modifier.semantics {
                        stateDescription = listOfNotNull("$n", anchor).joinToString(", ")
                    },
                )
            }
        }
        val fallback = mapOf(0 to word(scale.low), 5 to word(Key.PainModerate), 10 to word(scale.high))
        Text(
            listOf(0, 5, 10).joinToString(" · ") { n -> "$n = " + (coreWords?.get(n) ?: fallback.getValue(n)) },
            style = MaterialTheme.typography.labelMedium,
        )
    }
}
