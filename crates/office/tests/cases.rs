//! Data-driven tests of reading task lists and project lists: each
//! `cases/NAME.case` describes a workbook (sheets, cells, merged regions)
//! in a few lines; the test writes it as a real .xlsx, reads it back with
//! the reader the importer uses, parses it and compares the outline with
//! `cases/NAME.expected`. A new sheet quirk is one new pair of files. Run
//! with `UPDATE_EXPECT=1` to (re)write the expected files, then read the
//! diff before committing it.
//!
//! Case syntax, one statement a line (`#` starts a comment):
//!
//! ```text
//! parse: tasks | projects      what to read the workbook as
//! year: 2026                   the import's year (for dates without one)
//! sheet: NAME                  starts a sheet
//! 3: a | b | | date:2024-12-31 row 3's cells from column A; `date:` an
//!                              Excel date, `num:` a number, `\n` a line
//!                              break, anything else text
//! merge: C3:C5                 a merged region of the current sheet
//! ```

use duban_office::table::{Outcome, Parsed, RowReport};
use duban_office::xlsx::{self, Cell, Merge, SheetSpec};
use duban_office::{projects, tasklist};
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

fn cell_ref(s: &str) -> (u32, u32) {
    let col: String = s.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let row: u32 = s[col.len()..].parse().expect("a row number");
    let c = col
        .chars()
        .fold(0u32, |acc, ch| acc * 26 + (ch as u32 - 'A' as u32 + 1));
    (row - 1, c - 1)
}

fn cell(raw: &str) -> Cell {
    let raw = raw.trim().replace("\\n", "\n");
    if let Some(d) = raw.strip_prefix("date:") {
        Cell::Date(d.parse().expect("a date"))
    } else if let Some(n) = raw.strip_prefix("num:") {
        Cell::Number(n.parse().expect("a number"))
    } else if raw.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(raw)
    }
}

/// The workbook a case describes, what to parse it as, and the year.
fn build(case: &str) -> (Vec<SheetSpec>, String, i32) {
    let (mut sheets, mut kind, mut year) = (Vec::<SheetSpec>::new(), String::new(), 2026);
    for line in case.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, rest) = line.split_once(':').expect("key: value");
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        match key {
            "parse" => kind = rest.trim().to_string(),
            "year" => year = rest.trim().parse().expect("a year"),
            "sheet" => sheets.push(SheetSpec {
                name: rest.trim().to_string(),
                ..Default::default()
            }),
            "merge" => {
                let (a, b) = rest.trim().split_once(':').expect("A1:B2");
                let ((r1, c1), (r2, c2)) = (cell_ref(a), cell_ref(b));
                sheets.last_mut().expect("a sheet").merges.push(Merge {
                    first_row: r1,
                    first_col: c1,
                    last_row: r2,
                    last_col: c2,
                });
            }
            n => {
                let row: usize = n.parse().expect("a row number");
                let s = sheets.last_mut().expect("a sheet");
                while s.rows.len() < row {
                    s.rows.push(Vec::new());
                }
                s.rows[row - 1] = rest.split('|').map(cell).collect();
            }
        }
    }
    (sheets, kind, year)
}

fn col_name(c: u32) -> String {
    let mut c = c + 1;
    let mut s = String::new();
    while c > 0 {
        s.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

fn render<T: Serialize>(p: &Parsed<T>, item: impl Fn(&T) -> String) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "sheet {} | title {} | header row {}",
        p.sheet,
        p.title.as_deref().unwrap_or("-"),
        p.header_row
    );
    let cols: Vec<String> = p
        .columns
        .iter()
        .map(|c| format!("{}={}", c.label, col_name(c.col)))
        .collect();
    let _ = writeln!(s, "columns {}", cols.join(" "));
    for n in &p.notes {
        let _ = writeln!(s, "note: {n}");
    }
    for RowReport {
        row,
        outcome,
        notes,
    } in &p.rows
    {
        match outcome {
            Outcome::Read { item: t } => {
                let _ = writeln!(s, "row {row} read {}", item(t));
            }
            Outcome::Skipped { reason } => {
                let _ = writeln!(s, "row {row} skipped: {reason}");
            }
            Outcome::Refused {
                reasons,
                item,
                title,
                units,
            } => {
                let units: Vec<String> = units.iter().map(|(r, n)| format!("{r}={n}")).collect();
                let _ = writeln!(
                    s,
                    "row {row} refused [{item}] {title} ({}): {}",
                    units.join(" "),
                    reasons.join("；")
                );
            }
        }
        for n in notes {
            let _ = writeln!(s, "  note: {n}");
        }
    }
    s
}

fn task(t: &tasklist::Task) -> String {
    let mut s = format!(
        "[{}] {} | lead {} | co {} | {}",
        t.item,
        t.text,
        t.lead.join("、"),
        if t.co.is_empty() {
            "-".into()
        } else {
            t.co.join("、")
        },
        match (t.deadline, t.continuing) {
            (Some(d), _) => format!("by {d}"),
            (None, true) => "continuing".into(),
            (None, false) => "no deadline".into(),
        }
    );
    if t.detail != t.text {
        let _ = write!(s, "\n  detail: {}", t.detail.replace('\n', " / "));
    }
    s
}

fn project(p: &projects::Project) -> String {
    let money = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v}"));
    format!(
        "[{}] {} | lead {} | co {} | total {} | {} plan {} | start {} | finish {}{}",
        p.item,
        p.name,
        p.lead.join("、"),
        if p.co.is_empty() {
            "-".into()
        } else {
            p.co.join("、")
        },
        money(p.total_investment),
        p.annual_year,
        money(p.annual_investment),
        p.planned_start.map_or("-".into(), |d| d.to_string()),
        p.planned_finish,
        p.content
            .as_ref()
            .map_or(String::new(), |c| format!("\n  content: {c}"))
    )
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "the cases are there: {names:?}");
    let mut failed = Vec::new();
    for path in names {
        let case = std::fs::read_to_string(&path).unwrap();
        let (sheets, kind, year) = build(&case);
        let bytes = xlsx::write(&sheets).expect("the case writes as .xlsx");
        let read = xlsx::read(&bytes).expect("and reads back");
        let got = match kind.as_str() {
            "tasks" => tasklist::parse(&read, year).map(|p| render(&p, task)),
            "projects" => projects::parse(&read, year).map(|p| render(&p, project)),
            other => panic!("{}: unknown parse: {other}", path.display()),
        }
        .unwrap_or_else(|e| format!("error: {e}\n"));
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failed.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
