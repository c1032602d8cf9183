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
        Form {
            Section(t(.pain)) {
                scale(t(.calf), $model.painCalf)
                scale(t(.achilles), $model.painAchilles)
                scale(t(.ankle), $model.painAnkle)
            }
            Section(t(.stiffness)) {
                scale(t(.calf), $model.stiffnessCalf)
                scale(t(.achilles), $model.stiffnessAchilles)
                scale(t(.ankle), $model.stiffnessAnkle)
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
                Section(t(Labels.morning(result.status))) {
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
