// The follow-up screening after a severe-pain stop: one question per screen, yes / no /
// not sure, then the core's decision in words.
import SwiftUI
import TalusKit

struct FollowUpView: View {
    @State var model: FollowUpModel
    @Environment(\.shellLocale) private var locale
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        let t = Words(locale: locale)
        VStack(alignment: .leading, spacing: 24) {
            if let result = model.result {
                Text(result.reason.message).font(.title3)
                if let referral = result.safety.referral {
                    Text(referral.message)
                }
                Button(t(.done)) { dismiss() }.buttonStyle(.borderedProminent)
            } else if let question = model.current {
                let position = model.position
                Text(ShellText.counter(position.number, of: position.total, locale: locale))
                    .font(.subheadline)
                    .foregroundStyle(.secondary)
                Text(question.text).font(.title2).fixedSize(horizontal: false, vertical: true)
                    .accessibilityAddTraits(.isHeader)
                Spacer()
                ForEach([(t(.yes), ScreeningReply.yes), (t(.no), .no), (t(.notSure), .notSure)], id: \.0) { title, reply in
                    Button {
                        Task { await model.answer(reply) }
                    } label: {
                        Text(title).frame(maxWidth: .infinity, minHeight: 44)
                    }
                    .buttonStyle(.bordered)
                }
                if position.number > 1 {
                    Button(t(.back)) { model.back() }
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .padding()
        .task { await model.load() }
    }
}
