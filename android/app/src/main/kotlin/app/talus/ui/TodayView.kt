// J2: the day's plan with its variant and why, drills by name with their dose and reason,
// level changes with the rule behind them, and one tap to start.
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.talus.core.LevelChange
import app.talus.core.PlanInfo
import app.talus.core.PlanItemInfo
import app.talus.core.PlanVariant
import app.talus.shell.Key

@Composable
fun TodayView(
    plan: PlanInfo?,
    error: String?,
    onStart: () -> Unit,
    onCheckin: () -> Unit,
    onFollowUp: () -> Unit,
    onClearance: (String) -> Unit,
) {
    Screen(word(Key.Today), error) {
        if (plan == null) return@Screen
        Text("${plan.date} · ${plan.variantLabel}", style = MaterialTheme.typography.titleMedium)
        for (reason in plan.reasons) ReasonCard(reason)
        // Holds are decisions too, but only a change is news on this screen.
        val changes = plan.levels.filter { it.change != LevelChange.HOLD }
        if (changes.isNotEmpty()) {
            Text(word(Key.LevelChanges), style = MaterialTheme.typography.titleMedium)
            for (level in changes) {
                // Levels count from 1 on screen, as in the terminal coach.
                Text(
                    "${level.fromDrillName} ${level.fromLevel} → ${level.toDrillName} ${level.toLevel}",
                    style = MaterialTheme.typography.bodyLarge,
                )
                ReasonCard(level.reason)
            }
        }
        if (plan.variant == PlanVariant.LOCKED) {
            Text(word(Key.ClearanceHint), style = MaterialTheme.typography.bodyMedium)
            ClearanceForm(onClearance)
        } else if (plan.variant == PlanVariant.PAUSED) {
            // Paused after severe pain: the follow-up screening is the way back to drills.
            Button(onClick = onFollowUp, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.FollowUpStart)) }
        } else if (plan.items.isEmpty()) {
            Text(word(Key.NothingToday), style = MaterialTheme.typography.bodyLarge)
        } else {
            for (item in plan.items) PlanItemCard(item)
            Button(onClick = onStart, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.StartSession)) }
        }
        OutlinedButton(onClick = onCheckin, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.CheckIn)) }
    }
}

@Composable
private fun PlanItemCard(item: PlanItemInfo) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(14.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(item.drillName, style = MaterialTheme.typography.titleMedium)
            val dose = listOfNotNull(
                "${item.sets} × " + (item.reps?.let { "$it" } ?: item.holdMs?.let { "${it / 1000} s" } ?: ""),
                sidesText(item.sides.size),
            ).joinToString(" · ")
            Text(dose, style = MaterialTheme.typography.bodyMedium)
            Text(item.reason.message, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
    }
}

@Composable
private fun sidesText(count: Int): String? = if (count == 2) "${word(Key.LeftLeg)} + ${word(Key.RightLeg)}" else null
