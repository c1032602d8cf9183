// The drill clip on screen: Media3's Compose PlayerSurface on a TextureView, because only a
// TextureView honours the horizontal flip used to show the other side (a SurfaceView
// ignores graphicsLayer transforms).
package app.talus.app

import androidx.annotation.OptIn
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.graphicsLayer
import androidx.media3.common.Player
import androidx.media3.common.util.UnstableApi
import androidx.media3.ui.compose.PlayerSurface
import androidx.media3.ui.compose.SURFACE_TYPE_TEXTURE_VIEW

@OptIn(UnstableApi::class)
@Composable
fun VideoSurface(player: Player, mirrored: Boolean) {
    PlayerSurface(
        player = player,
        modifier = Modifier.fillMaxSize().graphicsLayer { scaleX = if (mirrored) -1f else 1f },
        surfaceType = SURFACE_TYPE_TEXTURE_VIEW,
    )
}
