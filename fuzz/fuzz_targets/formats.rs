//! Runs the document readers on arbitrary bytes: `duban_formats::read`
//! (detection, zip containers within limits, .docx, .pdf, .ofd) and, on
//! what it reads, `extract_with_tables`. Seeds are small .docx, .pdf and
//! .ofd files, so mutations reach inside the containers. Nothing may panic;
//! a refusal is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = duban_formats::Limits {
        max_input: 1 << 20,
        max_pages: 50,
        max_inflated: 32 << 20,
        zip: duban_formats::safezip::ZipLimits {
            max_entry: 8 << 20,
            max_total: 16 << 20,
            ..Default::default()
        },
    };
    if let Ok(r) = duban_formats::read(data, &limits) {
        let e = duban_reader::extract_with_tables(&r.text, &r.tables);
        let lines = r.text.split('\n').count() as u32;
        for t in r.tables.iter().flat_map(|t| &t.rows) {
            assert!(t.span[0] >= 1 && t.span[1] <= lines, "a row outside the text");
        }
        for d in &e.documents {
            for t in &d.tasks {
                assert!(t.spans.iter().all(|s| s[0] >= 1 && s[1] <= lines));
            }
        }
    }
});
