// J6/J7: sync through a folder the runner picked, a full backup, and the clinician export.
package app.talus.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.talus.shell.Key
import app.talus.shell.SyncScreen
import java.time.Instant
import java.time.ZoneId

@Composable
fun SyncView(
    state: SyncScreen,
    folderName: String?,
    error: String?,
    onPickFolder: () -> Unit,
    onSync: () -> Unit,
    onBackup: () -> Unit,
    onExport: () -> Unit,
) {
    Screen(word(Key.Sync), error) {
        OutlinedButton(onClick = onPickFolder, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
            Text(folderName ?: word(Key.SyncPickFolder))
        }
        if (state.folderChosen) {
            Button(onClick = onSync, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.SyncNow)) }
        }
        val last = state.last
        if (last != null) {
            Text(word(Key.SyncLast), style = MaterialTheme.typography.titleMedium)
            Text("↓ ${last.report.recordsWritten} · ↑ ${last.report.writtenChanges}", style = MaterialTheme.typography.bodyLarge)
            if (last.report.rejected.isNotEmpty()) {
                Text(word(Key.RejectedFiles), style = MaterialTheme.typography.titleSmall)
                for (f in last.report.rejected) Text("${f.path.substringAfterLast('/')}: ${f.reason}", style = MaterialTheme.typography.bodySmall)
            }
        }
        val status = state.status
        if (status != null && status.devices.size > 1) {
            Text(word(Key.Devices), style = MaterialTheme.typography.titleMedium)
            for (d in status.devices) {
                val name = if (d.thisDevice) word(Key.ThisDevice) else d.deviceId.take(8)
                val at = Instant.ofEpochMilli(d.latestChangeMs).atZone(ZoneId.systemDefault())
                Text("$name · ${at.toLocalDate()} ${at.toLocalTime().withSecond(0).withNano(0)}", style = MaterialTheme.typography.bodyMedium)
            }
        }
        HorizontalDivider()
        OutlinedButton(onClick = onBackup, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Backup)) }
        Text(word(Key.ExportHint), style = MaterialTheme.typography.bodyMedium)
        OutlinedButton(onClick = onExport, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Share)) }
    }
}
