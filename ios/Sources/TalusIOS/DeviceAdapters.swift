// Small iOS adapters for the session: spoken cues that duck other audio (a runner's music
// dips, then comes back), and the idle timer kept off only while a drill runs.
#if os(iOS)
import AVFoundation
import TalusKit
import UIKit

@MainActor
public final class SpeechCueSpeaker: NSObject, CueSpeaker, AVSpeechSynthesizerDelegate {
    // Kept for the app's lifetime: a released synthesizer stops mid-sentence.
    private let synthesizer = AVSpeechSynthesizer()
    private let audio = AVAudioSession.sharedInstance()

    public override init() {
        super.init()
        synthesizer.delegate = self
    }

    public func speak(_ text: String, locale: String) {
        do {
            try audio.setCategory(.playback, mode: .voicePrompt,
                                  options: [.duckOthers, .interruptSpokenAudioAndMixWithOthers])
            try audio.setActive(true)
        } catch {
            // Without the session the cue still shows as a caption; speaking is a bonus.
        }
        let utterance = AVSpeechUtterance(string: text)
        utterance.voice = AVSpeechSynthesisVoice(language: locale == "de" ? "de-DE" : "en-US")
        synthesizer.speak(utterance)
    }

    public func stopSpeaking() {
        synthesizer.stopSpeaking(at: .immediate)
        releaseAudio()
    }

    public nonisolated func speechSynthesizer(_ synthesizer: AVSpeechSynthesizer, didFinish utterance: AVSpeechUtterance) {
        Task { @MainActor in
            if !self.synthesizer.isSpeaking {
                self.releaseAudio()
            }
        }
    }

    /// Others stay ducked until the session is deactivated with this option.
    private func releaseAudio() {
        try? audio.setActive(false, options: .notifyOthersOnDeactivation)
    }
}

@MainActor
public final class ApplicationIdleTimer: IdleTimerControl {
    public init() {}

    public func setKeepAwake(_ keepAwake: Bool) {
        UIApplication.shared.isIdleTimerDisabled = keepAwake
    }
}

extension SessionDevices {
    /// The real devices of a phone.
    @MainActor
    public static func phone(player: ClipPlayer) -> SessionDevices {
        SessionDevices(player: player, speaker: SpeechCueSpeaker(), idleTimer: ApplicationIdleTimer(),
                       ticks: TaskTickScheduler())
    }
}
#endif
