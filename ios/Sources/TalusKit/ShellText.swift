// The app's own headings and buttons that the core does not export, English and German.
// Drills, plans, reasons, reminders, referrals, the names of every closed set
// (`Step.label(locale:)` and friends) and the session's fixed words (`screenWords`: buttons,
// pain-scale anchors, body regions) come localized from the core; this table holds the rest
// of the chrome and shrinks as the core exports more.
import Foundation

public enum ShellKey: String, CaseIterable, Sendable {
    case appName, welcomeTitle, welcomeBody, begin, back, done, save, cancel
    case yes, no, notSure, questionOf, lockedTitle, clearanceConfirm, clearanceHint
    case today, startSession, resumeSession, why, nothingToday, followUpStart
    case rep, hold, set, leftLeg, rightLeg, pause, resume, skipDrill, switchSide
    case repDone, painTitle, justStretch
    case checkIn, calf, achilles, ankle, pain, stiffness, submit, redFlagsTitle
    case kneeToWall, measure, centimetres, chartTitle
    case history, sessions, runs, delete, edit
    case settings, profile, wakeWindow, quietHours, dailyReminder, none, equipment, goals, startSide, units
    case metric, timeZone, useSystemZone
    case runsTitle, importRuns, importRunsReason, addRun, start, duration, distanceKm, longRun
    case sync, syncICloud, syncPickFolder, syncNow, syncOff, backup, restore, rejectedFiles
    case export, exportHint, share
    case answerGreen, answerAmber, answerRed, startAction, retestAction
    case notificationsOff
}

public enum ShellText {
    public static func text(_ key: ShellKey, locale: String) -> String {
        let table = locale == "de" ? german : english
        return table[key] ?? english[key] ?? key.rawValue
    }

    /// "3 of 20" / "3 von 20".
    public static func counter(_ number: Int, of total: Int, locale: String) -> String {
        "\(number) \(text(.questionOf, locale: locale)) \(total)"
    }

    static let english: [ShellKey: String] = [
        .appName: "Talus", .welcomeTitle: "Ankle mobility for runners",
        .welcomeBody: "Talus guides short drills for stiff ankles and adapts them to your runs and how you feel. It is not a diagnosis. Your data stays on your devices.",
        .begin: "Begin", .back: "Back", .done: "Done", .save: "Save", .cancel: "Cancel",
        .yes: "Yes", .no: "No", .notSure: "Not sure", .questionOf: "of",
        .lockedTitle: "Please see a clinician first",
        .clearanceConfirm: "A clinician has seen me and cleared me",
        .clearanceHint: "Confirm only after a clinician has examined you.",
        .today: "Today", .startSession: "Start session", .resumeSession: "Resume session", .why: "Why", .nothingToday: "No drills today.",
        .followUpStart: "Answer the short follow-up questions",
        .rep: "Rep", .hold: "Hold", .set: "Set", .leftLeg: "Left leg", .rightLeg: "Right leg", .pause: "Pause", .resume: "Resume", .skipDrill: "Skip drill",
        .switchSide: "Switch leg", .repDone: "Rep done",
        .painTitle: "Pain during that set?", .justStretch: "Just a stretch, no pain",
        .checkIn: "Check-in", .calf: "Calf", .achilles: "Achilles", .ankle: "Ankle", .pain: "Pain",
        .stiffness: "Stiffness", .submit: "Send", .redFlagsTitle: "Any of these since yesterday?",
        .kneeToWall: "Knee-to-wall", .measure: "Record", .centimetres: "cm", .chartTitle: "Both sides over time",
        .history: "History", .sessions: "Sessions", .runs: "Runs", .delete: "Delete", .edit: "Edit",
        .settings: "Settings", .profile: "Profile", .wakeWindow: "Wake window", .quietHours: "Quiet hours",
        .dailyReminder: "Daily reminder", .none: "None", .equipment: "Equipment at hand", .goals: "Goals",
        .startSide: "Injured or stiffer side", .units: "Units", .metric: "Metric",
        .timeZone: "Time zone", .useSystemZone: "Use this phone's zone",
        .runsTitle: "Runs", .importRuns: "Import runs from Health",
        .importRunsReason: "Talus reads your running workouts to plan a check-in the morning after a long run.",
        .addRun: "Add a run", .start: "Start", .duration: "Minutes", .distanceKm: "Distance (km)",
        .longRun: "This was a long run",
        .sync: "Sync", .syncICloud: "Use iCloud Drive", .syncPickFolder: "Choose a folder", .syncNow: "Sync now",
        .syncOff: "Turn sync off", .backup: "Back up", .restore: "Restore", .rejectedFiles: "Skipped files",
        .export: "Export", .exportHint: "CSV and JSON of pain, check-ins, knee-to-wall and runs for a clinician.",
        .share: "Share",
        .answerGreen: "All good", .answerAmber: "A bit sore", .answerRed: "It hurts",
        .startAction: "Start", .retestAction: "Measure",
        .notificationsOff: "Notifications are off for Talus; reminders cannot be shown.",
    ]

    static let german: [ShellKey: String] = [
        .appName: "Talus", .welcomeTitle: "Sprunggelenk-Mobilität für Läufer",
        .welcomeBody: "Talus führt durch kurze Übungen für steife Sprunggelenke und passt sie an deine Läufe und dein Befinden an. Es ist keine Diagnose. Deine Daten bleiben auf deinen Geräten.",
        .begin: "Los geht's", .back: "Zurück", .done: "Fertig", .save: "Sichern",
        .cancel: "Abbrechen",
        .yes: "Ja", .no: "Nein", .notSure: "Weiß nicht", .questionOf: "von",
        .lockedTitle: "Bitte zuerst ärztlich abklären",
        .clearanceConfirm: "Eine Ärztin oder ein Arzt hat mich untersucht und freigegeben",
        .clearanceHint: "Bestätige das erst nach einer Untersuchung.",
        .today: "Heute", .startSession: "Einheit starten", .resumeSession: "Einheit fortsetzen", .why: "Warum", .nothingToday: "Heute keine Übungen.",
        .followUpStart: "Kurze Nachfragen beantworten",
        .rep: "Wdh.", .hold: "Halten", .set: "Satz", .leftLeg: "Linkes Bein",
        .rightLeg: "Rechtes Bein", .pause: "Anhalten", .resume: "Weiter", .skipDrill: "Übung überspringen", .switchSide: "Bein wechseln",
        .repDone: "Wiederholung fertig",
        .painTitle: "Schmerzen in diesem Satz?", .justStretch: "Nur Dehnung, kein Schmerz",
        .checkIn: "Check-in", .calf: "Wade", .achilles: "Achillessehne", .ankle: "Sprunggelenk",
        .pain: "Schmerz", .stiffness: "Steifigkeit", .submit: "Senden",
        .redFlagsTitle: "Trifft seit gestern etwas davon zu?",
        .kneeToWall: "Knie-zur-Wand", .measure: "Eintragen", .centimetres: "cm",
        .chartTitle: "Beide Seiten im Verlauf",
        .history: "Verlauf", .sessions: "Einheiten", .runs: "Läufe", .delete: "Löschen", .edit: "Bearbeiten",
        .settings: "Einstellungen", .profile: "Profil", .wakeWindow: "Wachzeit", .quietHours: "Ruhezeit",
        .dailyReminder: "Tägliche Erinnerung", .none: "Keine", .equipment: "Vorhandene Hilfsmittel",
        .goals: "Ziele", .startSide: "Verletzte oder steifere Seite", .units: "Einheiten",
        .metric: "Metrisch", .timeZone: "Zeitzone",
        .useSystemZone: "Zeitzone des Telefons verwenden",
        .runsTitle: "Läufe", .importRuns: "Läufe aus Health übernehmen",
        .importRunsReason: "Talus liest deine Laufeinheiten, um am Morgen nach einem langen Lauf nachzufragen.",
        .addRun: "Lauf eintragen", .start: "Beginn", .duration: "Minuten", .distanceKm: "Strecke (km)",
        .longRun: "Das war ein langer Lauf",
        .sync: "Abgleich", .syncICloud: "iCloud Drive verwenden", .syncPickFolder: "Ordner wählen",
        .syncNow: "Jetzt abgleichen", .syncOff: "Abgleich ausschalten", .backup: "Sichern",
        .restore: "Wiederherstellen", .rejectedFiles: "Übersprungene Dateien",
        .export: "Export", .exportHint: "CSV und JSON mit Schmerz, Check-ins, Knie-zur-Wand und Läufen für die Praxis.",
        .share: "Teilen",
        .answerGreen: "Alles gut", .answerAmber: "Etwas gereizt", .answerRed: "Es schmerzt",
        .startAction: "Starten", .retestAction: "Messen",
        .notificationsOff: "Mitteilungen sind für Talus aus; Erinnerungen können nicht erscheinen.",
    ]
}
