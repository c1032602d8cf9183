//! The guided session as a full-screen terminal view (ratatui over crossterm): drill name,
//! the clip segment playing, a big countdown or rep count, the cue, progress, and the keys
//! on screen. The core runner decides every step; this view owns the clock and the keys.
//!
//! Keys: space pause/resume, Enter rep done (or demo watched), s skip the timer / end the
//! set, n next drill, q quit (asks first). Keys that do nothing in the current step are
//! dropped at once, so nothing typed during a countdown is counted later as a rep.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};
use talus_ffi::{EffectInfo, Engine, FrameInfo, GuidedSession, SessionEvent, Side, Step};

use crate::fail::CliError;
use crate::now_ms;
use crate::words::{t, tf};

/// Seconds of the get-ready countdown before a hold.
const GET_READY_MS: i64 = 3_000;
/// An Enter this soon after a new step began or a rep was counted is a bounce, not a rep.
const DEBOUNCE_MS: i64 = 250;

/// A question or message drawn over the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    /// Quit asked; `resume` says whether the view paused the session for the question.
    ConfirmQuit {
        resume: bool,
    },
    /// Pain after a set: what has been typed so far and why the last try was refused.
    Pain {
        typed: String,
        error: Option<String>,
    },
    /// A decision (pain stop, referral) explained the moment it happens.
    Notice {
        title: String,
        lines: Vec<String>,
    },
    /// Counting down before a hold; the session is paused meanwhile.
    GetReady {
        until_ms: i64,
    },
}

/// What the view shows besides the frame: the clip playing, the last cue, the overlay.
#[derive(Debug, Clone)]
pub struct View {
    pub clip: Option<(String, i64, i64, bool, i64)>,
    pub cue: Option<String>,
    pub overlay: Overlay,
    /// When the current step began or the last rep was counted (for the debounce).
    pub step_since_ms: i64,
    /// The pace at which reps are counted for the runner (the catalog's rep time), for the
    /// drill on screen.
    pub rep_pace_ms: Option<i64>,
    /// About how long one set of the drill on screen takes in the core's estimate.
    pub set_ms: Option<i64>,
    /// Progress and time left as shown, moving between the core's whole-set steps.
    pub moving: Moving,
}

/// Progress and time left that keep moving during a set. The core counts them in whole
/// sets (a set done moves them on), so within a set the view moves them with the clock of
/// the session (pauses excluded), at most by one set's length, and never backwards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moving {
    /// The core's last (progress, remaining ms) and the session's elapsed ms when it came.
    core: Option<(f64, i64, i64)>,
    /// What was shown last.
    shown: Option<(f64, i64)>,
}

impl Moving {
    /// The progress (0–1) and time left (ms) to show for `f`, given one set's length.
    pub fn show(&mut self, f: &FrameInfo, set_ms: Option<i64>) -> (f64, i64) {
        let (progress, remaining, since) = match self.core {
            Some((p, r, since)) if p == f.progress && r == f.remaining_ms => (p, r, since),
            _ => {
                self.core = Some((f.progress, f.remaining_ms, f.elapsed_ms));
                (f.progress, f.remaining_ms, f.elapsed_ms)
            }
        };
        let moved = (f.elapsed_ms - since).clamp(0, set_ms.unwrap_or(0).min(remaining).max(0));
        let mut shown_progress = if remaining > 0 {
            progress + (1.0 - progress) * moved as f64 / remaining as f64
        } else {
            progress
        };
        let mut shown_remaining = remaining - moved;
        if let Some((p, r)) = self.shown {
            shown_progress = shown_progress.max(p);
            shown_remaining = shown_remaining.min(r);
        }
        let shown = (shown_progress.clamp(0.0, 1.0), shown_remaining.max(0));
        self.shown = Some(shown);
        shown
    }
}

impl View {
    fn new(now: i64) -> View {
        View {
            clip: None,
            cue: None,
            overlay: Overlay::None,
            step_since_ms: now,
            rep_pace_ms: None,
            set_ms: None,
            moving: Moving::default(),
        }
    }

    /// Takes in the effects of a new frame: the clip segment and the spoken cue.
    fn absorb(&mut self, f: &FrameInfo, now: i64) {
        for e in &f.effects {
            match e {
                EffectInfo::PlayVideo {
                    segment,
                    start_ms,
                    end_ms,
                    mirrored,
                    ..
                } => {
                    let name = crate::show::segment_name(segment);
                    self.clip = Some((name.to_owned(), *start_ms, *end_ms, *mirrored, now))
                }
                EffectInfo::SpeakCue {
                    text,
                    at_video_ms: None,
                    ..
                } => self.cue = Some(text.clone()),
                _ => {}
            }
        }
    }
}

/// The leg a step is about, in words.
pub fn side_word(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => t("left leg", "linkes Bein"),
        Some(Side::Right) => t("right leg", "rechtes Bein"),
        None => t("both feet", "beide Füße"),
    }
}

/// Where the pain is asked about, in German ("im linken Bein", "in den Füßen").
fn side_dative(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => "im linken Bein",
        Some(Side::Right) => "im rechten Bein",
        None => "in den Füßen",
    }
}

/// Whole seconds of a duration in ms (rounded down, never negative).
fn secs_of(ms: i64) -> u32 {
    u32::try_from(ms.max(0) / 1000).unwrap_or(u32::MAX)
}

/// Whole seconds left, from the frame's milliseconds.
fn secs(ms: Option<i64>) -> Option<u32> {
    ms.map(secs_of)
}

fn mmss(s: u32) -> String {
    format!("{}:{:02}", s / 60, s % 60)
}

/// The 5-row block glyph of a character of the big counter.
fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" ██", "  █", "  █", "  █", "  █"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", " ██", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        ':' => ["   ", " █ ", "   ", " █ ", "   "],
        '/' => ["  █", "  █", " █ ", "█  ", "█  "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// `text` in big block digits, five lines.
pub fn big(text: &str) -> Vec<String> {
    (0..5)
        .map(|row| {
            text.chars()
                .map(|c| glyph(c)[row])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The big number and the word under it.
fn counter(f: &FrameInfo, v: &View, now: i64) -> (String, String) {
    if let Overlay::GetReady { until_ms } = v.overlay {
        let s = ((until_ms - now).max(0) + 999) / 1000;
        return (s.to_string(), t("get ready", "bereit machen").into());
    }
    match f.step {
        Step::Work => match (f.rep, f.reps, secs(f.time_left_ms)) {
            (Some(r), Some(n), _) => (
                format!("{r}/{n}"),
                match v.rep_pace_ms {
                    Some(p) => tf(
                        format!("reps · counted every {} s", (p + 999) / 1000),
                        format!("Wdh. · gezählt alle {} s", (p + 999) / 1000),
                    ),
                    None => t("reps", "Wdh.").into(),
                },
            ),
            (_, _, Some(s)) => (mmss(s), t("hold", "halten").into()),
            _ => (String::new(), String::new()),
        },
        Step::EndRangePause => (
            mmss(secs(f.time_left_ms).unwrap_or(0)),
            format!(
                "{} · {} {}/{}",
                t("hold at end range", "in Endposition halten"),
                t("rep", "Wdh."),
                f.rep.unwrap_or(0),
                f.reps.unwrap_or(0)
            ),
        ),
        Step::Rest => (
            mmss(secs(f.time_left_ms).unwrap_or(0)),
            t("rest", "Pause").into(),
        ),
        Step::SideSwitch => (
            mmss(secs(f.time_left_ms).unwrap_or(0)),
            t("switch sides", "Seite wechseln").into(),
        ),
        Step::Intro => {
            let left = v.clip.as_ref().map_or(0, |(_, a, b, _, since)| {
                let len = (b - a).max(0);
                ((len - (now - since)).max(0) / 1000) as u32
            });
            (mmss(left), t("watch the demo", "Vorführung ansehen").into())
        }
        Step::PainCheck => (
            String::new(),
            t("how did that set feel?", "wie war der Satz?").into(),
        ),
        Step::NotStarted => (
            String::new(),
            t("press Enter to start", "Enter zum Starten").into(),
        ),
        _ => (String::new(), String::new()),
    }
}

/// The keys that do something now, as shown on screen.
fn keys(f: &FrameInfo, v: &View) -> String {
    match &v.overlay {
        Overlay::ConfirmQuit { .. } => {
            return t(
                "y quit and save as stopped early · n go on",
                "j beenden, als vorzeitig beendet speichern · n weiter",
            )
            .into()
        }
        Overlay::Pain { .. } => {
            return t(
                "0–10 then Enter · s just a stretch, no pain · q quit",
                "0–10 dann Enter · s nur Dehnung, kein Schmerz · q beenden",
            )
            .into();
        }
        Overlay::Notice { .. } => return t("Enter go on", "Enter weiter").into(),
        Overlay::GetReady { .. } => return t("q quit", "q beenden").into(),
        Overlay::None => {}
    }
    let mut k = Vec::new();
    if f.step == Step::NotStarted {
        k.push(t("Enter start", "Enter Start").to_string());
    }
    if f.can_pause {
        k.push(t("space pause", "Leertaste Pause").into());
    }
    if f.can_resume {
        k.push(t("space resume", "Leertaste weiter").into());
    }
    if f.step == Step::Intro {
        k.push(t("Enter demo watched", "Enter Vorführung gesehen").into());
    } else if f.can_rep_done && !f.paused {
        k.push(t("Enter rep done", "Enter Wdh. geschafft").into());
    }
    if f.can_skip_step && !f.paused {
        k.push(
            match f.step {
                Step::Rest => t("s skip rest", "s Pause überspringen"),
                Step::SideSwitch => t("s switch now", "s jetzt wechseln"),
                Step::EndRangePause => t("s skip pause", "s weiter"),
                Step::Intro => t("s skip demo", "s Vorführung überspringen"),
                Step::Work => t("s end set", "s Satz beenden"),
                _ => t("s skip", "s überspringen"),
            }
            .into(),
        );
    }
    if f.can_skip_drill && !f.paused {
        k.push(t("n next drill", "n nächste Übung").into());
    }
    k.push(t("q quit", "q beenden").into());
    k.join(" · ")
}

/// Draws the whole screen for `f`.
pub fn draw(frame: &mut ratatui::Frame<'_>, f: &FrameInfo, v: &View, now: i64) {
    let area = frame.area();
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            t(" Talus · today's session ", " Talus · heutige Einheit "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Line::from(format!(" {} ", keys(f, v))).alignment(Alignment::Center));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let rows = Layout::vertical([
        Constraint::Length(1), // drill and set
        Constraint::Length(1), // clip
        Constraint::Fill(1),
        Constraint::Length(8), // big counter and its word
        Constraint::Length(1),
        Constraint::Length(2), // cue
        Constraint::Fill(1),
        Constraint::Length(1), // progress
    ])
    .split(inner);
    let (big_row, cue_row, progress_row) = (rows[3], rows[5], rows[7]);
    let drill = if f.drill_name.is_empty() {
        t("Today's session", "Heutige Einheit").to_string()
    } else {
        f.drill_name.clone()
    };
    let set = if f.sets > 0 {
        format!(
            "{} {}/{} · {}",
            t("set", "Satz"),
            f.set,
            f.sets,
            side_word(f.side)
        )
    } else {
        String::new()
    };
    let head = Layout::horizontal([Constraint::Min(10), Constraint::Length(30)]).split(rows[0]);
    frame.render_widget(
        Paragraph::new(Span::styled(
            drill,
            Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        )),
        head[0],
    );
    frame.render_widget(Paragraph::new(set).alignment(Alignment::Right), head[1]);
    let clip = match &v.clip {
        Some((segment, a, b, mirrored, _)) => format!(
            "▶ {segment} {}–{}{}{}",
            mmss(secs_of(*a)),
            mmss(secs_of(*b)),
            if *mirrored {
                t(" (mirrored)", " (gespiegelt)")
            } else {
                ""
            },
            if segment == t("rep loop", "Übungsschleife") {
                t(" · looping", " · läuft in Schleife")
            } else {
                ""
            }
        ),
        None => String::new(),
    };
    frame.render_widget(
        Paragraph::new(clip).style(Style::default().fg(Color::DarkGray)),
        rows[1],
    );
    let (number, word) = counter(f, v, now);
    let mut lines: Vec<Line> = vec![Line::from("")];
    if f.paused && !matches!(v.overlay, Overlay::GetReady { .. }) {
        lines.push(Line::from(Span::styled(
            t("PAUSED", "PAUSE"),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(t("space to go on", "Leertaste: weiter")));
    } else {
        lines.extend(big(&number).into_iter().map(Line::from));
        lines.push(Line::from(Span::styled(
            word,
            Style::default().add_modifier(Modifier::BOLD),
        )));
    }
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), big_row);
    let cue = v.cue.as_ref().map_or(String::new(), |c| format!("“{c}”"));
    frame.render_widget(
        Paragraph::new(cue)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .style(Style::default().add_modifier(Modifier::ITALIC)),
        cue_row,
    );
    let label = format!(
        "{:.0}% · {} {}",
        f.progress.clamp(0.0, 1.0) * 100.0,
        mmss(secs_of(f.remaining_ms)),
        t("left", "übrig")
    );
    // An ended session shows no percentage: a session stopped for pain is not "100% done".
    if f.step != Step::Summary {
        frame.render_widget(
            Gauge::default()
                .ratio(f.progress.clamp(0.0, 1.0))
                .label(label)
                .gauge_style(Style::default().fg(Color::Green)),
            progress_row,
        );
    }
    draw_overlay(frame, f, v, inner);
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_overlay(frame: &mut ratatui::Frame<'_>, f: &FrameInfo, v: &View, area: Rect) {
    let (title, lines): (String, Vec<String>) = match &v.overlay {
        Overlay::None | Overlay::GetReady { .. } => return,
        Overlay::ConfirmQuit { .. } => (
            t(" Quit? ", " Beenden? ").into(),
            vec![
                t("Quit this session?", "Diese Einheit beenden?").into(),
                t(
                    "What you did is kept; the session is saved as stopped early.",
                    "Was du gemacht hast, bleibt; die Einheit gilt als vorzeitig beendet.",
                )
                .into(),
                String::new(),
                t("y  quit      n  go on", "j  beenden      n  weiter").into(),
            ],
        ),
        Overlay::Pain { typed, error } => {
            let mut l = vec![
                // Each leg answers for itself (a both-feet set once).
                tf(
                    format!(
                        "Pain in your {} during that set of {}, 0–10?",
                        side_word(f.side),
                        f.drill_name
                    ),
                    format!(
                        "Schmerz {} bei diesem Satz ({}), 0–10?",
                        side_dative(f.side),
                        f.drill_name
                    ),
                ),
                // The scale's words come from the core, the same on every shell.
                talus_ffi::screen_words(crate::words::locale())
                    .pain_scale
                    .iter()
                    .filter(|a| [0, 3, 5, 7, 10].contains(&a.score))
                    .map(|a| format!("{} {}", a.score, a.words))
                    .collect::<Vec<_>>()
                    .join(" · "),
                t(
                    "Only a stretch, no pain? press s",
                    "Nur Dehnung, kein Schmerz? s drücken",
                )
                .into(),
                String::new(),
                format!("> {typed}_"),
            ];
            if let Some(e) = error {
                l.push(e.clone());
            }
            (
                format!(
                    " {} · {} ",
                    t("Pain check", "Schmerz-Check"),
                    side_word(f.side)
                ),
                l,
            )
        }
        Overlay::Notice { title, lines } => {
            let mut l = lines.clone();
            l.push(String::new());
            l.push(t("Enter to go on", "Enter: weiter").into());
            (format!(" {title} "), l)
        }
    };
    let width = area.width.saturating_sub(6).min(76);
    // Each line wraps inside the border; count the rows it takes.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| {
            let n = l.chars().count();
            // Wrapping breaks at words, so a wrapped line leaves some room unused.
            if n <= inner {
                1
            } else {
                n.div_ceil(inner.saturating_sub(8).max(1))
            }
        })
        .sum();
    let rect = popup(area, width, rows as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(title)
                    .border_style(Style::default().fg(Color::Yellow)),
            ),
        rect,
    );
}

/// The explanation of a decision the moment it is taken: what stopped, and the easier drill
/// by its name.
/// A decision explained: a title naming what stopped, the core's reason, and the easier
/// drill by its localized name.
pub fn explain(
    engine: &Engine,
    locale: &str,
    d: &talus_ffi::ReasonInfo,
    drill: &FrameInfo,
) -> (String, Vec<String>) {
    let mut lines = vec![d.message.clone()];
    let is_drill_stop = d.code.ends_with("_limit_exceeded");
    if is_drill_stop {
        if let Some(easier) = engine
            .drill(drill.drill_id.clone(), locale.into())
            .ok()
            .and_then(|x| x.regression)
            .and_then(|id| engine.drill(id, locale.into()).ok())
        {
            lines.push(tf(
                format!("Easier drill for next time: {}.", easier.name),
                format!("Leichtere Übung fürs nächste Mal: {}.", easier.name),
            ));
        }
    }
    let title = if is_drill_stop {
        tf(
            format!("Stopped: {}", drill.drill_name),
            format!("Gestoppt: {}", drill.drill_name),
        )
    } else if d.code == "severe_pain_referral" {
        t("Session ended for pain", "Einheit wegen Schmerz beendet").into()
    } else {
        t("Note", "Hinweis").into()
    };
    (title, lines)
}

fn notice(engine: &Engine, locale: &str, d: &talus_ffi::ReasonInfo, drill: &FrameInfo) -> Overlay {
    let (title, lines) = explain(engine, locale, d, drill);
    Overlay::Notice { title, lines }
}

/// A key press reduced to what the view understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Space,
    Enter,
    Char(char),
    Backspace,
    Quit,
}

fn read_key(timeout: Duration) -> Result<Option<Key>, CliError> {
    let io = |e: std::io::Error| {
        CliError::user(tf(
            format!("cannot read the keyboard: {e}"),
            format!("die Tastatur lässt sich nicht lesen: {e}"),
        ))
    };
    if !event::poll(timeout).map_err(io)? {
        return Ok(None);
    }
    Ok(match event::read().map_err(io)? {
        Event::Key(k) if k.kind == KeyEventKind::Press => match k.code {
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Some(Key::Quit),
            KeyCode::Char(' ') => Some(Key::Space),
            KeyCode::Enter => Some(Key::Enter),
            KeyCode::Backspace => Some(Key::Backspace),
            KeyCode::Esc => Some(Key::Char('q')),
            KeyCode::Char(c) => Some(Key::Char(c.to_ascii_lowercase())),
            _ => None,
        },
        _ => None,
    })
}

/// What one key does: an event for the runner, and the overlay afterwards. `None` means
/// the key does nothing now and is dropped.
pub fn on_key(
    f: &FrameInfo,
    v: &View,
    key: Key,
    now: i64,
) -> Option<(Option<SessionEvent>, Overlay)> {
    match (&v.overlay, key) {
        (Overlay::ConfirmQuit { .. }, Key::Char('y') | Key::Char('j') | Key::Quit) => {
            Some((Some(SessionEvent::Stop), Overlay::None))
        }
        (Overlay::ConfirmQuit { resume }, Key::Char('n') | Key::Char('q') | Key::Space) => Some((
            resume.then_some(SessionEvent::Resume),
            if f.step == Step::PainCheck {
                Overlay::Pain {
                    typed: String::new(),
                    error: None,
                }
            } else {
                Overlay::None
            },
        )),
        (Overlay::ConfirmQuit { .. }, _) => None,
        (Overlay::Notice { .. }, Key::Enter | Key::Space) => Some((None, Overlay::None)),
        (Overlay::Notice { .. }, _) => None,
        (Overlay::Pain { typed, .. }, Key::Char(c)) if c.is_ascii_digit() && typed.len() < 2 => {
            Some((
                None,
                Overlay::Pain {
                    typed: format!("{typed}{c}"),
                    error: None,
                },
            ))
        }
        (Overlay::Pain { typed, .. }, Key::Backspace) => {
            let mut t = typed.clone();
            t.pop();
            Some((
                None,
                Overlay::Pain {
                    typed: t,
                    error: None,
                },
            ))
        }
        (Overlay::Pain { typed, .. }, Key::Enter) => match crate::parse::score(typed) {
            Ok(pain) if !typed.is_empty() => {
                Some((Some(SessionEvent::PainReported { pain }), Overlay::None))
            }
            _ => Some((
                None,
                Overlay::Pain {
                    typed: String::new(),
                    error: Some(
                        t(
                            "Type a number from 0 to 10, then Enter.",
                            "Zahl von 0 bis 10 eingeben, dann Enter.",
                        )
                        .into(),
                    ),
                },
            )),
        },
        // A stretch felt at end range is not pain: the core records it as a stretch.
        (Overlay::Pain { .. }, Key::Char('s')) => {
            Some((Some(SessionEvent::StretchReported), Overlay::None))
        }
        (Overlay::Pain { .. }, Key::Char('q') | Key::Quit) => {
            Some((None, Overlay::ConfirmQuit { resume: false }))
        }
        (Overlay::Pain { .. }, _) => None,
        (Overlay::GetReady { .. }, Key::Char('q') | Key::Quit) => {
            Some((None, Overlay::ConfirmQuit { resume: true }))
        }
        (Overlay::GetReady { .. }, _) => None,
        (Overlay::None, Key::Char('q') | Key::Quit) => {
            if f.can_pause {
                Some((
                    Some(SessionEvent::Pause),
                    Overlay::ConfirmQuit { resume: true },
                ))
            } else {
                Some((None, Overlay::ConfirmQuit { resume: false }))
            }
        }
        (Overlay::None, Key::Space) if f.can_resume => {
            Some((Some(SessionEvent::Resume), Overlay::None))
        }
        (Overlay::None, Key::Space) if f.can_pause => {
            Some((Some(SessionEvent::Pause), Overlay::None))
        }
        (Overlay::None, _) if f.paused => None,
        (Overlay::None, Key::Enter) if f.step == Step::NotStarted => {
            Some((Some(SessionEvent::Start), Overlay::None))
        }
        (Overlay::None, Key::Enter) if f.step == Step::Intro => {
            Some((Some(SessionEvent::VideoEnded), Overlay::None))
        }
        (Overlay::None, Key::Enter) if f.can_rep_done && now - v.step_since_ms >= DEBOUNCE_MS => {
            Some((Some(SessionEvent::RepDone), Overlay::None))
        }
        (Overlay::None, Key::Char('s')) if f.can_skip_step => {
            Some((Some(SessionEvent::SkipStep), Overlay::None))
        }
        (Overlay::None, Key::Char('n')) if f.can_skip_drill => {
            Some((Some(SessionEvent::SkipDrill), Overlay::None))
        }
        _ => None,
    }
}

/// The catalog's dose of the drill on screen that is being done.
fn dose(engine: &Engine, locale: &str, f: &FrameInfo) -> Option<talus_ffi::DoseInfo> {
    let drill = engine.drill(f.drill_id.clone(), locale.into()).ok()?;
    let found = drill
        .dosage
        .iter()
        .find(|d| d.reps == f.reps)
        .or(drill.dosage.first())
        .cloned();
    found
}

/// The catalog's time for one rep of the drill on screen, at the dose being done.
pub fn rep_pace(engine: &Engine, locale: &str, f: &FrameInfo) -> Option<i64> {
    f.reps?;
    let dose = dose(engine, locale, f)?;
    (dose.rep_ms > 0).then_some(dose.rep_ms)
}

/// About how long one set of the drill on screen takes: its work, and half its rest (the
/// core's own estimate of the time left counts sets the same way).
fn set_length(engine: &Engine, locale: &str, f: &FrameInfo) -> Option<i64> {
    let dose = dose(engine, locale, f)?;
    let work = match (f.reps, dose.hold_ms) {
        (Some(reps), _) => i64::from(reps) * (dose.rep_ms + dose.end_pause_ms),
        (None, Some(hold)) => hold,
        _ => return None,
    };
    Some(work + dose.rest_ms / 2)
}

/// Whether `next` starts a hold that deserves a get-ready countdown.
fn starts_hold(prev: &FrameInfo, next: &FrameInfo) -> bool {
    next.step == Step::Work
        && next.rep.is_none()
        && secs(next.time_left_ms).is_some()
        && !next.paused
        && (prev.step != Step::Work || prev.set != next.set || prev.side != next.side)
}

/// Runs the session full-screen until it ends; returns the last frame.
pub fn run(engine: &Engine, locale: &str, s: &GuidedSession) -> Result<FrameInfo, CliError> {
    let mut terminal = ratatui::try_init().map_err(|e| {
        CliError::user(tf(
            format!("cannot use this terminal: {e}"),
            format!("dieses Terminal lässt sich nicht nutzen: {e}"),
        ))
    })?;
    let result = drive(engine, locale, s, &mut terminal);
    ratatui::restore();
    result
}

fn drive(
    engine: &Engine,
    locale: &str,
    s: &GuidedSession,
    terminal: &mut ratatui::DefaultTerminal,
) -> Result<FrameInfo, CliError> {
    let draw_err = |e: std::io::Error| {
        CliError::user(tf(
            format!("cannot draw: {e}"),
            format!("die Anzeige lässt sich nicht zeichnen: {e}"),
        ))
    };
    let start = now_ms();
    let mut frame = s.frame(start)?;
    let mut view = View::new(start);
    view.rep_pace_ms = rep_pace(engine, locale, &frame);
    view.set_ms = set_length(engine, locale, &frame);
    let mut next_tick: Option<i64> = None;
    let mut seen = frame.decisions.len();
    loop {
        let now = now_ms();
        if frame.step == Step::Summary && view.overlay == Overlay::None {
            return Ok(frame);
        }
        // Timers: the get-ready countdown, the clip of the demo, the core's next tick.
        let mut event = None;
        if let Overlay::GetReady { until_ms } = view.overlay {
            if now >= until_ms {
                view.overlay = Overlay::None;
                event = Some(SessionEvent::Resume);
            }
        } else if view.overlay == Overlay::None && !frame.paused {
            if frame.step == Step::Intro {
                if let Some((_, a, b, _, since)) = &view.clip {
                    if now - since >= (b - a).max(0) {
                        event = Some(SessionEvent::VideoEnded);
                    }
                }
            } else if secs(frame.time_left_ms).is_some() && next_tick.is_none_or(|t| now >= t) {
                event = Some(SessionEvent::Tick);
            } else if frame.step == Step::Work && frame.can_rep_done {
                // Timed reps: the coach counts at the catalog's pace; Enter counts sooner.
                if let Some(pace) = view.rep_pace_ms {
                    if now - view.step_since_ms >= pace {
                        event = Some(SessionEvent::RepDone);
                    }
                }
            }
        }
        if event.is_none() {
            let shown = s.frame(now)?;
            let (progress, remaining_ms) = view.moving.show(&shown, view.set_ms);
            let merged = FrameInfo {
                effects: Vec::new(),
                progress,
                remaining_ms,
                ..shown
            };
            terminal
                .draw(|fr| draw(fr, &merged, &view, now))
                .map_err(draw_err)?;
            if let Some(key) = read_key(Duration::from_millis(200))? {
                let now = now_ms();
                if let Some((e, overlay)) = on_key(&merged, &view, key, now) {
                    // The demo clip waited behind the message; it starts over when it closes.
                    if matches!(view.overlay, Overlay::Notice { .. }) {
                        if let Some(clip) = view.clip.as_mut() {
                            clip.4 = now;
                        }
                    }
                    view.overlay = overlay;
                    event = e;
                }
            }
        }
        let Some(event) = event else { continue };
        let now = now_ms();
        let before = frame.clone();
        let quitting = event == SessionEvent::Stop;
        let next = match s.handle(event, now) {
            Ok(f) => f,
            // An event the step no longer takes (its timer ran out meanwhile): redraw.
            Err(talus_ffi::TalusError::InvalidInput { .. }) if !quitting => s.frame(now)?,
            Err(e) => return Err(e.into()),
        };
        if next.drill_id != before.drill_id {
            view.cue = None;
        }
        if next.drill_id != before.drill_id || next.reps != before.reps {
            view.rep_pace_ms = rep_pace(engine, locale, &next);
            view.set_ms = set_length(engine, locale, &next);
        }
        view.absorb(&next, now);
        next_tick = next
            .effects
            .iter()
            .filter_map(|e| match e {
                EffectInfo::ScheduleTick { at_ms } => Some(*at_ms),
                _ => None,
            })
            .min()
            // A countdown with no tick scheduled (one resumed after a pause): the core is
            // asked again when it runs out; the seconds in between are drawn from `frame`.
            .or(next.deadline_ms);
        if next.step != before.step
            || next.set != before.set
            || next.side != before.side
            || next.rep != before.rep
        {
            view.step_since_ms = now;
        }
        if next.step == Step::PainCheck && view.overlay == Overlay::None {
            view.overlay = Overlay::Pain {
                typed: String::new(),
                error: None,
            };
        }
        if let Some(d) = next.decisions.get(seen..).and_then(|d| d.last()) {
            // Stops and referrals are explained at once; the runner's own skips and quits
            // need no message.
            let explain = d.code.ends_with("_limit_exceeded")
                || d.code.ends_with("_referral")
                || d.code == "long_gap_restart_set";
            if explain {
                view.overlay = notice(engine, locale, d, &before);
            }
        }
        seen = seen.max(next.decisions.len());
        if starts_hold(&before, &next) && view.overlay == Overlay::None {
            if let Ok(paused) = s.handle(SessionEvent::Pause, now) {
                view.overlay = Overlay::GetReady {
                    until_ms: now + GET_READY_MS,
                };
                frame = paused;
                continue;
            }
        }
        frame = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(step: Step) -> FrameInfo {
        FrameInfo {
            step,
            step_label: step.label("en".into()),
            paused: false,
            drill_id: "ankle_pumps".into(),
            drill_name: "Seated ankle pumps".into(),
            drill_description: None,
            side: Some(Side::Left),
            set: 1,
            sets: 2,
            rep: Some(3),
            reps: Some(15),
            time_left_ms: None,
            deadline_ms: None,
            cue: None,
            progress: 0.25,
            elapsed_ms: 60_000,
            remaining_ms: 574_000,
            can_start: false,
            can_rep_done: step == Step::Work,
            can_pause: true,
            can_resume: false,
            can_skip_step: true,
            can_skip_drill: true,
            can_switch_side: false,
            can_report_pain: step == Step::PainCheck,
            can_stop: true,
            effects: Vec::new(),
            decisions: Vec::new(),
        }
    }

    fn screen(f: &FrameInfo, v: &View) -> String {
        let backend = ratatui::backend::TestBackend::new(80, 22);
        let mut t = ratatui::Terminal::new(backend).unwrap();
        t.draw(|fr| draw(fr, f, v, 0)).unwrap();
        let buf = t.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_work_screen_shows_drill_count_cue_progress_and_keys() {
        let f = frame(Step::Work);
        let mut v = View::new(0);
        v.cue = Some("Pull the toes up towards the shin.".into());
        v.clip = Some(("rep loop".into(), 15_000, 24_000, true, 0));
        let s = screen(&f, &v);
        assert!(s.contains("Seated ankle pumps"), "{s}");
        assert!(s.contains("set 1/2 · left leg"), "{s}");
        assert!(
            s.contains("▶ rep loop 0:15–0:24 (mirrored) · looping"),
            "{s}"
        );
        assert!(s.contains(&big("3/15")[0]), "{s}");
        assert!(s.contains("“Pull the toes up towards the shin.”"), "{s}");
        assert!(s.contains("25% · 9:34 left"), "{s}");
        assert!(
            s.contains("space pause · Enter rep done · s end set · n next drill · q quit"),
            "{s}"
        );
    }

    #[test]
    fn keys_during_a_countdown_are_dropped_and_quit_asks_first() {
        let mut f = frame(Step::EndRangePause);
        f.can_rep_done = false;
        f.time_left_ms = Some(2000);
        let v = View::new(0);
        assert_eq!(
            on_key(&f, &v, Key::Enter, 5_000),
            None,
            "no rep during a countdown"
        );
        let work = frame(Step::Work);
        let fresh = View::new(1_000);
        assert_eq!(
            on_key(&work, &fresh, Key::Enter, 1_100),
            None,
            "a bounce is no rep"
        );
        assert_eq!(
            on_key(&work, &fresh, Key::Enter, 1_400),
            Some((Some(SessionEvent::RepDone), Overlay::None))
        );
        let (event, overlay) = on_key(&work, &fresh, Key::Char('q'), 2_000).unwrap();
        assert_eq!(event, Some(SessionEvent::Pause));
        assert_eq!(overlay, Overlay::ConfirmQuit { resume: true });
        let asking = View {
            overlay,
            ..View::new(0)
        };
        assert!(screen(&work, &asking).contains("saved as stopped early"));
        assert_eq!(
            on_key(&work, &asking, Key::Char('n'), 2_100),
            Some((Some(SessionEvent::Resume), Overlay::None))
        );
        assert_eq!(
            on_key(&work, &asking, Key::Char('y'), 2_100),
            Some((Some(SessionEvent::Stop), Overlay::None))
        );
        assert_eq!(on_key(&work, &asking, Key::Enter, 2_100), None);
    }

    #[test]
    fn pain_is_typed_checked_and_a_stretch_is_not_pain() {
        let f = frame(Step::PainCheck);
        let mut v = View::new(0);
        v.overlay = Overlay::Pain {
            typed: String::new(),
            error: None,
        };
        let shown = screen(&f, &v);
        assert!(
            shown.contains("Pain in your left leg during that set of Seated ankle pumps, 0–10?"),
            "{shown}"
        );
        assert!(shown.contains("Pain check · left leg"), "{shown}");
        let (_, o) = on_key(&f, &v, Key::Char('1'), 0).unwrap();
        v.overlay = o;
        let (_, o) = on_key(&f, &v, Key::Char('1'), 0).unwrap();
        v.overlay = o;
        let (e, o) = on_key(&f, &v, Key::Enter, 0).unwrap();
        assert_eq!(e, None, "11 is refused");
        assert!(matches!(o, Overlay::Pain { error: Some(_), .. }));
        v.overlay = o;
        assert_eq!(
            on_key(&f, &v, Key::Char('s'), 0),
            Some((Some(SessionEvent::StretchReported), Overlay::None))
        );
        let (_, o) = on_key(&f, &v, Key::Char('7'), 0).unwrap();
        v.overlay = o;
        assert_eq!(
            on_key(&f, &v, Key::Enter, 0),
            Some((Some(SessionEvent::PainReported { pain: 7 }), Overlay::None))
        );
    }

    #[test]
    fn progress_and_time_left_move_during_a_set_but_never_back() {
        let mut m = Moving::default();
        let mut f = frame(Step::Work);
        f.progress = 0.5;
        f.remaining_ms = 100_000;
        f.elapsed_ms = 60_000;
        assert_eq!(m.show(&f, Some(20_000)), (0.5, 100_000));
        f.elapsed_ms = 70_000;
        let (p, r) = m.show(&f, Some(20_000));
        assert_eq!(r, 90_000, "ten seconds into the set");
        assert!((p - 0.55).abs() < 1e-9, "{p}");
        f.elapsed_ms = 200_000;
        assert_eq!(
            m.show(&f, Some(20_000)).1,
            80_000,
            "a slow set moves at most one set's length"
        );
        // The set is done; the core's estimate is above what was shown: no jump back.
        f.progress = 0.55;
        f.remaining_ms = 85_000;
        let (p, r) = m.show(&f, Some(20_000));
        assert_eq!(r, 80_000);
        assert!(p >= 0.6 - 1e-9, "{p}");
        f.elapsed_ms = 210_000;
        assert_eq!(m.show(&f, Some(20_000)).1, 75_000);
        // Unknown set length: only the core's steps.
        let mut still = Moving::default();
        assert_eq!(still.show(&f, None), (0.55, 85_000));
        f.elapsed_ms = 400_000;
        assert_eq!(still.show(&f, None), (0.55, 85_000));
    }

    #[test]
    fn an_ended_session_shows_no_percentage() {
        let mut f = frame(Step::Summary);
        f.progress = 1.0;
        let s = screen(&f, &View::new(0));
        assert!(!s.contains("100%"), "{s}");
    }

    #[test]
    fn big_digits_have_five_rows_of_equal_width() {
        let rows = big("12:05");
        assert_eq!(rows.len(), 5);
        let w = rows[0].chars().count();
        assert!(rows.iter().all(|r| r.chars().count() == w));
    }
}
