// The sync folder the runner picked with the Storage Access Framework (OpenDocumentTree,
// persisted permission), behind the shell's DocumentTree port. SyncBridge mirrors it into
// app storage for the core (ADR 0007).
package app.talus.platform

import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.documentfile.provider.DocumentFile
import app.talus.shell.DocumentEntry
import app.talus.shell.DocumentTree
import java.io.IOException

class SafDocumentTree(private val context: Context, private val treeUri: Uri) : DocumentTree {
    private val root: DocumentFile =
        DocumentFile.fromTreeUri(context, treeUri) ?: throw IOException("sync folder is gone")

    /** The folder's name for the screen. */
    val name: String get() = root.name ?: treeUri.lastPathSegment ?: ""

    override fun list(): List<DocumentEntry> = root.listFiles()
        .filter { it.isFile && it.name != null }
        .map { DocumentEntry(it.name!!, it.length()) }

    override fun read(name: String): ByteArray {
        val file = root.findFile(name) ?: throw IOException("$name is gone from the sync folder")
        return context.contentResolver.openInputStream(file.uri)?.use { it.readBytes() }
            ?: throw IOException("cannot read $name")
    }

    override fun write(name: String, bytes: ByteArray) {
        val file = root.findFile(name) ?: root.createFile(MIME, name) ?: throw IOException("cannot create $name")
        // "wt": "w" alone may not truncate an existing file on every provider.
        context.contentResolver.openOutputStream(file.uri, "wt")?.use { it.write(bytes) }
            ?: throw IOException("cannot write $name")
    }

    companion object {
        private const val MIME = "application/octet-stream"

        /** Keeps access to the picked folder across restarts. */
        fun persist(context: Context, uri: Uri) {
            context.contentResolver.takePersistableUriPermission(
                uri, Intent.FLAG_GRANT_READ_URI_PERMISSION or Intent.FLAG_GRANT_WRITE_URI_PERMISSION,
            )
        }
    }
}
