// Button labels and headings of the app's own chrome, English and German. Everything a
// runner reads about drills, plans, reasons, reminders and referrals comes localized from
// the core; this table holds only the words around it, until the core exports its UI
// strings (issue 15), at which point `text(_:locale:)` forwards there and this table goes.
import Foundation

public enum ShellKey: String, CaseIterable, Sendable {
    case appName, welcomeTitle, welcomeBody, begin, next, back, done, save, cancel, close, retry
    case yes, no, notSure, questionOf, lockedTitle, clearanceConfirm, clearanceHint
    case today, startSession, resumeSession, why, minutes, nothingToday
    case rep, hold, rest, set, leftLeg, rightLeg, bothLegs, pause, resume, skip, skipDrill, switchSide
    case repDone, quit, quitConfirm, quitKeep, painTitle, justStretch, painNone, painModerate, painWorst
    case checkIn, calf, achilles, ankle, pain, stiffness, submit, redFlagsTitle
    case kneeToWall, measure, centimetres, chartTitle, lastResult, firstResult
    case history, sessions, runs, delete, edit
    case settings, profile, wakeWindow, quietHours, dailyReminder, none, equipment, goals, startSide, units
    case metric, imperial, timeZone, useSystemZone
    case runsTitle, importRuns, importRunsReason, addRun, start, duration, distanceKm, longRun
    case sync, syncICloud, syncPickFolder, syncNow, syncOff, backup, restore, rejectedFiles
    case export, exportHint, share
    case answerGreen, answerAmber, answerRed, startAction, retestAction
    case notificationsOff
    // Closed sets from the core, named (see Labels.swift).
    case stepNotStarted, stepIntro, stepWork, stepEndRangePause, stepSideSwitch, stepPainCheck, stepRest, stepSummary
    case variantNormal, variantLight, variantMobilityOnly, variantRecovery, variantRest, variantLocked
    case statusPlanned, statusStarted, statusPaused, statusFinished, statusAbandoned
    case morningGreen, morningAmber, morningRed
    case eqWall, eqBand, eqStep, eqChair, eqBackpack, eqBall, eqTowel, eqFoam, eqTape
    case goalDorsiflexion, goalSubtalar, goalMidfoot, goalCalf, goalSoleus, goalAchilles, goalPlantarFascia
    case goalHallux, goalBalance, goalStrength
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
        .begin: "Begin", .next: "Next", .back: "Back", .done: "Done", .save: "Save", .cancel: "Cancel",
        .close: "Close", .retry: "Try again",
        .yes: "Yes", .no: "No", .notSure: "Not sure", .questionOf: "of",
        .lockedTitle: "Please see a clinician first",
        .clearanceConfirm: "A clinician has seen me and cleared me",
        .clearanceHint: "Confirm only after a clinician has examined you.",
        .today: "Today", .startSession: "Start session", .resumeSession: "Resume session", .why: "Why",
        .minutes: "min", .nothingToday: "No drills today.",
        .rep: "Rep", .hold: "Hold", .rest: "Rest", .set: "Set", .leftLeg: "Left leg", .rightLeg: "Right leg",
        .bothLegs: "Both legs", .pause: "Pause", .resume: "Resume", .skip: "Skip", .skipDrill: "Skip drill",
        .switchSide: "Switch leg", .repDone: "Rep done", .quit: "Quit",
        .quitConfirm: "Quit the session? It is saved as stopped early.", .quitKeep: "Keep going",
        .painTitle: "Pain during that set?", .justStretch: "Just a stretch, no pain",
        .painNone: "no pain", .painModerate: "moderate", .painWorst: "worst imaginable",
        .checkIn: "Check-in", .calf: "Calf", .achilles: "Achilles", .ankle: "Ankle", .pain: "Pain",
        .stiffness: "Stiffness", .submit: "Send", .redFlagsTitle: "Any of these since yesterday?",
        .kneeToWall: "Knee-to-wall", .measure: "Record", .centimetres: "cm", .chartTitle: "Both sides over time",
        .lastResult: "Last", .firstResult: "First",
        .history: "History", .sessions: "Sessions", .runs: "Runs", .delete: "Delete", .edit: "Edit",
        .settings: "Settings", .profile: "Profile", .wakeWindow: "Wake window", .quietHours: "Quiet hours",
        .dailyReminder: "Daily reminder", .none: "None", .equipment: "Equipment at hand", .goals: "Goals",
        .startSide: "Injured or stiffer side", .units: "Units", .metric: "Metric", .imperial: "Imperial",
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
        .stepNotStarted: "Ready", .stepIntro: "Watch first", .stepWork: "Your set", .stepEndRangePause: "Hold at the end",
        .stepSideSwitch: "Switch legs", .stepPainCheck: "Pain check", .stepRest: "Rest", .stepSummary: "Done",
        .variantNormal: "Normal day", .variantLight: "Light day", .variantMobilityOnly: "Mobility only",
        .variantRecovery: "Recovery day", .variantRest: "Rest day", .variantLocked: "Drills locked",
        .statusPlanned: "Planned", .statusStarted: "Started", .statusPaused: "Paused", .statusFinished: "Finished",
        .statusAbandoned: "Stopped early",
        .morningGreen: "Green: go ahead", .morningAmber: "Amber: go easy", .morningRed: "Red: rest today",
        .eqWall: "Wall", .eqBand: "Resistance band", .eqStep: "Step", .eqChair: "Chair", .eqBackpack: "Backpack",
        .eqBall: "Ball", .eqTowel: "Towel", .eqFoam: "Foam roller", .eqTape: "Tape measure",
        .goalDorsiflexion: "Ankle bend (dorsiflexion)", .goalSubtalar: "Rolling in and out (subtalar)",
        .goalMidfoot: "Midfoot", .goalCalf: "Calf", .goalSoleus: "Soleus", .goalAchilles: "Achilles",
        .goalPlantarFascia: "Sole of the foot", .goalHallux: "Big toe", .goalBalance: "Balance",
        .goalStrength: "Strength",
    ]

    static let german: [ShellKey: String] = [
        .appName: "Talus", .welcomeTitle: "Sprunggelenk-Mobilität für Läufer",
        .welcomeBody: "Talus führt durch kurze Übungen für steife Sprunggelenke und passt sie an deine Läufe und dein Befinden an. Es ist keine Diagnose. Deine Daten bleiben auf deinen Geräten.",
        .begin: "Los geht's", .next: "Weiter", .back: "Zurück", .done: "Fertig", .save: "Sichern",
        .cancel: "Abbrechen", .close: "Schließen", .retry: "Nochmal versuchen",
        .yes: "Ja", .no: "Nein", .notSure: "Weiß nicht", .questionOf: "von",
        .lockedTitle: "Bitte zuerst ärztlich abklären",
        .clearanceConfirm: "Eine Ärztin oder ein Arzt hat mich untersucht und freigegeben",
        .clearanceHint: "Bestätige das erst nach einer Untersuchung.",
        .today: "Heute", .startSession: "Einheit starten", .resumeSession: "Einheit fortsetzen", .why: "Warum",
        .minutes: "Min.", .nothingToday: "Heute keine Übungen.",
        .rep: "Wdh.", .hold: "Halten", .rest: "Pause", .set: "Satz", .leftLeg: "Linkes Bein",
        .rightLeg: "Rechtes Bein", .bothLegs: "Beide Beine", .pause: "Anhalten", .resume: "Weiter",
        .skip: "Überspringen", .skipDrill: "Übung überspringen", .switchSide: "Bein wechseln",
        .repDone: "Wiederholung fertig", .quit: "Beenden",
        .quitConfirm: "Einheit beenden? Sie wird als vorzeitig beendet gespeichert.", .quitKeep: "Weitermachen",
        .painTitle: "Schmerzen in diesem Satz?", .justStretch: "Nur Dehnung, kein Schmerz",
        .painNone: "kein Schmerz", .painModerate: "mittel", .painWorst: "stärkster vorstellbarer",
        .checkIn: "Check-in", .calf: "Wade", .achilles: "Achillessehne", .ankle: "Sprunggelenk",
        .pain: "Schmerz", .stiffness: "Steifigkeit", .submit: "Senden",
        .redFlagsTitle: "Trifft seit gestern etwas davon zu?",
        .kneeToWall: "Knie-zur-Wand", .measure: "Eintragen", .centimetres: "cm",
        .chartTitle: "Beide Seiten im Verlauf", .lastResult: "Zuletzt", .firstResult: "Erstes",
        .history: "Verlauf", .sessions: "Einheiten", .runs: "Läufe", .delete: "Löschen", .edit: "Bearbeiten",
        .settings: "Einstellungen", .profile: "Profil", .wakeWindow: "Wachzeit", .quietHours: "Ruhezeit",
        .dailyReminder: "Tägliche Erinnerung", .none: "Keine", .equipment: "Vorhandene Hilfsmittel",
        .goals: "Ziele", .startSide: "Verletzte oder steifere Seite", .units: "Einheiten",
        .metric: "Metrisch", .imperial: "Imperial", .timeZone: "Zeitzone",
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
        .stepNotStarted: "Bereit", .stepIntro: "Erst zuschauen", .stepWork: "Dein Satz",
        .stepEndRangePause: "Am Ende halten", .stepSideSwitch: "Bein wechseln", .stepPainCheck: "Schmerz-Check",
        .stepRest: "Pause", .stepSummary: "Fertig",
        .variantNormal: "Normaler Tag", .variantLight: "Leichter Tag", .variantMobilityOnly: "Nur Mobilität",
        .variantRecovery: "Erholungstag", .variantRest: "Ruhetag", .variantLocked: "Übungen gesperrt",
        .statusPlanned: "Geplant", .statusStarted: "Begonnen", .statusPaused: "Angehalten",
        .statusFinished: "Abgeschlossen", .statusAbandoned: "Vorzeitig beendet",
        .morningGreen: "Grün: los geht's", .morningAmber: "Gelb: locker angehen", .morningRed: "Rot: heute Ruhe",
        .eqWall: "Wand", .eqBand: "Widerstandsband", .eqStep: "Stufe", .eqChair: "Stuhl", .eqBackpack: "Rucksack",
        .eqBall: "Ball", .eqTowel: "Handtuch", .eqFoam: "Faszienrolle", .eqTape: "Maßband",
        .goalDorsiflexion: "Sprunggelenk beugen (Dorsalextension)", .goalSubtalar: "Ein- und Auswärtskippen (subtalar)",
        .goalMidfoot: "Mittelfuß", .goalCalf: "Wade", .goalSoleus: "Schollenmuskel", .goalAchilles: "Achillessehne",
        .goalPlantarFascia: "Fußsohle", .goalHallux: "Großzeh", .goalBalance: "Gleichgewicht",
        .goalStrength: "Kraft",
    ]
}
