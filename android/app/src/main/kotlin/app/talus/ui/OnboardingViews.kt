// J1: welcome, the red-flag questions one per screen with a counter, and the locked state
// with its referral and the way out (a clinician's clearance).
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.talus.shell.Key
import app.talus.shell.ScreeningChoice
import app.talus.shell.ScreeningScreen
import app.talus.shell.ShellText

@Composable
fun WelcomeView(onBegin: () -> Unit) {
    Screen(word(Key.WelcomeTitle)) {
        Text(word(Key.WelcomeBody), style = MaterialTheme.typography.bodyLarge)
        Button(onClick = onBegin, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Begin)) }
    }
}

@Composable
fun ScreeningView(
    state: ScreeningScreen,
    error: String?,
    onAnswer: (ScreeningChoice) -> Unit,
    onBack: () -> Unit,
    onClearance: () -> Unit,
    onDone: () -> Unit,
) {
    val result = state.result
    val question = state.current
    when {
        result != null && result.locked -> {
            // The core names the answers that locked by question id; show the questions.
            val asked = state.questions.associate { it.id to it.text }
            LockedView(result.referral?.message, result.reasons.map { asked[it] ?: it }, error, onClearance)
        }
        result != null -> Screen(word(Key.Cleared), error) {
            Button(onClick = onDone, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Next)) }
        }
        question != null -> {
            val counter = ShellText.counter(state.position, state.total, LocalLocale.current)
            Screen(counter, error) {
                LinearProgressIndicator(
                    progress = { state.position.toFloat() / state.total.coerceAtLeast(1) },
                    modifier = Modifier.fillMaxWidth().semantics { contentDescription = counter },
                )
                Text(question.text, style = MaterialTheme.typography.titleLarge)
                Column(verticalArrangement = Arrangement.spacedBy(10.dp)) {
                    val tall = Modifier.fillMaxWidth().heightIn(min = 56.dp)
                    OutlinedButton(onClick = { onAnswer(ScreeningChoice.YES) }, modifier = tall) { Text(word(Key.Yes)) }
                    OutlinedButton(onClick = { onAnswer(ScreeningChoice.NO) }, modifier = tall) { Text(word(Key.No)) }
                    OutlinedButton(onClick = { onAnswer(ScreeningChoice.NOT_SURE) }, modifier = tall) { Text(word(Key.NotSure)) }
                }
                if (state.index > 0) TextButton(onClick = onBack) { Text(word(Key.Back)) }
            }
        }
        else -> Screen(word(Key.AppName), error) {}
    }
}

@Composable
fun LockedView(referral: String?, reasons: List<String>, error: String?, onClearance: () -> Unit) {
    Screen(word(Key.LockedTitle), error) {
        if (referral != null) Text(referral, style = MaterialTheme.typography.bodyLarge)
        for (r in reasons) Text("• $r", style = MaterialTheme.typography.bodyMedium)
        Text(word(Key.ClearanceHint), style = MaterialTheme.typography.bodyMedium)
        OutlinedButton(onClick = onClearance, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(word(Key.ClearanceConfirm))
        }
    }
}
