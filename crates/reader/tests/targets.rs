//! Data-driven tests for `find_targets`: every case in `data/targets.txt` is
//! run, and all mismatches are reported together.

mod common;

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
    let cases = common::cases("targets.txt", CASES);
    let mut failures = Vec::new();
    for c in &cases {
        let expected = normalise(c.expected);
        let found = find_targets(c.input, c.date);
        let got = render(&found);
        if got != expected {
            failures.push(format!(
                "line {}: {}\n    expected {expected}\n    got      {got}",
                c.line, c.input
            ));
        } else if let Some(t) = found.iter().find(|t| t.by != c.date) {
            failures.push(format!(
                "line {}: {}\n    expected by {:?}, got {:?}",
                c.line, c.input, c.date, t.by
            ));
        }
    }
    common::finish("targets.txt", &cases, &failures, 30, 5);
}
