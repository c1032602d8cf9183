// Carries out the core's session effects on the platform ports. One exhaustive `when` with
// no `else`: a new effect in the core breaks this build until the shell handles it.
package app.talus.shell

import app.talus.core.EffectInfo

/** The ports a guided session drives. */
class SessionPorts(
    val player: VideoPlayer,
    val speech: Speech,
    val haptics: Haptics,
    val screen: ScreenAwake,
    val ticks: TickScheduler,
)

class EffectDispatcher(
    private val ports: SessionPorts,
    private val onTick: () -> Unit,
    private val onAskPain: () -> Unit,
    private val onFinished: () -> Unit,
) {
    fun perform(effect: EffectInfo): Unit = when (effect) {
        is EffectInfo.PlayVideo -> ports.player.play(
            ClipRequest(
                assetId = effect.assetId,
                file = effect.file,
                segment = effect.segment,
                startMs = effect.startMs,
                endMs = effect.endMs,
                looped = effect.looped,
                mirrored = effect.mirrored,
            ),
        )
        is EffectInfo.SpeakCue -> {
            val at = effect.atVideoMs
            if (at == null) {
                ports.speech.speak(effect.text, effect.locale)
            } else {
                ports.player.atPosition(at) { ports.speech.speak(effect.text, effect.locale) }
            }
        }
        EffectInfo.Haptic -> ports.haptics.pulse()
        EffectInfo.AskPain -> onAskPain()
        is EffectInfo.ScheduleTick -> ports.ticks.schedule(effect.atMs) { onTick() }
        // The core already wrote the snapshot; nothing for the shell to do but know it.
        EffectInfo.SnapshotSaved -> Unit
        EffectInfo.SessionFinished -> {
            ports.ticks.cancel()
            ports.player.stop()
            ports.speech.stop()
            ports.screen.keepOn(false)
            onFinished()
        }
    }
}
