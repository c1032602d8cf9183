// The sync and export screen (J6, J7): one exchange through the picked folder, a full
// backup, and the clinician export handed to the share sheet.
package app.talus.shell

import app.talus.core.ClinicianExport
import app.talus.core.SyncStatus
import java.io.File

data class SyncScreen(
    val folderChosen: Boolean = false,
    val last: SyncOutcome? = null,
    val backupPath: String? = null,
    val export: ClinicianExport? = null,
    /** The devices this profile holds changes from, and how recent each one's latest is. */
    val status: SyncStatus? = null,
)

class SyncModel(
    ctx: ShellContext,
    private val bridge: SyncBridge,
    private val backups: File,
) : ScreenModel<SyncScreen>(SyncScreen(), ctx) {
    private var tree: DocumentTree? = null

    fun load() = core({ it.syncStatus() }) { s -> update { it.copy(status = s) } }

    fun folderChosen(folder: DocumentTree) {
        tree = folder
        update { it.copy(folderChosen = true) }
    }

    fun syncNow() {
        val folder = tree ?: return
        core({ bridge.sync(folder, ctx.clock.nowMs()) to it.syncStatus() }) { (o, s) -> update { it.copy(last = o, status = s) } }
    }

    fun backup() = core({ it.writeBackup(backups.path) }) { p -> update { it.copy(backupPath = p) } }

    /** The last [days] days for a clinician; the app shares the files it gets back. */
    fun export(days: Long) {
        val now = ctx.clock.nowMs()
        core({ it.clinicianExport(now - days * 86_400_000L, now + 1, ctx.clock.zone()) }) { e ->
            update { it.copy(export = e) }
        }
    }
}
