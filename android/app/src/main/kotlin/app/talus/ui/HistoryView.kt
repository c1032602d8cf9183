// J6: sessions (finished, stopped early, ended for pain) with their sets and pain per side,
// and runs. Corrections and deletes go through the core once its edit calls land (issue 15).
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.talus.core.RunInfo
import app.talus.core.SessionInfo
import app.talus.core.Side
import app.talus.shell.HistoryScreen
import app.talus.shell.Key
import app.talus.shell.Labels
import java.time.Instant
import java.time.ZoneId

@Composable
fun HistoryView(state: HistoryScreen, error: String?) {
    Screen(word(Key.History), error) {
        Text(word(Key.Sessions), style = MaterialTheme.typography.titleLarge)
        for (s in state.sessions) SessionCard(s)
        Text(word(Key.Runs), style = MaterialTheme.typography.titleLarge)
        for (r in state.runs) RunCard(r)
    }
}

@Composable
private fun SessionCard(s: SessionInfo) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Text("${s.plannedFor} · ${word(Labels.status(s.status))} · ${word(Labels.variant(s.variant))}", style = MaterialTheme.typography.titleMedium)
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
        }
    }
}

@Composable
private fun RunCard(r: RunInfo) {
    val zone = runCatching { ZoneId.of(r.zone) }.getOrDefault(ZoneId.of("UTC"))
    val start = Instant.ofEpochMilli(r.startMs).atZone(zone)
    val minutes = (r.endMs - r.startMs) / 60_000
    Card(Modifier.fillMaxWidth()) {
        Text(
            "${start.toLocalDate()} ${start.toLocalTime().withSecond(0).withNano(0)} · $minutes ${word(Key.Minutes)} · ${String.format("%.1f km", r.distanceM / 1000)}",
            Modifier.padding(12.dp),
        )
    }
}
