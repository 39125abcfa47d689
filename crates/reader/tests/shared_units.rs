//! Every unit name of the hand-checked answers in `../shared/gold*/` must
//! pass the reader's unit check ([`duban_reader::unit::check`]), so the
//! check that turns junk into warnings never throws away a real unit. The
//! answers are read from `../shared` beside the repository; the test skips
//! with a message when they are absent, unless `DUBAN_REQUIRE_SHARED=1`.

use std::path::Path;

#[test]
fn answer_units_pass_the_unit_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let dirs = ["gold", "gold-other"].map(|d| root.join(d));
    if !dirs.iter().all(|d| d.is_dir()) {
        assert!(
            std::env::var("DUBAN_REQUIRE_SHARED").as_deref() != Ok("1"),
            "DUBAN_REQUIRE_SHARED=1 but {} lacks gold/ and gold-other/",
            root.display()
        );
        eprintln!("skipped: {} lacks gold/ and gold-other/", root.display());
        return;
    }
    let mut seen = 0;
    let mut refused = Vec::new();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable answers")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".tasks.jsonl"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("UTF-8 answers");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let task: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
                for key in ["lead", "co"] {
                    for u in task[key].as_array().into_iter().flatten() {
                        let u = u.as_str().unwrap_or_default();
                        seen += 1;
                        if let Err(why) = duban_reader::unit::check(u) {
                            refused.push(format!("{u}（{why}）"));
                        }
                    }
                }
            }
        }
    }
    refused.sort();
    refused.dedup();
    assert!(seen > 1000, "only {seen} units read");
    assert!(refused.is_empty(), "refused: {refused:?}");
}
