// J6: sessions with their sets and pain per side, and runs.
import SwiftUI
import TalusKit

struct HistoryView: View {
    @State var model: HistoryModel
    @Environment(\.shellLocale) private var locale

    var body: some View {
        let t = Words(locale: locale)
        List {
            Section(t(.sessions)) {
                ForEach(model.sessions, id: \.id) { session in
                    VStack(alignment: .leading, spacing: 4) {
                        Text(session.plannedFor).font(.headline)
                        Text(t(Labels.status(session.status))).font(.subheadline)
                        ForEach(Array(session.sets.enumerated()), id: \.offset) { _, set in
                            Text(setLine(set, t)).font(.caption).foregroundStyle(.secondary)
                        }
                    }
                    .accessibilityElement(children: .combine)
                }
            }
            Section(t(.runs)) {
                ForEach(model.runs, id: \.id) { run in
                    HStack {
                        Text(date(fromMs: run.startMs), style: .date)
                        Spacer()
                        Text("\(run.distanceM / 1000, specifier: "%.1f") km").monospacedDigit()
                    }
                    .accessibilityElement(children: .combine)
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.history))
        .task { await model.load() }
        .refreshable { await model.load() }
    }

    private func setLine(_ set: SetInfo, _ t: Words) -> String {
        var parts = [set.drillName]
        switch set.side {
        case .left?: parts.append(t(.leftLeg))
        case .right?: parts.append(t(.rightLeg))
        case nil: break
        }
        if let pain = set.pain {
            parts.append("\(t(.pain)) \(pain)/10")
        }
        return parts.joined(separator: " · ")
    }
}
