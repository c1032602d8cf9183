// Runs: the Health Connect permission with its reason (asked when the runner turns import
// on), and a run typed in by hand. What counts as long is the core's answer, shown after.
package app.talus.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.talus.shell.Key

/** The manual-entry form, as typed. */
data class RunForm(val minutes: String = "", val km: String = "", val long: Boolean = false)

@Composable
fun RunsView(
    healthAvailable: Boolean,
    healthGranted: Boolean,
    form: RunForm,
    lastOutcome: String?,
    error: String?,
    onAskHealth: () -> Unit,
    onForm: (RunForm) -> Unit,
    onAdd: () -> Unit,
) {
    Screen(word(Key.Runs), error) {
        if (healthAvailable) {
            Text(word(Key.ImportRunsReason), style = MaterialTheme.typography.bodyLarge)
            if (!healthGranted) {
                Button(onClick = onAskHealth, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.ImportRuns)) }
            }
        } else {
            Text(word(Key.HealthUnavailable), style = MaterialTheme.typography.bodyLarge)
        }
        Text(word(Key.AddRun), style = MaterialTheme.typography.titleMedium)
        OutlinedTextField(
            value = form.minutes, onValueChange = { onForm(form.copy(minutes = it)) },
            label = { Text(word(Key.Duration)) }, singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number), modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = form.km, onValueChange = { onForm(form.copy(km = it)) },
            label = { Text(word(Key.DistanceKm)) }, singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal), modifier = Modifier.fillMaxWidth(),
        )
        Row(verticalAlignment = Alignment.CenterVertically) {
            Checkbox(checked = form.long, onCheckedChange = { onForm(form.copy(long = it)) })
            Text(word(Key.LongRun))
        }
        OutlinedButton(onClick = onAdd, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.AddRun)) }
        if (lastOutcome != null) Text(lastOutcome, style = MaterialTheme.typography.bodyMedium)
    }
}
