// J3: the guided session. The core's frame says what to draw and which controls are
// enabled; the video comes in as a slot (ExoPlayer on a phone, a poster in screenshots)
// with the spoken cue as a caption; the pain prompt asks 0–10 with a separate "just a
// stretch"; quitting asks first.
package app.talus.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxScope
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.talus.core.FrameInfo
import app.talus.core.Side
import app.talus.core.Step
import app.talus.shell.Key
import app.talus.shell.PainAnswer
import app.talus.shell.SessionScreen

/** What the session screen can ask of its model. */
interface SessionActions {
    fun start()
    fun repDone()
    fun pause()
    fun resume()
    fun skipStep()
    fun skipDrill()
    fun switchSide()
    fun stop()
    fun pain(answer: PainAnswer)
    fun close()
}

@Composable
fun SessionView(
    state: SessionScreen,
    error: String?,
    actions: SessionActions,
    video: @Composable BoxScope.() -> Unit,
) {
    val frame = state.frame
    val refused = state.refused
    when {
        refused != null -> Screen(word(Key.LockedTitle)) {
            Text(refused, style = MaterialTheme.typography.bodyLarge)
            OutlinedButton(onClick = actions::close, modifier = Modifier.fillMaxWidth()) { Text(word(Key.Back)) }
        }
        frame == null -> Screen(word(Key.StartSession), error) {}
        state.askingPain -> PainPromptView(frame, error, actions::pain)
        state.finished || frame.step == Step.SUMMARY -> SummaryView(frame, actions::close)
        else -> RunningView(frame, error, actions, video)
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun RunningView(frame: FrameInfo, error: String?, actions: SessionActions, video: @Composable BoxScope.() -> Unit) {
    var confirmQuit by remember { mutableStateOf(false) }
    val fontScale = LocalDensity.current.fontScale
    Screen(frame.drillName, error) {
        // With large text the clip gives way, so the count and the main button stay on
        // screen, and the cue moves under the clip instead of covering it.
        val largeText = fontScale > LARGE_TEXT
        val cue = frame.cue
        val cueModifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite }
        Box(
            Modifier.fillMaxWidth(if (largeText) 0.6f else 1f).align(Alignment.CenterHorizontally)
                .aspectRatio(1f).background(Color.Black),
        ) {
            video()
            if (cue != null && !largeText) {
                Text(
                    cue,
                    color = Color.White,
                    style = MaterialTheme.typography.titleMedium,
                    modifier = Modifier.align(Alignment.BottomCenter).fillMaxWidth()
                        .background(Color(0xCC000000)).padding(10.dp).then(cueModifier),
                )
            }
        }
        if (cue != null && largeText) Text(cue, style = MaterialTheme.typography.titleMedium, modifier = cueModifier)
        LinearProgressIndicator(progress = { frame.progress.toFloat() }, modifier = Modifier.fillMaxWidth())
        val side = when (frame.side) {
            Side.LEFT -> word(Key.LeftLeg)
            Side.RIGHT -> word(Key.RightLeg)
            null -> null
        }
        Text(
            listOfNotNull(side, "${word(Key.Set)} ${frame.set}/${frame.sets}").joinToString(" · "),
            style = MaterialTheme.typography.titleMedium,
        )
        // The count is display-sized already: it grows with the font scale only up to
        // LARGE_TEXT, like Android 14's non-linear scaling of large text.
        val display = MaterialTheme.typography.displayMedium
        Text(
            counterText(frame),
            style = display.copy(fontSize = display.fontSize * (minOf(fontScale, LARGE_TEXT) / fontScale)),
            modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
        )
        // The core sends the description with the intro only, the one step that shows it.
        frame.drillDescription?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
        if (frame.paused) Text(word(Key.Paused), style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.tertiary)
        val tall = Modifier.fillMaxWidth().heightIn(min = 64.dp)
        when {
            frame.canStart -> Button(onClick = actions::start, modifier = tall) { Text(word(Key.StartSession)) }
            frame.canRepDone -> Button(onClick = actions::repDone, modifier = tall) { Text(word(Key.RepDone)) }
            frame.canResume -> Button(onClick = actions::resume, modifier = tall) { Text(word(Key.Resume)) }
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            if (frame.canPause) OutlinedButton(onClick = actions::pause) { Text(word(Key.Pause)) }
            if (frame.canSkipStep) OutlinedButton(onClick = actions::skipStep) { Text(word(Key.Skip)) }
            if (frame.canSwitchSide) OutlinedButton(onClick = actions::switchSide) { Text(word(Key.SwitchSide)) }
            if (frame.canSkipDrill) OutlinedButton(onClick = actions::skipDrill) { Text(word(Key.SkipDrill)) }
            if (frame.canStop) TextButton(onClick = { confirmQuit = true }) { Text(word(Key.Quit)) }
        }
    }
    if (confirmQuit) {
        AlertDialog(
            onDismissRequest = { confirmQuit = false },
            text = { Text(word(Key.QuitConfirm)) },
            confirmButton = { TextButton(onClick = { confirmQuit = false; actions.stop() }) { Text(word(Key.Quit)) } },
            dismissButton = { TextButton(onClick = { confirmQuit = false }) { Text(word(Key.QuitKeep)) } },
        )
    }
}

/** The font scale above which the session screen makes room for the text. */
private const val LARGE_TEXT = 1.3f

/** The big number: reps, seconds of a hold or rest, or the step's name. */
@Composable
private fun counterText(frame: FrameInfo): String {
    val seconds = frame.timeLeftMs?.let { (it + 999) / 1000 }
    val rep = frame.rep
    val reps = frame.reps
    return when (frame.step) {
        Step.WORK -> when {
            rep != null && reps != null -> "${word(Key.Rep)} $rep/$reps"
            seconds != null -> "${word(Key.Hold)} $seconds s"
            else -> frame.stepLabel
        }
        Step.REST, Step.END_RANGE_PAUSE, Step.SIDE_SWITCH ->
            frame.stepLabel + (seconds?.let { " $it s" } ?: "")
        Step.NOT_STARTED, Step.INTRO, Step.PAIN_CHECK, Step.SUMMARY -> frame.stepLabel
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun PainPromptView(frame: FrameInfo, error: String?, onAnswer: (PainAnswer) -> Unit) {
    Screen(word(Key.PainTitle), error) {
        val side = when (frame.side) {
            Side.LEFT -> word(Key.LeftLeg)
            Side.RIGHT -> word(Key.RightLeg)
            null -> null
        }
        Text(listOfNotNull(frame.drillName, side).joinToString(" · "), style = MaterialTheme.typography.titleMedium)
        ZeroToTen(word(Key.Pain), null) { onAnswer(PainAnswer.Score(it)) }
        OutlinedButton(onClick = { onAnswer(PainAnswer.StretchOnly) }, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(word(Key.JustStretch))
        }
    }
}

@Composable
private fun SummaryView(frame: FrameInfo, onClose: () -> Unit) {
    Screen(word(Key.SessionDone)) {
        Text("${(frame.elapsedMs + 30_000) / 60_000} ${word(Key.Minutes)}", style = MaterialTheme.typography.titleLarge)
        Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            for (d in frame.decisions) ReasonCard(d)
        }
        Button(onClick = onClose, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.Done)) }
    }
}
