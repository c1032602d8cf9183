// J1 profile and settings: zone, wake window, quiet hours, daily reminder, equipment,
// start side, units; and the permissions Talus uses, each with its reason.
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.talus.core.SettingsInfo
import app.talus.core.Side
import app.talus.shell.Key
import app.talus.shell.SettingsScreen

/** What the platform allows right now, shown beside the settings. */
data class PermissionState(
    val notifications: Boolean,
    val exactAlarms: Boolean,
    val healthAvailable: Boolean,
    val healthGranted: Boolean,
)

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SettingsView(
    state: SettingsScreen,
    permissions: PermissionState,
    error: String?,
    onEdit: ((SettingsInfo) -> SettingsInfo) -> Unit,
    onSave: () -> Unit,
    onAskNotifications: () -> Unit,
    onAskExactAlarms: () -> Unit,
    onHealth: () -> Unit,
) {
    val s = state.draft
    Screen(word(Key.Settings), error) {
        if (s == null) return@Screen
        Text("${word(Key.TimeZone)}: ${s.homeZone}", style = MaterialTheme.typography.bodyLarge)
        Text("${word(Key.WakeWindow)}: ${hm(s.wakeStartMin)}–${hm(s.wakeEndMin)}", style = MaterialTheme.typography.bodyLarge)
        Text("${word(Key.QuietHours)}: ${hm(s.quietStartMin)}–${hm(s.quietEndMin)}", style = MaterialTheme.typography.bodyLarge)
        Text(word(Key.DailyReminder), style = MaterialTheme.typography.titleMedium)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = s.dailyReminderMin == null, onClick = { onEdit { it.copy(dailyReminderMin = null) } }, label = { Text(word(Key.None)) })
            for (minute in listOf(7 * 60, 12 * 60, 18 * 60)) {
                FilterChip(
                    selected = s.dailyReminderMin == minute,
                    onClick = { onEdit { it.copy(dailyReminderMin = minute) } },
                    label = { Text(hm(minute)) },
                )
            }
        }
        Text(word(Key.Equipment), style = MaterialTheme.typography.titleMedium)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for (item in state.equipmentChoices) {
                val on = item in s.equipment
                FilterChip(
                    selected = on,
                    onClick = { onEdit { it.copy(equipment = if (on) it.equipment - item else it.equipment + item) } },
                    label = { Text(item.label(LocalLocale.current)) },
                )
            }
        }
        Text(word(Key.Goals), style = MaterialTheme.typography.titleMedium)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for (goal in state.goalChoices) {
                val on = goal in s.goals
                FilterChip(
                    selected = on,
                    onClick = { onEdit { it.copy(goals = if (on) it.goals - goal else it.goals + goal) } },
                    label = { Text(goal.label(LocalLocale.current)) },
                )
            }
        }
        Text(word(Key.StartSide), style = MaterialTheme.typography.titleMedium)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = s.preferredStartSide == Side.LEFT, onClick = { onEdit { it.copy(preferredStartSide = Side.LEFT) } }, label = { Text(word(Key.Left)) })
            FilterChip(selected = s.preferredStartSide == Side.RIGHT, onClick = { onEdit { it.copy(preferredStartSide = Side.RIGHT) } }, label = { Text(word(Key.Right)) })
            FilterChip(selected = s.preferredStartSide == null, onClick = { onEdit { it.copy(preferredStartSide = null) } }, label = { Text(word(Key.None)) })
        }
        Text(word(Key.Units), style = MaterialTheme.typography.titleMedium)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = s.metricUnits, onClick = { onEdit { it.copy(metricUnits = true) } }, label = { Text(word(Key.Metric)) })
            FilterChip(selected = !s.metricUnits, onClick = { onEdit { it.copy(metricUnits = false) } }, label = { Text(word(Key.Imperial)) })
        }
        Button(onClick = onSave, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.Save)) }
        HorizontalDivider()
        if (!permissions.notifications) {
            Text(word(Key.NotificationsOff), style = MaterialTheme.typography.bodyMedium)
            OutlinedButton(onClick = onAskNotifications, modifier = Modifier.fillMaxWidth()) { Text(word(Key.Notifications)) }
        }
        if (!permissions.exactAlarms) {
            Text(word(Key.ExactAlarmsHint), style = MaterialTheme.typography.bodyMedium)
            OutlinedButton(onClick = onAskExactAlarms, modifier = Modifier.fillMaxWidth()) { Text(word(Key.ExactAlarms)) }
        }
        OutlinedButton(onClick = onHealth, modifier = Modifier.fillMaxWidth()) { Text(word(Key.ImportRuns)) }
    }
}

private fun hm(minute: Int) = String.format("%02d:%02d", minute / 60, minute % 60)
