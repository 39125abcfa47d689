//! The time limits offices type into a cell, read against a table of cases
//! (`data/deadlines.txt`), and the cells that are not text: Excel dates,
//! years, serial numbers and the ambiguous `2024.1`.

use chrono::NaiveDate;
use duban_office::dates::{parse_text, read_limit, read_start, Limit};
use duban_office::xlsx::Value;

#[test]
fn typed_limits() {
    let table = include_str!("data/deadlines.txt");
    let mut failed = Vec::new();
    let mut n = 0;
    for line in table.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        n += 1;
        let (input, want) = line.split_once('⇒').expect("TEXT ⇒ RESULT");
        let (want, note) = match want.split_once('|') {
            Some((w, n)) => (w.trim(), Some(n.trim())),
            None => (want.trim(), None),
        };
        let got = parse_text(input.trim(), 2024);
        let (result, said) = match &got {
            Ok((Limit::Date(d), note)) => (d.to_string(), note.clone().unwrap_or_default()),
            Ok((Limit::Continuing, note)) => {
                ("continuing".into(), note.clone().unwrap_or_default())
            }
            Ok((Limit::None, _)) => ("none".into(), String::new()),
            Err(e) => ("error".into(), e.clone()),
        };
        if result != want || note.is_some_and(|n| !said.contains(n)) {
            failed.push(format!("{input:?}: want {want} {note:?}, got {got:?}"));
        }
    }
    assert!(n > 30, "the table was read");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn cells_that_are_not_text() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let at = |s: &str| Value::Date(d(s).and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(
        read_limit(&at("2024-12-31"), 2024).unwrap().limit,
        Limit::Date(d("2024-12-31"))
    );
    let year = read_limit(&Value::Number(2025.0), 2024).unwrap();
    assert_eq!(year.limit, Limit::Date(d("2025-12-31")));
    assert!(year.note.unwrap().contains("只写了年份"));
    assert_eq!(
        read_start(&Value::Number(2025.0), 2024).unwrap().limit,
        Limit::Date(d("2025-01-01"))
    );
    // A date cell whose format was turned into a number.
    let serial = read_limit(&Value::Number(45657.0), 2024).unwrap();
    assert_eq!(serial.limit, Limit::Date(d("2024-12-31")));
    assert!(serial.note.unwrap().contains("Excel 日期序号"));
    // 2024.10 typed into a number cell is stored as 2024.1.
    assert!(read_limit(&Value::Number(2024.1), 2024)
        .unwrap_err()
        .contains("1月还是10月"));
    assert_eq!(
        read_limit(&Value::Number(2024.12), 2024).unwrap().limit,
        Limit::Date(d("2024-12-31"))
    );
    assert_eq!(
        read_limit(&Value::Number(2024.3), 2024).unwrap().limit,
        Limit::Date(d("2024-03-31"))
    );
    assert!(read_limit(&Value::Bool(true), 2024).is_err());
    assert_eq!(read_limit(&Value::Empty, 2024).unwrap().limit, Limit::None);
    // A start names the first day of what it names.
    let start = |s: &str| read_start(&Value::Text(s.into()), 2024).unwrap().limit;
    assert_eq!(start("2024年4月"), Limit::Date(d("2024-04-01")));
    assert_eq!(start("2024年三季度"), Limit::Date(d("2024-07-01")));
    assert_eq!(start("2024年"), Limit::Date(d("2024-01-01")));
    assert_eq!(start("2024-04-15"), Limit::Date(d("2024-04-15")));
}
