// J4/J8: the morning and post-run check-in: pain and stiffness 0–10 for calf, Achilles and
// ankle, the red-flag questions (any yes locks, the core decides), and the core's answer.
package app.talus.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.foundation.selection.toggleable
import androidx.compose.ui.unit.dp
import app.talus.shell.CheckinScreen
import app.talus.shell.Key
import app.talus.shell.Region

@Composable
fun CheckinView(
    state: CheckinScreen,
    error: String?,
    onPain: (Region, Int) -> Unit,
    onStiffness: (Region, Int) -> Unit,
    onRedFlag: (String, Boolean) -> Unit,
    onSubmit: () -> Unit,
) {
    Screen(word(if (state.runId != null) Key.RunCheckIn else Key.CheckIn), error) {
        val result = state.result
        if (result != null) {
            Text(result.status.label(LocalLocale.current), style = MaterialTheme.typography.titleLarge, color = statusColor(result.status))
            for (r in result.reasons) ReasonCard(r)
            return@Screen
        }
        for (region in Region.entries) {
            val name = word(regionKey(region))
            ZeroToTen("$name · ${word(Key.Pain)}", state.pain[region]) { onPain(region, it) }
            ZeroToTen("$name · ${word(Key.Stiffness)}", state.stiffness[region], Scale.STIFFNESS) { onStiffness(region, it) }
        }
        if (state.redFlagQuestions.isNotEmpty()) {
            Text(word(Key.RedFlagsTitle), style = MaterialTheme.typography.titleMedium)
            for (q in state.redFlagQuestions) {
                val checked = q.id in state.redFlagsYes
                Row(
                    Modifier.fillMaxWidth().heightIn(min = 48.dp)
                        .toggleable(value = checked, role = Role.Checkbox, onValueChange = { onRedFlag(q.id, it) }),
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    Checkbox(checked = checked, onCheckedChange = null)
                    Text(q.text, Modifier.padding(start = 8.dp), style = MaterialTheme.typography.bodyMedium)
                }
            }
        }
        Button(onClick = onSubmit, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.Submit)) }
    }
}

private fun regionKey(region: Region): Key = when (region) {
    Region.CALF -> Key.Calf
    Region.ACHILLES -> Key.Achilles
    Region.ANKLE -> Key.Ankle
}
