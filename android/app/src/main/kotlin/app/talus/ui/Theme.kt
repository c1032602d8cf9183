// Talus colours and type: Material 3 with hand-picked light and dark schemes whose text
// and control colours keep at least 4.5:1 contrast on their backgrounds (WCAG AA), and the
// system font scale honoured everywhere (no fixed text sizes in screens).
package app.talus.ui

import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import app.talus.core.MorningStatus
import app.talus.core.ScreenWords

/** The light scheme; its text/background pairs are contrast-checked by the screenshot run. */
val TalusLight: ColorScheme = lightColorScheme(
    primary = Color(0xFF1F5F4A), onPrimary = Color.White,
    primaryContainer = Color(0xFFCDEBDD), onPrimaryContainer = Color(0xFF062017),
    secondary = Color(0xFF4A5E55), onSecondary = Color.White,
    secondaryContainer = Color(0xFFCDE8DA), onSecondaryContainer = Color(0xFF0A2018),
    surfaceContainerLowest = Color.White, surfaceContainerLow = Color(0xFFF3F7F3),
    surfaceContainer = Color(0xFFEDF2EE), surfaceContainerHigh = Color(0xFFE7EDE8),
    surfaceContainerHighest = Color(0xFFE1E8E3),
    tertiary = Color(0xFF8A4A00), onTertiary = Color.White,
    error = Color(0xFFB3261E), onError = Color.White,
    errorContainer = Color(0xFFF9DEDC), onErrorContainer = Color(0xFF410E0B),
    background = Color(0xFFFBFDF9), onBackground = Color(0xFF191C1A),
    surface = Color(0xFFFBFDF9), onSurface = Color(0xFF191C1A),
    surfaceVariant = Color(0xFFDCE5DE), onSurfaceVariant = Color(0xFF3A4540),
)

/** The dark scheme, checked the same way. */
val TalusDark: ColorScheme = darkColorScheme(
    primary = Color(0xFF9ED5BD), onPrimary = Color(0xFF003827),
    primaryContainer = Color(0xFF0B4D39), onPrimaryContainer = Color(0xFFCDEBDD),
    secondary = Color(0xFFB3CCBF), onSecondary = Color(0xFF1E352B),
    secondaryContainer = Color(0xFF34493F), onSecondaryContainer = Color(0xFFCFE9DB),
    surfaceContainerLowest = Color(0xFF0C0F0D), surfaceContainerLow = Color(0xFF191C1A),
    surfaceContainer = Color(0xFF1D201E), surfaceContainerHigh = Color(0xFF272B28),
    surfaceContainerHighest = Color(0xFF323633),
    tertiary = Color(0xFFFFB77A), onTertiary = Color(0xFF4A2800),
    error = Color(0xFFFFB4AB), onError = Color(0xFF690005),
    errorContainer = Color(0xFF93000A), onErrorContainer = Color(0xFFFFDAD6),
    background = Color(0xFF111412), onBackground = Color(0xFFE1E3DF),
    surface = Color(0xFF111412), onSurface = Color(0xFFE1E3DF),
    surfaceVariant = Color(0xFF3A4540), onSurfaceVariant = Color(0xFFC8D1CA),
)

/** The runner's language for the chrome words (the core's text comes in it already). */
val LocalLocale = staticCompositionLocalOf { "en" }

/** The core's words for the session and check-in screens in that language (`screenWords`). */
val LocalWords = staticCompositionLocalOf<ScreenWords?> { null }

@Composable
fun TalusTheme(dark: Boolean, content: @Composable () -> Unit) {
    val scheme: ColorScheme = if (dark) TalusDark else TalusLight
    MaterialTheme(colorScheme = scheme, content = content)
}

/** Traffic-light colours for a morning status, readable on the surface in both schemes. */
@Composable
fun statusColor(status: MorningStatus): Color = when (status) {
    MorningStatus.GREEN -> MaterialTheme.colorScheme.primary
    MorningStatus.AMBER -> MaterialTheme.colorScheme.tertiary
    MorningStatus.RED -> MaterialTheme.colorScheme.error
}
