// The session's video: an AVQueuePlayer that loops the core's rep-loop time range with an
// AVPlayerLooper, or plays an intro/demo segment once and reports its end. The picture is
// drawn by PlayerLayerView (an AVPlayerLayer, no controls) so mirroring flips the video only.
// Clips ship in the app bundle under Clips/ (the pack scripts/render-clips.sh writes), each
// file named by the core's play effect.
#if os(iOS)
import AVFoundation
import SwiftUI
import TalusKit
import UIKit

@MainActor
public final class ClipPlayer: SessionPlayer {
    public let player = AVQueuePlayer()
    public var onPosition: ((Int64) -> Void)?
    public var onEnded: (() -> Void)?

    private var looper: AVPlayerLooper?
    private var timeObserver: Any?
    private var endObserver: NSObjectProtocol?
    private var loadTask: Task<Void, Never>?
    private let bundle: Bundle

    public init(bundle: Bundle = .main) {
        self.bundle = bundle
        player.isMuted = true  // Clips are silent; the spoken cues carry the sound.
        player.preventsDisplaySleepDuringVideoPlayback = false  // The idle timer is ours.
        // Captions and clip-timed cues follow the playback position (10 times a second).
        timeObserver = player.addPeriodicTimeObserver(
            forInterval: CMTime(value: 100, timescale: 1000), queue: .main
        ) { [weak self] time in
            let ms = Int64((time.seconds * 1000).rounded())
            MainActor.assumeIsolated {
                self?.onPosition?(ms)
            }
        }
    }

    public func play(_ clip: ClipRequest) {
        stopCurrent()
        // The core names the file in the pack; older packs used <asset id>.mp4.
        let named = clip.file.isEmpty ? nil : bundle.url(forResource: clip.file, withExtension: nil, subdirectory: "Clips")
        guard let url = named ?? bundle.url(forResource: clip.assetId, withExtension: "mp4", subdirectory: "Clips") else {
            // A missing clip must not stall the session: report the segment as played.
            if !clip.looped { onEnded?() }
            return
        }
        let range = CMTimeRange(
            start: CMTime(value: CMTimeValue(clip.startMs), timescale: 1000),
            end: CMTime(value: CMTimeValue(clip.endMs), timescale: 1000))
        loadTask = Task { @MainActor [weak self] in
            let asset = AVURLAsset(url: url)
            // The looper needs the duration loaded first.
            _ = try? await asset.load(.duration)
            guard let self, !Task.isCancelled else { return }
            let item = AVPlayerItem(asset: asset)
            if clip.looped {
                self.looper = AVPlayerLooper(player: self.player, templateItem: item, timeRange: range)
            } else {
                item.forwardPlaybackEndTime = range.end
                self.player.insert(item, after: nil)
                _ = await self.player.seek(to: range.start, toleranceBefore: .zero, toleranceAfter: .zero)
                self.endObserver = NotificationCenter.default.addObserver(
                    forName: AVPlayerItem.didPlayToEndTimeNotification, object: item, queue: .main
                ) { [weak self] _ in
                    MainActor.assumeIsolated {
                        self?.onEnded?()
                    }
                }
            }
            self.player.play()
        }
    }

    public func pause() { player.pause() }

    public func resume() { player.play() }

    public func stop() {
        stopCurrent()
    }

    private func stopCurrent() {
        loadTask?.cancel()
        loadTask = nil
        looper?.disableLooping()
        looper = nil
        if let endObserver {
            NotificationCenter.default.removeObserver(endObserver)
        }
        endObserver = nil
        player.pause()
        player.removeAllItems()
    }
}

/// The video surface: an AVPlayerLayer without controls, mirrored on request.
public struct PlayerLayerView: UIViewRepresentable {
    let player: AVPlayer

    public init(player: AVPlayer) {
        self.player = player
    }

    public func makeUIView(context: Context) -> PlayerUIView {
        let view = PlayerUIView()
        view.playerLayer.player = player
        view.playerLayer.videoGravity = .resizeAspect
        return view
    }

    public func updateUIView(_ view: PlayerUIView, context: Context) {
        view.playerLayer.player = player
    }

    public final class PlayerUIView: UIView {
        public override class var layerClass: AnyClass { AVPlayerLayer.self }
        var playerLayer: AVPlayerLayer {
            // The layer class above makes this cast always succeed.
            layer as! AVPlayerLayer
        }
    }
}
#endif
