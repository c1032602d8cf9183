// J5: knee-to-wall per side, with both sides over time in a Swift Charts line chart.
import Charts
import SwiftUI
import TalusKit

struct KneeToWallView: View {
    @State var model: KneeToWallModel
    @Environment(\.shellLocale) private var locale
    @State private var side: Side = .left
    @State private var cm = 10.0

    var body: some View {
        let t = Words(locale: locale)
        Form {
            Section {
                Picker(t(.startSide), selection: $side) {
                    Text(t(.leftLeg)).tag(Side.left)
                    Text(t(.rightLeg)).tag(Side.right)
                }
                .pickerStyle(.segmented)
                Stepper(value: $cm, in: 0...30, step: 0.5) {
                    Text("\(cm, specifier: "%.1f") \(t(.centimetres))")
                }
                .accessibilityValue("\(cm) \(t(.centimetres))")
                Button(t(.measure)) {
                    Task { await model.record(side: side, cm: cm) }
                }
            }
            if let report = model.report {
                Section {
                    ForEach([report.left, report.right], id: \.side) { trend in
                        HStack {
                            Text(trend.side == .left ? t(.leftLeg) : t(.rightLeg))
                            Spacer()
                            if let latest = trend.latestCm {
                                Text("\(latest, specifier: "%.1f") \(t(.centimetres))").monospacedDigit()
                            }
                            if let change = trend.changeCm {
                                // The core says whether the change is real (beyond the MDC).
                                Text("\(change >= 0 ? "+" : "")\(change, specifier: "%.1f")")
                                    .monospacedDigit()
                                    .foregroundStyle(trend.realChange ? (change >= 0 ? Color.green : Color.orange) : Color.secondary)
                            }
                        }
                        .accessibilityElement(children: .combine)
                    }
                    if report.asymmetryFlag, let diff = report.asymmetryCm {
                        Text("↔ \(diff, specifier: "%.1f") \(t(.centimetres))").foregroundStyle(.orange)
                    }
                    ForEach(report.reasons, id: \.self) { reason in
                        Text(reason.message).font(.callout)
                    }
                }
            }
            Section(t(.chartTitle)) {
                Chart(model.chartPoints) { point in
                    LineMark(x: .value("Day", point.date), y: .value("cm", point.cm))
                        .foregroundStyle(by: .value("Side", point.side == .left ? t(.leftLeg) : t(.rightLeg)))
                    PointMark(x: .value("Day", point.date), y: .value("cm", point.cm))
                        .foregroundStyle(by: .value("Side", point.side == .left ? t(.leftLeg) : t(.rightLeg)))
                }
                .frame(minHeight: 220)
                .accessibilityLabel(t(.chartTitle))
                ForEach(model.chartPoints.reversed()) { point in
                    HStack {
                        Text(point.side == .left ? t(.leftLeg) : t(.rightLeg))
                        Spacer()
                        Text(point.date, style: .date)
                        Text("\(point.cm, specifier: "%.1f") \(t(.centimetres))").monospacedDigit()
                    }
                    .accessibilityElement(children: .combine)
                }
            }
            if let error = model.errorMessage {
                Text(error).foregroundStyle(.red)
            }
        }
        .navigationTitle(t(.kneeToWall))
        .task { await model.load() }
    }
}
