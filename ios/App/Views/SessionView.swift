// J3: the guided session. The clip (mirrored where the core says so; the caption overlay
// is not mirrored), the count, the buttons the frame enables, pain per side after each set
// with a separate "just a stretch", and a quit that asks first. Haptics follow the model's
// counter; the scene going to the background pauses the session.
import SwiftUI
import TalusIOS
import TalusKit

struct SessionView: View {
    @State var model: SessionModel
    let player: ClipPlayer
    let close: () -> Void
    @Environment(\.shellLocale) private var locale
    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.accessibilityReduceMotion) private var reduceMotion

    var body: some View {
        let t = Words(locale: locale)
        let w = CoreWords.of(locale)
        let frame = model.frame
        VStack(spacing: 16) {
            ZStack(alignment: .bottom) {
                PlayerLayerView(player: player.player)
                    .scaleEffect(x: model.mirrored ? -1 : 1, y: 1)
                    .aspectRatio(1, contentMode: .fit)
                    .accessibilityHidden(true)
                if let caption = model.caption {
                    Text(caption.text)
                        .font(.title3.weight(.semibold))
                        .padding(8)
                        .background(.black.opacity(0.6), in: RoundedRectangle(cornerRadius: 8))
                        .foregroundStyle(.white)
                        .padding(8)
                        .accessibilityLabel(caption.text)
                }
            }
            Text(frame.stepLabel)
                .font(.headline)
                .foregroundStyle(.secondary)
            Text(frame.drillName)
                .font(.title2.bold())
                .accessibilityAddTraits(.isHeader)
            if let cue = frame.cue {
                Text(cue).font(.body)
            }
            Text(status(frame, t))
                .font(.title3.monospacedDigit())
                .accessibilityLabel(status(frame, t))
            ProgressView(value: frame.progress)
                .animation(reduceMotion ? nil : .default, value: frame.progress)
                .accessibilityLabel("\(Int((frame.progress * 100).rounded())) %")
            ForEach(frame.decisions, id: \.self) { decision in
                Text(decision.message).font(.callout).foregroundStyle(.orange)
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
            Spacer()
            controls(frame, t, w)
        }
        .padding()
        .sensoryFeedback(.impact(weight: .medium), trigger: model.hapticCount)
        .sheet(isPresented: Binding(get: { model.askingPain && frame.canReportPain }, set: { _ in })) {
            PainSheet(side: sideText(frame.side, t), words: w) { pain in
                model.reportPain(pain)
            } stretch: {
                model.reportStretchOnly()
            }
            .interactiveDismissDisabled()
        }
        .confirmationDialog(w.confirmStop, isPresented: $model.confirmingQuit, titleVisibility: .visible) {
            Button(w.stop, role: .destructive) { model.confirmQuit() }
            Button(w.keepGoing, role: .cancel) {}
        }
        .onChange(of: scenePhase) { _, phase in
            if phase == .background {
                model.sceneWentToBackground()
            }
        }

    }

    private func status(_ frame: FrameInfo, _ t: Words) -> String {
        var parts = [sideText(frame.side, t), "\(t(.set)) \(frame.set)/\(frame.sets)"]
        if let rep = frame.rep, let reps = frame.reps {
            parts.append("\(t(.rep)) \(rep)/\(reps)")
        }
        if let leftMs = frame.timeLeftMs {
            parts.append("\((leftMs + 999) / 1000) s")
        }
        return parts.joined(separator: " · ")
    }

    private func sideText(_ side: Side?, _ t: Words) -> String {
        switch side {
        case .left?: return t(.leftLeg)
        case .right?: return t(.rightLeg)
        case nil: return CoreWords.of(locale).bothFeet
        }
    }

    @ViewBuilder
    private func controls(_ frame: FrameInfo, _ t: Words, _ w: ScreenWords) -> some View {
        VStack(spacing: 12) {
            if model.finished {
                // The summary stays until the runner has read it (and any stop's reason).
                wide(t(.done)) { close() }.buttonStyle(.borderedProminent)
            }
            if frame.canStart {
                wide(w.start) { model.start() }.buttonStyle(.borderedProminent)
            }
            if frame.canRepDone {
                wide(w.repDone) { model.repDone() }.buttonStyle(.borderedProminent)
            }
            HStack {
                if frame.canPause {
                    wide(w.pause) { model.pause() }
                }
                if frame.canResume {
                    wide(w.resume) { model.resume() }
                }
                if frame.canSkipStep {
                    wide(w.skipStep) { model.skipStep() }
                }
                if frame.canSwitchSide {
                    wide(w.switchSide) { model.switchSide() }
                }
            }
            .buttonStyle(.bordered)
            HStack {
                if frame.canSkipDrill {
                    wide(w.skipDrill) { model.skipDrill() }.buttonStyle(.bordered)
                }
                if frame.canStop {
                    wide(w.stop) { model.requestQuit() }.buttonStyle(.bordered).tint(.red)
                }
            }
        }
    }

    private func wide(_ title: String, action: @escaping () -> Void) -> some View {
        Button(action: action) {
            Text(title).frame(maxWidth: .infinity, minHeight: 44)
        }
    }
}

/// Pain 0–10 in one tap, words at the anchors, and "just a stretch" apart from the scale.
struct PainSheet: View {
    let side: String
    let words: ScreenWords
    let report: (Int) -> Void
    let stretch: () -> Void
    @Environment(\.shellLocale) private var locale

    var body: some View {
        let t = Words(locale: locale)
        VStack(alignment: .leading, spacing: 16) {
            Text(words.pain).font(.title2.bold())
            Text(t(.painTitle)).font(.headline)
            Text(side).font(.headline)
            Button(words.justStretch, action: stretch)
                .buttonStyle(.borderedProminent)
                .frame(maxWidth: .infinity)
            LazyVGrid(columns: Array(repeating: GridItem(.flexible()), count: 6), spacing: 8) {
                ForEach(0...10, id: \.self) { pain in
                    Button("\(pain)") { report(pain) }
                        .buttonStyle(.bordered)
                        .accessibilityLabel(label(pain, t))
                }
            }
            HStack {
                ForEach(words.painScale, id: \.score) { anchor in
                    Text("\(anchor.score) \(anchor.words)")
                    if anchor.score != words.painScale.last?.score { Spacer() }
                }
            }
            .font(.caption)
            .foregroundStyle(.secondary)
        }
        .padding()
        .presentationDetents([.medium, .large])
    }

    /// VoiceOver reads the anchor's words with its number.
    private func label(_ pain: Int, _ t: Words) -> String {
        if let anchor = words.painScale.first(where: { Int($0.score) == pain }) {
            return "\(pain), \(anchor.words)"
        }
        return "\(pain)"
    }
}
