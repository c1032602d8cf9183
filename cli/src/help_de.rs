//! The command line's help in German (`--locale de`, or a profile set to German): every
//! command's description and every option's help, the section headings and the exit codes.
//! The English text stays in the doc comments of `main.rs` and the argument structs; this
//! table follows them (a test fails when a command or option has no German text).

use clap::Command;

/// Exit codes as `--help` shows them in German.
pub const EXIT_CODES: &str = "\
Rückgabewerte:
  0  erledigt
  1  ein Wert wurde abgelehnt, etwas nicht gefunden, oder es widerspricht dem Gespeicherten
  2  die Befehlszeile ist falsch (unbekannter Befehl oder Option, Wert außerhalb des Bereichs)
  3  Übungen gesperrt oder pausiert (ein Warnzeichen, ein Schmerz-Stopp vor dem Nachcheck
     `talus follow-up`, oder noch kein Sicherheits-Check)
  4  das Profil lässt sich nicht öffnen oder schreiben
  5  eine Datei ist beschädigt (Datenbank, Sync- oder Sicherungsdatei)";

/// German descriptions of the commands, by path below `talus` ("" is `talus` itself).
const COMMANDS: &[(&str, &str)] = &[
    ("", "Sprunggelenk-Coach für Läuferinnen und Läufer: die Übungen von heute, angeleitete Einheiten, Check-ins und Fortschritt"),
    ("demo", "Ein Demo-Profil mit acht Wochen Verlauf anlegen und durch die App führen."),
    ("setup", "Erster Start: Begrüßung, Sicherheitsfragen, dann Zeitzone, Aufwachzeit, Ruhezeit, Erinnerung, Ausrüstung, Ziele, verletztes Bein und Startseite (im Terminal gefragt oder als Optionen angegeben)."),
    ("settings", "Deine Einstellungen zeigen, oder die als Optionen angegebenen ändern."),
    ("screen", "Die Sicherheitsfragen beantworten: ja, nein oder unsicher (oder --all-no für Skripte)."),
    ("clear", "Nach einem Warnzeichen: bestätigen, dass dich eine Fachperson gesehen und freigegeben hat."),
    ("follow-up", "Nach einer Einheit, die wegen starker Schmerzen endete: der kurze Nachcheck, nach dem die Übungen weitergehen (im Terminal gefragt, oder --all-no / --yes ID für Skripte)."),
    ("today", "Der Plan für heute, mit dem Grund für jede Wahl."),
    ("session", "Die heutige Einheit angeleitet durchgehen."),
    ("checkin", "Morgen-Check-in: Schmerz und Steifigkeit von Wade, Achillessehne und Sprunggelenk, 0–10. Fragt im Terminal; Skripte geben alle sechs Werte an."),
    ("checkins", "Deine Check-ins, neueste zuerst, mit ihren Kurz-IDs."),
    ("run", "Läufe: einen eintragen, auflisten oder eine Datei importieren."),
    ("run add", "Einen Lauf eintragen."),
    ("run list", "Die Läufe der letzten N Tage."),
    ("run import", "Läufe importieren: GPX oder TCX (Strava, Garmin Connect), FIT (Garmin), export.xml von Apple Health oder CSV (`start,minutes,km,tags` je Zeile, Start als Ortszeit 2026-11-22T08:00 oder RFC 3339, Tags mit `;` getrennt). Nur Läufe werden übernommen; dieselbe Datei nochmals importieren ändert nichts."),
    ("rom", "Knie-zur-Wand-Ergebnisse."),
    ("rom add", "Ein Knie-zur-Wand-Ergebnis speichern (Abstand Zehe–Wand in cm, Mittel aus drei Versuchen)."),
    ("rom list", "Alle Ergebnisse mit Datum und Kurz-ID."),
    ("rom show", "Die Verläufe beider Seiten als Diagramm."),
    ("history", "Die letzten Einheiten."),
    ("delete", "Eine Einheit, einen Lauf, ein Knie-zur-Wand-Ergebnis oder einen Check-in löschen (über die Kurz-ID aus den Listen)."),
    ("drills", "Die Übungen auflisten, Kette für Kette."),
    ("drill", "Eine Übung zeigen."),
    ("clips", "Übungsclips: ein Kontaktbogen zur Durchsicht."),
    ("clips sheet", "Ein PNG mit dem Titelbild und einem Bild aus der Wiederholung jedes Clips schreiben, aus den Bewegungsdaten gezeichnet (kein gerendertes Paket nötig)."),
    ("sync", "Mit einem anderen Profilordner auf diesem Rechner abgleichen, oder über einen geteilten Ordner."),
    ("reminders", "Die Erinnerungen der nächsten sieben Tage, in deiner Ortszeit."),
    ("export", "Einen Export für deine Ärztin oder deinen Physio schreiben (CSV-Dateien und export.json) über die letzten N Tage."),
    ("backup", "Eine vollständige Sicherung in einen Ordner schreiben."),
    ("restore", "Eine Sicherung in dieses Profil zurückspielen (mit dem Vorhandenen zusammengeführt)."),
    ("help", "Diese Hilfe zeigen, oder die des genannten Befehls."),
];

/// German help of the options, by `command path:option id`, or by option id alone where
/// it means the same in every command.
const OPTIONS: &[(&str, &str)] = &[
    ("profile", "Profilordner (Standard: $TALUS_HOME, sonst dein Datenordner). Wird angelegt, wenn er fehlt."),
    ("locale", "Sprache für Übungstexte und Meldungen: en oder de (vom Profil gemerkt)."),
    ("zone", "Deine Zeitzone als IANA-Name (z. B. Europe/Berlin), vom Profil gemerkt; ein neues Profil beginnt mit der des Systems."),
    ("no_red_flags", "Bei einem neuen Profil jede Sicherheitsfrage ohne Nachfrage mit „nein“ beantworten (für Skripte)."),
    ("json", "Ergebnisse lesender Befehle als JSON ausgeben (für Skripte)."),
    ("help", "Hilfe zeigen."),
    ("version", "Version zeigen."),
    ("screen:all_no", "Jede Frage mit „nein“ beantworten."),
    ("follow-up:all_no", "Jede Frage mit „nein“ beantworten (für Skripte, wenn keine zutrifft)."),
    ("follow-up:yes", "Eine mit „ja“ beantwortete Frage, über ihre ID (--list zeigt sie); für mehrere wiederholen. Jede nicht mit --yes oder --not-sure genannte Frage zählt als „nein“."),
    ("follow-up:not_sure", "Eine mit „unsicher“ beantwortete Frage, über ihre ID; für mehrere wiederholen."),
    ("follow-up:list", "Die Fragen mit ihren IDs auflisten und sonst nichts tun."),
    ("session:auto", "Schmerzabfragen aus dieser Liste beantworten statt zu fragen, eine je Seite jedes Satzes (z. B. 1,1,s,2; `s` heißt „nur Dehnung, kein Schmerz“), und die Schritte von selbst durchlaufen; eine Zeile je Schritt."),
    ("history:limit", "Wie viele Einheiten zeigen (1–1000)."),
    ("delete:kind", "Was gelöscht wird: session (eine Einheit mit ihren Sätzen, `talus history`), run (ein Lauf, `talus run list`), rom (ein Knie-zur-Wand-Ergebnis, `talus rom list`) oder checkin (ein Morgen-Check-in, `talus checkins`)."),
    ("delete:id", "Seine ID: die Kurz-ID aus `talus history`, `run list`, `rom list` oder `checkins`."),
    ("delete:yes", "Ohne Nachfrage löschen (für Skripte)."),
    ("drill:id", "Die ID der Übung, wie `talus drills` sie auflistet (z. B. banded_df_mob)."),
    ("drill:play", "Den Vorführclip der Übung im Systemplayer öffnen (oder seinen Pfad zeigen). Das Paket kommt aus $TALUS_CLIPS_DIR oder build/clips (scripts/render-clips.sh)."),
    ("sync:with", "Ein anderer Profilordner (z. B. der des Tablets): beide haben danach denselben Verlauf."),
    ("sync:folder", "Ein vorhandener Ordner, den alle deine Geräte sehen (z. B. in einem Cloud-Speicher)."),
    ("out", "Ordner, in den geschrieben wird (angelegt, wenn der Ordner darüber existiert)."),
    ("days", "Wie viele Tage zurück (1–3650)."),
    ("restore:from", "Der Sicherungsordner."),
    ("run add:start", "Startzeit in Ortszeit, z. B. 2026-11-22T08:00."),
    ("run add:minutes", "Dauer in ganzen Minuten (1–1440)."),
    ("run add:km", "Strecke in km (z. B. 8.5)."),
    ("run add:long", "Als langen Lauf markieren."),
    ("run import:file", "Die zu lesende Datei (.gpx, .tcx, .fit, export.xml, .csv)."),
    ("run import:assume_run", "Aktivitäten, für die die Datei keine Sportart nennt, als Läufe importieren (nur Läufe werden importiert)."),
    ("clips sheet:out", "Die PNG-Datei, die geschrieben wird."),
    ("clips sheet:tile", "Größe jedes Bildes in Pixeln (64–720)."),
    ("rom add:side", "Welches Bein: left oder right (l, r)."),
    ("rom add:cm", "Abstand Zehe–Wand in cm (0–30, z. B. 9.5)."),
    ("rom add:at", "Wann gemessen wurde, Ortszeit (z. B. 2026-11-22T08:00); Standard: jetzt."),
    ("rom show:png", "Das Diagramm zusätzlich als PNG-Bild in diese Datei schreiben."),
    ("home_zone", "Heimat-Zeitzone als IANA-Name (z. B. Europe/Berlin)."),
    ("wake", "Aufwachzeit für die Erinnerung an den Morgen-Check-in, z. B. 06:00-10:00."),
    ("quiet", "Ruhezeit ohne Erinnerungen, z. B. 22:00-07:00."),
    ("reminder", "Uhrzeit der täglichen Übungserinnerung (z. B. 18:30), oder `off`."),
    ("equipment", "Ausrüstung zur Hand, mit Kommas getrennt (z. B. wall,band,step), oder `none`."),
    ("goals", "Ziele, mit Kommas getrennt (z. B. dorsiflexion,calf), oder `none`."),
    ("injured_side", "Das verletzte Bein, falls eines verletzt war: left, right oder none."),
    ("start_side", "Mit welchem Bein jede Übung beginnt: left, right oder either."),
    ("units", "Einheiten: metric oder imperial."),
    ("clear:confirmed", "Bestätigen, dass dich eine Fachperson gesehen und fürs Training freigegeben hat (für Skripte)."),
    ("clear:by", "Wer dich freigegeben hat (Name oder Funktion, z. B. „Dr. Weber“ oder „Vereinsphysio“)."),
    ("clear:seen_on", "Der Tag, an dem dich die Fachperson gesehen hat, JJJJ-MM-TT (Standard: heute)."),
    ("checkin:pain_calf", "Wadenschmerz jetzt, 0 (keiner) bis 10 (schlimmster vorstellbar)."),
    ("checkin:pain_achilles", "Schmerz der Achillessehne jetzt, 0–10."),
    ("checkin:pain_ankle", "Schmerz im Sprunggelenk jetzt, 0–10."),
    ("checkin:stiffness_calf", "Steifigkeit der Wade heute Morgen, 0 (keine) bis 10 (nicht bewegbar)."),
    ("checkin:stiffness_achilles", "Steifigkeit der Achillessehne, 0–10."),
    ("checkin:stiffness_ankle", "Steifigkeit des Sprunggelenks, 0–10."),
    ("checkin:again", "Diesen Check-in speichern, auch wenn es heute Morgen schon einen gibt (der neueste zählt)."),
    ("checkin:red_flags", "Ein Warnzeichen, das seit dem Sicherheits-Check neu ist, über die Frage-ID (siehe `talus screen`); für mehrere wiederholen. Es sperrt die Übungen."),
];

/// clap's own phrases in its error messages, in German (the rest of such a message is the
/// user's input, a flag name, or our own text, already German).
const ERROR_PHRASES: &[(&str, &str)] = &[
    ("error: ", "Fehler: "),
    ("unrecognized subcommand", "unbekannter Befehl"),
    ("unexpected argument", "unerwartetes Argument"),
    ("' found", "' gefunden"),
    (
        "tip: a similar subcommand exists:",
        "Tipp: ein ähnlicher Befehl existiert:",
    ),
    (
        "tip: some similar subcommands exist:",
        "Tipp: ähnliche Befehle existieren:",
    ),
    (
        "tip: a similar argument exists:",
        "Tipp: eine ähnliche Option existiert:",
    ),
    (
        "tip: some similar arguments exist:",
        "Tipp: ähnliche Optionen existieren:",
    ),
    ("tip: ", "Tipp: "),
    ("invalid value", "ungültiger Wert"),
    (" for '", " für '"),
    (
        "the following required arguments were not provided:",
        "diese Angaben fehlen:",
    ),
    ("a value is required for", "ein Wert fehlt für"),
    ("but none was supplied", "aber keiner wurde angegeben"),
    ("[possible values:", "[mögliche Werte:"),
    ("cannot be used with", "geht nicht zusammen mit"),
    ("cannot be used multiple times", "darf nur einmal vorkommen"),
    (
        "requires a subcommand but one was not provided",
        "braucht einen Befehl, aber keiner wurde angegeben",
    ),
    ("subcommands:", "Befehle:"),
    ("Usage:", "Aufruf:"),
    (
        "For more information, try '--help'.",
        "Mehr dazu: '--help'.",
    ),
];

/// A rendered clap error with clap's phrases in German.
pub fn error_text(rendered: &str) -> String {
    ERROR_PHRASES
        .iter()
        .fold(rendered.to_owned(), |text, (en, de)| text.replace(en, de))
}

fn command_text(path: &str) -> Option<&'static str> {
    COMMANDS.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

fn option_text(path: &str, id: &str) -> Option<&'static str> {
    let scoped = format!("{path}:{id}");
    OPTIONS
        .iter()
        .find(|(k, _)| *k == scoped)
        .or_else(|| OPTIONS.iter().find(|(k, _)| *k == id))
        .map(|(_, t)| *t)
}

/// The help layout with German headings, with only the sections this command has.
fn template(cmd: &Command) -> String {
    let mut t = String::from("{about-with-newline}\nAufruf: {usage}\n");
    if cmd.get_subcommands().next().is_some() {
        t.push_str("\nBefehle:\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("\nArgumente:\n{positionals}\n");
    }
    t.push_str("\nOptionen:\n{options}{after-help}");
    t
}

fn localize_at(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = command_text(path) {
        cmd = cmd.about(about).long_about(None);
    }
    if path.is_empty() {
        cmd = cmd.after_help(EXIT_CODES);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        if let Some(text) = option_text(path, &id) {
            // The allowed values are named in the German text itself.
            cmd = cmd.mut_arg(id.as_str(), |a| {
                a.help(text).long_help(None).hide_possible_values(true)
            });
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        if name == "help" {
            // clap's own help command: its description only (its entries mirror the others).
            cmd = cmd.mut_subcommand("help", |s| s.about(command_text("help")));
            continue;
        }
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize_at(s, &sub_path));
    }
    let layout = template(&cmd);
    cmd.help_template(layout)
}

/// The command line with its help in German. The command is built first, so clap's own
/// help and version flags and help command exist and get German text too.
pub fn localize(mut cmd: Command) -> Command {
    cmd.build();
    localize_at(cmd, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
        if command_text(path).is_none() {
            missing.push(format!("command {path:?}"));
        }
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if option_text(path, id).is_none() {
                missing.push(format!("option {path}:{id}"));
            }
        }
        for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub = if path.is_empty() {
                s.get_name().to_owned()
            } else {
                format!("{path} {}", s.get_name())
            };
            walk(s, &sub, missing);
        }
    }

    #[test]
    fn every_command_and_option_has_german_help() {
        let mut missing = Vec::new();
        walk(&localize(crate::command()), "", &mut missing);
        assert!(missing.is_empty(), "no German text for: {missing:?}");
    }
}
