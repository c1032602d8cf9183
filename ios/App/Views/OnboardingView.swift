// J1: welcome, screening (one question per screen, yes / no / not sure, "3 of 20"), the
// lock with the core's referral and the clearance, then the profile.
import SwiftUI
import TalusKit

struct OnboardingView: View {
    @State var model: OnboardingModel
    let services: Services
    let finished: () -> Void
    @Environment(\.shellLocale) private var locale

    var body: some View {
        let t = Words(locale: locale)
        NavigationStack {
            Group {
                switch model.stage {
                case .welcome:
                    welcome(t)
                case .screening:
                    screening(t)
                case .locked:
                    locked(t)
                case .profile:
                    ProfileForm(model: SettingsModel(core: services.core, reminders: services.reminders)) {
                        model.profileSaved()
                        finished()
                    }
                case .done:
                    EmptyView()
                }
            }
            .padding()
        }
    }

    private func welcome(_ t: Words) -> some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                Text(t(.welcomeTitle)).font(.largeTitle.bold())
                Text(t(.welcomeBody)).font(.body)
                Button(t(.begin)) {
                    Task { await model.begin() }
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
            }
        }
    }

    @ViewBuilder
    private func screening(_ t: Words) -> some View {
        if let question = model.current {
            let position = model.position
            VStack(alignment: .leading, spacing: 24) {
                Text(ShellText.counter(position.number, of: position.total, locale: locale))
                    .font(.subheadline)
                    .foregroundStyle(.secondary)
                    .accessibilityLabel(ShellText.counter(position.number, of: position.total, locale: locale))
                Text(question.text)
                    .font(.title2)
                    .fixedSize(horizontal: false, vertical: true)
                    .accessibilityAddTraits(.isHeader)
                Spacer()
                VStack(spacing: 12) {
                    reply(t(.yes), .yes)
                    reply(t(.no), .no)
                    reply(t(.notSure), .notSure)
                }
                if position.number > 1 {
                    Button(t(.back)) { model.back() }
                }
                if let error = model.errorMessage {
                    Text(error).foregroundStyle(.red)
                }
            }
            .disabled(model.busy)
        }
    }

    private func reply(_ title: String, _ value: ScreeningReply) -> some View {
        Button {
            Task { await model.answer(value) }
        } label: {
            Text(title).frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.bordered)
    }

    private func locked(_ t: Words) -> some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                Text(t(.lockedTitle)).font(.title.bold())
                if let referral = model.safety?.referral {
                    Text(referral.message)
                }
                Text(t(.clearanceHint)).font(.footnote).foregroundStyle(.secondary)
                Button(t(.clearanceConfirm)) {
                    Task { await model.confirmClearance() }
                }
                .buttonStyle(.bordered)
            }
        }
    }
}
