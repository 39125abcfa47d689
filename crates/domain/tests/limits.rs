//! Data-driven tests for the 13710 limits: every case in `data/limits.txt`
//! runs on the calendar of `data/limits_calendar.txt` (built with
//! `set_year`, so the shipped calendar data does not matter), and all
//! mismatches are reported together.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use duban_domain::calendar::{Calendar, CalendarError, Year};
use duban_domain::limits;
use duban_domain::limits::{
    deploy_due, due_info, dues, first_report_due, light, next_node_due, overdue_days, resolve_due,
    yellow_from, Limit,
};
use duban_domain::matter::{Counting, Grade, MatterType, Role, Schedule, Term};
use duban_domain::workflow::{self, Action, Track, TrackState};
use std::collections::BTreeMap;

const CASES: &str = include_str!("data/limits.txt");
const CALENDAR: &str = include_str!("data/limits_calendar.txt");

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
    for (y, data) in &years {
        data.validate(*y).unwrap();
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

fn render<T>(r: Result<T, CalendarError>, show: impl Fn(T) -> String) -> String {
    match r {
        Ok(v) => show(v),
        Err(CalendarError::YearNotCovered(y)) => format!("uncovered({y})"),
        Err(e) => format!("error({e})"),
    }
}

fn limit_name(l: Limit) -> String {
    match l {
        Limit::Deploy => "deploy".into(),
        Limit::FirstReport => "first_report".into(),
        Limit::Node { day } => format!("node({day})"),
        Limit::Resolve => "resolve".into(),
    }
}

/// Runs one case; returns the rendering of every output the case expects.
fn run(input: &str, wanted: &[&str], years: &BTreeMap<i32, Year>) -> String {
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
    let track = keys.get("assigned").map(|a| {
        let mut t = Track::new(1, 1, 1, Role::Lead, at(date(a), 9));
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
        t
    });
    let today = keys.get("today").map(|d| date(d));
    let show_date = |d: NaiveDate| d.to_string();

    let mut out = Vec::new();
    for key in wanted {
        let need_track = || track.as_ref().expect("this output needs assigned=");
        let need_today = || today.expect("this output needs today=");
        let value = match *key {
            "deploy" => render(deploy_due(need_track(), &ty, &cal), show_date),
            "report" => render(first_report_due(need_track(), &ty, &cal), show_date),
            "resolve" => render(resolve_due(need_track(), &ty, &cal), |d| {
                d.map_or("none".into(), show_date)
            }),
            "node" => {
                let from = date(keys.get("node").expect("node= needs node=DATE"));
                render(next_node_due(&ty, &cal, from), |n| {
                    n.map_or("none".into(), |n| n.due.to_string())
                })
            }
            "light" => render(light(need_track(), &ty, &cal, need_today()), |l| {
                format!("{l:?}").to_lowercase()
            }),
            "overdue" => render(overdue_days(need_track(), &ty, &cal, need_today()), |n| {
                n.to_string()
            }),
            "dues" => render(dues(need_track(), &ty, &cal, need_today()), |ds| {
                if ds.is_empty() {
                    "-".into()
                } else {
                    ds.iter()
                        .map(|d| format!("{}@{}", limit_name(d.limit), d.date))
                        .collect::<Vec<_>>()
                        .join(",")
                }
            }),
            // What the store keeps beside the track for the board: the
            // earliest unmet limit, the day its light turns yellow, and the
            // year the calendar lacks when that hid a later limit.
            "next" | "yellow" | "missing" => {
                let due = due_info(need_track(), &ty, &cal, need_today());
                let show = |d: Option<NaiveDate>| d.map_or("none".into(), show_date);
                match *key {
                    "next" => show(due.next_due),
                    "yellow" => show(due.yellow_from),
                    _ => match (&due.error, due.missing_year()) {
                        (None, _) => "none".into(),
                        (Some(_), Some(y)) => y.to_string(),
                        (Some(e), None) => format!("error({e})"),
                    },
                }
            }
            other => panic!("unknown output {other}"),
        };
        out.push(format!("{key}={value}"));
    }
    out.join(" ")
}

#[test]
fn limit_cases() {
    let years = test_years();
    assert_eq!(
        years.keys().copied().collect::<Vec<_>>(),
        [2023, 2024, 2025]
    );
    let mut failures = Vec::new();
    let mut count = 0;
    let mut lights = 0;
    let mut nexts = 0;
    for (n, line) in CASES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (input, expected) = line
            .split_once('⇒')
            .unwrap_or_else(|| panic!("limits.txt:{}: no ⇒", n + 1));
        let expected: Vec<&str> = expected.split_whitespace().collect();
        let wanted: Vec<&str> = expected
            .iter()
            .map(|e| e.split_once('=').map_or(*e, |(k, _)| k))
            .collect();
        let got = run(input.trim(), &wanted, &years);
        count += 1;
        lights += usize::from(wanted.contains(&"light"));
        nexts += usize::from(wanted.contains(&"next"));
        let expected = expected.join(" ");
        if got != expected {
            failures.push(format!(
                "line {}: {}\n    expected {expected}\n    got      {got}",
                n + 1,
                input.trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} limit cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 40, "only {count} limit cases");
    assert!(lights >= 20, "only {lights} light cases");
    assert!(nexts >= 15, "only {nexts} next-limit cases");
}

/// The test calendar agrees with itself on the 调休 days the cases lean on.
#[test]
fn test_calendar_has_the_make_up_days() {
    let cal = calendar(&test_years(), None);
    for d in [
        "2024-02-04",
        "2024-02-18",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2023-10-07",
    ] {
        assert_eq!(cal.is_working_day(date(d)), Ok(true), "{d}");
    }
    for d in ["2024-02-09", "2024-09-27", "2024-10-08"] {
        assert_eq!(cal.is_working_day(date(d)), Ok(true), "{d}");
    }
    for d in [
        "2024-02-12",
        "2024-09-16",
        "2024-10-01",
        "2024-10-07",
        "2024-10-13",
        "2025-01-01",
    ] {
        assert_eq!(cal.is_working_day(date(d)), Ok(false), "{d}");
    }
}

/// With no limit passed the light is never red, and it is red exactly when
/// the overdue count is positive, on every day of a quarter.
#[test]
fn red_exactly_when_overdue() {
    let cal = calendar(&test_years(), None);
    let types = [
        MatterType::ordinary(),
        MatterType::major(),
        MatterType::continuing(),
        MatterType::continuing_with(Schedule::Monthly { day: 23 }),
        MatterType::ordinary().with_counting(Counting::Calendar),
    ];
    let mut t = Track::new(1, 1, 1, Role::Lead, at(date("2024-09-27"), 9));
    t.signed_at = Some(at(date("2024-09-27"), 10));
    t.state = TrackState::SignedFor;
    t.report_times = vec![at(date("2024-10-08"), 11)];
    for ty in &types {
        let mut day = date("2024-09-20");
        while day < date("2024-12-31") {
            let l = light(&t, ty, &cal, day).unwrap();
            let late = overdue_days(&t, ty, &cal, day).unwrap();
            assert_eq!(
                l == duban_domain::limits::Light::Red,
                late > 0,
                "{} on {day}: {l:?}, {late} days late",
                ty.name
            );
            day = day + Days::new(1);
        }
    }
}

#[test]
fn yellow_starts_where_the_domain_turns_yellow() {
    let cal = Calendar::official();
    // Every day of 2024 against a due date, for each standard type and
    // calendar counting: the light is yellow exactly from `yellow_from`.
    let types = [
        MatterType::ordinary(),
        MatterType::major(),
        MatterType::ordinary().with_counting(Counting::Calendar),
        MatterType::major().with_near_days(0),
    ];
    for ty in &types {
        for due in ["2024-10-08", "2024-02-19", "2024-06-03", "2024-12-31"] {
            let due = date(due);
            let from = yellow_from(due, ty, &cal);
            let mut day = date("2024-01-01");
            while day <= due {
                let n = limits::days_between(ty.counting, &cal, day, due).unwrap();
                assert_eq!(
                    n <= ty.near_days,
                    day >= from,
                    "{} due {due} on {day}: {n} days left, yellow from {from}",
                    ty.name
                );
                day = day.succ_opt().unwrap();
            }
        }
    }
}

#[test]
fn a_continuing_matter_with_every_owed_node_met_waits_for_the_next_one() {
    let cal = Calendar::official();
    let ty = MatterType::continuing();
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let t = Track::new(1, 1, 1, Role::Lead, at("2024-01-15 09:00"));
    let t = workflow::apply(&t, &Action::SignFor, at("2024-01-15 10:00")).unwrap();
    let t = workflow::apply(
        &t,
        &Action::Report {
            text: "已部署".into(),
        },
        at("2024-01-17 10:00"),
    )
    .unwrap();
    // The report on 01-17 stands for the first quarter; the second
    // quarter's report is owed by the first working week of July.
    assert!(limits::dues(&t, &ty, &cal, date("2024-01-17"))
        .unwrap()
        .is_empty());
    let due = due_info(&t, &ty, &cal, date("2024-01-17"));
    assert_eq!(due.next_due, Some(date("2024-07-05")), "{due:?}");
    for day in ["2024-02-01", "2024-07-02", "2024-07-03", "2024-07-05"] {
        let light = limits::light(&t, &ty, &cal, date(day)).unwrap();
        let yellow = due.yellow_from.is_some_and(|y| y <= date(day));
        assert_eq!(light == limits::Light::Yellow, yellow, "{day}");
    }
    // An ordinary matter with nothing owed has no next limit.
    let o = MatterType::ordinary().with_resolve(None);
    assert_eq!(due_info(&t, &o, &cal, date("2024-01-17")).next_due, None);
}
