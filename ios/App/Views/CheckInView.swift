// J4/J8: the full morning check-in (pain and stiffness of calf, Achilles and ankle, and the
// red-flag questions); the core's traffic light and reasons come back in words.
import SwiftUI
import TalusKit

struct CheckInView: View {
    @State var model: CheckInModel
    @Environment(\.shellLocale) private var locale
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        let t = Words(locale: locale)
        let w = CoreWords.of(locale)
        Form {
            Section(w.pain) {
                scale(w.calf, $model.painCalf)
                scale(w.achilles, $model.painAchilles)
                scale(w.ankle, $model.painAnkle)
            }
            Section(w.stiffness) {
                scale(w.calf, $model.stiffnessCalf)
                scale(w.achilles, $model.stiffnessAchilles)
                scale(w.ankle, $model.stiffnessAnkle)
            }
            Section(t(.redFlagsTitle)) {
                ForEach(model.questions, id: \.id) { question in
                    Toggle(question.text, isOn: Binding(
                        get: { model.redFlagsYes.contains(question.id) },
                        set: { on in
                            if on {
                                model.redFlagsYes.insert(question.id)
                            } else {
                                model.redFlagsYes.remove(question.id)
                            }
                        }))
                }
            }
            if let result = model.result {
                Section(result.status.label(locale: locale)) {
                    ForEach(result.reasons, id: \.self) { reason in
                        Text(reason.message)
                    }
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.checkIn))
        .toolbar {
            ToolbarItem(placement: .confirmationAction) {
                if model.result == nil {
                    Button(t(.submit)) { Task { await model.submit() } }
                } else {
                    Button(t(.done)) { dismiss() }
                }
            }
        }
        .task { await model.load() }
    }

    private func scale(_ title: String, _ value: Binding<Int>) -> some View {
        Stepper(value: value, in: 0...10) {
            Text("\(title): \(value.wrappedValue)")
        }
        .accessibilityValue("\(value.wrappedValue) / 10")
    }
}
