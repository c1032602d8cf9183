// The session's media on Android: Media3 ExoPlayer plays the drill's clip clipped to the
// segment the core names and loops the rep loop seamlessly (REPEAT_MODE_ONE on a clipped
// item); spoken cues wait for their video position with a PlayerMessage; TextToSpeech
// speaks with transient, ducking audio focus; the vibrator gives a short click.
package app.talus.platform

import android.content.Context
import android.media.AudioAttributes
import android.media.AudioFocusRequest
import android.media.AudioManager
import android.net.Uri
import android.os.Build
import android.os.Looper
import android.os.VibrationEffect
import android.os.Vibrator
import android.os.VibratorManager
import android.speech.tts.TextToSpeech
import android.speech.tts.UtteranceProgressListener
import androidx.media3.common.MediaItem
import androidx.media3.common.PlaybackException
import androidx.media3.common.Player
import androidx.media3.exoplayer.ExoPlayer
import app.talus.shell.ClipRequest
import app.talus.shell.Haptics
import app.talus.shell.Speech
import app.talus.shell.VideoPlayer
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import java.util.Locale
import java.util.concurrent.atomic.AtomicInteger

/** Where a clip file (named by the core's play effect) is: the app's assets, or a download. */
fun interface ClipLocator {
    fun uri(file: String): Uri?
}

class ExoVideoPlayer(context: Context, private val clips: ClipLocator) : VideoPlayer {
    /** The player the screen's surface shows; released with [release]. */
    val player: ExoPlayer = ExoPlayer.Builder(context).setLooper(Looper.getMainLooper()).build()

    private val mirroredState = MutableStateFlow(false)

    /** Called when a clip that does not loop (an intro or demo) reaches its end. */
    var onEnded: (() -> Unit)? = null

    init {
        player.addListener(object : Player.Listener {
            override fun onPlaybackStateChanged(playbackState: Int) {
                if (playbackState == Player.STATE_ENDED && current?.looped == false) onEnded?.invoke()
            }

            // A clip that cannot play (missing or damaged file) must not hold the session at
            // its intro: the runner gets the text and the counter without the video.
            override fun onPlayerError(error: PlaybackException) {
                if (current?.looped == false) onEnded?.invoke()
            }
        })
    }

    /** Whether the surface should flip the video (the other side, where the clip allows). */
    val mirrored: StateFlow<Boolean> = mirroredState
    private var current: ClipRequest? = null

    override fun play(clip: ClipRequest) {
        val uri = clips.uri(clip.file) ?: return stop()
        current = clip
        val item = MediaItem.Builder()
            .setUri(uri)
            .setClippingConfiguration(
                MediaItem.ClippingConfiguration.Builder()
                    .setStartPositionMs(clip.startMs)
                    .setEndPositionMs(clip.endMs)
                    .build(),
            )
            .build()
        mirroredState.value = clip.mirrored
        player.setMediaItem(item)
        player.repeatMode = if (clip.looped) Player.REPEAT_MODE_ONE else Player.REPEAT_MODE_OFF
        player.prepare()
        player.play()
    }

    override fun atPosition(videoMs: Long, action: () -> Unit) {
        val clip = current
        // Cue times are on the whole video; the clipped item starts at the segment's start.
        val position = if (clip == null) videoMs else videoMs - clip.startMs
        if (position < 0 || (clip != null && videoMs > clip.endMs)) return action()
        player.createMessage { _, _ -> action() }
            .setLooper(Looper.getMainLooper())
            .setPosition(position)
            .setDeleteAfterDelivery(true)
            .send()
    }

    override fun pause() = player.pause()

    override fun resume() = player.play()

    override fun stop() {
        current = null
        player.stop()
        player.clearMediaItems()
    }

    fun release() = player.release()
}

class TtsSpeech(context: Context) : Speech {
    private val audio = context.getSystemService(AudioManager::class.java)
    private val focus = AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN_TRANSIENT_MAY_DUCK)
        .setAudioAttributes(
            AudioAttributes.Builder()
                .setUsage(AudioAttributes.USAGE_ASSISTANCE_NAVIGATION_GUIDANCE)
                .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH)
                .build(),
        )
        .build()
    private val pending = AtomicInteger(0)
    private var ready = false
    private val tts: TextToSpeech = TextToSpeech(context.applicationContext) { status ->
        ready = status == TextToSpeech.SUCCESS
    }

    init {
        tts.setAudioAttributes(
            AudioAttributes.Builder()
                .setUsage(AudioAttributes.USAGE_ASSISTANCE_NAVIGATION_GUIDANCE)
                .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH)
                .build(),
        )
        tts.setOnUtteranceProgressListener(object : UtteranceProgressListener() {
            override fun onStart(utteranceId: String?) {}

            override fun onDone(utteranceId: String?) = release()

            @Deprecated("Required override on API < 21 only; onError(String, Int) is used")
            override fun onError(utteranceId: String?) = release()

            override fun onError(utteranceId: String?, errorCode: Int) = release()
        })
    }

    // Others stay ducked until the last queued cue is done.
    private fun release() {
        if (pending.decrementAndGet() <= 0) {
            pending.set(0)
            audio.abandonAudioFocusRequest(focus)
        }
    }

    override fun speak(text: String, locale: String) {
        if (!ready) return
        tts.language = Locale.forLanguageTag(locale)
        if (pending.getAndIncrement() == 0) audio.requestAudioFocus(focus)
        tts.speak(text, TextToSpeech.QUEUE_ADD, null, "cue-${System.nanoTime()}")
    }

    override fun stop() {
        tts.stop()
        pending.set(0)
        audio.abandonAudioFocusRequest(focus)
    }

    fun shutdown() {
        stop()
        tts.shutdown()
    }
}

class VibratorHaptics(context: Context) : Haptics {
    private val vibrator: Vibrator? = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
        context.getSystemService(VibratorManager::class.java)?.defaultVibrator
    } else {
        context.getSystemService(Vibrator::class.java)
    }

    override fun pulse() {
        val v = vibrator ?: return
        if (!v.hasVibrator()) return
        val effect = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            VibrationEffect.createPredefined(VibrationEffect.EFFECT_CLICK)
        } else {
            VibrationEffect.createOneShot(30, VibrationEffect.DEFAULT_AMPLITUDE)
        }
        v.vibrate(effect)
    }
}
