// J6: sessions (finished, stopped early, ended for pain) with their sets and pain per side,
// and runs. Deletes go through the core (they sync) after a confirmation; corrections come
// with the core's edit calls (issue 15).
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.talus.core.CheckInInfo
import app.talus.core.RunDetail
import app.talus.core.SessionInfo
import app.talus.core.Side
import app.talus.shell.HistoryScreen
import app.talus.shell.Key
import java.time.Instant
import java.time.ZoneId
import java.util.Locale

@Composable
fun HistoryView(
    state: HistoryScreen,
    error: String?,
    onDeleteSession: (String) -> Unit,
    onDeleteRun: (String) -> Unit,
    onDeleteCheckin: (String) -> Unit,
) {
    var confirm by remember { mutableStateOf<(() -> Unit)?>(null) }
    Screen(word(Key.History), error) {
        Text(word(Key.Sessions), style = MaterialTheme.typography.titleLarge)
        for (s in state.sessions) SessionCard(s) { confirm = { onDeleteSession(s.id) } }
        Text(word(Key.Runs), style = MaterialTheme.typography.titleLarge)
        for (r in state.runs) RunCard(r) { confirm = { onDeleteRun(r.run.id) } }
        Text(word(Key.CheckIns), style = MaterialTheme.typography.titleLarge)
        for (c in state.checkins) CheckinCard(c) { confirm = { onDeleteCheckin(c.id) } }
    }
    val pending = confirm
    if (pending != null) {
        AlertDialog(
            onDismissRequest = { confirm = null },
            text = { Text(word(Key.DeleteConfirm)) },
            confirmButton = { TextButton(onClick = { confirm = null; pending() }) { Text(word(Key.Delete)) } },
            dismissButton = { TextButton(onClick = { confirm = null }) { Text(word(Key.Cancel)) } },
        )
    }
}

@Composable
private fun SessionCard(s: SessionInfo, onDelete: () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Text("${s.plannedFor} · ${s.status.label(LocalLocale.current)} · ${s.variant.label(LocalLocale.current)}", style = MaterialTheme.typography.titleMedium)
            for (set in s.sets.take(12)) {
                val side = when (set.side) {
                    Side.LEFT -> word(Key.Left)
                    Side.RIGHT -> word(Key.Right)
                    null -> ""
                }
                val pain = set.pain?.let { "${word(Key.Pain)} $it" } ?: ""
                Text(listOf(set.drillName, side, "${word(Key.Set)} ${set.setIndex + 1}", pain).filter { it.isNotEmpty() }.joinToString(" · "),
                    style = MaterialTheme.typography.bodySmall)
            }
            TextButton(onClick = onDelete) { Text(word(Key.Delete)) }
        }
    }
}

@Composable
private fun RunCard(detail: RunDetail, onDelete: () -> Unit) {
    val r = detail.run
    val zone = runCatching { ZoneId.of(r.zone) }.getOrDefault(ZoneId.of("UTC"))
    val start = Instant.ofEpochMilli(r.startMs).atZone(zone)
    val minutes = (r.endMs - r.startMs) / 60_000
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp)) {
            Text(
                "${start.toLocalDate()} ${start.toLocalTime().withSecond(0).withNano(0)} · $minutes ${word(Key.Minutes)} · " +
                    String.format(Locale.forLanguageTag(LocalLocale.current), "%.1f km", r.distanceM / 1000),
            )
            if (detail.long) Text(word(Key.LongRun), style = MaterialTheme.typography.titleSmall)
            for (reason in detail.reasons) {
                Text(reason.message, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            }
            TextButton(onClick = onDelete) { Text(word(Key.Delete)) }
        }
    }
}

@Composable
private fun CheckinCard(c: CheckInInfo, onDelete: () -> Unit) {
    val zone = runCatching { ZoneId.of(c.zone) }.getOrDefault(ZoneId.of("UTC"))
    val at = Instant.ofEpochMilli(c.atMs).atZone(zone)
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp)) {
            Text("${at.toLocalDate()} ${at.toLocalTime().withSecond(0).withNano(0)}", style = MaterialTheme.typography.titleSmall)
            Text(
                "${word(Key.Pain)} ${c.painCalf}/${c.painAchilles}/${c.painAnkle} · ${word(Key.Stiffness)} ${c.stiffnessCalf}/${c.stiffnessAchilles}/${c.stiffnessAnkle}",
                style = MaterialTheme.typography.bodyMedium,
            )
            Text("${word(Key.Calf)} / ${word(Key.Achilles)} / ${word(Key.Ankle)}", style = MaterialTheme.typography.labelSmall)
            TextButton(onClick = onDelete) { Text(word(Key.Delete)) }
        }
    }
}
