// J2: today's plan with its variant and the reasons in words; drills by name with their
// dose; one tap starts (or resumes) the session.
import SwiftUI
import TalusKit

struct TodayView: View {
    @State var model: TodayModel
    let resumable: SessionModel?
    let open: (SessionModel) -> Void
    let startSession: () async throws -> SessionModel
    /// The follow-up screening to show when the programme is paused after severe pain.
    let followUp: () -> FollowUpModel
    @Environment(\.shellLocale) private var locale
    @State private var startError: String?
    @State private var followUpModel: FollowUpModel?

    var body: some View {
        let t = Words(locale: locale)
        List {
            if let plan = model.plan {
                Section {
                    ForEach(model.reasons, id: \.self) { reason in
                        Text(reason.message)
                    }
                } header: {
                    Text("\(plan.variantLabel) · \(t(.why))")
                }
                if !model.levelChanges.isEmpty {
                    Section {
                        ForEach(model.levelChanges, id: \.self) { change in
                            VStack(alignment: .leading, spacing: 4) {
                                Text("\(change.fromDrillName) \(change.fromLevel) → \(change.toDrillName) \(change.toLevel)")
                                    .font(.headline)
                                Text(change.reason.message).font(.subheadline).foregroundStyle(.secondary)
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
                Section {
                    if plan.items.isEmpty {
                        Text(t(.nothingToday))
                    }
                    ForEach(plan.items, id: \.drillId) { item in
                        VStack(alignment: .leading, spacing: 4) {
                            HStack {
                                Text(item.drillName).font(.headline)
                                Spacer()
                                Text(TodayModel.dose(item)).monospacedDigit()
                            }
                            Text(item.reason.message).font(.subheadline).foregroundStyle(.secondary)
                        }
                        .accessibilityElement(children: .combine)
                    }
                } header: {
                    Text(t(.today))
                }
            }
            if let error = model.errorMessage ?? startError {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.today))
        .safeAreaInset(edge: .bottom) {
            VStack {
                if model.needsFollowUp {
                    Button(t(.followUpStart)) { followUpModel = followUp() }
                        .buttonStyle(.borderedProminent)
                        .controlSize(.large)
                }
                if let resumable {
                    Button(t(.resumeSession)) { open(resumable) }
                        .buttonStyle(.bordered)
                }
                Button(t(.startSession)) {
                    Task {
                        do {
                            open(try await startSession())
                            startError = nil
                        } catch {
                            startError = describe(error)
                        }
                    }
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .disabled(!model.canStart)
            }
            .padding()
        }
        .sheet(item: $followUpModel, onDismiss: { Task { await model.load() } }) { followUp in
            NavigationStack { FollowUpView(model: followUp) }
        }
        .task { await model.load() }
        .refreshable { await model.load() }
    }
}
