//! Data-driven tests of the whole reader: each `cases/NAME.txt` is an input
//! with one kind of damage, and `cases/NAME.expected` beside it is what the
//! reader must make of it, rendered as a compact outline. A new quirk is one
//! new pair of files. Run with `UPDATE_EXPECT=1` to (re)write the expected
//! files, then read the diff before committing it. Units are joined with
//! `；`, since a unit's own name may hold `、` (`各州、市人民政府`).

use duban_reader::{extract, Extraction, OwnerScope};
use std::fmt::Write;
use std::path::Path;

fn render(e: &Extraction) -> String {
    let mut s = String::new();
    for d in &e.documents {
        let spans: Vec<String> = d.spans.iter().map(|[a, b]| format!("{a}-{b}")).collect();
        let _ = writeln!(
            s,
            "doc {} | {} | {} | {} | {} | {} | lines {}",
            d.number.as_deref().unwrap_or("-"),
            d.title.as_deref().unwrap_or("-"),
            d.issuer.join("、"),
            d.date.map_or("-".into(), |d| d.to_string()),
            d.kind.as_deref().unwrap_or("-"),
            d.publication.as_deref().unwrap_or("-"),
            spans.join(",")
        );
        for t in &d.tasks {
            let spans: Vec<String> = t.spans.iter().map(|[a, b]| format!("{a}-{b}")).collect();
            let scope = match t.owner_scope {
                OwnerScope::Item => "item",
                OwnerScope::Group => "group",
                OwnerScope::Prose => "prose",
            };
            let _ = writeln!(
                s,
                "  task {} [{}] {} lead={} co={}",
                spans.join(","),
                t.path.join(" "),
                scope,
                t.lead_units.join("；"),
                t.co_units.join("；")
            );
            let _ = writeln!(s, "    text: {}", t.text);
            for part in &t.parts {
                let _ = writeln!(s, "    part: {part}");
            }
            if let Some(dl) = &t.deadline {
                let _ = writeln!(
                    s,
                    "    deadline: {} {}{}",
                    dl.text,
                    dl.date.map_or("-".into(), |d| d.to_string()),
                    dl.recurring
                        .as_ref()
                        .map_or(String::new(), |r| format!(" every {r:?}"))
                );
            }
            for tg in &t.targets {
                let _ = writeln!(
                    s,
                    "    target: {} | {} {} {} {} | by {}",
                    tg.text,
                    tg.metric,
                    tg.op,
                    tg.value,
                    tg.unit,
                    tg.by.map_or("-".into(), |d| d.to_string())
                );
            }
        }
        for c in &d.citations {
            let spans: Vec<String> = c.spans.iter().map(|[a, b]| format!("{a}-{b}")).collect();
            let _ = writeln!(
                s,
                "  {:?} {} 《{}》 lines {}",
                c.relation,
                c.number.as_deref().unwrap_or("-"),
                c.title.as_deref().unwrap_or("-"),
                spans.join(",")
            );
        }
        if let Some(v) = &d.validity {
            let spans: Vec<String> = v.spans.iter().map(|[a, b]| format!("{a}-{b}")).collect();
            let _ = writeln!(
                s,
                "  valid from {} until {} lines {}",
                v.effective.map_or("-".into(), |d| d.to_string()),
                v.until.map_or("-".into(), |d| d.to_string()),
                spans.join(",")
            );
        }
    }
    for w in &e.warnings {
        let _ = writeln!(s, "warning {}: {}", w.line, w.message);
    }
    s
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "the case files are missing");
    let mut failed = Vec::new();
    for input in names {
        let text = std::fs::read_to_string(&input).expect("case input is UTF-8");
        let got = render(&extract(&text));
        let expected_path = input.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("writable");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            eprintln!("--- {} expected\n{want}\n+++ got\n{got}", input.display());
            failed.push(
                input
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
    }
    assert!(
        failed.is_empty(),
        "cases differ: {failed:?} (UPDATE_EXPECT=1 rewrites them)"
    );
}
