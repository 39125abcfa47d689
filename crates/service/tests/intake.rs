//! The intake on real files: the public .docx, .pdf, .ofd, .doc and .wps
//! files in `../shared/fixtures` (see its SOURCES.md), and the sample
//! gazettes turned into .docx and .pdf by `scripts/make-fixtures.py`,
//! which must give the same tasks as their text.
//!
//! The shared files are read when present and skipped with a message when
//! not, unless `DUBAN_REQUIRE_FIXTURES` is set (CI). The gazette round trip
//! needs python-docx, reportlab and a CJK TrueType font: skipped without
//! them unless `DUBAN_REQUIRE_PYTHON` is set. The .doc and .wps files need
//! LibreOffice: without it they must be refused with the install hint, and
//! with `DUBAN_REQUIRE_LIBREOFFICE` set its absence fails.

use duban_service::intake::{self, Intake};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> Option<PathBuf> {
    let dir = root().join("../shared/fixtures");
    if dir.join("SOURCES.md").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("DUBAN_REQUIRE_FIXTURES").is_none(),
        "DUBAN_REQUIRE_FIXTURES is set but {} is missing",
        dir.display()
    );
    eprintln!("skipped: {} not present", dir.display());
    None
}

/// The one fixture whose name starts with `prefix`.
fn fixture(dir: &Path, prefix: &str) -> Vec<u8> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{prefix}: {found:?}");
    std::fs::read(&found[0]).unwrap()
}

fn read(dir: &Path, prefix: &str) -> Intake {
    intake::read(&fixture(dir, prefix)).unwrap_or_else(|e| panic!("{prefix}: {e}"))
}

fn cjk(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

#[test]
fn a_word_file_of_owner_clauses_gives_a_task_per_clause_with_its_units() {
    let Some(dir) = fixtures() else { return };
    let got = read(&dir, "docx_hufubanfa");
    let lines: Vec<&str> = got.read.text.split('\n').collect();
    let clauses: Vec<(u32, Vec<String>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let at = l.find("（责任单位：")?;
            let inner = &l[at + "（责任单位：".len()..];
            let inner = &inner[..inner.find('）')?];
            Some((
                i as u32 + 1,
                inner.split('、').map(str::to_string).collect(),
            ))
        })
        .collect();
    assert_eq!(clauses.len(), 39);
    let tasks: Vec<_> = got
        .extraction
        .documents
        .iter()
        .flat_map(|d| &d.tasks)
        .collect();
    assert_eq!(tasks.len(), 39, "{tasks:#?}");
    for (line, units) in &clauses {
        let t = tasks
            .iter()
            .find(|t| t.spans.iter().any(|s| s[0] <= *line && *line <= s[1]))
            .unwrap_or_else(|| panic!("no task at line {line}"));
        let mut all: Vec<String> = t.lead_units.iter().chain(&t.co_units).cloned().collect();
        all.sort();
        let mut want = units.clone();
        want.sort();
        assert_eq!(all, want, "line {line}");
    }
}

#[test]
fn automatic_heading_numbers_of_word_are_rendered() {
    let Some(dir) = fixtures() else { return };
    let got = read(&dir, "docx_nb_psr");
    let heads: Vec<&str> = ["一、", "二、", "三、", "四、"]
        .into_iter()
        .filter(|h| got.read.text.lines().any(|l| l.trim_start().starts_with(h)))
        .collect();
    assert_eq!(heads, ["一、", "二、", "三、", "四、"], "{}", got.read.text);
}

#[test]
fn the_same_document_as_word_pdf_and_ofd_reads_the_same() {
    let Some(dir) = fixtures() else { return };
    let docs: Vec<(String, Intake)> = ["docx_wps", "pdf_wps", "ofd_wps"]
        .into_iter()
        .map(|p| (p.to_string(), read(&dir, p)))
        .collect();
    let first = |i: &Intake| {
        let d = i
            .extraction
            .documents
            .iter()
            .find(|d| d.number.is_some())
            .cloned()
            .unwrap_or_default();
        (d.number, d.date)
    };
    let want = first(&docs[0].1);
    assert!(want.0.is_some(), "no 发文字号 in the .docx");
    for (name, i) in &docs {
        assert_eq!(first(i), want, "{name}:\n{}", i.read.text);
        // Runs split at every font change are joined without spaces.
        assert!(!i.read.text.contains("〔20 12〕"), "{name}");
    }
    // Page footers come first in the OFD's stream; read by position they
    // come last on their page.
    let ofd = &docs[2].1.read.text;
    let first_line = ofd.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert!(cjk(first_line) >= 2, "{ofd}");
}

#[test]
fn pdfs_with_cjk_fonts_read_clean_in_reading_order() {
    let Some(dir) = fixtures() else { return };
    for prefix in ["pdf_putuo_shangwuwei", "pdf_putuo_guihuaziyuan"] {
        let got = read(&dir, prefix);
        let text = &got.read.text;
        assert!(cjk(text) > 5000, "{prefix}: {} CJK characters", cjk(text));
        assert!(!text.contains('\u{fffd}'), "{prefix}");
        assert!(
            !text.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)),
            "{prefix}"
        );
        assert!(got.read.pages >= 20, "{prefix}");
        // Numbered duties read in order: 1、 before 2、 before 3、.
        let at = |n: &str| text.lines().position(|l| l.trim_start().starts_with(n));
        let (a, b, c) = (at("1、"), at("2、"), at("3、"));
        assert!(a.is_some() && a < b && b < c, "{prefix}: {a:?} {b:?} {c:?}");
    }
}

#[test]
fn ofd_text_is_put_into_reading_order_by_position() {
    let Some(dir) = fixtures() else { return };
    // Labels and values of a form written column by column pair up by line.
    let form = read(&dir, "ofd_shouwen");
    let title_line = form
        .read
        .text
        .lines()
        .find(|l| l.contains("公文标题"))
        .unwrap();
    assert!(cjk(title_line) > 10, "{title_line}");
    // A letter split at every font change reads as whole lines.
    let letter = read(&dir, "ofd_bengbu");
    assert!(
        letter.read.text.lines().any(|l| l.contains("2023年")),
        "{}",
        letter.read.text
    );
    // A red-header reply: 版头, 发文字号, title, 主送 in that order.
    let reply = read(&dir, "ofd_luqiao");
    assert!(reply
        .extraction
        .documents
        .iter()
        .any(|d| d.number.is_some()));
    let text = &reply.read.text;
    let at = |f: &dyn Fn(&str) -> bool| text.lines().position(|l| f(l.trim()));
    let number = at(&|l| l.contains('〔') && l.ends_with('号'));
    let title = at(&|l| l.starts_with("关于") && l.ends_with("批复"));
    let addressee = at(&|l| l.ends_with('：'));
    assert!(
        number.is_some() && number < title && title < addressee,
        "{text}"
    );
}

#[test]
fn text_only_ocr_could_recover_is_flagged() {
    let Some(dir) = fixtures() else { return };
    let got = read(&dir, "ofd_pua");
    assert!(
        got.read.warnings.iter().any(|w| w.message.contains("OCR")),
        "{:?}",
        got.read.warnings
    );
}

#[test]
fn legacy_word_files_go_through_libreoffice_or_are_refused_with_the_hint() {
    let Some(dir) = fixtures() else { return };
    let installed = intake::soffice().is_some();
    assert!(
        installed || std::env::var_os("DUBAN_REQUIRE_LIBREOFFICE").is_none(),
        "DUBAN_REQUIRE_LIBREOFFICE is set but LibreOffice (soffice) is not installed"
    );
    for prefix in ["doc_nb_psr", "wps_gongwen"] {
        let bytes = fixture(&dir, prefix);
        match intake::read(&bytes) {
            Ok(got) => {
                assert!(installed);
                assert!(got.converted && cjk(&got.read.text) > 20, "{prefix}");
            }
            Err(e) => {
                assert!(!installed, "{prefix}: {e}");
                assert!(e.to_string().contains("LibreOffice"), "{e}");
            }
        }
    }
    if installed {
        // The .wps is the same document as the .docx sibling.
        let wps = intake::read(&fixture(&dir, "wps_gongwen")).unwrap();
        let docx = read(&dir, "docx_wps");
        let number = |i: &Intake| i.extraction.documents.iter().find_map(|d| d.number.clone());
        assert_eq!(number(&wps), number(&docx));
        let doc = intake::read(&fixture(&dir, "doc_nb_psr")).unwrap();
        assert!(doc.read.text.contains("牵头单位"));
    }
}

/// Whether the gazette generator can run here.
fn python_ready() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import docx, reportlab"])
        .output()
        .is_ok_and(|o| o.status.success())
        && [
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
        ]
        .iter()
        .any(|f| Path::new(f).exists());
    assert!(
        ok || std::env::var_os("DUBAN_REQUIRE_PYTHON").is_none(),
        "DUBAN_REQUIRE_PYTHON is set but python-docx, reportlab or a CJK TrueType font is missing"
    );
    if !ok {
        eprintln!("skipped: python-docx, reportlab or a CJK TrueType font missing");
    }
    ok
}

#[test]
fn the_sample_gazettes_as_word_and_pdf_give_the_tasks_of_their_text() {
    if !python_ready() {
        return;
    }
    let out = std::env::temp_dir().join(format!("duban-gazettes-{}", std::process::id()));
    let samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    let status = std::process::Command::new("python3")
        .arg(root().join("scripts/make-fixtures.py"))
        .arg("gazettes")
        .arg(&out)
        .args(&samples)
        .status()
        .unwrap();
    assert!(status.success());
    let key = |i: &Intake| -> Vec<(u32, Vec<String>, Vec<String>)> {
        i.extraction
            .documents
            .iter()
            .flat_map(|d| &d.tasks)
            .map(|t| (t.spans[0][0], t.lead_units.clone(), t.co_units.clone()))
            .collect()
    };
    for txt in &samples {
        let stem = txt.file_stem().unwrap().to_string_lossy().to_string();
        let want = intake::read(&std::fs::read(txt).unwrap()).unwrap();
        for ext in ["docx", "pdf"] {
            let got =
                intake::read(&std::fs::read(out.join(format!("{stem}.{ext}"))).unwrap()).unwrap();
            let (w, g) = (key(&want), key(&got));
            let same = w.iter().filter(|t| g.contains(t)).count();
            // Every task of the text, at the same line with the same units.
            assert!(
                same * 100 >= w.len() * 99,
                "{stem}.{ext}: {same} of {} tasks match; first missing {:?}",
                w.len(),
                w.iter().find(|t| !g.contains(t))
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}
