// J1: welcome, the red-flag questions one per screen with a counter, and the locked state
// with its referral and the way out (a clinician's clearance).
package app.talus.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.talus.core.SafetyInfo
import app.talus.shell.FollowUpScreen
import app.talus.shell.Key
import app.talus.shell.QuestionFlow
import app.talus.shell.ScreeningChoice
import app.talus.shell.ScreeningScreen
import app.talus.shell.ShellText

@Composable
fun WelcomeView(onBegin: () -> Unit) {
    Screen(word(Key.WelcomeTitle)) {
        Text(word(Key.WelcomeBody), style = MaterialTheme.typography.bodyLarge)
        Button(onClick = onBegin, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Begin)) }
    }
}

@Composable
fun ScreeningView(
    state: ScreeningScreen,
    error: String?,
    onAnswer: (ScreeningChoice) -> Unit,
    onBack: () -> Unit,
    onClearance: (String) -> Unit,
    onDone: () -> Unit,
) = QuestionFlowView(state, state.result, word(Key.Cleared), word(Key.AppName), error, onAnswer, onBack, onClearance, onDone)

/**
 * A question flow from its first question to the core's verdict: locked (with the referral,
 * the questions that locked and the way out) or done (with what [verdict] shows).
 */
@Composable
private fun QuestionFlowView(
    flow: QuestionFlow,
    safety: SafetyInfo?,
    doneTitle: String,
    loadingTitle: String,
    error: String?,
    onAnswer: (ScreeningChoice) -> Unit,
    onBack: () -> Unit,
    onClearance: (String) -> Unit,
    onDone: () -> Unit,
    verdict: @Composable ColumnScope.() -> Unit = {},
) {
    val question = flow.current
    when {
        safety != null && safety.locked -> {
            // The core names the answers that locked by question id; show the questions.
            val asked = flow.questions.associate { it.id to it.text }
            LockedView(safety.referral?.message, safety.reasons.map { asked[it] ?: it }, error, onClearance)
        }
        flow.finished -> Screen(doneTitle, error) {
            verdict()
            Button(onClick = onDone, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(word(Key.Next)) }
        }
        question != null -> QuestionPage(question.text, flow.position, flow.total, error, onAnswer, onBack)
        else -> Screen(loadingTitle, error) {}
    }
}

/** One question per screen with its counter and the three answers (J1, J3, J8). */
@Composable
private fun QuestionPage(
    text: String,
    position: Int,
    total: Int,
    error: String?,
    onAnswer: (ScreeningChoice) -> Unit,
    onBack: () -> Unit,
) {
    val counter = ShellText.counter(position, total, LocalLocale.current)
    Screen(counter, error) {
        LinearProgressIndicator(
            progress = { position.toFloat() / total.coerceAtLeast(1) },
            modifier = Modifier.fillMaxWidth().semantics { contentDescription = counter },
        )
        Text(text, style = MaterialTheme.typography.titleLarge)
        Column(verticalArrangement = Arrangement.spacedBy(10.dp)) {
            val tall = Modifier.fillMaxWidth().heightIn(min = 56.dp)
            OutlinedButton(onClick = { onAnswer(ScreeningChoice.YES) }, modifier = tall) { Text(word(Key.Yes)) }
            OutlinedButton(onClick = { onAnswer(ScreeningChoice.NO) }, modifier = tall) { Text(word(Key.No)) }
            OutlinedButton(onClick = { onAnswer(ScreeningChoice.NOT_SURE) }, modifier = tall) { Text(word(Key.NotSure)) }
        }
        if (position > 1) TextButton(onClick = onBack) { Text(word(Key.Back)) }
    }
}

/**
 * The follow-up screening after a severe-pain stop (J3): the questions, then the core's
 * decision in words; a red flag here locks like anywhere else.
 */
@Composable
fun FollowUpView(
    state: FollowUpScreen,
    error: String?,
    onAnswer: (ScreeningChoice) -> Unit,
    onBack: () -> Unit,
    onClearance: (String) -> Unit,
    onDone: () -> Unit,
) {
    val title = word(Key.FollowUpTitle)
    QuestionFlowView(state, state.result?.safety, title, title, error, onAnswer, onBack, onClearance, onDone) {
        state.result?.let { ReasonCard(it.reason) }
    }
}

@Composable
fun LockedView(referral: String?, reasons: List<String>, error: String?, onClearance: (String) -> Unit) {
    Screen(word(Key.LockedTitle), error) {
        if (referral != null) Text(referral, style = MaterialTheme.typography.bodyLarge)
        for (r in reasons) Text("• $r", style = MaterialTheme.typography.bodyMedium)
        Text(word(Key.ClearanceHint), style = MaterialTheme.typography.bodyMedium)
        ClearanceForm(onClearance)
    }
}

/** Who cleared the runner (the core records it with today's date). */
@Composable
fun ClearanceForm(onClearance: (String) -> Unit) {
    var clinician by remember { mutableStateOf("") }
    OutlinedTextField(
        value = clinician,
        onValueChange = { clinician = it },
        label = { Text(word(Key.ClinicianName)) },
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(
        onClick = { onClearance(clinician) },
        enabled = clinician.isNotBlank(),
        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp),
    ) {
        Text(word(Key.ClearanceConfirm))
    }
}
