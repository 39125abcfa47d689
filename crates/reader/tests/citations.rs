//! Citations and validity on the sample gazettes in `../shared/corpus`:
//! every 发文字号 their text names (other than a document's own) is found
//! as a citation, and the repeals and terms of validity are those in the
//! table below, made by reading the gazettes. Skips with a message when the
//! gazettes are absent, unless `DUBAN_REQUIRE_SHARED=1`.

use duban_reader::{decode, extract, Relation};
use std::collections::BTreeSet;
use std::path::Path;

/// (gazette file prefix, the repealing document's number or "-" where the
/// gazette holds it without its header, the number it repeals).
const REPEALS: [(&str, &str, &str); 2] = [
    ("001", "-", "运政发〔2016〕40号"),
    ("001", "运政发〔2023〕5号", "运政办发〔2013〕84号"),
];

/// (gazette, document, effective, until): `-` for a date not stated. The
/// effective day of `自印发之日`/`自公布之日` is the document's date.
const VALIDITY: [(&str, &str, &str, &str); 6] = [
    ("001", "运政办发〔2023〕3号", "2023-02-11", "2025-02-10"),
    ("001", "运政发〔2023〕5号", "2023-03-01", "2025-02-28"),
    ("004", "运盐政发〔2022〕3号", "2022-02-28", "2027-02-27"),
    ("004", "运盐政办发〔2022〕10号", "2022-03-29", "-"),
    ("004", "运盐政办发〔2022〕13号", "2022-03-28", "2027-03-27"),
    ("004", "运盐政办发〔2022〕17号", "2022-03-31", "-"),
];

/// The 发文字号 in a text, found by a plain scan independent of the
/// reader: `〔YYYY〕N号` with the CJK letters before the bracket (which
/// may include words before the abbreviation: the reader's number must end
/// the letters).
fn numbers_in(text: &str) -> Vec<(String, String)> {
    let s: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    for i in 0..s.len() {
        if s[i] != '〔' {
            continue;
        }
        let year: String = s[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if year.len() != 4 || s.get(i + 5) != Some(&'〕') {
            continue;
        }
        let n: String = s[i + 6..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if n.is_empty() || s.get(i + 6 + n.len()) != Some(&'号') {
            continue;
        }
        let mut a = i;
        while a > 0 && ('\u{4e00}'..='\u{9fff}').contains(&s[a - 1]) && i - a < 16 {
            a -= 1;
        }
        let letters: String = s[a..i].iter().collect();
        out.push((letters, format!("〔{year}〕{n}号")));
    }
    out
}

#[test]
fn sample_gazettes_citations_repeals_and_validity() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var("DUBAN_REQUIRE_SHARED").as_deref() != Ok("1"),
            "DUBAN_REQUIRE_SHARED=1 but {} is missing",
            dir.display()
        );
        eprintln!("skipped: {} is missing", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "the three sample gazettes");
    let (mut repeals, mut validity, mut found) = (BTreeSet::new(), BTreeSet::new(), 0);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let gazette = &name[..3];
        let text = decode(&std::fs::read(f).unwrap()).unwrap().text;
        let e = extract(&text);
        let own: BTreeSet<&str> = e
            .documents
            .iter()
            .filter_map(|d| d.number.as_deref())
            .collect();
        let cited: Vec<&str> = e
            .documents
            .iter()
            .flat_map(|d| &d.citations)
            .filter_map(|c| c.number.as_deref())
            .collect();
        for (letters, tail) in numbers_in(&text) {
            let whole =
                |n: &&str| n.ends_with(&tail) && letters.ends_with(&n[..n.len() - tail.len()]);
            if own.iter().any(whole) {
                continue;
            }
            assert!(
                cited.iter().any(whole),
                "{name}: {letters}{tail} is cited in the text but not found"
            );
            found += 1;
        }
        for d in &e.documents {
            let number = d.number.as_deref().unwrap_or("-");
            for c in d
                .citations
                .iter()
                .filter(|c| c.relation == Relation::Repeals)
            {
                assert!(!c.spans.is_empty());
                repeals.insert((
                    gazette.to_string(),
                    number.to_string(),
                    c.number.clone().unwrap_or_default(),
                ));
            }
            if let Some(v) = &d.validity {
                let day =
                    |x: Option<chrono::NaiveDate>| x.map_or("-".to_string(), |d| d.to_string());
                validity.insert((
                    gazette.to_string(),
                    number.to_string(),
                    day(v.effective),
                    day(v.until),
                ));
            }
        }
    }
    let want: BTreeSet<_> = REPEALS
        .iter()
        .map(|(g, a, b)| (g.to_string(), a.to_string(), b.to_string()))
        .collect();
    assert_eq!(repeals, want);
    let want: BTreeSet<_> = VALIDITY
        .iter()
        .map(|(g, d, a, b)| (g.to_string(), d.to_string(), a.to_string(), b.to_string()))
        .collect();
    assert_eq!(validity, want);
    assert!(
        found >= 50,
        "only {found} cited numbers in the sample gazettes"
    );
    eprintln!("{found} cited document numbers found in the sample gazettes");
}
