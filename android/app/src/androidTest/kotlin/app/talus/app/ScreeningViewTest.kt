// On a device: the screening screen shows one question with its counter, answers by tap,
// and exposes its buttons to TalkBack by their words in German.
package app.talus.app

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.junit4.createComposeRule
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.runtime.CompositionLocalProvider
import androidx.test.ext.junit.runners.AndroidJUnit4
import app.talus.core.QuestionInfo
import app.talus.shell.ScreeningChoice
import app.talus.shell.ScreeningScreen
import app.talus.ui.LocalLocale
import app.talus.ui.ScreeningView
import app.talus.ui.TalusTheme
import org.junit.Assert.assertEquals
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith

@RunWith(AndroidJUnit4::class)
class ScreeningViewTest {
    @get:Rule
    val compose = createComposeRule()

    @Test
    fun oneQuestionWithItsCounterAndThreeAnswers() {
        val questions = (1..20).map { QuestionInfo("q$it", "g", "Frage $it?", it == 1) }
        val answers = mutableListOf<ScreeningChoice>()
        compose.setContent {
            CompositionLocalProvider(LocalLocale provides "de") {
                TalusTheme(dark = false) {
                    ScreeningView(ScreeningScreen(questions, 2), null, { answers += it }, {}, {}, {})
                }
            }
        }
        compose.onNodeWithText("3 von 20").assertIsDisplayed()
        compose.onNodeWithText("Frage 3?").assertIsDisplayed()
        compose.onNodeWithText("Weiß nicht").performClick()
        compose.onNodeWithText("Nein").performClick()
        assertEquals(listOf(ScreeningChoice.NOT_SURE, ScreeningChoice.NO), answers)
    }
}
