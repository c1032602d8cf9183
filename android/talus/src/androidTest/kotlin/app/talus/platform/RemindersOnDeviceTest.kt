// On a device: the core's reminders reach AlarmManager as real PendingIntents, and after the
// OS drops every alarm (what a reboot does) the BOOT_COMPLETED reconcile arms them all again.
package app.talus.platform

import android.app.PendingIntent
import android.content.Intent
import android.net.Uri
import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import app.talus.core.Engine
import app.talus.shell.ReconcileTrigger
import app.talus.shell.ReminderSync
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import java.io.File

@RunWith(AndroidJUnit4::class)
class RemindersOnDeviceTest {
    private val context = InstrumentationRegistry.getInstrumentation().targetContext

    private fun armed(id: String): PendingIntent? = PendingIntent.getBroadcast(
        context, 0,
        Intent(context, ReminderReceiver::class.java).setAction(ReminderReceiver.FIRE)
            .setData(Uri.parse("talus-reminder://alarm/${Uri.encode(id)}")),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_NO_CREATE,
    )

    @Test
    fun dailyRemindersAreArmedAndComeBackAfterTheAlarmsAreLost() {
        val dir = File(context.cacheDir, "reminders-${System.nanoTime()}")
        val now = System.currentTimeMillis()
        Engine.open(dir.path, now).use { engine ->
            engine.setSettings(engine.settings().copy(dailyReminderMin = 18 * 60), now)
            val alarms = AlarmManagerPort(context)
            val sync = ReminderSync(engine, alarms, PrefsStore(context, "test-${dir.name}"), AndroidNotificationPermission(context))
            val first = sync.reconcile(ReconcileTrigger.APP_START, now, SystemClock.zone())
            assertTrue(first.armed.isNotEmpty())
            first.armed.forEach { assertNotNull("armed $it", armed(it)) }

            // The OS forgets every alarm; the recorded list still names them.
            first.armed.forEach { id -> armed(id)?.let { alarms.cancel(id); it.cancel() } }
            first.armed.forEach { assertNull(armed(it)) }
            assertTrue(sync.reconcile(ReconcileTrigger.APP_START, now, SystemClock.zone()).armed.isEmpty())

            val boot = sync.reconcile(ReconcileTrigger.BOOT_COMPLETED, now, SystemClock.zone())
            assertEquals(first.armed.toSet(), boot.armed.toSet())
            boot.armed.forEach { assertNotNull("re-armed $it", armed(it)) }
            boot.armed.forEach { alarms.cancel(it) }
        }
    }
}
