// The guided-session screen's model: opens (or resumes) the day's session, forwards the
// runner's taps, the real timer and lifecycle changes to the core's GuidedSession, and
// renders the frame it returns. Every decision (next step, pain stop, lock) is the core's.
package app.talus.shell

import app.talus.core.Step
import app.talus.core.FrameInfo
import app.talus.core.GuidedSession
import app.talus.core.SessionEvent
import app.talus.core.TalusException
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext

/** The runner's answer to the pain prompt after a set. */
sealed class PainAnswer {
    /** Pain 0–10 on the scale. */
    data class Score(val value: Int) : PainAnswer()

    /** "Just a stretch, no pain": a stretch sensation is not scored as pain. */
    object StretchOnly : PainAnswer()
}

data class SessionScreen(
    val frame: FrameInfo? = null,
    /** The pain prompt is showing (the core asked with `AskPain`). */
    val askingPain: Boolean = false,
    val finished: Boolean = false,
    /** The core refused to start (locked or paused programme); its message. */
    val refused: String? = null,
)

class SessionModel(ctx: ShellContext, private val ports: SessionPorts) :
    ScreenModel<SessionScreen>(SessionScreen(), ctx) {
    private var session: GuidedSession? = null
    private val serial = Mutex()
    private var pausedByLifecycle = false
    private val effects = EffectDispatcher(
        ports,
        onTick = { tick() },
        onAskPain = { update { it.copy(askingPain = true) } },
        onFinished = { update { it.copy(finished = true, askingPain = false) } },
    )

    /** Resumes the session the app was killed in, or starts today's. */
    fun open() {
        ctx.scope.launch {
            try {
                val (opened, frame) = withContext(ctx.io) {
                    val now = ctx.clock.nowMs()
                    val s = ctx.engine.resumeSession() ?: ctx.engine.startSession(now, ctx.clock.zone())
                    s to s.frame(now)
                }
                session = opened
                update { it.copy(frame = frame, refused = null) }
                // A resumed session shows where it was. Its pending timer died with the app:
                // one Tick lets the core catch up and schedule the next one.
                if (frame.step != Step.NOT_STARTED) ports.screen.keepOn(true)
                if (frame.step == Step.PAIN_CHECK) update { it.copy(askingPain = true) }
                if (frame.step != Step.NOT_STARTED && frame.step != Step.SUMMARY && !frame.paused) tick()
            } catch (e: TalusException) {
                update { it.copy(refused = e.userMessage(ctx.locale)) }
            }
        }
    }

    fun start() = send(SessionEvent.Start)
    fun repDone() = send(SessionEvent.RepDone)
    fun videoEnded() = send(SessionEvent.VideoEnded)
    fun skipStep() = send(SessionEvent.SkipStep)
    fun skipDrill() = send(SessionEvent.SkipDrill)
    fun switchSide() = send(SessionEvent.SwitchSide)
    fun pause() = send(SessionEvent.Pause)
    fun resume() = send(SessionEvent.Resume)

    /** Quitting is confirmed by the screen first; the core records it as stopped early. */
    fun stop() = send(SessionEvent.Stop)
    fun redFlag(questionId: String) = send(SessionEvent.RedFlagReported(questionId))

    fun reportPain(answer: PainAnswer) {
        update { it.copy(askingPain = false) }
        send(painEvent(answer))
    }

    /** The app left the foreground: pause the session (and the player) if it is running. */
    fun onBackground() {
        val frame = state.value.frame ?: return
        if (frame.canPause && !frame.paused) {
            pausedByLifecycle = true
            ports.player.pause()
            ports.speech.stop()
            send(SessionEvent.Pause)
        }
    }

    /** Back in the foreground: resume what leaving paused (a pause the runner chose stays). */
    fun onForeground() {
        if (!pausedByLifecycle) return
        pausedByLifecycle = false
        ports.player.resume()
        send(SessionEvent.Resume)
    }

    fun send(event: SessionEvent) = apply(event) { s, now -> s.handle(event, now) }

    /**
     * The timer the core scheduled fired: the core's `tick`, the same as `handle(Tick)` with
     * one trip across the FFI less (it runs every second of a hold or rest).
     */
    fun tick() = apply(SessionEvent.Tick) { s, now -> s.tick(now) }

    private fun apply(event: SessionEvent, call: (GuidedSession, Long) -> FrameInfo) {
        val current = session ?: return
        ctx.scope.launch {
            try {
                val frame = serial.withLock {
                    withContext(ctx.io) { call(current, ctx.clock.nowMs()) }
                }
                if (event == SessionEvent.Start) ports.screen.keepOn(true)
                clearError()
                update { it.copy(frame = frame) }
                frame.effects.forEach(effects::perform)
            } catch (e: TalusException) {
                reportError(e)
            }
        }
    }

    /** Releases the native session; the stored snapshot stays for a later resume. */
    fun close() {
        ports.ticks.cancel()
        ports.player.stop()
        ports.screen.keepOn(false)
        session?.close()
        session = null
    }
}

/**
 * The event for a pain answer (for the side in the frame, or the both-feet set). A stretch is
 * its own answer: the core records it as a stretch, never as pain.
 */
internal fun painEvent(answer: PainAnswer): SessionEvent = when (answer) {
    is PainAnswer.Score -> SessionEvent.PainReported(answer.value)
    PainAnswer.StretchOnly -> SessionEvent.StretchReported
}
