//! Data-driven tests for `find_deadline`: every case in `data/deadlines.txt`
//! is run, and all mismatches are reported together.

mod common;

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
    let cases = common::cases("deadlines.txt", CASES);
    let mut failures = Vec::new();
    for c in &cases {
        let expected = normalise(c.expected);
        let got = render(&find_deadline(c.input, c.date));
        if got != expected {
            failures.push(format!(
                "line {}: {}\n    expected {expected}\n    got      {got}",
                c.line, c.input
            ));
        }
    }
    common::finish("deadlines.txt", &cases, &failures, 40, 5);
}
