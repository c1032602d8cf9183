// Sync through a folder the runner picked (ADR 0007): the core syncs a directory path, the
// platform hands out a document tree, so the bridge mirrors the tree into a staging
// directory in app storage, lets the core sync that directory, and copies back the segment
// the core wrote. Segment files are written once and never change, so a file already staged
// under the same name and size is not copied again.
package app.talus.shell

import app.talus.core.Engine
import app.talus.core.SyncReport
import java.io.File

data class SyncOutcome(
    val report: SyncReport,
    /** Files copied from the folder into staging this time. */
    val copiedIn: List<String>,
    /** Files copied from staging into the folder this time. */
    val copiedOut: List<String>,
)

class SyncBridge(private val engine: Engine, private val staging: File) {
    /** One exchange. Call off the main thread: it reads and writes files and the store. */
    fun sync(tree: DocumentTree, nowMs: Long): SyncOutcome {
        staging.mkdirs()
        val inTree = tree.list().associateBy { it.name }
        val copiedIn = mutableListOf<String>()
        for (entry in inTree.values) {
            if (!safeName(entry.name)) continue
            val local = File(staging, entry.name)
            if (local.isFile && local.length() == entry.size) continue
            val tmp = File(staging, entry.name + PARTIAL)
            tmp.writeBytes(tree.read(entry.name))
            if (!tmp.renameTo(local)) error("cannot stage ${entry.name}")
            copiedIn += entry.name
        }
        val report = engine.syncFolder(staging.path, nowMs)
        val copiedOut = mutableListOf<String>()
        val files = staging.listFiles().orEmpty().filter { it.isFile && !it.name.endsWith(PARTIAL) }
        for (file in files.sortedBy { it.name }) {
            val there = inTree[file.name]
            if (there != null && there.size == file.length()) continue
            tree.write(file.name, file.readBytes())
            copiedOut += file.name
        }
        return SyncOutcome(report, copiedIn, copiedOut)
    }

    private fun safeName(name: String) =
        name.isNotEmpty() && !name.startsWith('.') && '/' !in name && '\\' !in name && !name.endsWith(PARTIAL)

    private companion object {
        const val PARTIAL = ".partial"
    }
}
