//! The readers on files written for these tests by
//! `scripts/make-fixtures.py tables`: a 任务分解 as a Word table (two-row
//! header, merged cells) and the same printed to PDF, a minimal OFD, and
//! bad files (cut short, zip bombs dressed as .docx and .ofd, a PDF whose
//! content inflates to 300 MB, an encrypted PDF, a scan without text). Data-driven: each `tests/files/NAME` is read
//! and summarised (its text, its tables, the tasks the reader makes of it,
//! or the refusal), and the summary must equal `tests/files/NAME.expected`;
//! `UPDATE_EXPECT=1` rewrites the expectations after a deliberate change.

use duban_formats::{read, Error, Limits};
use std::fmt::Write as _;
use std::path::Path;

fn summary(bytes: &[u8]) -> String {
    let mut s = String::new();
    let r = match read(bytes, &Limits::default()) {
        Ok(r) => r,
        Err(e) => return format!("refused: {e}\n"),
    };
    let _ = writeln!(s, "kind {:?}, {} pages, meta {:?}", r.kind, r.pages, r.meta);
    for (i, l) in r.text.split('\n').enumerate() {
        let _ = writeln!(s, "{:3} {l}", i + 1);
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning {}: {}", w.line, w.message);
    }
    for t in &r.tables {
        let _ = writeln!(s, "table:");
        for row in &t.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| {
                    format!(
                        "{}{}",
                        if c.continued { "^" } else { "" },
                        c.text.replace('\n', "/")
                    )
                })
                .collect();
            let _ = writeln!(s, "  {:?} {}", row.span, cells.join(" | "));
        }
    }
    let e = duban_reader::extract_with_tables(&r.text, &r.tables);
    for d in &e.documents {
        let _ = writeln!(s, "document {:?} {:?} {:?}", d.number, d.title, d.date);
        for t in &d.tasks {
            let _ = writeln!(
                s,
                "  task {:?} {:?} lead {:?} co {:?} deadline {:?}",
                t.spans,
                t.path,
                t.lead_units,
                t.co_units,
                t.deadline.as_ref().map(|d| (d.text.clone(), d.date))
            );
        }
    }
    s
}

#[test]
fn files_read_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/files");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failed = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x != "expected"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "the fixtures are missing: {names:?}");
    for path in names {
        let got = summary(&std::fs::read(&path).unwrap());
        let want_path = path.with_file_name(format!(
            "{}.expected",
            path.file_name().unwrap().to_string_lossy()
        ));
        if update {
            std::fs::write(&want_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&want_path).unwrap_or_default();
        if got != want {
            failed.push(format!("{}:\n{got}", path.display()));
        }
    }
    assert!(
        failed.is_empty(),
        "differs from .expected (UPDATE_EXPECT=1 to accept):\n{}",
        failed.join("\n")
    );
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/files")
            .join(name),
    )
    .unwrap()
}

/// The rows of the 任务分解 as written, whatever the file: (lead, co,
/// deadline date).
const ROWS: [(&[&str], &[&str], &str); 7] = [
    (
        &["区行政审批局"],
        &["区市场监管局", "区税务局"],
        "2024-06-30",
    ),
    (&["区市场监管局"], &["区发改局", "区财政局"], "2024-09-30"),
    (&["区工信局"], &["各乡镇、街道"], ""),
    (&["区住建局"], &["区财政局", "各街道办事处"], "2024-12-31"),
    (&["区住建局"], &["区财政局", "各街道办事处"], "2024-10-31"),
    (&["区人社局"], &["区教育局", "区民政局"], "2024-12-31"),
    (&["区民政局"], &["区卫健委"], "2024-11-30"),
];

#[test]
fn every_row_of_the_task_table_is_a_task_in_word_and_pdf() {
    for name in ["task_table.docx", "task_table.pdf"] {
        let r = read(&file(name), &Limits::default()).unwrap();
        let e = duban_reader::extract_with_tables(&r.text, &r.tables);
        let tasks: Vec<_> = e.documents.iter().flat_map(|d| &d.tasks).collect();
        assert_eq!(tasks.len(), ROWS.len(), "{name}: {tasks:#?}");
        let lines: Vec<&str> = r.text.split('\n').collect();
        for (t, (lead, co, date)) in tasks.iter().zip(ROWS) {
            assert_eq!(t.lead_units, lead, "{name}: {t:?}");
            assert_eq!(t.co_units, co, "{name}: {t:?}");
            let got = t
                .deadline
                .as_ref()
                .and_then(|d| d.date)
                .map(|d| d.to_string())
                .unwrap_or_default();
            assert_eq!(got, date, "{name}: {t:?}");
            // The task points at the lines its row was printed on.
            let [a, b] = t.spans[0];
            let printed: String = lines[a as usize - 1..b as usize].concat();
            assert!(
                printed.contains(&t.lead_units[0][..6]),
                "{name}: {t:?} vs {printed}"
            );
        }
    }
}

#[test]
fn bad_files_are_refused_with_what_to_do() {
    let refused = |name: &str| read(&file(name), &Limits::default()).unwrap_err();
    assert!(matches!(refused("truncated.docx"), Error::Damaged(_)));
    assert!(matches!(refused("bomb.docx"), Error::Bomb(_)));
    assert!(matches!(refused("bomb.ofd"), Error::Bomb(_)));
    assert!(matches!(refused("bomb.pdf"), Error::Bomb(_)));
    assert_eq!(refused("encrypted.pdf"), Error::Encrypted);
    let scan = refused("scanned.pdf");
    assert_eq!(scan, Error::NoText { pages: 2 });
    assert!(scan.to_string().contains("OCR"), "{scan}");
    let big = vec![b'a'; 1024];
    let small = Limits {
        max_input: 100,
        ..Limits::default()
    };
    assert!(matches!(read(&big, &small), Err(Error::TooLarge { .. })));
    let doc = [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let legacy = read(&doc, &Limits::default()).unwrap_err();
    assert!(legacy.to_string().contains("LibreOffice"), "{legacy}");
}

#[test]
fn truncated_and_mangled_containers_never_panic() {
    for name in ["task_table.docx", "task_table.pdf", "minimal.ofd"] {
        let bytes = file(name);
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let _ = read(&bytes[..cut], &Limits::default());
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5A;
            let _ = read(&flipped, &Limits::default());
        }
    }
}

#[test]
fn a_table_over_several_pages_with_its_header_repeated_is_one_task_table() {
    const LEADS: [&str; 5] = ["区发改局", "区财政局", "区住建局", "区教育局", "区民政局"];
    for name in ["long_table.docx", "long_table.pdf"] {
        let r = read(&file(name), &Limits::default()).unwrap();
        assert_eq!(r.tables.len(), 1, "{name}");
        let e = duban_reader::extract_with_tables(&r.text, &r.tables);
        let tasks: Vec<_> = e.documents.iter().flat_map(|d| &d.tasks).collect();
        assert_eq!(tasks.len(), 40, "{name}");
        for (i, t) in tasks.iter().enumerate() {
            let n = i + 1;
            assert_eq!(t.path, [n.to_string()], "{name}");
            assert_eq!(t.lead_units, [LEADS[n % 5]], "{name} row {n}");
            assert_eq!(t.co_units, ["区统计局"], "{name} row {n}");
            let month = t
                .deadline
                .as_ref()
                .map(|d| d.text.clone())
                .unwrap_or_default();
            assert_eq!(month, format!("{}月底前", n % 12 + 1), "{name} row {n}");
        }
    }
    assert!(
        read(&file("long_table.pdf"), &Limits::default())
            .unwrap()
            .pages
            > 1
    );
}
