//! Data-driven tests for `find_targets`: every case in `data/targets.txt` is
//! run, and all mismatches are reported together.

use chrono::NaiveDate;
use duban_reader::target::find_targets;
use duban_reader::Target;

const CASES: &str = include_str!("data/targets.txt");

/// Renders results in the data file's notation, so a mismatch shows the line
/// to write.
fn render(found: &[Target]) -> String {
    if found.is_empty() {
        return "none".to_string();
    }
    found
        .iter()
        .map(|t| {
            format!(
                "{} | {} | {} | {} | {}",
                t.text, t.metric, t.op, t.value, t.unit
            )
        })
        .collect::<Vec<_>>()
        .join(" ‖ ")
}

/// Normalises an expected value's spacing around `|` and `‖`.
fn normalise(expected: &str) -> String {
    expected
        .split('‖')
        .map(|t| t.split('|').map(str::trim).collect::<Vec<_>>().join(" | "))
        .collect::<Vec<_>>()
        .join(" ‖ ")
}

#[test]
fn target_cases() {
    let mut by: Option<NaiveDate> = None;
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
            by = if date == "none" {
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
        let found = find_targets(input, by);
        let got = render(&found);
        if got != expected {
            failures.push(format!(
                "line {}: {input}\n    expected {expected}\n    got      {got}",
                n + 1
            ));
        } else if let Some(t) = found.iter().find(|t| t.by != by) {
            failures.push(format!(
                "line {}: {input}\n    expected by {by:?}, got {:?}",
                n + 1,
                t.by
            ));
        }
    }
    assert!(cases >= 30, "only {cases} target cases");
    assert!(negatives >= 5, "only {negatives} negative target cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} target cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
