//! The safety and reminder sentences (key, English, German): data only, read by
//! `build.rs`, which packs and deflates them for `text::SENTENCES` (ADR 0030), and by the
//! tests. The library itself never compiles this file. `{key}` marks where the number `key`
//! goes. Keys: `question.<id>` (the screening questions), `follow_up.<id>` (the
//! follow-up's own questions), `safety.<code>` (`safety::text::reason`), `reminder.<code>` (why a
//! reminder exists), `week.<code>` (the week forecast's reasons) and
//! `notify.<kind>.title` / `.body` (a notification).

/// `(key, English, German)`.
#[rustfmt::skip]
pub const SENTENCES: &[(&str, &str, &str)] = &[
    ("safety.safety_clear", "No red flag is open.", "Kein Warnzeichen offen."),
    ("safety.red_flag_urgent", "One of your answers needs urgent care. Please see a doctor today; the drills stay locked until a clinician has cleared you.", "Eine deiner Antworten braucht dringend ärztliche Abklärung. Bitte geh heute zu einer Ärztin oder einem Arzt; die Übungen bleiben gesperrt, bis dich eine Fachperson freigibt."),
    ("safety.red_flag_referral", "{answers} answer(s) need a clinician to look first. The drills stay locked until a clinician has cleared you.", "{answers} Antwort(en) sollte eine Fachperson zuerst abklären. Die Übungen bleiben gesperrt, bis du freigegeben bist."),
    ("safety.red_flag_not_sure", "You were not sure about {answers} question(s). Not sure is not no: please have it checked; the drills stay locked until a clinician has cleared you.", "Bei {answers} Frage(n) warst du unsicher. Unsicher heißt nicht nein: bitte lass es abklären; die Übungen bleiben gesperrt, bis du freigegeben bist."),
    ("safety.paused_severe_pain", "Pain of {pain}/10 ended your last session. Drills are paused until a short follow-up check says it is safe to go on.", "Schmerz von {pain}/10 hat deine letzte Einheit beendet. Die Übungen pausieren, bis ein kurzer Nachcheck sagt, dass es sicher weitergeht."),
    ("safety.cleared_by_clinician", "A clinician has cleared you; the drills are open again.", "Eine Fachperson hat dich freigegeben; die Übungen sind wieder offen."),
    ("safety.follow_up_passed", "The follow-up check is clear: the drills are open again, starting gently.", "Der Nachcheck ist unauffällig: die Übungen sind wieder offen, sanft beginnend."),
    ("safety.follow_up_still_paused", "Not settled yet: drills stay paused. Try the check again tomorrow, or see a clinician if it does not ease.", "Noch nicht abgeklungen: die Übungen pausieren weiter. Mach den Check morgen noch einmal, oder geh zu einer Fachperson, wenn es nicht besser wird."),
    ("safety.follow_up_red_flag", "An answer in the follow-up needs a clinician: the drills are locked until a clinician has cleared you.", "Eine Antwort im Nachcheck braucht eine Fachperson: die Übungen sind gesperrt, bis du freigegeben bist."),
    ("reminder.long_run_checkin", "A long run ended {hours_after_run} h earlier; tissue reacts 12–48 h later, so we ask the next morning.", "Ein langer Lauf endete {hours_after_run} h vorher; Gewebe reagiert nach 12–48 h, daher fragen wir am nächsten Morgen."),
    ("reminder.long_run_checkin_late", "A long run that ended {hours_after_run} h earlier only just arrived; its check-in comes now rather than never.", "Ein langer Lauf, der vor {hours_after_run} h endete, kam erst jetzt an; die Abfrage dazu kommt jetzt statt gar nicht."),
    ("reminder.reask_after_amber", "Your first answer after the run was not all clear; one more check {hours_after_run} h after it.", "Deine erste Antwort nach dem Lauf war nicht ganz unauffällig; eine weitere Abfrage {hours_after_run} h danach."),
    ("reminder.reask_after_red", "Your first answer after the run was not all clear; one more check {hours_after_run} h after it.", "Deine erste Antwort nach dem Lauf war nicht ganz unauffällig; eine weitere Abfrage {hours_after_run} h danach."),
    ("reminder.daily_drills", "Your daily drill time; no finished session yet for that day.", "Deine tägliche Übungszeit; für diesen Tag gibt es noch keine abgeschlossene Einheit."),
    ("reminder.rom_retest_due", "Knee-to-wall is rechecked weekly, at the same time of day.", "Der Knie-zur-Wand-Test wird wöchentlich wiederholt, zur gleichen Tageszeit."),
    ("week.morning_decides", "Planned ahead: that morning's check-in can still make the day lighter.", "Vorausgeplant: Der Check-in an dem Morgen kann den Tag noch leichter machen."),
    ("week.long_run_checkin_due", "A check-in after your long run is due that morning; the day follows your answer.", "An dem Morgen ist ein Check-in nach deinem langen Lauf fällig; der Tag richtet sich nach deiner Antwort."),
    ("week.retest_due", "Knee-to-wall retest day: measure both sides at your usual time.", "Tag für den Knie-zur-Wand-Test: beide Seiten zur gewohnten Zeit messen."),
    ("notify.long_run_check_in.title", "How are your legs?", "Wie geht es deinen Beinen?"),
    ("notify.long_run_check_in.body", "After your {run_minutes}-minute run: rate calf, Achilles and ankle. Today's drills adapt to it.", "Nach deinem {run_minutes}-Minuten-Lauf: Wade, Achillessehne und Knöchel bewerten. Die Übungen passen sich an."),
    ("notify.long_run_reask.title", "Quick follow-up", "Kurze Nachfrage"),
    ("notify.long_run_reask.body", "Two days after your long run: has calf, Achilles and ankle settled?", "Zwei Tage nach deinem langen Lauf: Haben sich Wade, Achillessehne und Knöchel beruhigt?"),
    ("notify.daily_drills.title", "Ankle drills", "Knöchelübungen"),
    ("notify.daily_drills.body", "Your drills for today are ready: a few pain-free minutes.", "Deine Übungen für heute sind bereit: ein paar schmerzfreie Minuten."),
    ("notify.rom_retest.title", "Knee-to-wall retest", "Knie-zur-Wand-Test"),
    ("notify.rom_retest.body", "{days_since_last} days since your last measurement: measure both sides again, at about the same time of day.", "{days_since_last} Tage seit der letzten Messung: miss beide Seiten erneut, etwa zur gleichen Tageszeit."),
    ("reminder.moved", " Moved to the end of your quiet hours.", " Wegen der Ruhezeit verschoben."),
    ("question.cannot_walk_four_steps", "Since the injury, could you not take four steps on it — right after, or now?", "Konntest du seit der Verletzung keine vier Schritte gehen – direkt danach oder jetzt?"),
    ("question.ankle_bone_tender", "Does the back edge or tip of either ankle bone hurt when you press on it?", "Schmerzt die Hinterkante oder Spitze eines Knöchels, wenn du darauf drückst?"),
    ("question.fifth_metatarsal_tender", "Is the bony bump on the outside of the midfoot tender to press?", "Ist der Knochenhöcker außen am Mittelfuß druckschmerzhaft?"),
    ("question.navicular_tender", "Is the bone on the inner side of the midfoot tender to press?", "Ist der Knochen innen am Mittelfuß druckschmerzhaft?"),
    ("question.heel_pop", "Did you feel a pop, or as if someone kicked the back of your heel?", "Hast du einen Knall gespürt, oder als hätte dich jemand gegen die Ferse getreten?"),
    ("question.cannot_tiptoe", "Are you unable to rise onto tiptoe on that leg alone?", "Kannst du dich auf diesem Bein allein nicht auf die Zehenspitzen stellen?"),
    ("question.tendon_gap", "Can you feel a gap in the Achilles tendon?", "Spürst du eine Lücke in der Achillessehne?"),
    ("question.calf_squeeze_no_movement", "Kneeling on a chair, does the foot stay still when someone squeezes your calf?", "Bleibt der Fuß beim Knien auf einem Stuhl still, wenn jemand deine Wade zusammendrückt?"),
    ("question.calf_swollen_hot", "Is one calf newly swollen, warm, red or tender?", "Ist eine Wade neu geschwollen, warm, gerötet oder druckempfindlich?"),
    ("question.clot_risk", "Have you recently travelled far, had surgery or a cast, or had a clot before?", "Bist du kürzlich weit gereist, wurdest operiert, hattest einen Gips oder schon einmal ein Gerinnsel?"),
    ("question.chest_breathless", "Do you have chest pain, shortness of breath or are you coughing blood?", "Hast du Brustschmerzen, Atemnot oder hustest du Blut?"),
    ("question.pinpoint_bone_pain", "Is there a spot on a bone, about a fingertip big, that hurts to press?", "Gibt es eine fingerkuppengroße Stelle an einem Knochen, die auf Druck schmerzt?"),
    ("question.pain_builds_or_night", "Does the pain build during runs instead of easing, or hurt at night?", "Nimmt der Schmerz beim Laufen zu statt nachzulassen, oder schmerzt es nachts?"),
    ("question.hop_hurts", "Does a single-leg hop hurt?", "Schmerzt ein Hüpfer auf einem Bein?"),
    ("question.hot_joint_fever", "Is a joint hot, red and swollen while you have a fever?", "Ist ein Gelenk heiß, gerötet und geschwollen, während du Fieber hast?"),
    ("question.numb_or_weak_foot", "Do you have numbness, pins and needles, burning, or a foot that drags or slaps?", "Hast du Taubheit, Kribbeln, Brennen oder einen Fuß, der schleift oder klatscht?"),
    ("question.tense_calf", "Is calf or shin pain far out of proportion, or the calf tense and hard?", "Ist der Waden- oder Schienbeinschmerz unverhältnismäßig stark, oder die Wade prall und hart?"),
    ("question.cancer_weight_rest_pain", "A history of cancer, unexplained weight loss, or constant pain at rest or at night?", "Krebs in der Vorgeschichte, ungeklärter Gewichtsverlust oder Dauerschmerz in Ruhe oder nachts?"),
    ("question.diabetes_foot", "Diabetes with reduced feeling in the feet or foot wounds?", "Diabetes mit vermindertem Gefühl in den Füßen oder Wunden am Fuß?"),
    ("question.no_improvement", "No better after about two weeks, or worse week on week?", "Nach etwa zwei Wochen keine Besserung, oder von Woche zu Woche schlechter?"),
    ("follow_up.pain_at_rest", "Sitting or standing still, is the pain still above 3 out of 10?", "Ist der Schmerz im Sitzen oder ruhigen Stehen noch über 3 von 10?"),
    ("follow_up.limping", "Are you limping, or is walking at a normal pace hard?", "Hinkst du, oder fällt dir normales Gehen schwer?"),
    ("follow_up.swollen_since", "Has the ankle, heel or calf swollen or bruised since the session?", "Ist Knöchel, Ferse oder Wade seit der Einheit geschwollen oder verfärbt?"),
];
