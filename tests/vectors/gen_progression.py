#!/usr/bin/env python3
"""Writes progression.json: the shared progression test vectors.

Only the *inputs* are built by helpers here (to keep 40+ histories short and consistent);
every expectation is written by hand from the thresholds in docs/adr/0002-progression-rules.md,
never computed by the Rust code. Run: python3 tests/vectors/gen_progression.py
"""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=timezone.utc)  # a Wednesday, 08:00 UTC
ALL_EQUIPMENT = ["wall", "band", "step", "chair", "backpack", "ball", "towel", "foam", "tape"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def day(k, hour=7, minute=0, now=NOW):
    """k days before `now`'s date, at hour:minute UTC."""
    d = (now - timedelta(days=k)).replace(hour=hour, minute=minute, second=0)
    return d


def checkin(k, ankle=1, calf=0, achilles=0, stiffness=None, flags=None, at=None, zone=None):
    c = {"at": iso(at or day(k)), "pain": {"calf": calf, "achilles": achilles, "ankle": ankle}}
    if stiffness:
        c["stiffness"] = stiffness
    if flags:
        c["red_flags_yes"] = flags
    if zone:
        c["zone"] = zone
    return c


def mornings(days, score=1, **kw):
    return [checkin(k, ankle=score, **kw) for k in days]


def s(drill, side, level, pain, k=None, stopped=False, reason=None, skipped=False, at=None):
    out = {"drill": drill, "side": side, "level": level, "pain": pain}
    if stopped:
        out["stopped"] = True
        out["reason_code"] = reason
    if skipped:
        out["skipped"] = True
    if at is not None:
        out["at"] = iso(at)
    elif k is not None:
        out["at"] = iso(day(k, 18))
    return out


def session(k, sets, date=None):
    for x in sets:
        x.setdefault("at", iso(day(k, 18)))
    return {"date": date or day(k).strftime("%Y-%m-%d"), "sets": sets}


def both_sides(drill, level, pain, k, **kw):
    return [s(drill, "left", level, pain, k, **kw), s(drill, "right", level, pain, k, **kw)]


def rec(drill, side, level, changed_at):
    return {"drill": drill, "side": side, "level": level, "changed_at": iso(changed_at)}


def recs(drill, level, changed_at=None, sides=("left", "right")):
    return [rec(drill, side, level, changed_at or day(20, 12)) for side in sides]


def lv(drill, side, change, to_drill, to_level, reason):
    return {"drill": drill, "side": side, "change": change, "to_drill": to_drill,
            "to_level": to_level, "reason": reason}


def steady(days=range(0, 21), score=1):
    """A settled baseline: one check-in every morning, same score (trend flat)."""
    return mornings(days, score)


SC = []


def add(name, description, history, expect, now=NOW, zone="UTC", settings=None):
    sc = {"name": name, "description": description, "now": iso(now), "zone": zone,
          "history": history, "expect": expect}
    if settings:
        sc["settings"] = settings
    SC.append(sc)


def ready_sessions(drill, level, pain=1, days=(6, 4, 2)):
    return [session(k, both_sides(drill, level, pain, k)) for k in days]


# ---------------------------------------------------------------- morning traffic light
add("morning_green_settled", "Baseline 1/10; this morning 2/10 is less than 2 above it: green.",
    {"checkins": steady(range(1, 15)) + [checkin(0, ankle=2)]},
    {"morning": {"status": "green", "reason": "settled"}})
add("morning_amber_exactly_two_above", "Baseline 1/10; 3/10 is exactly 2 above: amber (Silbernagel 2007: next-morning rise).",
    {"checkins": steady(range(1, 15)) + [checkin(0, ankle=3)]},
    {"morning": {"status": "amber", "reason": "above_baseline"}})
add("morning_red_six", "6/10 in the morning is above the 5/10 ceiling: red.",
    {"checkins": steady(range(1, 15)) + [checkin(0, ankle=6)]},
    {"morning": {"status": "red", "reason": "morning_pain_high"}})
add("morning_five_on_baseline_four", "5/10 is not above the 5/10 ceiling and only 1 above a baseline of 4: green.",
    {"checkins": steady(range(1, 15), 4) + [checkin(0, ankle=5)]},
    {"morning": {"status": "green", "reason": "settled"}})
add("morning_ten", "10/10, the top of the scale: red.",
    {"checkins": steady(range(1, 15)) + [checkin(0, calf=10, ankle=0)]},
    {"morning": {"status": "red", "reason": "morning_pain_high"}})
add("morning_no_baseline_three", "Only two earlier check-ins (baseline needs three): 3/10 is not above 3, green with baseline unknown.",
    {"checkins": mornings([1, 2]) + [checkin(0, ankle=3)]},
    {"morning": {"status": "green", "reason": "baseline_unknown"}})
add("morning_no_baseline_four", "No baseline yet and 4/10 (above 3): amber to be careful.",
    {"checkins": mornings([1, 2]) + [checkin(0, ankle=4)]},
    {"morning": {"status": "amber", "reason": "no_baseline_score_high"}})
add("morning_red_flag", "A yes to a red-flag question (swollen hot calf) is red whatever the score.",
    {"checkins": steady(range(1, 15)) + [checkin(0, ankle=0, flags=["calf_swollen_hot"])]},
    {"morning": {"status": "red", "reason": "red_flag_answered"}})
add("morning_stiffness_counts", "Pain 1 but Achilles stiffness 4 on a baseline of 1: the worst of pain and stiffness counts, amber.",
    {"checkins": steady(range(1, 15)) + [checkin(0, ankle=1, stiffness={"calf": 0, "achilles": 4, "ankle": 0})]},
    {"morning": {"status": "amber", "reason": "above_baseline"}})
add("morning_trend_rising", "Weekly means 0 → 1 → 2: green by baseline; the rising trend is reported (weekly_trend_rising) and pauses progression, but the morning stays green (ADR 0002: a slow drift holds, it does not count as an amber morning).",
    {"checkins": mornings(range(14, 21), 0) + mornings(range(7, 14), 1) + mornings(range(0, 7), 2)},
    {"morning": {"status": "green", "reason": "weekly_trend_rising"}})

# ---------------------------------------------------------------- progress / hold thresholds
BASE = lambda drill, level: {"checkins": steady(), "progress": recs(drill, level)}


def with_sessions(h, sessions):
    h = dict(h)
    h["sessions"] = sessions
    return h


add("levels_pain_free_max_two_progresses", "banded_df_mob (pain-free) at level 1, three days in 7 with pain 2 (the most a pain-free drill allows), mornings settled: both legs up one dosage level.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, pain=2)),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")],
     "levels_complete": True,
     "apply": [{"drill": "banded_df_mob", "side": "left", "level": 2},
               {"drill": "banded_df_mob", "side": "right", "level": 2}]})
add("levels_pain_free_three_not_stopped_holds", "One set at 3/10 on a pain-free drill, carried on (not stopped): above the policy, hold (Vicenzino 2011: mobilisation must be pain-free).",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)[:2] + [session(2, both_sides("banded_df_mob", 1, 3, 2))]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_pain_above_policy"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_pain_above_policy")],
     "apply": []})
add("levels_pain_free_stopped_left_regresses_right_progresses", "Left set stopped at 3/10 by the pain-free rule two days ago: left regresses one dosage level; the right leg met every condition and progresses.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)[:2] + [session(2, [
        s("banded_df_mob", "left", 1, 3, stopped=True, reason="pain_free_limit_exceeded"),
        s("banded_df_mob", "right", 1, 1)])]),
    {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 0, "regress_stopped_set"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")],
     "apply": [{"drill": "banded_df_mob", "side": "left", "level": 0},
               {"drill": "banded_df_mob", "side": "right", "level": 2}]})
add("levels_monitored_five_progresses", "single_leg_calf_raise (monitored) with pain exactly 5/10: acceptable during loading (Silbernagel 2007), mornings settled: progress.",
    with_sessions(BASE("single_leg_calf_raise", 1), ready_sessions("single_leg_calf_raise", 1, pain=5)),
    {"levels": [lv("single_leg_calf_raise", "left", "progress", "single_leg_calf_raise", 2, "progress_ready"),
                lv("single_leg_calf_raise", "right", "progress", "single_leg_calf_raise", 2, "progress_ready")]})
add("levels_monitored_six_stopped_regresses", "A monitored set stopped at 6/10 (above 5): regress one dosage level on that leg.",
    with_sessions(BASE("single_leg_calf_raise", 1), ready_sessions("single_leg_calf_raise", 1)[:2] + [session(2, [
        s("single_leg_calf_raise", "left", 1, 2),
        s("single_leg_calf_raise", "right", 1, 6, stopped=True, reason="monitored_limit_exceeded")])]),
    {"levels": [lv("single_leg_calf_raise", "right", "regress", "single_leg_calf_raise", 0, "regress_stopped_set"),
                lv("single_leg_calf_raise", "left", "progress", "single_leg_calf_raise", 2, "progress_ready")]})
add("levels_monitored_six_not_stopped_holds", "6/10 logged on a monitored drill but the set was not stopped: above policy, hold (no regression without a stopped set).",
    with_sessions(BASE("single_leg_calf_raise", 1), ready_sessions("single_leg_calf_raise", 1)[:2] + [session(2, both_sides("single_leg_calf_raise", 1, 6, 2))]),
    {"levels": [lv("single_leg_calf_raise", "left", "hold", "single_leg_calf_raise", 1, "hold_pain_above_policy"),
                lv("single_leg_calf_raise", "right", "hold", "single_leg_calf_raise", 1, "hold_pain_above_policy")]})
add("levels_pain_ten_severe_stop_regresses", "A set stopped at 10/10 (severe pain, referral): regress.",
    with_sessions(BASE("single_leg_calf_raise", 2), [session(1, [
        s("single_leg_calf_raise", "left", 2, 10, stopped=True, reason="severe_pain_referral")])]),
    {"levels": [lv("single_leg_calf_raise", "left", "regress", "single_leg_calf_raise", 1, "regress_stopped_set"),
                lv("single_leg_calf_raise", "right", "hold", "single_leg_calf_raise", 2, "hold_too_few_sessions")]})
add("levels_runner_stop_is_not_pain", "A set the runner stopped with no pain (reason stopped_by_runner, pain 0) is not a pain signal: hold for too few sessions, no regression.",
    with_sessions(BASE("banded_df_mob", 1), [session(1, [
        s("banded_df_mob", "left", 1, 0, stopped=True, reason="stopped_by_runner")])]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_two_sessions_hold", "Only 2 days with the drill in the last 7 (needs 3): hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(5, 2))),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_same_day_counts_once", "Three sessions, but two on the same local day: 2 days, hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(5, 2)) + [
        {"date": day(2).strftime("%Y-%m-%d"), "sets": [s("banded_df_mob", "left", 1, 1, at=day(2, 20)), s("banded_df_mob", "right", 1, 1, at=day(2, 20))]}]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_session_eight_days_ago_outside_window", "Sessions 8, 4 and 2 days ago: the first is outside the 7-day window, hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(8, 4, 2))),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_todays_session_not_evidence_yet", "Sessions 4, 2 and 0 days ago: today's has no next morning yet, so only 2 count: hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(4, 2, 0))),
    {"now_note": "sets today are at 18:00, after now; they are stamped 07:30 instead",
     "levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_pain_not_answered_does_not_count", "Three days done, but one day's sets have no pain answer: missing data does not count towards progressing, hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(6, 4)) + [session(2, both_sides("banded_df_mob", 1, None, 2))]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})
add("levels_skipped_sets_do_not_count", "One of the three days only has skipped sets: 2 days done, hold.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(6, 4)) + [session(2, both_sides("banded_df_mob", 1, 0, 2, skipped=True))]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]})

h = with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1))
h["checkins"] = [c for c in h["checkins"] if c["at"] != iso(day(3))]
add("levels_missing_next_morning_holds", "The morning after the session 4 days ago has no check-in: not known to be settled, hold (missing data never counts in favour).",
    h, {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_morning_not_settled"),
                   lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_morning_not_settled")]})
h = with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1))
h["checkins"] = [c for c in h["checkins"] if c["at"] != iso(day(3))] + [checkin(3, ankle=3)]
add("levels_one_amber_next_morning_holds", "The morning after one session was 3/10 on a baseline of 1 (amber): not back to baseline, hold; one amber morning alone does not regress.",
    h, {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_morning_not_settled")]})
h = with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1))
h["checkins"] = [c for c in h["checkins"] if c["at"] not in (iso(day(0)), iso(day(1)))] + [checkin(1, ankle=3), checkin(0, ankle=4)]
add("levels_two_amber_mornings_regress", "Yesterday 3/10 and today 4/10 on a baseline of 1: two amber mornings in a row, regress every evaluated drill one step.",
    h, {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 0, "regress_two_amber_mornings"),
                   lv("banded_df_mob", "right", "regress", "banded_df_mob", 0, "regress_two_amber_mornings")],
        "morning": {"status": "amber", "reason": "above_baseline"}})
h = with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1, days=(5, 3, 1)))
h["checkins"] = [c for c in h["checkins"] if c["at"] not in (iso(day(4)), iso(day(2)))] + [checkin(4, ankle=3), checkin(2, ankle=3)]
add("levels_two_amber_not_consecutive_holds", "Amber mornings 4 and 2 days ago with a green one between: not in a row, no regression, but not settled: hold.",
    h, {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_morning_not_settled")]})
h = with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 1, day(8, 12))},
                  ready_sessions("banded_df_mob", 1, days=(6, 4, 2)))
h["checkins"] = [c for c in h["checkins"] if c["at"] not in (iso(day(8)), iso(day(7)))] + [checkin(8, ankle=4), checkin(7, ankle=4)]
add("levels_amber_before_change_not_counted", "Amber mornings 8 and 7 days ago, but the level changed 8 days ago at noon: only the second is after the change, so no regression; later evidence is clean: progress.",
    h, {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})
add("levels_red_mornings_count_as_amber_or_worse", "Yesterday 6/10 and today 7/10 (red): amber or worse two days running, regress.",
    with_sessions({"checkins": steady(range(2, 21)) + [checkin(1, ankle=6), checkin(0, ankle=7)],
                   "progress": recs("single_leg_calf_raise", 1)}, ready_sessions("single_leg_calf_raise", 1)),
    {"levels": [lv("single_leg_calf_raise", "left", "regress", "single_leg_calf_raise", 0, "regress_two_amber_mornings")]})
add("levels_trend_rising_holds", "Morning check-ins every other day with weekly means 0 → 1 → 2: rising trend, progression paused (amber mornings are not on consecutive days, so no regression).",
    {"checkins": mornings([15, 17, 19], 0) + mornings([7, 9, 11, 13], 1) + mornings([1, 3, 5], 2),
     "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_trend_rising")],
     "morning": {"status": "green", "reason": "weekly_trend_rising"}})

# ---------------------------------------------------------------- one step a week
add("levels_changed_this_week_holds", "Level changed 3 days ago; the evidence would otherwise do: at most one step a week, hold.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 1, day(3, 6))}, ready_sessions("banded_df_mob", 1, days=(3, 2, 1))),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_changed_this_week"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_changed_this_week")],
     "apply": []})
add("levels_changed_exactly_seven_days_ago_progresses", "Level changed exactly 7 days before now; three clean days since: the week is over, progress.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 1, NOW - timedelta(days=7))}, ready_sessions("banded_df_mob", 1, days=(6, 4, 2))),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})
add("levels_regress_not_delayed_by_week_limit", "Level went up 2 days ago, then a set stopped for pain yesterday: backing off is never delayed, regress.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 2, day(2, 6))}, [session(1, [
        s("banded_df_mob", "left", 2, 4, stopped=True, reason="pain_free_limit_exceeded"), s("banded_df_mob", "right", 2, 1)])]),
    {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 1, "regress_stopped_set"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 2, "hold_changed_this_week")]})
add("levels_stop_before_change_not_counted", "A set stopped 5 days ago, before the level was lowered 4 days ago: already acted on, no second regression.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 0, day(4, 6))}, [session(5, both_sides("banded_df_mob", 1, 3, 5, stopped=True, reason="pain_free_limit_exceeded"))]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 0, "hold_changed_this_week")]})

# ---------------------------------------------------------------- chain navigation
add("levels_top_dosage_moves_to_next_drill", "banded_df_mob at its top dosage (2), ready: next drill in the chain at its first dosage.",
    with_sessions(BASE("banded_df_mob", 2), ready_sessions("banded_df_mob", 2)),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob_elevated", 0, "progress_ready")],
     "apply": [{"drill": "banded_df_mob_elevated", "side": "left", "level": 0},
               {"drill": "banded_df_mob_elevated", "side": "right", "level": 0}]})
add("levels_top_of_chain_holds", "banded_df_mob_elevated at its top dosage (1), the end of the chain: ready but nowhere to go.",
    with_sessions(BASE("banded_df_mob_elevated", 1), ready_sessions("banded_df_mob_elevated", 1)),
    {"levels": [lv("banded_df_mob_elevated", "left", "hold", "banded_df_mob_elevated", 1, "hold_top_of_chain")], "apply": []})
add("levels_first_dosage_regresses_to_previous_drill", "banded_df_mob at dosage 0, a set stopped: the chain's easier drill (knee_to_wall_rocks) at its top dosage (2).",
    with_sessions(BASE("banded_df_mob", 0), [session(1, [s("banded_df_mob", "right", 0, 3, stopped=True, reason="pain_free_limit_exceeded")])]),
    {"levels": [lv("banded_df_mob", "right", "regress", "knee_to_wall_rocks", 2, "regress_stopped_set")],
     "apply": [{"drill": "knee_to_wall_rocks", "side": "right", "level": 2}]})
add("levels_bottom_of_chain_holds", "ankle_pumps_seated at dosage 0 (the easiest there is), a set stopped: nothing easier, hold.",
    with_sessions(BASE("ankle_pumps_seated", 0), [session(1, [s("ankle_pumps_seated", "left", 0, 3, stopped=True, reason="pain_free_limit_exceeded")])]),
    {"levels": [lv("ankle_pumps_seated", "left", "hold", "ankle_pumps_seated", 0, "hold_bottom_of_chain")], "apply": []})
add("levels_two_footed_to_one_legged", "double_leg_calf_raise (two-footed) at its top dosage, ready: single_leg_calf_raise at 0, one record for both legs (side null).",
    with_sessions({"checkins": steady(), "progress": [rec("double_leg_calf_raise", None, 1, day(20, 12))]},
                  [session(k, [s("double_leg_calf_raise", None, 1, 2, k)]) for k in (6, 4, 2)]),
    {"levels": [lv("double_leg_calf_raise", None, "progress", "single_leg_calf_raise", 0, "progress_ready")],
     "levels_complete": True,
     "apply": [{"drill": "single_leg_calf_raise", "side": None, "level": 0}]})
add("levels_one_legged_to_two_footed_shared", "single_leg_calf_raise at 0; the left leg's set stopped at 6/10: back to the two-footed drill at its top dosage, which carries both legs, so the right leg goes too.",
    with_sessions(BASE("single_leg_calf_raise", 0), ready_sessions("single_leg_calf_raise", 0)[:2] + [session(2, [
        s("single_leg_calf_raise", "left", 0, 6, stopped=True, reason="monitored_limit_exceeded"), s("single_leg_calf_raise", "right", 0, 2)])]),
    {"levels": [lv("single_leg_calf_raise", "left", "regress", "double_leg_calf_raise", 1, "regress_stopped_set"),
                lv("single_leg_calf_raise", "right", "regress", "double_leg_calf_raise", 1, "regress_two_footed_shared")],
     "apply": [{"drill": "double_leg_calf_raise", "side": None, "level": 1}]})
add("levels_latest_record_wins_after_regression", "Records for banded_df_mob (20 days old) and knee_to_wall_rocks (regressed 10 days ago): the runner is on knee_to_wall_rocks, which is evaluated; the stale higher record is not.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 0) + recs("knee_to_wall_rocks", 2, day(10, 12))},
                  ready_sessions("knee_to_wall_rocks", 2)),
    {"levels": [lv("knee_to_wall_rocks", "left", "progress", "banded_df_mob", 0, "progress_ready"),
                lv("knee_to_wall_rocks", "right", "progress", "banded_df_mob", 0, "progress_ready")],
     "levels_complete": True,
     "apply": [{"drill": "banded_df_mob", "side": "left", "level": 0}, {"drill": "banded_df_mob", "side": "right", "level": 0}]})

# ---------------------------------------------------------------- sides, records, selection
add("levels_sides_at_different_levels", "Left at banded_df_mob 2, right at 1, each done at its own level: left moves to the next drill, right up one dosage.",
    with_sessions({"checkins": steady(), "progress": [rec("banded_df_mob", "left", 2, day(20, 12)), rec("banded_df_mob", "right", 1, day(20, 12))]},
                  [session(k, [s("banded_df_mob", "left", 2, 1, k), s("banded_df_mob", "right", 1, 1, k)]) for k in (6, 4, 2)]),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob_elevated", 0, "progress_ready"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")]})
add("levels_ahead_leg_done_below_its_level_holds", "Left at level 2 but (planned at the weaker right leg's dose) done at level 1: no evidence for the step beyond 2, hold; right progresses.",
    with_sessions({"checkins": steady(), "progress": [rec("banded_df_mob", "left", 2, day(20, 12)), rec("banded_df_mob", "right", 1, day(20, 12))]},
                  ready_sessions("banded_df_mob", 1)),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 2, "hold_too_few_sessions"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")]})
add("levels_no_record_done_this_week", "ankle_alphabet_seated has no record but was done on 3 days at level 0 with no pain: evaluated per leg, but the level started with the first set 6 days ago, and a drill without a record is not exempt from one step a week: hold (ADR 0002, missing data).",
    with_sessions({"checkins": steady()}, ready_sessions("ankle_alphabet_seated", 0, pain=0)),
    {"levels": [lv("ankle_alphabet_seated", "left", "hold", "ankle_alphabet_seated", 0, "hold_started_this_week"),
                lv("ankle_alphabet_seated", "right", "hold", "ankle_alphabet_seated", 0, "hold_started_this_week")],
     "levels_complete": True, "apply": []})
add("levels_only_recent_or_recorded_drills", "toe_yoga done 10 days ago without a record is not evaluated; gastroc_wall_stretch with a record but not done lately holds for too few sessions.",
    with_sessions({"checkins": steady(), "progress": recs("gastroc_wall_stretch", 1)},
                  [session(10, [s("toe_yoga", None, 0, 0, 10)])]),
    {"levels": [lv("gastroc_wall_stretch", "left", "hold", "gastroc_wall_stretch", 1, "hold_too_few_sessions"),
                lv("gastroc_wall_stretch", "right", "hold", "gastroc_wall_stretch", 1, "hold_too_few_sessions")],
     "levels_complete": True})
add("levels_unknown_drill_skipped_with_reason", "A record for a retired drill id: reported as hold_unknown_drill, the rest is still evaluated.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 1) + [rec("retired_drill", "left", 3, day(20, 12))]},
                  ready_sessions("banded_df_mob", 1)),
    {"levels": [lv("retired_drill", "left", "hold", "retired_drill", 0, "hold_unknown_drill"),
                lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})

# ---------------------------------------------------------------- lock, long run, DST
add("levels_locked_by_red_flag", "An open red-flag lock: no level changes, and no drills today.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)), locked=True),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_locked_by_red_flag")],
     "plan": {"variant": "locked", "reasons": ["locked_by_red_flag"], "item_count": 0}},
    settings={"equipment": ALL_EQUIPMENT})
long_run = {"start": iso(day(1, 7)), "end": iso(day(1, 8, 40)), "distance_m": 21000, "tags": ["long"]}
add("levels_after_long_run_holds", "A 100-minute long run yesterday morning (within 36 h): levels hold and today is a recovery session.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)), runs=[long_run]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_after_long_run")],
     "plan": {"variant": "recovery", "reasons": ["settled", "day_after_long_run"],
              "absent_drills": ["single_leg_calf_raise", "eccentric_heel_drop_step", "double_leg_calf_raise", "towel_toe_calf_raise"]}},
    settings={"equipment": ALL_EQUIPMENT})
add("levels_after_long_run_still_regresses", "Long run yesterday and a set stopped for pain after it: backing off is still allowed.",
    dict(with_sessions(BASE("single_leg_calf_raise", 1), [session(1, [s("single_leg_calf_raise", "left", 1, 6, stopped=True, reason="monitored_limit_exceeded")])]), runs=[long_run]),
    {"levels": [lv("single_leg_calf_raise", "left", "regress", "single_leg_calf_raise", 0, "regress_stopped_set"),
                lv("single_leg_calf_raise", "right", "hold", "single_leg_calf_raise", 1, "hold_after_long_run")]})
add("levels_short_jog_does_not_hold", "A 30-minute easy run yesterday is not a long run: progress as usual.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)),
         runs=[{"start": iso(day(1, 7)), "end": iso(day(1, 7, 30)), "distance_m": 5000, "tags": []}]),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})

# DST: Europe/London springs forward on 2026-03-29. A check-in at 00:30 BST on 30 March is
# 23:30 UTC on 29 March; in London it is the morning of the 30th.
DST_NOW = datetime(2026, 3, 30, 7, 30, tzinfo=timezone.utc)  # 08:30 BST
lon = lambda y, m, d, h, mi: iso(datetime(y, m, d, h, mi, tzinfo=timezone.utc))
dst_checkins = [{"at": lon(2026, 3, d, 7, 0), "pain": {"calf": 0, "achilles": 0, "ankle": 1}} for d in range(10, 29)] + [
    {"at": lon(2026, 3, 29, 6, 0), "pain": {"calf": 0, "achilles": 0, "ankle": 1}},   # 07:00 BST, 29th
    {"at": lon(2026, 3, 29, 23, 30), "pain": {"calf": 0, "achilles": 0, "ankle": 1}},  # 00:30 BST, 30th
]
dst_sessions = [{"date": f"2026-03-{d}", "sets": [
    {"drill": "banded_df_mob", "side": side, "level": 1, "pain": 1, "at": lon(2026, 3, d, 17, 0)} for side in ("left", "right")]}
    for d in (27, 28, 29)]
add("levels_dst_london_local_dates", "Europe/London, the day after clocks go forward. Sessions 27–29 March; the check-in for the 30th was at 00:30 BST (23:30 UTC on the 29th). Counted in local dates every next morning is there: progress. (In UTC dates the 30th would look missing.)",
    {"checkins": dst_checkins, "sessions": dst_sessions, "progress": [rec("banded_df_mob", side, 1, datetime(2026, 3, 1, 12, tzinfo=timezone.utc)) for side in ("left", "right")]},
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")]},
    now=DST_NOW, zone="Europe/London")
add("plan_dst_checkin_after_midnight_counts_today", "Europe/London after spring-forward: an amber check-in at 00:30 BST (23:30 UTC the day before) is today's check-in, so the day is light.",
    {"checkins": [{"at": lon(2026, 3, d, 7, 0), "pain": {"calf": 0, "achilles": 0, "ankle": 1}} for d in range(10, 29)] + [
        {"at": lon(2026, 3, 29, 23, 30), "pain": {"calf": 0, "achilles": 0, "ankle": 4}}]},
    {"plan": {"variant": "light", "reasons": ["above_baseline"]},
     "morning": {"status": "amber", "reason": "above_baseline"}},
    now=DST_NOW, zone="Europe/London", settings={"equipment": ALL_EQUIPMENT})

# ---------------------------------------------------------------- plan_today
add("plan_green_normal", "Green morning, no long run: the normal plan at the runner's levels.",
    {"checkins": steady(), "progress": recs("banded_df_mob", 1)},
    {"plan": {"variant": "normal", "reasons": ["settled"], "items": [{"drill": "banded_df_mob", "level": 1}]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_amber_light", "Amber morning (3/10 on baseline 1): levels hold, one set fewer.",
    {"checkins": steady(range(1, 21)) + [checkin(0, ankle=3)], "progress": recs("banded_df_mob", 1)},
    {"plan": {"variant": "light", "reasons": ["above_baseline"], "items": [{"drill": "banded_df_mob", "level": 1, "reason": "lighter_dose"}]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_red_mobility_only", "Red morning (6/10): pain-free mobility only, one drill easier, no loading drills.",
    {"checkins": steady(range(1, 21)) + [checkin(0, ankle=6)], "progress": recs("banded_df_mob", 1)},
    {"plan": {"variant": "mobility_only", "reasons": ["morning_pain_high"],
              "items": [{"drill": "knee_to_wall_rocks"}],
              "absent_drills": ["banded_df_mob", "single_leg_calf_raise", "double_leg_calf_raise", "seated_soleus_raise"]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_no_checkin_normal", "No check-in yet today: planned as a normal day, with a nudge to check in.",
    {"checkins": steady(range(1, 21))},
    {"plan": {"variant": "normal", "reasons": ["no_checkin_today"]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_follows_latest_record", "Regressed from banded_df_mob to knee_to_wall_rocks 2 days ago: today's plan uses knee_to_wall_rocks at 2, not the older, higher record.",
    {"checkins": steady(), "progress": recs("banded_df_mob", 0) + recs("knee_to_wall_rocks", 2, day(2, 12))},
    {"plan": {"variant": "normal", "items": [{"drill": "knee_to_wall_rocks", "level": 2}], "absent_drills": ["banded_df_mob"]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_weaker_leg_sets_the_dose", "Left at banded_df_mob 2, right at 1: one item for both legs at the weaker leg's level 1.",
    {"checkins": steady(), "progress": [rec("banded_df_mob", "left", 2, day(20, 12)), rec("banded_df_mob", "right", 1, day(20, 12))]},
    {"plan": {"variant": "normal", "items": [{"drill": "banded_df_mob", "level": 1}]}},
    settings={"equipment": ALL_EQUIPMENT})
add("plan_legs_on_different_drills", "Left moved on to banded_df_mob_elevated, right still on banded_df_mob 2: the item is banded_df_mob at 2 for both legs.",
    {"checkins": steady(), "progress": recs("banded_df_mob", 2) + [rec("banded_df_mob_elevated", "left", 0, day(9, 12))]},
    {"plan": {"variant": "normal", "items": [{"drill": "banded_df_mob", "level": 2}], "absent_drills": ["banded_df_mob_elevated"]}},
    settings={"equipment": ALL_EQUIPMENT})

# ---------------------------------------------------------------- rules by principle (ADR 0002)
# Principle 1: missing data never counts in favour of progressing.
def only_mornings(days, score=1):
    return [checkin(k, ankle=score) for k in days]


add("principle_no_baseline_three_sessions_hold", "The issue's case: no check-ins before the sessions, then one green morning after each of three sessions. Each next morning was judged with no baseline (fewer than 3 earlier mornings), so nothing shows it was back to usual: hold.",
    {"checkins": only_mornings([5, 3, 1, 0]), "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_no_baseline"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_no_baseline")],
     "apply": []})
add("principle_two_mornings_no_baseline_hold", "Only two mornings in the last 28 days (a baseline needs 3): hold for no baseline, before any other morning reason.",
    {"checkins": only_mornings([3, 1]), "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_no_baseline")]})
add("principle_baseline_three_before_evidence_progresses", "Three mornings (9, 8, 7 days ago) before the first session, then a green morning after each session: every next morning was judged against a baseline, progress. The minimum: 3 baseline mornings plus the next mornings.",
    {"checkins": only_mornings([9, 8, 7, 5, 3, 1]), "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready"),
                lv("banded_df_mob", "right", "progress", "banded_df_mob", 2, "progress_ready")]})
add("principle_baseline_two_before_first_next_morning_holds", "Two mornings before the first session: the morning after it had only 2 earlier mornings (no baseline), so it cannot show 'back to usual': hold.",
    {"checkins": only_mornings([8, 7, 5, 3, 1]), "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_no_baseline")]})
add("principle_same_day_checkins_are_one_morning", "Three check-ins on one morning (8 days ago) are one morning, not a baseline: hold.",
    {"checkins": [checkin(8, at=day(8, 6)), checkin(8, at=day(8, 7)), checkin(8, at=day(8, 8))] + only_mornings([5, 3, 1]),
     "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_no_baseline")]})
add("principle_red_mornings_count_towards_baseline", "Earlier mornings 7, 1, 1: three mornings make a baseline (the red one counts towards the minimum, not the median), median of the settled ones 1: this morning's 3 is amber. Counting only settled mornings would leave no baseline and call 3 green.",
    {"checkins": [checkin(3, ankle=7), checkin(2, ankle=1), checkin(1, ankle=1), checkin(0, ankle=3)]},
    {"morning": {"status": "amber", "reason": "above_baseline"}})
add("principle_all_red_mornings_baseline_zero", "Three red mornings before today and no settled one: the baseline exists and is 0 (the careful reading), so this morning's 2 is amber, not green.",
    {"checkins": [checkin(3, ankle=6), checkin(2, ankle=7), checkin(1, ankle=6), checkin(0, ankle=2)]},
    {"morning": {"status": "amber", "reason": "above_baseline"}})
add("principle_no_record_started_a_week_ago_progresses", "ankle_alphabet_seated has no record; first done on the day a week ago, then on 3 clean days: the level is a week old, progress.",
    with_sessions({"checkins": steady()}, [session(7, both_sides("ankle_alphabet_seated", 0, 0, 7))] + ready_sessions("ankle_alphabet_seated", 0, pain=0)),
    {"levels": [lv("ankle_alphabet_seated", "left", "progress", "ankle_alphabet_seated", 1, "progress_ready"),
                lv("ankle_alphabet_seated", "right", "progress", "ankle_alphabet_seated", 1, "progress_ready")],
     "apply": [{"drill": "ankle_alphabet_seated", "side": "left", "level": 1},
               {"drill": "ankle_alphabet_seated", "side": "right", "level": 1}]})
add("principle_no_record_week_counted_in_local_days", "No record; the first set was late on the local day a week ago (21:30, 6.4 days before now): the week is counted in local days like every window of the rules, progress.",
    with_sessions({"checkins": steady()}, [session(7, both_sides("ankle_alphabet_seated", 0, 0, 7, at=day(7, 21, 30)))] + ready_sessions("ankle_alphabet_seated", 0, pain=0)),
    {"levels": [lv("ankle_alphabet_seated", "left", "progress", "ankle_alphabet_seated", 1, "progress_ready")]})
add("principle_no_record_two_footed_started_this_week", "toe_yoga (two-footed) without a record, done on 3 clean days this week only: hold, one step a week also without a record.",
    with_sessions({"checkins": steady()}, [session(k, [s("toe_yoga", None, 0, 0, k)]) for k in (6, 4, 2)]),
    {"levels": [lv("toe_yoga", None, "hold", "toe_yoga", 0, "hold_started_this_week")], "levels_complete": True, "apply": []})
add("principle_no_record_lower_level_earlier_does_not_count", "No record; done at level 0 a week ago, but at level 1 only since 6 days ago: the level the runner is on started this week, hold.",
    with_sessions({"checkins": steady()}, [session(7, both_sides("ankle_alphabet_seated", 0, 0, 7))] + ready_sessions("ankle_alphabet_seated", 1, pain=0)),
    {"levels": [lv("ankle_alphabet_seated", "left", "hold", "ankle_alphabet_seated", 1, "hold_started_this_week")]})


# Principle 2: pain rising set over set or session over session holds, even inside the limit.
def course(drill, side, level, pains, k):
    """One session's sets in order, 5 minutes apart, with the given pain answers."""
    return [s(drill, side, level, p, at=day(k, 18, 5 * i)) for i, p in enumerate(pains)]


CALF = "single_leg_calf_raise"
add("principle_pain_rising_set_over_set_holds", "The issue's case: 3 → 4 → 5 within one session on a monitored drill; every answer is within the 5/10 limit, yet pain rose 2 points set over set: hold.",
    with_sessions(BASE(CALF, 1), ready_sessions(CALF, 1, pain=3)[:2] + [session(2, course(CALF, "left", 1, [3, 4, 5], 2) + course(CALF, "right", 1, [3, 4, 5], 2))]),
    {"levels": [lv(CALF, "left", "hold", CALF, 1, "hold_pain_rising"), lv(CALF, "right", "hold", CALF, 1, "hold_pain_rising")], "apply": []})
add("principle_pain_rising_session_over_session_holds", "Sessions at 3, 4 and 5/10 (each flat within itself): rising 2 points session over session, hold.",
    with_sessions(BASE(CALF, 1), [session(k, both_sides(CALF, 1, p, k)) for k, p in ((6, 3), (4, 4), (2, 5))]),
    {"levels": [lv(CALF, "left", "hold", CALF, 1, "hold_pain_rising"), lv(CALF, "right", "hold", CALF, 1, "hold_pain_rising")]})
add("principle_pain_rise_of_one_progresses", "Sessions at 3, 3 and 4/10: a 1-point rise is within the noise of the scale (2 points is the smallest important change, Farrar 2001): progress.",
    with_sessions(BASE(CALF, 1), [session(k, both_sides(CALF, 1, p, k)) for k, p in ((6, 3), (4, 3), (2, 4))]),
    {"levels": [lv(CALF, "left", "progress", CALF, 2, "progress_ready")]})
add("principle_pain_falling_progresses", "Sessions at 5, 4 and 3/10: falling pain within the monitored limit, progress.",
    with_sessions(BASE(CALF, 1), [session(k, both_sides(CALF, 1, p, k)) for k, p in ((6, 5), (4, 4), (2, 3))]),
    {"levels": [lv(CALF, "left", "progress", CALF, 2, "progress_ready"), lv(CALF, "right", "progress", CALF, 2, "progress_ready")]})
add("principle_pain_free_drill_zero_to_two_holds", "banded_df_mob (pain-free) at 0, 1 and 2/10 over three sessions: never above the 2/10 limit, but rising 2 points: hold.",
    with_sessions(BASE("banded_df_mob", 1), [session(k, both_sides("banded_df_mob", 1, p, k)) for k, p in ((6, 0), (4, 1), (2, 2))]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_pain_rising")]})
add("principle_pain_dip_then_rise_holds", "One session 3 → 2 → 5 on a monitored drill: it ends 2 above where it started, hold.",
    with_sessions(BASE(CALF, 1), ready_sessions(CALF, 1, pain=3)[:2] + [session(2, course(CALF, "left", 1, [3, 2, 5], 2) + course(CALF, "right", 1, [3, 3, 3], 2))]),
    {"levels": [lv(CALF, "left", "hold", CALF, 1, "hold_pain_rising"), lv(CALF, "right", "progress", CALF, 2, "progress_ready")]})
add("principle_pain_peak_then_settle_progresses", "One session 3 → 5 → 3 (back where it started), other sessions at 3: no rise from first to last, the peak is within 5/10: progress.",
    with_sessions(BASE(CALF, 1), [session(6, course(CALF, "left", 1, [3, 5, 3], 6))] + [session(k, [s(CALF, "left", 1, 3, k)]) for k in (4, 2)]),
    {"levels": [lv(CALF, "left", "progress", CALF, 2, "progress_ready")]})
add("principle_pain_rise_before_level_change_ignored", "A session going 1 → 3 at 05:00 seven days ago, an hour before the level last changed: it belongs to the old level and is not evidence about this one; the three sessions since are flat at 2: progress.",
    with_sessions({"checkins": steady(), "progress": recs("banded_df_mob", 1, day(7, 6))},
                  [{"date": day(7).strftime("%Y-%m-%d"), "sets": [s("banded_df_mob", "left", 1, 1, at=day(7, 5)), s("banded_df_mob", "left", 1, 3, at=day(7, 5, 5))]}]
                  + ready_sessions("banded_df_mob", 1, pain=2)),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})
add("principle_pain_rising_today_holds", "Three clean sessions earlier this week, and this morning's session went 2 → 3 → 4: today's sets are not evidence for progressing, but they are evidence against it: hold.",
    with_sessions(BASE(CALF, 1), ready_sessions(CALF, 1, pain=2) + [{"date": NOW.strftime("%Y-%m-%d"), "sets": [
        s(CALF, "left", 1, p, at=NOW.replace(hour=7, minute=10 * i)) for i, p in enumerate([2, 3, 4])]}]),
    {"levels": [lv(CALF, "left", "hold", CALF, 1, "hold_pain_rising"), lv(CALF, "right", "progress", CALF, 2, "progress_ready")]})
add("principle_pain_rising_one_leg_only", "Left leg 2 → 4 within a session, right leg flat at 2: each leg keeps its own evidence; left holds, right progresses.",
    with_sessions(BASE(CALF, 1), ready_sessions(CALF, 1, pain=2)[:2] + [session(2, course(CALF, "left", 1, [2, 3, 4], 2) + course(CALF, "right", 1, [2, 2, 2], 2))]),
    {"levels": [lv(CALF, "left", "hold", CALF, 1, "hold_pain_rising"), lv(CALF, "right", "progress", CALF, 2, "progress_ready")],
     "apply": [{"drill": CALF, "side": "right", "level": 2}]})

# Principle 3: a slowly rising morning trend pauses progression; regression stays for stopped
# sets and clearly amber mornings.
DRIFT = mornings(range(14, 21), 0) + mornings(range(7, 14), 1) + mornings(range(0, 7), 2)
add("principle_slow_drift_holds_not_regresses", "Daily mornings drifting 0 → 1 → 2 week on week, each within 2 of the baseline: before, every morning counted as amber and two in a row regressed every drill; now the trend holds the level and nothing regresses.",
    {"checkins": DRIFT, "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_trend_rising"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_trend_rising")],
     "levels_complete": True, "apply": [],
     "morning": {"status": "green", "reason": "weekly_trend_rising"}})
add("principle_slow_drift_plan_is_normal", "The same drift with nothing else wrong: today is a normal day (no lighter dose), with the trend among the reasons.",
    {"checkins": DRIFT, "progress": recs("banded_df_mob", 1)},
    {"plan": {"variant": "normal", "reasons": ["weekly_trend_rising"], "items": [{"drill": "banded_df_mob", "level": 1, "reason": "normal_dose"}]}},
    settings={"equipment": ALL_EQUIPMENT})
add("principle_drift_with_clearly_amber_mornings_regresses", "The drift, and then yesterday and today at 4/10 against a baseline of 1: clearly amber two days running, regress.",
    {"checkins": [c for c in DRIFT if c["at"] not in (iso(day(1)), iso(day(0)))] + [checkin(1, ankle=4), checkin(0, ankle=4)],
     "progress": recs("banded_df_mob", 1), "sessions": ready_sessions("banded_df_mob", 1)},
    {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 0, "regress_two_amber_mornings")],
     "morning": {"status": "amber", "reason": "above_baseline"}})
add("principle_drift_stopped_set_regresses", "The drift, and a set stopped for pain two days ago: a stopped set still regresses.",
    {"checkins": DRIFT, "progress": recs("banded_df_mob", 1),
     "sessions": ready_sessions("banded_df_mob", 1)[:2] + [session(2, [s("banded_df_mob", "left", 1, 3, stopped=True, reason="pain_free_limit_exceeded"), s("banded_df_mob", "right", 1, 1)])]},
    {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 0, "regress_stopped_set"),
                lv("banded_df_mob", "right", "hold", "banded_df_mob", 1, "hold_trend_rising")]})

# Principle 4: monotonic safety. A worse input never plans more loading.
LOADING = ["single_leg_calf_raise", "eccentric_heel_drop_step", "double_leg_calf_raise", "towel_toe_calf_raise",
           "seated_soleus_raise", "bent_knee_single_leg_calf_raise", "toe_yoga", "short_foot_exercise"]
add("principle_amber_after_long_run_is_recovery", "The issue's case: an amber morning the day after a long run. 'Light' kept the calf raises while a green morning after the same run (recovery) dropped them; now the most restrictive variant wins: recovery, one set fewer and no loading drills.",
    {"checkins": steady(range(1, 21)) + [checkin(0, ankle=3)], "progress": recs("single_leg_calf_raise", 1), "runs": [long_run]},
    {"plan": {"variant": "recovery", "reasons": ["above_baseline", "day_after_long_run"], "absent_drills": LOADING,
              "items": [{"drill": "ankle_pumps_seated", "reason": "lighter_dose"}]}},
    settings={"equipment": ALL_EQUIPMENT, "goals": ["achilles"]})
add("principle_green_after_long_run_recovery_no_loading", "A green morning after the same long run: recovery, the loading drills left out (the comparison point for the amber case).",
    {"checkins": steady(), "progress": recs("single_leg_calf_raise", 1), "runs": [long_run]},
    {"plan": {"variant": "recovery", "reasons": ["settled", "day_after_long_run"], "absent_drills": LOADING}},
    settings={"equipment": ALL_EQUIPMENT, "goals": ["achilles"]})
add("principle_red_after_long_run_mobility_only", "A red morning after a long run: mobility only, and still no loading drill; the long run is among the reasons.",
    {"checkins": steady(range(1, 21)) + [checkin(0, ankle=6)], "progress": recs("single_leg_calf_raise", 1), "runs": [long_run]},
    {"plan": {"variant": "mobility_only", "reasons": ["morning_pain_high", "day_after_long_run"], "absent_drills": LOADING}},
    settings={"equipment": ALL_EQUIPMENT, "goals": ["achilles"]})
add("principle_amber_without_long_run_light_keeps_loading_lighter", "An amber morning with no long run: light, the calf raise stays at its level with one set fewer (less than green, more than recovery).",
    {"checkins": steady(range(1, 21)) + [checkin(0, ankle=3)], "progress": recs("single_leg_calf_raise", 1)},
    {"plan": {"variant": "light", "reasons": ["above_baseline"], "items": [{"drill": "single_leg_calf_raise", "level": 1, "reason": "lighter_dose"}]}},
    settings={"equipment": ALL_EQUIPMENT, "goals": ["achilles"]})
add("principle_long_run_two_days_ago_normal", "The long run ended 47 hours ago, beyond the 36-hour window: a green morning plans the normal day with the calf raise.",
    {"checkins": steady(), "progress": recs("single_leg_calf_raise", 1),
     "runs": [{"start": iso(day(2, 7)), "end": iso(day(2, 8, 40)), "distance_m": 21000, "tags": ["long"]}]},
    {"plan": {"variant": "normal", "items": [{"drill": "single_leg_calf_raise", "level": 1, "reason": "normal_dose"}]}},
    settings={"equipment": ALL_EQUIPMENT, "goals": ["achilles"]})

# Long runs: the spike rule needs a history of runs (ADR 0002); a short run is never long by
# the relative rules.
def run_ago(days_ago, minutes, end_hour=8, tags=None):
    end = day(days_ago, end_hour)
    return {"start": iso(end - timedelta(minutes=minutes)), "end": iso(end), "distance_m": minutes * 180, "tags": tags or []}


add("principle_spike_needs_a_history_of_runs", "A new runner's one earlier run (50 min, 10 days ago), then 65 minutes yesterday: 130 % of the 'longest of 30 days', but one run is no history to measure a spike against (fewer than 3 runs): not long, so no recovery day and levels may progress.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)), runs=[run_ago(10, 50), run_ago(1, 65)]),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")],
     "plan": {"variant": "normal"}},
    settings={"equipment": ALL_EQUIPMENT})
add("principle_spike_with_a_history_counts", "Three earlier 50-minute runs (10 to 20 days ago), then 65 minutes yesterday: a spike over the 30-day longest with a real history (Frandsen 2025): long, recovery day, levels hold.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)), runs=[run_ago(20, 50), run_ago(15, 50), run_ago(10, 50), run_ago(1, 65)]),
    {"levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_after_long_run")],
     "plan": {"variant": "recovery", "reasons": ["day_after_long_run"]}},
    settings={"equipment": ALL_EQUIPMENT})
add("principle_forty_minute_run_never_long", "Three 20-minute runs this month, then 40 minutes yesterday: twice the longest and most of the week, but under the 60-minute minimum of the relative rules: not long.",
    dict(with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)), runs=[run_ago(20, 20), run_ago(15, 20), run_ago(4, 20), run_ago(1, 40)]),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")],
     "plan": {"variant": "normal"}},
    settings={"equipment": ALL_EQUIPMENT})

# ---------------------------------------------------------------- input errors
# Records merged from a peer whose clock runs fast: counted as made now, never an error
# (time checks are for this device's own input only; ADR 0011).
add("peer_checkin_ahead_counts_as_now", "A check-in stamped an hour after now, merged from a peer whose clock runs fast, with 6/10: judged as made now, so today's morning is red (mobility only); levels are decided, not refused.",
    {"checkins": steady(range(1, 21)) + [{"at": iso(NOW + timedelta(hours=1)), "pain": {"calf": 0, "achilles": 0, "ankle": 6}}], "progress": recs("banded_df_mob", 1)},
    {"plan": {"variant": "mobility_only", "reasons": ["morning_pain_high"]},
     "levels": [lv("banded_df_mob", "left", "hold", "banded_df_mob", 1, "hold_too_few_sessions")]},
    settings={"equipment": ALL_EQUIPMENT})
add("peer_stopped_set_ahead_counts_as_now", "Today's set on the left leg was stopped at 3/10 by the pain-free rule on a peer whose clock runs a day fast: the set counts as done now, and the left leg regresses one dosage level.",
    with_sessions(BASE("banded_df_mob", 1), ready_sessions("banded_df_mob", 1)[:2] + [session(0, [
        s("banded_df_mob", "left", 1, 3, stopped=True, reason="pain_free_limit_exceeded", at=NOW + timedelta(days=1))])]),
    {"levels": [lv("banded_df_mob", "left", "regress", "banded_df_mob", 0, "regress_stopped_set")]})
add("error_unknown_zone", "Zone that is not an IANA name: typed error.",
    {"checkins": steady(), "progress": recs("banded_df_mob", 1)},
    {"error": "unknown_zone"}, zone="Mars/Olympus_Mons")
add("levels_checkin_within_clock_skew_ok", "A check-in 3 minutes after now is clock skew (≤ 5 min), not an error.",
    with_sessions({"checkins": steady(range(1, 21)) + [{"at": iso(NOW + timedelta(minutes=3)), "pain": {"calf": 0, "achilles": 0, "ankle": 1}}], "progress": recs("banded_df_mob", 1)}, ready_sessions("banded_df_mob", 1)),
    {"levels": [lv("banded_df_mob", "left", "progress", "banded_df_mob", 2, "progress_ready")]})

# today's-session scenario: sets today must not be after now
for sc in SC:
    if sc["name"] == "levels_todays_session_not_evidence_yet":
        del sc["expect"]["now_note"]
        for sess in sc["history"]["sessions"]:
            if sess["date"] == NOW.strftime("%Y-%m-%d"):
                for x in sess["sets"]:
                    x["at"] = iso(NOW.replace(hour=7, minute=30))

names = [sc["name"] for sc in SC]
assert len(names) == len(set(names)), "duplicate names"
out = {"format": 1, "about": "Progression test vectors for Talus; see README.md in this folder.", "scenarios": SC}
Path(__file__).with_name("progression.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(len(SC), "scenarios")
