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
                    val s = resumable() ?: ctx.engine.startSession(now, ctx.clock.zone())
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

    /**
     * The session the app was killed in, if any. One whose saved state cannot be read
     * (`bad_snapshot`) can never come back: `startSession` then keeps it in history as
     * abandoned and starts today's (ADR 0022 addendum), so the runner is not stuck on it.
     */
    private fun resumable(): GuidedSession? =
        try {
            ctx.engine.resumeSession()
        } catch (e: TalusException.Corrupt) {
            if (e.causeCode != "bad_snapshot") throw e
            null
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
     * The countdown ran out (the frame's `deadlineMs`, the instant `ScheduleTick` names): the
     * core's `tick`, the same as `handle(Tick)` with one trip across the FFI less. It is the
     * only call a hold, rest or side switch makes; the seconds before it are counted here.
     */
    fun tick() = apply(SessionEvent.Tick) { s, now -> s.tick(now) }

    /**
     * Counts the frame's countdown down on the session's one timer: a redraw each time the
     * whole seconds shown change, computed from `deadlineMs` with no call into the core
     * (ADR 0014 addendum), then `tick()` at the deadline. Replaces the wake-up a
     * `ScheduleTick` effect set for the same deadline. A frame without a deadline (paused,
     * or a step without a countdown) schedules nothing.
     */
    private fun countDown(frame: FrameInfo) {
        val deadline = frame.deadlineMs ?: return
        ports.ticks.schedule(nextCountdownRedraw(deadline, ctx.clock.nowMs())) {
            val shown = state.value.frame
            // A frame that came meanwhile (a tap, a pause) brought its own countdown.
            if (shown != null && shown.deadlineMs == deadline) {
                val now = ctx.clock.nowMs()
                if (now >= deadline) {
                    tick()
                } else {
                    update { it.copy(frame = shown.copy(timeLeftMs = timeLeftAt(shown, now))) }
                    countDown(shown)
                }
            }
        }
    }

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
                countDown(frame)
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
 * The time left to show at [nowMs] for a frame drawn earlier: `ceil((deadline - now) / 1 s)`
 * whole seconds, never below 0, exactly what the core's frame would say then; the frame's own
 * `timeLeftMs` when no countdown runs (paused, it stands still).
 */
fun timeLeftAt(frame: FrameInfo, nowMs: Long): Long? =
    frame.deadlineMs?.let { ((it - nowMs).coerceAtLeast(0) + 999) / 1_000 * 1_000 } ?: frame.timeLeftMs

/** When the whole seconds a countdown ending at [deadlineMs] shows next change (at most the deadline). */
fun nextCountdownRedraw(deadlineMs: Long, nowMs: Long): Long {
    val left = deadlineMs - nowMs
    return if (left <= 1_000) deadlineMs else deadlineMs - (left - 1) / 1_000 * 1_000
}

/**
 * The event for a pain answer (for the side in the frame, or the both-feet set). A stretch is
 * its own answer: the core records it as a stretch, never as pain.
 */
internal fun painEvent(answer: PainAnswer): SessionEvent = when (answer) {
    is PainAnswer.Score -> SessionEvent.PainReported(answer.value)
    PainAnswer.StretchOnly -> SessionEvent.StretchReported
}
