//! Data-driven tests for the sweep's decisions: every case in
//! `data/sweep.txt` runs on the calendar of `data/limits_calendar.txt`
//! (built with `set_year`, so the shipped calendar data does not matter),
//! and all mismatches are reported together.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use duban_domain::calendar::{Calendar, CalendarError, Year};
use duban_domain::limits::Limit;
use duban_domain::matter::{Counting, Grade, MatterType, Role, Schedule, Term};
use duban_domain::sweep::{notices, About, Notice, NoticeKind, SweepRules};
use duban_domain::workflow::{Track, TrackState};
use std::collections::BTreeMap;

const CASES: &str = include_str!("data/sweep.txt");
const CALENDAR: &str = include_str!("data/limits_calendar.txt");
const TITLE: &str = "推进充电桩建设";
const UNIT: &str = "市能源局";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap())
}

/// The years of `limits_calendar.txt`.
fn test_years() -> BTreeMap<i32, Year> {
    let mut years: BTreeMap<i32, Year> = BTreeMap::new();
    for (n, line) in CALENDAR.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let year: i32 = words.next().unwrap().parse().unwrap();
        let list = words
            .next()
            .unwrap_or_else(|| panic!("line {}: no list", n + 1));
        let entry = years.entry(year).or_default();
        for w in words {
            let (from, to) = w.split_once("..").unwrap_or((w, w));
            let mut d = date(&format!("{year}-{from}"));
            let to = date(&format!("{year}-{to}"));
            while d <= to {
                match list {
                    "off" => entry.holidays.insert(d),
                    "work" => entry.workdays.insert(d),
                    other => panic!("line {}: unknown list {other}", n + 1),
                };
                d = d + Days::new(1);
            }
        }
    }
    years
}

fn calendar(years: &BTreeMap<i32, Year>, which: Option<&str>) -> Calendar {
    // Strict: a year the cases leave out is refused, not provisional.
    let mut cal = Calendar::default().strict();
    for (y, data) in years {
        match which {
            Some("none") => {}
            Some(only) if only != y.to_string() => {}
            _ => cal.set_year(*y, data.clone()),
        }
    }
    cal
}

fn matter_type(name: &str, counting: &str) -> MatterType {
    let ty = match name.split_once(':') {
        None => match name {
            "ordinary" => MatterType::ordinary(),
            "major" => MatterType::major(),
            "continuing" => MatterType::continuing(),
            other => panic!("unknown type {other}"),
        },
        Some(("major", n)) => {
            MatterType::major().with_resolve(Some(Term::Days(n.parse().unwrap())))
        }
        Some(("monthly", d)) => MatterType::continuing_with(Schedule::Monthly {
            day: d.parse().unwrap(),
        }),
        Some((other, _)) => panic!("unknown type {other}"),
    };
    let counting = match counting {
        "working" => Counting::Working,
        "calendar" => Counting::Calendar,
        other => panic!("unknown counting {other}"),
    };
    ty.with_counting(counting)
}

fn limit_name(l: Limit) -> String {
    match l {
        Limit::Deploy => "deploy".into(),
        Limit::FirstReport => "first_report".into(),
        Limit::Node { day } => format!("node({day})"),
        Limit::Resolve => "resolve".into(),
    }
}

/// `KIND:LIMIT`, as the data names a notice.
fn notice_name(n: &Notice) -> String {
    format!("{}:{}", n.kind.code(), limit_name(n.limit))
}

/// Runs one case: the notices, or the calendar error.
fn run(input: &str, years: &BTreeMap<i32, Year>) -> Result<Vec<Notice>, CalendarError> {
    let mut words = input.split_whitespace();
    let ty_name = words.next().expect("a type");
    let counting = words.next().expect("a counting");
    let mut ty = matter_type(ty_name, counting);
    let mut keys = BTreeMap::new();
    for w in words {
        let (k, v) = w
            .split_once('=')
            .unwrap_or_else(|| panic!("not key=value: {w}"));
        keys.insert(k, v);
    }
    if let Some(n) = keys.get("near") {
        ty = ty.with_near_days(n.parse().unwrap());
    }
    let cal = calendar(years, keys.get("cal").copied());
    let role = match keys.get("role").copied() {
        None | Some("lead") => Role::Lead,
        Some("co") => Role::Co,
        Some(other) => panic!("unknown role {other}"),
    };
    let assigned = date(keys.get("assigned").expect("assigned="));
    let mut t = Track::new(7, 1, 3, role, at(assigned, 9));
    t.deadline = keys.get("deadline").map(|d| date(d));
    t.extended_until = keys.get("extended").map(|d| date(d));
    if let Some(s) = keys.get("signed") {
        t.signed_at = Some(at(date(s), 10));
        t.state = TrackState::SignedFor;
    }
    if let Some(r) = keys.get("reports") {
        t.report_times = r.split(',').map(|d| at(date(d), 11)).collect();
    }
    if let Some(s) = keys.get("state") {
        t.state = match *s {
            "close_requested" => TrackState::CloseRequested,
            "returned" => TrackState::Returned,
            "closed" => TrackState::Closed { grade: Grade::Good },
            "withdrawn" => TrackState::Withdrawn,
            other => panic!("unknown state {other}"),
        };
    }
    let today = date(keys.get("today").expect("today="));
    let mut rules = SweepRules::default();
    if let Some(n) = keys.get("escalate") {
        rules.escalate_after = n.parse().unwrap();
    }
    let about = About {
        title: TITLE,
        unit_name: UNIT,
    };
    notices(&t, &ty, about, &cal, today, rules)
}

fn render(r: &Result<Vec<Notice>, CalendarError>) -> String {
    match r {
        Ok(ns) if ns.is_empty() => "-".into(),
        Ok(ns) => ns
            .iter()
            .map(|n| format!("{}@{}", notice_name(n), n.due))
            .collect::<Vec<_>>()
            .join(" "),
        Err(CalendarError::YearNotCovered(y)) => format!("uncovered({y})"),
        Err(e) => format!("error({e})"),
    }
}

#[test]
fn sweep_cases() {
    let years = test_years();
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut texts = 0;
    let mut current: Option<(usize, Result<Vec<Notice>, CalendarError>)> = None;
    for (n, raw) in CASES.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if raw.starts_with(' ') {
            // A check on one notice of the case above.
            let (case_line, result) = current
                .as_ref()
                .unwrap_or_else(|| panic!("sweep.txt:{}: a check without a case", n + 1));
            let (left, want) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("sweep.txt:{}: no ` = `", n + 1));
            let (name, field) = left
                .split_once(' ')
                .unwrap_or_else(|| panic!("sweep.txt:{}: KIND:LIMIT FIELD", n + 1));
            let want = want.replace("\\n", "\n");
            texts += 1;
            let Some(notice) = result
                .as_ref()
                .ok()
                .and_then(|ns| ns.iter().find(|x| notice_name(x) == name))
            else {
                failures.push(format!(
                    "line {}: the case on line {case_line} has no notice {name}",
                    n + 1
                ));
                continue;
            };
            let got = match field {
                "key" => notice.key.clone(),
                "subject" => notice.subject.clone(),
                "body" => notice.body.clone(),
                "days" => notice.days.to_string(),
                other => panic!("sweep.txt:{}: unknown field {other}", n + 1),
            };
            if got != want {
                failures.push(format!(
                    "line {}: {name} {field}\n    expected {want:?}\n    got      {got:?}",
                    n + 1
                ));
            }
            continue;
        }
        let (input, expected) = line
            .split_once('⇒')
            .unwrap_or_else(|| panic!("sweep.txt:{}: no ⇒", n + 1));
        let result = run(input.trim(), &years);
        let got = render(&result);
        let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
        cases += 1;
        if got != expected {
            failures.push(format!(
                "line {}: {}\n    expected {expected}\n    got      {got}",
                n + 1,
                input.trim()
            ));
        }
        current = Some((n + 1, result));
    }
    assert!(
        failures.is_empty(),
        "{} sweep checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= 40, "only {cases} sweep cases");
    assert!(texts >= 25, "only {texts} text checks");
}

/// Keys name the situation, not the day: on every day of a quarter, the
/// same key always comes with the same kind, limit and due date, every key
/// names its track, and no day gives two notices the same key.
#[test]
fn keys_are_stable_across_days() {
    let cal = calendar(&test_years(), None);
    let about = About {
        title: TITLE,
        unit_name: UNIT,
    };
    let types = [
        MatterType::ordinary(),
        MatterType::major(),
        MatterType::continuing(),
        MatterType::continuing_with(Schedule::Monthly { day: 23 }),
        MatterType::ordinary().with_counting(Counting::Calendar),
    ];
    let mut seen: BTreeMap<String, (NoticeKind, Limit, NaiveDate)> = BTreeMap::new();
    for ty in &types {
        for (i, signed) in [false, true].into_iter().enumerate() {
            let id = 100 + i as i64;
            let mut t = Track::new(id, 1, 3, Role::Lead, at(date("2024-09-27"), 9));
            if signed {
                t.signed_at = Some(at(date("2024-09-27"), 10));
                t.state = TrackState::SignedFor;
            }
            let mut day = date("2024-09-20");
            while day < date("2024-12-31") {
                let ns = notices(&t, ty, about, &cal, day, SweepRules::default()).unwrap();
                let mut today_keys: Vec<&str> = ns.iter().map(|n| n.key.as_str()).collect();
                today_keys.sort();
                today_keys.dedup();
                assert_eq!(today_keys.len(), ns.len(), "{} on {day}", ty.name);
                for n in &ns {
                    assert!(
                        n.key.starts_with(&format!("{}:{id}:", n.kind.code())),
                        "{}",
                        n.key
                    );
                    let v = (n.kind, n.limit, n.due);
                    if let Some(old) = seen.insert(n.key.clone(), v) {
                        assert_eq!(old, v, "{} changed meaning on {day}", n.key);
                    }
                    assert!(n.body.starts_with(UNIT) && n.body.contains(TITLE));
                }
                day = day + Days::new(1);
            }
        }
    }
    // Each kind occurred, over the quarter.
    for k in NoticeKind::ALL {
        assert!(seen.values().any(|v| v.0 == k), "no {k:?} seen");
    }
}
