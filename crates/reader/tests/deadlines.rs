//! Data-driven tests for `find_deadline`: every case in `data/deadlines.txt`
//! is run, and all mismatches are reported together.

use chrono::NaiveDate;
use duban_reader::deadline::find_deadline;
use duban_reader::{Deadline, Recurrence};

const CASES: &str = include_str!("data/deadlines.txt");

/// Renders a result in the data file's notation, so a mismatch shows the
/// line to write.
fn render(found: &Option<Deadline>) -> String {
    let Some(d) = found else {
        return "none".to_string();
    };
    let date = d.date.map_or("-".to_string(), |d| d.to_string());
    let mut out = format!("{date} | {}", d.text);
    if let Some(rule) = &d.recurring {
        let rule = match rule {
            Recurrence::Month { day: None } => "month".to_string(),
            Recurrence::Month { day: Some(n) } => format!("month:{n}"),
            Recurrence::Quarter { week_after: false } => "quarter".to_string(),
            Recurrence::Quarter { week_after: true } => "quarter+week".to_string(),
            Recurrence::Halfyear => "halfyear".to_string(),
            Recurrence::Year { month, day } => format!("year:{month:02}-{day:02}"),
            Recurrence::Week => "week".to_string(),
        };
        out.push_str(" | ");
        out.push_str(&rule);
    }
    out
}

/// Normalises an expected value's spacing around `|`.
fn normalise(expected: &str) -> String {
    expected
        .split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn deadline_cases() {
    let mut doc_date: Option<NaiveDate> = None;
    let mut cases = 0;
    let mut negatives = 0;
    let mut failures = Vec::new();
    for (n, line) in CASES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(date) = line.strip_prefix('@') {
            let date = date.trim();
            doc_date = if date == "none" {
                None
            } else {
                Some(
                    NaiveDate::parse_from_str(date, "%Y-%m-%d")
                        .unwrap_or_else(|e| panic!("line {}: bad date {date:?}: {e}", n + 1)),
                )
            };
            continue;
        }
        let (input, expected) = line
            .split_once('⇒')
            .unwrap_or_else(|| panic!("line {}: no ⇒ in {line:?}", n + 1));
        let (input, expected) = (input.trim(), normalise(expected));
        cases += 1;
        if expected == "none" {
            negatives += 1;
        }
        let got = render(&find_deadline(input, doc_date));
        if got != expected {
            failures.push(format!(
                "line {}: {input}\n    expected {expected}\n    got      {got}",
                n + 1
            ));
        }
    }
    assert!(cases >= 40, "only {cases} deadline cases");
    assert!(negatives >= 5, "only {negatives} negative deadline cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} deadline cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
