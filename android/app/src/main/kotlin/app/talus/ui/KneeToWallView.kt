// J5: the knee-to-wall test per side, the result against the last and the first one, and a
// chart of both sides over time with dates. The chart is also described in words for
// TalkBack.
package app.talus.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.PathEffect
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.talus.core.RomPoint
import app.talus.core.Side
import app.talus.shell.Key
import app.talus.shell.KneeToWallScreen
import java.time.Instant
import java.time.ZoneId
import java.util.Locale

@Composable
fun KneeToWallView(
    state: KneeToWallScreen,
    error: String?,
    onSide: (Side) -> Unit,
    onType: (String) -> Unit,
    onRecord: () -> Unit,
    onDelete: (String) -> Unit,
) {
    val locale = LocalLocale.current
    Screen(word(Key.KneeToWall), error) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = state.side == Side.LEFT, onClick = { onSide(Side.LEFT) }, label = { Text(word(Key.LeftLeg)) })
            FilterChip(selected = state.side == Side.RIGHT, onClick = { onSide(Side.RIGHT) }, label = { Text(word(Key.RightLeg)) })
        }
        OutlinedTextField(
            value = state.input,
            onValueChange = onType,
            label = { Text(word(Key.Centimetres)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal),
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = onRecord, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(word(Key.Measure)) }
        for ((key, series) in listOf(Key.Left to state.left, Key.Right to state.right)) {
            if (series.isEmpty()) continue
            val first = series.first()
            val last = series.last()
            Text(
                "${word(key)}: ${word(Key.LastResult)} ${cm(last.cm, locale)} (${date(last)}) · ${word(Key.FirstResult)} ${cm(first.cm, locale)} (${date(first)})",
                style = MaterialTheme.typography.bodyLarge,
            )
            // Removes a mistyped latest result (the delete syncs).
            TextButton(onClick = { onDelete(last.id) }) { Text("${word(Key.Delete)}: ${word(key)} ${cm(last.cm, locale)}") }
        }
        // Real change against the MDC, the side-to-side difference, a retest due: the core's words.
        state.report?.reasons?.forEach { ReasonCard(it) }
        Text(word(Key.ChartTitle), style = MaterialTheme.typography.titleMedium)
        RomChart(state.left, state.right)
    }
}

private fun cm(v: Double, locale: String) = String.format(Locale.forLanguageTag(locale), "%.1f cm", v)

private fun date(p: RomPoint): String =
    Instant.ofEpochMilli(p.atMs).atZone(runCatching { ZoneId.of(p.zone) }.getOrDefault(ZoneId.of("UTC"))).toLocalDate().toString()

/** Both sides on one time axis: left solid, right dashed (not only colour tells them apart). */
@Composable
fun RomChart(left: List<RomPoint>, right: List<RomPoint>) {
    val locale = LocalLocale.current
    val all = left + right
    val description = listOf(word(Key.Left) to left, word(Key.Right) to right)
        .joinToString("; ") { (name, s) -> "$name: " + s.joinToString(", ") { "${date(it)} ${cm(it.cm, locale)}" } }
    val lowest = all.minOfOrNull { it.cm }
    val highest = all.maxOfOrNull { it.cm }
    if (lowest != null && highest != null) {
        Text("${cm(highest, locale)} ↑ · ↓ ${cm(lowest, locale)}", style = MaterialTheme.typography.labelMedium)
    }
    val leftColor = MaterialTheme.colorScheme.primary
    val rightColor = MaterialTheme.colorScheme.tertiary
    val axis = MaterialTheme.colorScheme.onSurfaceVariant
    Canvas(Modifier.fillMaxWidth().height(180.dp).semantics { contentDescription = description }) {
        drawLine(axis, Offset(0f, size.height), Offset(size.width, size.height), 2f)
        if (all.isEmpty()) return@Canvas
        val t0 = all.minOf { it.atMs }
        val t1 = maxOf(all.maxOf { it.atMs }, t0 + 1)
        // A range of at least 2 cm around the data, so noise does not look like a trend.
        val mid = (all.minOf { it.cm } + all.maxOf { it.cm }) / 2
        val half = maxOf((all.maxOf { it.cm } - all.minOf { it.cm }) / 2 * 1.2, 1.0)
        val lo = mid - half
        val hi = mid + half
        fun at(p: RomPoint) = Offset(
            ((p.atMs - t0).toFloat() / (t1 - t0)) * (size.width - 24f) + 12f,
            size.height - ((p.cm - lo) / (hi - lo)).toFloat() * (size.height - 24f) - 12f,
        )
        for ((series, color, dashed) in listOf(Triple(left, leftColor, false), Triple(right, rightColor, true))) {
            val pts = series.sortedBy { it.atMs }.map(::at)
            for (i in 1 until pts.size) {
                drawLine(color, pts[i - 1], pts[i], 5f, pathEffect = if (dashed) PathEffect.dashPathEffect(floatArrayOf(14f, 10f)) else null)
            }
            for (p in pts) {
                if (dashed) drawCircle(color, 9f, p, style = Stroke(4f)) else drawCircle(color, 9f, p)
            }
        }
    }
    val first = all.minByOrNull { it.atMs }
    val last = all.maxByOrNull { it.atMs }
    if (first != null && last != null) {
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
            Text(date(first), style = MaterialTheme.typography.labelMedium)
            Text(date(last), style = MaterialTheme.typography.labelMedium)
        }
    }
    Row(horizontalArrangement = Arrangement.spacedBy(16.dp)) {
        Text("● ${word(Key.Left)}", color = leftColor)
        Text("○ ${word(Key.Right)}", color = rightColor)
    }
}
