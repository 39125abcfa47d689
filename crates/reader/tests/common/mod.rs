//! The line format shared by the data-driven test files in `data/`:
//! `input ⇒ expected`, one case a line, `#` comments, and `@ YYYY-MM-DD`
//! (or `@ none`) lines that set the date for the cases below them.

#![allow(dead_code)] // each test binary uses a part of it

use chrono::NaiveDate;

/// One case of a data file.
pub struct Case<'a> {
    /// 1-based line in the data file.
    pub line: usize,
    pub input: &'a str,
    pub expected: &'a str,
    /// The date set by the last `@` line.
    pub date: Option<NaiveDate>,
}

/// Reads the cases of a data file; a malformed line fails the test.
pub fn cases<'a>(file: &str, text: &'a str) -> Vec<Case<'a>> {
    let mut date = None;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(d) = line.strip_prefix('@') {
            let d = d.trim();
            date = (d != "none").then(|| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .unwrap_or_else(|e| panic!("{file}:{}: bad date {d:?}: {e}", n + 1))
            });
            continue;
        }
        let (input, expected) = line
            .split_once('⇒')
            .unwrap_or_else(|| panic!("{file}:{}: no ⇒ in {line:?}", n + 1));
        out.push(Case {
            line: n + 1,
            input: input.trim(),
            expected: expected.trim(),
            date,
        });
    }
    out
}

/// Fails with every mismatch at once, and when the file has fewer cases or
/// negative cases (`none`) than it must.
pub fn finish(
    file: &str,
    cases: &[Case],
    failures: &[String],
    min_cases: usize,
    min_negatives: usize,
) {
    let negatives = cases.iter().filter(|c| c.expected == "none").count();
    assert!(
        cases.len() >= min_cases,
        "{file}: only {} cases",
        cases.len()
    );
    assert!(
        negatives >= min_negatives,
        "{file}: only {negatives} negative cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases in {file} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
