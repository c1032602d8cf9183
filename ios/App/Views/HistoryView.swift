// J6: sessions with their sets and pain per side, runs and knee-to-wall results; any entry
// can be deleted (the delete syncs) and a run corrected.
import SwiftUI
import TalusKit

struct HistoryView: View {
    @State var model: HistoryModel
    @Environment(\.shellLocale) private var locale
    @State private var editing: RunInfo?

    var body: some View {
        let t = Words(locale: locale)
        List {
            Section(t(.sessions)) {
                ForEach(model.sessions, id: \.id) { session in
                    VStack(alignment: .leading, spacing: 4) {
                        Text(session.plannedFor).font(.headline)
                        Text(session.status.label(locale: locale)).font(.subheadline)
                        ForEach(Array(session.sets.enumerated()), id: \.offset) { _, set in
                            Text(setLine(set, t)).font(.caption).foregroundStyle(.secondary)
                        }
                    }
                    .accessibilityElement(children: .combine)
                    .swipeActions {
                        Button(t(.delete), role: .destructive) {
                            Task { await model.delete(session: session) }
                        }
                    }
                }
            }
            Section(t(.checkIn)) {
                ForEach(model.checkins, id: \.id) { checkin in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(date(fromMs: checkin.atMs), style: .date).font(.headline)
                        Text("\(t(.calf)) \(checkin.painCalf) · \(t(.achilles)) \(checkin.painAchilles) · \(t(.ankle)) \(checkin.painAnkle)")
                            .font(.caption)
                    }
                    .accessibilityElement(children: .combine)
                    .swipeActions {
                        Button(t(.delete), role: .destructive) {
                            Task { await model.delete(checkin: checkin) }
                        }
                    }
                }
            }
            Section(t(.runs)) {
                ForEach(model.runDetails, id: \.run.id) { detail in
                    let run = detail.run
                    VStack(alignment: .leading, spacing: 2) {
                        HStack {
                            Text(date(fromMs: run.startMs), style: .date)
                            if detail.long {
                                Text(t(.longRun)).font(.caption).foregroundStyle(.orange)
                            }
                            Spacer()
                            Text("\(run.distanceM / 1000, specifier: "%.1f") km").monospacedDigit()
                        }
                        ForEach(detail.reasons, id: \.self) { reason in
                            Text(reason.message).font(.caption).foregroundStyle(.secondary)
                        }
                    }
                    .accessibilityElement(children: .combine)
                    .swipeActions {
                        Button(t(.delete), role: .destructive) {
                            Task { await model.delete(run: run) }
                        }
                        Button(t(.edit)) { editing = run }
                    }
                }
            }
            Section(t(.kneeToWall)) {
                ForEach(model.kneeToWall, id: \.id) { point in
                    HStack {
                        Text(point.side == .left ? t(.leftLeg) : t(.rightLeg))
                        Spacer()
                        Text(date(fromMs: point.atMs), style: .date)
                        Text("\(point.cm, specifier: "%.1f") \(t(.centimetres))").monospacedDigit()
                    }
                    .accessibilityElement(children: .combine)
                    .swipeActions {
                        Button(t(.delete), role: .destructive) {
                            Task { await model.delete(kneeToWall: point) }
                        }
                    }
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.history))
        .task { await model.load() }
        .refreshable { await model.load() }
        .sheet(item: $editing) { run in
            RunCorrection(run: run) { km, minutes, long in
                editing = nil
                Task {
                    await model.correct(run: run, distanceM: km * 1000,
                                        endMs: run.startMs + Int64(minutes) * 60_000, long: long)
                }
            }
        }
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

extension RunInfo: Identifiable {}

/// Distance, duration and the long tag of a run, corrected.
struct RunCorrection: View {
    let run: RunInfo
    let save: (Double, Int, Bool) -> Void
    @Environment(\.shellLocale) private var locale
    @State private var kilometres = 0.0
    @State private var minutes = 0
    @State private var long = false

    var body: some View {
        let t = Words(locale: locale)
        NavigationStack {
            Form {
                Stepper("\(t(.distanceKm)): \(kilometres, specifier: "%.1f")", value: $kilometres, in: 0...200, step: 0.1)
                Stepper("\(t(.duration)): \(minutes)", value: $minutes, in: 1...600)
                Toggle(t(.longRun), isOn: $long)
            }
            .navigationTitle(t(.edit))
            .toolbar {
                Button(t(.save)) { save(kilometres, minutes, long) }
            }
        }
        .onAppear {
            kilometres = run.distanceM / 1000
            minutes = Int((run.endMs - run.startMs) / 60_000)
            long = run.tags.contains("long")
        }
    }
}
