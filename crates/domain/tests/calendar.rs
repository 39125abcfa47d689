//! Table-driven tests of the official working-day calendar. The cases live in
//! `tests/data/calendar.txt`, one a line; see the head of that file for the
//! forms.

use chrono::NaiveDate;
use duban_domain::calendar::{Calendar, CalendarError};

const CASES: &str = include_str!("data/calendar.txt");

fn date(s: &str) -> Result<NaiveDate, String> {
    s.parse().map_err(|e| format!("bad date {s:?}: {e}"))
}

fn number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("bad number {s:?}"))
}

fn error(e: CalendarError) -> String {
    match e {
        CalendarError::YearNotCovered(y) => format!("error {y}"),
        CalendarError::BadData(_) => "error bad-data".into(),
        CalendarError::InvalidQuarter(_) => "error quarter".into(),
        other => format!("error {other:?}"),
    }
}

fn show<T>(r: Result<T, CalendarError>, f: impl FnOnce(T) -> String) -> String {
    r.map_or_else(error, f)
}

fn window((a, b): (NaiveDate, NaiveDate)) -> String {
    format!("{a}..{b}")
}

/// Runs one case's left-hand side and gives its result in the file's form.
fn run(cal: &Calendar, lhs: &str) -> Result<String, String> {
    let (command, rest) = lhs.split_once(' ').ok_or("no arguments")?;
    let args: Vec<&str> = rest.split_whitespace().collect();
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("{command} takes {n} arguments, got {}", args.len()))
        }
    };
    Ok(match command {
        "working" => {
            want(1)?;
            show(cal.is_working_day(date(args[0])?), |b| b.to_string())
        }
        "add" => {
            want(2)?;
            let r = cal.add_working_days(date(args[0])?, number(args[1])?);
            show(r, |d| d.to_string())
        }
        "calendar" => {
            want(2)?;
            cal.add_calendar_days(date(args[0])?, number(args[1])?)
                .to_string()
        }
        "between" => {
            want(2)?;
            let r = cal.working_days_between(date(args[0])?, date(args[1])?);
            show(r, |n| n.to_string())
        }
        "week" => {
            want(1)?;
            show(cal.first_working_week_after(date(args[0])?), window)
        }
        "quarter" => {
            want(2)?;
            let r = cal.quarter_report_window(number(args[0])?, number(args[1])?);
            show(r, window)
        }
        "json" => show(Calendar::from_json(rest.trim()), |_| "ok".into()),
        other => return Err(format!("unknown command {other:?}")),
    })
}

#[test]
fn calendar_cases() {
    let cal = Calendar::official();
    let mut count = 0;
    let mut failures = Vec::new();
    for (i, line) in CASES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let lineno = i + 1;
        let Some((lhs, expected)) = line.split_once('⇒') else {
            failures.push(format!("line {lineno}: no ⇒ in {line:?}"));
            continue;
        };
        count += 1;
        let (lhs, expected) = (lhs.trim(), expected.trim());
        match run(&cal, lhs) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("line {lineno}: {lhs} ⇒ {got}, expected {expected}")),
            Err(e) => failures.push(format!("line {lineno}: cannot run {lhs:?}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 60, "only {count} cases");
    for year in 2020..=2026 {
        let prefix = format!("working {year}-");
        assert!(
            CASES.lines().any(|l| l.starts_with(&prefix)),
            "no case for {year}"
        );
    }
}

/// The shipped years are exactly 2020–2026: the year before and the year
/// after are provisional, and years outside the lunar data are refused.
#[test]
fn shipped_years_are_bounded() {
    let cal = Calendar::official();
    let years: Vec<i32> = cal.years().collect();
    assert_eq!(years.first(), Some(&2020));
    assert_eq!(years.last(), Some(&2026));
    for y in [2019, 2027] {
        assert!(cal.is_provisional(y), "{y}");
        assert_eq!(cal.year(y), None);
    }
    for y in [1900, 2100] {
        let d = NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert_eq!(cal.is_working_day(d), Err(CalendarError::YearNotCovered(y)));
    }
}
