//! The words a shell shows that are not part of a record: labels of every closed set (steps,
//! day variants, statuses, drill kinds, targets, equipment, sides…), buttons, the pain-scale
//! anchors, check-in regions and error messages meant for people, in English and German.
//! Keys are `group.wire_name` (the snake_case names the API's enums carry). Shells never
//! keep their own copies: one table, checked complete for every locale by the tests below.

/// `(key, English, German)`.
const TABLE: &[(&str, &str, &str)] = &[
    // Guided-session steps.
    ("step.not_started", "Ready", "Bereit"),
    ("step.intro", "Watch the demo", "Demo ansehen"),
    ("step.work", "Work", "Üben"),
    ("step.end_range_pause", "Hold at end range", "Endposition halten"),
    ("step.side_switch", "Switch sides", "Seitenwechsel"),
    ("step.pain_check", "How did that feel?", "Wie hat sich das angefühlt?"),
    ("step.rest", "Rest", "Pause"),
    ("step.summary", "Done", "Fertig"),
    // Kinds of day.
    ("variant.normal", "Normal day", "Normaler Tag"),
    ("variant.light", "Light day", "Leichter Tag"),
    ("variant.mobility_only", "Mobility only", "Nur Mobilität"),
    ("variant.recovery", "Recovery day", "Erholungstag"),
    ("variant.rest", "Rest day", "Ruhetag"),
    ("variant.locked", "Drills locked", "Übungen gesperrt"),
    ("variant.paused", "Drills paused after severe pain", "Übungen pausiert nach starkem Schmerz"),
    ("variant.screening_needed", "Safety questions first", "Zuerst die Sicherheitsfragen"),
    // How a session ended.
    ("outcome.finished", "Finished", "Abgeschlossen"),
    ("outcome.stopped_early", "Stopped early", "Vorzeitig beendet"),
    ("outcome.ended_for_pain", "Ended for pain", "Wegen Schmerz beendet"),
    ("outcome.ended_for_red_flag", "Ended for a warning sign", "Wegen eines Warnzeichens beendet"),
    // Screening answers.
    ("answer.yes", "Yes", "Ja"),
    ("answer.no", "No", "Nein"),
    ("answer.not_sure", "Not sure", "Weiß nicht"),
    // Safety state.
    ("safety.clear", "No warning signs", "Keine Warnzeichen"),
    ("safety.locked", "Locked until a clinician clears you", "Gesperrt bis zur Freigabe"),
    ("safety.paused", "Paused after severe pain", "Pausiert nach starkem Schmerz"),
    ("safety.cleared", "Cleared by a clinician", "Von einer Fachperson freigegeben"),
    // Where a red-flag answer was given.
    ("flag_source.screening", "Safety screening", "Sicherheitsfragen"),
    ("flag_source.morning_check_in", "Morning check-in", "Morgen-Check-in"),
    ("flag_source.post_run_check_in", "Check-in after a run", "Check-in nach dem Lauf"),
    ("flag_source.session", "During a session", "Während einer Einheit"),
    ("flag_source.follow_up", "Follow-up check", "Nachcheck"),
    // Level decisions.
    ("change.progress", "Step up", "Steigerung"),
    ("change.regress", "Step down", "Zurückgestuft"),
    ("change.hold", "Unchanged", "Unverändert"),
    // Session status.
    ("status.planned", "Planned", "Geplant"),
    ("status.started", "In progress", "Läuft"),
    ("status.paused", "Paused", "Pausiert"),
    ("status.finished", "Finished", "Abgeschlossen"),
    ("status.abandoned", "Stopped early", "Vorzeitig beendet"),
    // Morning traffic light.
    ("morning.green", "Green: train as planned", "Grün: wie geplant üben"),
    ("morning.amber", "Amber: a lighter day", "Gelb: ein leichterer Tag"),
    ("morning.red", "Red: mobility only", "Rot: nur Mobilität"),
    // Drill kinds and pain policies.
    ("kind.dynamic_mobility", "Dynamic mobility", "Dynamische Mobilität"),
    ("kind.joint_mobilisation", "Joint mobilisation", "Gelenkmobilisation"),
    ("kind.static_stretch", "Static stretch", "Statische Dehnung"),
    ("kind.soft_tissue", "Soft tissue", "Weichteilbehandlung"),
    ("kind.strength", "Strength", "Kraft"),
    ("kind.balance", "Balance", "Gleichgewicht"),
    ("pain_policy.pain_free", "Must stay pain-free", "Muss schmerzfrei bleiben"),
    ("pain_policy.monitored", "Mild pain (up to 5/10) is acceptable", "Leichter Schmerz (bis 5/10) ist in Ordnung"),
    // Clip segments.
    ("segment.intro", "Introduction", "Einführung"),
    ("segment.demo", "Demonstration", "Vorführung"),
    ("segment.rep_loop", "Follow along", "Mitmachen"),
    ("segment.common_mistake", "Common mistake", "Häufiger Fehler"),
    // Targets.
    ("target.dorsiflexion", "Ankle bend (dorsiflexion)", "Sprunggelenksbeugung (Dorsalextension)"),
    ("target.subtalar", "Heel in and out (subtalar)", "Ferse ein und aus (Subtalargelenk)"),
    ("target.midfoot", "Midfoot", "Mittelfuß"),
    ("target.calf", "Calf", "Wade"),
    ("target.soleus", "Soleus", "Schollenmuskel"),
    ("target.achilles", "Achilles tendon", "Achillessehne"),
    ("target.plantar_fascia", "Sole of the foot", "Fußsohle"),
    ("target.hallux", "Big toe", "Großzehe"),
    ("target.balance", "Balance", "Gleichgewicht"),
    ("target.strength", "Strength", "Kraft"),
    // Equipment.
    ("equipment.wall", "Wall", "Wand"),
    ("equipment.band", "Elastic band", "Gummiband"),
    ("equipment.step", "Step or stair", "Stufe"),
    ("equipment.chair", "Chair", "Stuhl"),
    ("equipment.backpack", "Loaded backpack", "Beladener Rucksack"),
    ("equipment.ball", "Massage ball", "Massageball"),
    ("equipment.towel", "Towel", "Handtuch"),
    ("equipment.foam", "Foam roller", "Faszienrolle"),
    ("equipment.tape", "Tape", "Tape"),
    // Sides.
    ("side.left", "Left leg", "Linkes Bein"),
    ("side.right", "Right leg", "Rechtes Bein"),
    ("side.both", "Both feet", "Beide Füße"),
    // Reminders and run imports.
    ("reminder.checkin", "Check-in after a long run", "Check-in nach einem langen Lauf"),
    ("reminder.reask", "Follow-up check-in", "Nachfrage"),
    ("reminder.daily", "Daily drills", "Tägliche Übungen"),
    ("reminder.rom", "Knee-to-wall retest", "Knie-zur-Wand-Test"),
    ("run_outcome.inserted", "Added", "Hinzugefügt"),
    ("run_outcome.updated", "Updated", "Aktualisiert"),
    ("run_outcome.unchanged", "Already there", "Schon vorhanden"),
    // Buttons.
    ("button.start", "Start", "Starten"),
    ("button.pause", "Pause", "Pausieren"),
    ("button.resume", "Resume", "Weiter"),
    ("button.rep_done", "Rep done", "Wiederholung geschafft"),
    ("button.skip_step", "Skip", "Überspringen"),
    ("button.skip_drill", "Next drill", "Nächste Übung"),
    ("button.switch_side", "Switch sides now", "Jetzt Seite wechseln"),
    ("button.stop", "Quit session", "Einheit beenden"),
    ("button.confirm_stop", "Quit and keep it as stopped early", "Beenden und als vorzeitig beendet speichern"),
    ("button.keep_going", "Keep going", "Weitermachen"),
    ("button.just_stretch", "Just a stretch, no pain", "Nur Dehnung, kein Schmerz"),
    ("button.delete", "Delete", "Löschen"),
    ("button.save", "Save", "Speichern"),
    // Pain scale anchors, 0–10.
    ("pain.0", "No pain", "Kein Schmerz"),
    ("pain.1", "Barely noticeable", "Kaum spürbar"),
    ("pain.2", "Mild", "Leicht"),
    ("pain.3", "Mild, noticeable", "Leicht, deutlich spürbar"),
    ("pain.4", "Moderate", "Mäßig"),
    ("pain.5", "Moderate, distracting", "Mäßig, lenkt ab"),
    ("pain.6", "Fairly strong", "Ziemlich stark"),
    ("pain.7", "Strong", "Stark"),
    ("pain.8", "Very strong", "Sehr stark"),
    ("pain.9", "Severe", "Heftig"),
    ("pain.10", "Worst imaginable", "Schlimmster vorstellbarer Schmerz"),
    // Check-in.
    ("region.calf", "Calf", "Wade"),
    ("region.achilles", "Achilles", "Achillessehne"),
    ("region.ankle", "Ankle", "Sprunggelenk"),
    ("checkin.pain", "Pain", "Schmerz"),
    ("checkin.stiffness", "Stiffness", "Steifigkeit"),
    // Errors meant for people, by stable error code.
    ("error.invalid_input", "That value is not possible here. Please check it and try again.", "Dieser Wert ist hier nicht möglich. Bitte prüfen und erneut versuchen."),
    ("error.not_found", "This entry no longer exists; it may have been deleted on another device.", "Dieser Eintrag existiert nicht mehr; vielleicht wurde er auf einem anderen Gerät gelöscht."),
    ("error.conflict", "That does not fit what is stored right now. Please refresh and try again.", "Das passt nicht zum aktuellen Stand. Bitte aktualisieren und erneut versuchen."),
    ("error.locked", "Drills are locked until a clinician has checked what you reported.", "Die Übungen sind gesperrt, bis eine Ärztin oder ein Physiotherapeut das Gemeldete abgeklärt hat."),
    ("error.paused", "Drills are paused after severe pain until the short follow-up check.", "Die Übungen pausieren nach starkem Schmerz bis zum kurzen Nachcheck."),
    ("error.screening_needed", "Before the first drill, please answer the safety questions.", "Vor der ersten Übung beantworte bitte die Sicherheitsfragen."),
    ("error.busy", "Talus is busy saving elsewhere. Please try again in a moment.", "Talus speichert gerade an anderer Stelle. Bitte gleich noch einmal versuchen."),
    ("error.storage", "Your data could not be saved (is the storage full?). Nothing was changed.", "Die Daten konnten nicht gespeichert werden (ist der Speicher voll?). Nichts wurde verändert."),
    ("error.incompatible_version", "This data comes from a newer Talus. Please update the app.", "Diese Daten stammen aus einer neueren Talus-Version. Bitte die App aktualisieren."),
    ("error.corrupt", "A file is damaged and was skipped. You can restore from a backup.", "Eine Datei ist beschädigt und wurde übersprungen. Du kannst aus einer Sicherung wiederherstellen."),
    ("error.sync", "Syncing did not finish. Your data here is safe; try again later.", "Die Synchronisierung wurde nicht abgeschlossen. Deine Daten hier sind sicher; später erneut versuchen."),
    ("error.unexpected", "Something went wrong inside Talus. Please report it.", "In Talus ist etwas schiefgegangen. Bitte melde es."),
    // Causes whose kind's sentence would mislead (`cause.` + the error's `cause_code`);
    // every other cause uses its kind's sentence above.
    ("cause.rest_day", "Today is a rest day: there are no drills to start. Recovery is part of the plan.", "Heute ist ein Ruhetag: Es gibt keine Übungen zu starten. Erholung gehört zum Plan."),
    ("cause.session_open", "A session is still open. Resume it or discard it first.", "Eine Einheit ist noch offen. Setze sie fort oder verwirf sie zuerst."),
    ("cause.in_future", "That time lies in the future. Please check the date and time.", "Diese Zeit liegt in der Zukunft. Bitte Datum und Uhrzeit prüfen."),
    ("cause.implausible_run", "That does not look like a possible run. Please check its distance and duration.", "Das sieht nicht nach einem möglichen Lauf aus. Bitte Distanz und Dauer prüfen."),
    ("cause.disk_full", "Your device's storage is full. Free some space and try again; nothing was changed.", "Der Speicher des Geräts ist voll. Bitte Platz schaffen und erneut versuchen; nichts wurde verändert."),
    ("cause.bad_snapshot", "Your paused session could not be restored. Start today's session again; your history is kept.", "Die pausierte Einheit konnte nicht wiederhergestellt werden. Starte die heutige Einheit neu; dein Verlauf bleibt erhalten."),
    ("cause.bad_catalog", "The drill texts or videos could not be read. Please update or reinstall Talus.", "Die Texte oder Videos der Übungen konnten nicht gelesen werden. Bitte Talus aktualisieren oder neu installieren."),
];

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

/// [`TABLE`] packed at compile time: every row's key, English and German text one after
/// the other in one string, and where each of the three ends. `TABLE` itself is read only
/// here, by the compiler (and by the tests), so the library holds three 16-bit offsets a row
/// instead of three pointer-and-length pairs (48 bytes a row, each pointer with its
/// relocation): ≈ 5 KB less in the phone library (issue 21, BENCHMARKS.md "Size").
static PACKED: &str = match std::str::from_utf8(&PACKED_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("the packed text table is not UTF-8"),
};
const PACKED_BYTES: [u8; packed_len(TABLE)] = pack_bytes(TABLE);
static ENDS: [[u16; 3]; TABLE.len()] = pack_ends(TABLE);

const fn packed_len(table: &[(&str, &str, &str)]) -> usize {
    let mut len = 0;
    let mut row = 0;
    while row < table.len() {
        len += table[row].0.len() + table[row].1.len() + table[row].2.len();
        row += 1;
    }
    len
}

const fn pack_bytes<const N: usize>(table: &[(&str, &str, &str)]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut row = 0;
    while row < table.len() {
        let parts = [
            table[row].0.as_bytes(),
            table[row].1.as_bytes(),
            table[row].2.as_bytes(),
        ];
        let mut part = 0;
        while part < parts.len() {
            let mut i = 0;
            while i < parts[part].len() {
                out[at] = parts[part][i];
                at += 1;
                i += 1;
            }
            part += 1;
        }
        row += 1;
    }
    out
}

const fn pack_ends<const R: usize>(table: &[(&str, &str, &str)]) -> [[u16; 3]; R] {
    assert!(
        packed_len(table) <= u16::MAX as usize,
        "text table too long for 16-bit offsets"
    );
    let mut ends = [[0u16; 3]; R];
    let mut at = 0;
    let mut row = 0;
    while row < table.len() {
        at += table[row].0.len();
        ends[row][0] = at as u16;
        at += table[row].1.len();
        ends[row][1] = at as u16;
        at += table[row].2.len();
        ends[row][2] = at as u16;
        row += 1;
    }
    ends
}

/// Row `index` of the packed table as `(key, English, German)`.
fn row(index: usize) -> Option<(&'static str, &'static str, &'static str)> {
    let [key_end, en_end, de_end] = ENDS.get(index)?.map(usize::from);
    let start = match index.checked_sub(1) {
        Some(previous) => usize::from(ENDS.get(previous)?[2]),
        None => 0,
    };
    Some((
        PACKED.get(start..key_end)?,
        PACKED.get(key_end..en_end)?,
        PACKED.get(en_end..de_end)?,
    ))
}

fn rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    (0..ENDS.len()).map_while(row)
}

/// The text for `key` in `locale` (German for `de`, `de-AT`…; English otherwise), or
/// `None` when the key is unknown.
pub fn get(key: &str, locale: &str) -> Option<&'static str> {
    rows()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, de)| if german(locale) { de } else { en })
}

/// Every key of the table.
pub fn keys() -> impl Iterator<Item = &'static str> {
    rows().map(|(k, _, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_has_english_and_german_text() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, de) in TABLE {
            assert!(seen.insert(key), "{key} twice");
            assert!(!en.trim().is_empty(), "{key}: no English");
            assert!(!de.trim().is_empty(), "{key}: no German");
        }
        // Most labels differ between the languages; identical ones are listed on purpose.
        let same: Vec<&str> = TABLE
            .iter()
            .filter(|(_, en, de)| en == de)
            .map(|(k, _, _)| *k)
            .collect();
        assert_eq!(same, ["equipment.tape"], "German text left in English?");
    }

    #[test]
    fn the_packed_table_holds_every_row_exactly() {
        let packed: Vec<_> = rows().collect();
        assert_eq!(packed, TABLE);
        for (key, en, de) in TABLE {
            assert_eq!(get(key, "en"), Some(*en));
            assert_eq!(get(key, "de-CH"), Some(*de));
        }
    }

    #[test]
    fn locales_resolve_with_english_fallback() {
        assert_eq!(get("step.rest", "de-AT"), Some("Pause"));
        assert_eq!(get("step.rest", "fr"), Some("Rest"));
        assert_eq!(get("step.nap", "en"), None);
        assert!(keys().count() > 100);
    }
}
