// The words of the app's own chrome, English and German. Everything a runner reads about
// drills, plans, reasons, reminders and referrals, the names of the core's enums
// (`Step.label(locale)` …), error messages (`userMessage`) and the session and check-in
// words (`screenWords`) come localized from the core; this table holds the headings and
// buttons the core does not export yet, and forwards to the core's words where it has them.
package app.talus.shell

import app.talus.core.ScreenWords

enum class Key {
    AppName, WelcomeTitle, WelcomeBody, Begin, Next, Back, Done, Save, Cancel, Retry,
    Yes, No, NotSure, QuestionOf, LockedTitle, ClinicianName, ClearanceConfirm, ClearanceHint, Cleared,
    Today, StartSession, Why, Minutes, NothingToday, LevelChanges, FollowUpTitle, FollowUpStart,
    Rep, Hold, Rest, Set, LeftLeg, RightLeg, Pause, Resume, Skip, SkipDrill, SwitchSide, RepDone,
    Quit, QuitConfirm, QuitKeep, Paused, GetReady, SessionDone,
    PainTitle, JustStretch, PainNone, PainModerate, PainWorst, StiffNone, StiffWorst,
    CheckIn, RunCheckIn, Calf, Achilles, Ankle, Pain, Stiffness, Submit, RedFlagsTitle,
    KneeToWall, Measure, Centimetres, ChartTitle, LastResult, FirstResult, Left, Right,
    History, Sessions, Runs, CheckIns, Delete, DeleteConfirm, Edit,
    Settings, Profile, WakeWindow, QuietHours, DailyReminder, None, Equipment, Goals, StartSide, Units,
    Metric, Imperial, TimeZone, Notifications, NotificationsOff, ExactAlarms, ExactAlarmsHint,
    ImportRuns, ImportRunsReason, HealthUnavailable, AddRun, Duration, DistanceKm, LongRun,
    Sync, SyncPickFolder, SyncNow, SyncLast, Devices, ThisDevice, Backup, Restore, RejectedFiles,
    Export, ExportHint, Share,
    AnswerGreen, AnswerAmber, AnswerRed, StartAction, RetestAction,
}

object ShellText {
    fun get(key: Key, locale: String): String =
        (if (locale.startsWith("de")) GERMAN else ENGLISH)[key] ?: ENGLISH[key] ?: key.name

    /** The word for [key]: the core's where it has one (`screenWords`), else this table's. */
    fun get(key: Key, locale: String, core: ScreenWords?): String = core?.let { fromCore(key, it) } ?: get(key, locale)

    private fun fromCore(key: Key, w: ScreenWords): String? = when (key) {
        Key.Pause -> w.pause
        Key.Resume -> w.resume
        Key.RepDone -> w.repDone
        Key.Skip -> w.skipStep
        Key.SkipDrill -> w.skipDrill
        Key.SwitchSide -> w.switchSide
        Key.Quit -> w.stop
        Key.QuitConfirm -> w.confirmStop
        Key.QuitKeep -> w.keepGoing
        Key.JustStretch -> w.justStretch
        Key.Delete -> w.delete
        Key.Save -> w.save
        Key.Pain -> w.pain
        Key.Stiffness -> w.stiffness
        Key.Calf -> w.calf
        Key.Achilles -> w.achilles
        Key.Ankle -> w.ankle
        else -> null
    }

    /** "3 of 20" / "3 von 20". */
    fun counter(number: Int, total: Int, locale: String) = "$number ${get(Key.QuestionOf, locale)} $total"

    /** Every key has both words; a test checks it. */
    fun missing(): List<String> = Key.entries.filter { it !in ENGLISH || it !in GERMAN }.map { it.name }

    private val ENGLISH = mapOf(
        Key.AppName to "Talus", Key.WelcomeTitle to "Ankle mobility for runners",
        Key.WelcomeBody to "Talus guides short drills for stiff ankles and adapts them to your runs and how you feel. It is not a diagnosis. Your data stays on your devices.",
        Key.Begin to "Begin", Key.Next to "Next", Key.Back to "Back", Key.Done to "Done", Key.Save to "Save",
        Key.Cancel to "Cancel", Key.Retry to "Try again",
        Key.Yes to "Yes", Key.No to "No", Key.NotSure to "Not sure", Key.QuestionOf to "of",
        Key.LockedTitle to "Please see a clinician first",
        Key.ClinicianName to "Who cleared you (name or practice)",
        Key.ClearanceConfirm to "A clinician has seen me and cleared me",
        Key.ClearanceHint to "Confirm only after a clinician has examined you.",
        Key.Cleared to "You are cleared. Drills are back.",
        Key.Today to "Today", Key.StartSession to "Start session", Key.Why to "Why",
        Key.Minutes to "min", Key.NothingToday to "No drills today.", Key.LevelChanges to "Level changes",
        Key.FollowUpTitle to "Follow-up questions", Key.FollowUpStart to "Answer the short follow-up questions",
        Key.Rep to "Rep", Key.Hold to "Hold", Key.Rest to "Rest", Key.Set to "Set",
        Key.LeftLeg to "Left leg", Key.RightLeg to "Right leg", Key.Pause to "Pause", Key.Resume to "Resume",
        Key.Skip to "Skip", Key.SkipDrill to "Skip drill", Key.SwitchSide to "Switch leg", Key.RepDone to "Rep done",
        Key.Quit to "Quit", Key.QuitConfirm to "Quit the session? It is saved as stopped early.",
        Key.QuitKeep to "Keep going", Key.Paused to "Paused", Key.GetReady to "Get ready",
        Key.SessionDone to "Session over",
        Key.PainTitle to "Pain during that set?", Key.JustStretch to "Just a stretch, no pain",
        Key.PainNone to "no pain", Key.PainModerate to "moderate", Key.PainWorst to "worst pain imaginable",
        Key.StiffNone to "not stiff", Key.StiffWorst to "as stiff as it gets",
        Key.CheckIn to "Morning check-in", Key.RunCheckIn to "After your long run",
        Key.Calf to "Calf", Key.Achilles to "Achilles", Key.Ankle to "Ankle", Key.Pain to "Pain",
        Key.Stiffness to "Stiffness", Key.Submit to "Send", Key.RedFlagsTitle to "Any of these since yesterday?",
        Key.KneeToWall to "Knee-to-wall", Key.Measure to "Record", Key.Centimetres to "cm",
        Key.ChartTitle to "Both sides over time", Key.LastResult to "Last", Key.FirstResult to "First",
        Key.Left to "Left", Key.Right to "Right",
        Key.History to "History", Key.Sessions to "Sessions", Key.Runs to "Runs", Key.CheckIns to "Check-ins", Key.Delete to "Delete", Key.DeleteConfirm to "Delete this entry? The delete reaches your other devices too.", Key.Edit to "Edit",
        Key.Settings to "Settings", Key.Profile to "Profile", Key.WakeWindow to "Wake window",
        Key.QuietHours to "Quiet hours", Key.DailyReminder to "Daily reminder", Key.None to "None",
        Key.Equipment to "Equipment at hand", Key.Goals to "Goals", Key.StartSide to "Injured or stiffer side",
        Key.Units to "Units", Key.Metric to "Metric", Key.Imperial to "Imperial", Key.TimeZone to "Time zone",
        Key.Notifications to "Notifications", Key.NotificationsOff to "Notifications are off for Talus; reminders cannot be shown.",
        Key.ExactAlarms to "On-the-minute reminders",
        Key.ExactAlarmsHint to "Without this permission Android may deliver a reminder up to 10 minutes late.",
        Key.ImportRuns to "Import runs from Health Connect",
        Key.ImportRunsReason to "Talus reads your running sessions to plan a check-in the morning after a long run.",
        Key.HealthUnavailable to "Health Connect is not available on this phone. You can add runs by hand.",
        Key.AddRun to "Add a run", Key.Duration to "Minutes", Key.DistanceKm to "Distance (km)",
        Key.LongRun to "This was a long run",
        Key.Sync to "Sync", Key.SyncPickFolder to "Choose a folder", Key.SyncNow to "Sync now",
        Key.SyncLast to "Last sync", Key.Devices to "Devices in this profile", Key.ThisDevice to "This phone", Key.Backup to "Back up", Key.Restore to "Restore",
        Key.RejectedFiles to "Skipped files",
        Key.Export to "Export", Key.ExportHint to "CSV and JSON of pain, check-ins, knee-to-wall and runs for a clinician.",
        Key.Share to "Share",
        Key.AnswerGreen to "All good", Key.AnswerAmber to "A bit sore", Key.AnswerRed to "It hurts",
        Key.StartAction to "Start", Key.RetestAction to "Measure",
    )

    private val GERMAN = mapOf(
        Key.AppName to "Talus", Key.WelcomeTitle to "Sprunggelenk-Mobilität für Läufer",
        Key.WelcomeBody to "Talus führt durch kurze Übungen für steife Sprunggelenke und passt sie an deine Läufe und dein Befinden an. Es ist keine Diagnose. Deine Daten bleiben auf deinen Geräten.",
        Key.Begin to "Los geht's", Key.Next to "Weiter", Key.Back to "Zurück", Key.Done to "Fertig", Key.Save to "Sichern",
        Key.Cancel to "Abbrechen", Key.Retry to "Nochmal versuchen",
        Key.Yes to "Ja", Key.No to "Nein", Key.NotSure to "Weiß nicht", Key.QuestionOf to "von",
        Key.LockedTitle to "Bitte zuerst ärztlich abklären",
        Key.ClinicianName to "Wer hat dich freigegeben (Name oder Praxis)",
        Key.ClearanceConfirm to "Eine Ärztin oder ein Arzt hat mich untersucht und freigegeben",
        Key.ClearanceHint to "Bestätige das erst nach einer Untersuchung.",
        Key.Cleared to "Du bist freigegeben. Die Übungen sind wieder da.",
        Key.Today to "Heute", Key.StartSession to "Einheit starten", Key.Why to "Warum",
        Key.Minutes to "Min.", Key.NothingToday to "Heute keine Übungen.", Key.LevelChanges to "Stufenwechsel",
        Key.FollowUpTitle to "Nachfragen", Key.FollowUpStart to "Kurze Nachfragen beantworten",
        Key.Rep to "Wdh.", Key.Hold to "Halten", Key.Rest to "Pause", Key.Set to "Satz",
        Key.LeftLeg to "Linkes Bein", Key.RightLeg to "Rechtes Bein", Key.Pause to "Anhalten", Key.Resume to "Weiter",
        Key.Skip to "Überspringen", Key.SkipDrill to "Übung überspringen", Key.SwitchSide to "Bein wechseln",
        Key.RepDone to "Wiederholung fertig", Key.Quit to "Beenden",
        Key.QuitConfirm to "Einheit beenden? Sie wird als vorzeitig beendet gespeichert.",
        Key.QuitKeep to "Weitermachen", Key.Paused to "Angehalten", Key.GetReady to "Bereit machen",
        Key.SessionDone to "Einheit beendet",
        Key.PainTitle to "Schmerzen in diesem Satz?", Key.JustStretch to "Nur Dehnung, kein Schmerz",
        Key.PainNone to "kein Schmerz", Key.PainModerate to "mittel", Key.PainWorst to "stärkster vorstellbarer Schmerz",
        Key.StiffNone to "nicht steif", Key.StiffWorst to "so steif wie nur möglich",
        Key.CheckIn to "Morgen-Check-in", Key.RunCheckIn to "Nach deinem langen Lauf",
        Key.Calf to "Wade", Key.Achilles to "Achillessehne", Key.Ankle to "Sprunggelenk", Key.Pain to "Schmerz",
        Key.Stiffness to "Steifigkeit", Key.Submit to "Senden", Key.RedFlagsTitle to "Trifft seit gestern etwas davon zu?",
        Key.KneeToWall to "Knie-zur-Wand", Key.Measure to "Eintragen", Key.Centimetres to "cm",
        Key.ChartTitle to "Beide Seiten im Verlauf", Key.LastResult to "Zuletzt", Key.FirstResult to "Erstes",
        Key.Left to "Links", Key.Right to "Rechts",
        Key.History to "Verlauf", Key.Sessions to "Einheiten", Key.Runs to "Läufe", Key.CheckIns to "Check-ins", Key.Delete to "Löschen", Key.DeleteConfirm to "Diesen Eintrag löschen? Das Löschen erreicht auch deine anderen Geräte.", Key.Edit to "Bearbeiten",
        Key.Settings to "Einstellungen", Key.Profile to "Profil", Key.WakeWindow to "Wachzeit",
        Key.QuietHours to "Ruhezeit", Key.DailyReminder to "Tägliche Erinnerung", Key.None to "Keine",
        Key.Equipment to "Vorhandene Hilfsmittel", Key.Goals to "Ziele", Key.StartSide to "Verletzte oder steifere Seite",
        Key.Units to "Einheiten", Key.Metric to "Metrisch", Key.Imperial to "Imperial", Key.TimeZone to "Zeitzone",
        Key.Notifications to "Mitteilungen", Key.NotificationsOff to "Mitteilungen sind für Talus aus; Erinnerungen können nicht erscheinen.",
        Key.ExactAlarms to "Minutengenaue Erinnerungen",
        Key.ExactAlarmsHint to "Ohne diese Erlaubnis kann Android eine Erinnerung bis zu 10 Minuten später zeigen.",
        Key.ImportRuns to "Läufe aus Health Connect übernehmen",
        Key.ImportRunsReason to "Talus liest deine Laufeinheiten, um am Morgen nach einem langen Lauf nachzufragen.",
        Key.HealthUnavailable to "Health Connect gibt es auf diesem Telefon nicht. Du kannst Läufe von Hand eintragen.",
        Key.AddRun to "Lauf eintragen", Key.Duration to "Minuten", Key.DistanceKm to "Strecke (km)",
        Key.LongRun to "Das war ein langer Lauf",
        Key.Sync to "Abgleich", Key.SyncPickFolder to "Ordner wählen", Key.SyncNow to "Jetzt abgleichen",
        Key.SyncLast to "Letzter Abgleich", Key.Devices to "Geräte in diesem Profil", Key.ThisDevice to "Dieses Telefon", Key.Backup to "Sichern", Key.Restore to "Wiederherstellen",
        Key.RejectedFiles to "Übersprungene Dateien",
        Key.Export to "Export", Key.ExportHint to "CSV und JSON mit Schmerz, Check-ins, Knie-zur-Wand und Läufen für die Praxis.",
        Key.Share to "Teilen",
        Key.AnswerGreen to "Alles gut", Key.AnswerAmber to "Etwas gereizt", Key.AnswerRed to "Es schmerzt",
        Key.StartAction to "Starten", Key.RetestAction to "Messen",
    )
}
