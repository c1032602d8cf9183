// Settings and profile (J1.3), runs (import from Health, manual entry), sync and backup
// (J7) and the clinician export with the share sheet (J6).
import SwiftUI
import TalusKit
import UniformTypeIdentifiers

struct SettingsView: View {
    let services: Services
    @Environment(\.shellLocale) private var locale
    @Environment(AppModel.self) private var app

    var body: some View {
        let t = Words(locale: locale)
        List {
            if !app.notificationsAllowed {
                Text(t(.notificationsOff)).foregroundStyle(.orange)
            }
            NavigationLink(t(.profile)) {
                ProfileForm(model: SettingsModel(core: services.core, reminders: services.reminders)) {}
            }
            NavigationLink(t(.runsTitle)) {
                RunsView(model: RunsModel(importer: services.runs))
            }
            NavigationLink(t(.sync)) {
                SyncView(model: SyncModel(bridge: services.sync, reminders: services.reminders))
            }
            NavigationLink(t(.export)) {
                ExportView(model: ExportModel(core: services.core))
            }
        }
        .navigationTitle(t(.settings))
    }
}

/// Minutes after midnight as a time picker.
private func minutesBinding(_ value: Binding<Int>) -> Binding<Date> {
    Binding(
        get: { Calendar.current.startOfDay(for: Date()).addingTimeInterval(Double(value.wrappedValue) * 60) },
        set: { date in
            let parts = Calendar.current.dateComponents([.hour, .minute], from: date)
            value.wrappedValue = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        })
}

struct ProfileForm: View {
    @State var model: SettingsModel
    let saved: () -> Void
    @Environment(\.shellLocale) private var locale

    var body: some View {
        let t = Words(locale: locale)
        Form {
            if model.settings != nil {
                Section(t(.timeZone)) {
                    Text(model.settings?.homeZone ?? "")
                    Button(t(.useSystemZone)) { model.useSystemZone() }
                }
                Section(t(.wakeWindow)) {
                    DatePicker(t(.start), selection: minutesBinding(int(\.wakeStartMin)), displayedComponents: .hourAndMinute)
                    DatePicker(t(.done), selection: minutesBinding(int(\.wakeEndMin)), displayedComponents: .hourAndMinute)
                }
                Section(t(.quietHours)) {
                    DatePicker(t(.start), selection: minutesBinding(int(\.quietStartMin)), displayedComponents: .hourAndMinute)
                    DatePicker(t(.done), selection: minutesBinding(int(\.quietEndMin)), displayedComponents: .hourAndMinute)
                }
                Section(t(.dailyReminder)) {
                    Toggle(t(.dailyReminder), isOn: Binding(
                        get: { model.settings?.dailyReminderMin != nil },
                        set: { on in model.settings?.dailyReminderMin = on ? 7 * 60 + 30 : nil }))
                    if model.settings?.dailyReminderMin != nil {
                        DatePicker(t(.dailyReminder), selection: minutesBinding(Binding(
                            get: { Int(model.settings?.dailyReminderMin ?? 0) },
                            set: { model.settings?.dailyReminderMin = numericCast($0) })),
                                   displayedComponents: .hourAndMinute)
                    }
                }
                Section(t(.equipment)) {
                    ForEach(model.equipmentOptions, id: \.self) { item in
                        Toggle(item.label(locale: locale), isOn: Binding(
                            get: { model.has(item) }, set: { _ in model.toggle(item) }))
                    }
                }
                Section(t(.goals)) {
                    ForEach(model.goalOptions, id: \.self) { goal in
                        Toggle(goal.label(locale: locale), isOn: Binding(
                            get: { model.has(goal) }, set: { _ in model.toggle(goal) }))
                    }
                }
                Section(t(.startSide)) {
                    Picker(t(.startSide), selection: Binding(
                        get: { model.settings?.preferredStartSide },
                        set: { model.settings?.preferredStartSide = $0 })) {
                        Text(t(.none)).tag(Side?.none)
                        Text(t(.leftLeg)).tag(Side?.some(.left))
                        Text(t(.rightLeg)).tag(Side?.some(.right))
                    }
                }
                Section(t(.units)) {
                    Toggle(t(.metric), isOn: Binding(
                        get: { model.settings?.metricUnits ?? true },
                        set: { model.settings?.metricUnits = $0 }))
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.profile))
        .toolbar {
            Button(t(.save)) {
                Task {
                    await model.save()
                    if model.saved { saved() }
                }
            }
        }
        .task { await model.load() }
    }

    /// An integer field of the settings as an `Int` binding (the core's width stays inside).
    private func int<V: BinaryInteger>(_ path: WritableKeyPath<SettingsInfo, V>) -> Binding<Int> {
        Binding(
            get: { Int(model.settings?[keyPath: path] ?? 0) },
            set: { model.settings?[keyPath: path] = numericCast($0) })
    }
}

struct RunsView: View {
    @State var model: RunsModel
    @Environment(\.shellLocale) private var locale
    @State private var start = Date()
    @State private var minutes = 60
    @State private var kilometres = 10.0
    @State private var long = false

    var body: some View {
        let t = Words(locale: locale)
        Form {
            Section {
                Text(t(.importRunsReason)).font(.footnote)
                if model.importEnabled {
                    Button(t(.syncNow)) { Task { await model.importNow() } }
                } else {
                    Button(t(.importRuns)) { Task { await model.enableImport() } }
                }
                if let summary = model.lastImport {
                    Text("+\(summary.inserted) · \(summary.updated) · =\(summary.unchanged)").monospacedDigit()
                }
            }
            Section(t(.addRun)) {
                DatePicker(t(.start), selection: $start)
                Stepper("\(t(.duration)): \(minutes)", value: $minutes, in: 1...600)
                Stepper("\(t(.distanceKm)): \(kilometres, specifier: "%.1f")", value: $kilometres, in: 0...200, step: 0.5)
                Toggle(t(.longRun), isOn: $long)
                Button(t(.save)) {
                    Task { await model.addManual(start: start, minutes: minutes, kilometres: kilometres, long: long) }
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.runsTitle))
        .task { await model.load() }
    }
}

struct SyncView: View {
    @State var model: SyncModel
    @Environment(\.shellLocale) private var locale
    @State private var picking = false

    var body: some View {
        let t = Words(locale: locale)
        Form {
            Section {
                Button(t(.syncICloud)) { Task { await model.useICloud() } }
                Button(t(.syncPickFolder)) { picking = true }
                if model.kind != nil {
                    Button(t(.syncNow)) { Task { await model.syncNow() } }
                        .disabled(model.syncing)
                    Button(t(.backup)) { Task { await model.backup() } }
                    Button(t(.restore)) { Task { await model.restore() } }
                    Button(t(.syncOff), role: .destructive) { Task { await model.turnOff() } }
                }
            }
            if let report = model.lastReport {
                Section {
                    Text("\(report.segments) · \(report.newChanges) · \(report.recordsWritten)").monospacedDigit()
                }
            }
            if model.devices.count > 1 {
                Section(t(.sync)) {
                    ForEach(model.devices, id: \.deviceId) { device in
                        HStack {
                            Text(device.thisDevice ? "●" : "○")
                                .accessibilityHidden(true)
                            Text(String(device.deviceId.suffix(8))).monospaced()
                            Spacer()
                            Text(date(fromMs: device.latestChangeMs), style: .relative)
                        }
                        .accessibilityElement(children: .combine)
                    }
                }
            }
            if !model.rejected.isEmpty {
                Section(t(.rejectedFiles)) {
                    ForEach(model.rejected, id: \.self) { Text($0).font(.caption) }
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.sync))
        .fileImporter(isPresented: $picking, allowedContentTypes: [.folder]) { result in
            if case let .success(url) = result {
                Task { await model.usePicked(url) }
            }
        }
        .task { await model.load() }
    }
}

struct ExportView: View {
    @State var model: ExportModel
    @Environment(\.shellLocale) private var locale

    var body: some View {
        let t = Words(locale: locale)
        Form {
            Text(t(.exportHint))
            if model.files.isEmpty {
                Button(t(.export)) { Task { await model.prepare() } }
            } else {
                ShareLink(items: model.files) {
                    Label(t(.share), systemImage: "square.and.arrow.up")
                }
                ForEach(model.files, id: \.self) { Text($0.lastPathComponent).font(.caption) }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.export))
    }
}
