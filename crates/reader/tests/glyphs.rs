//! Data-driven glyph repair cases: `tests/data/glyphs.txt` holds one case a
//! line, `input ⇒ expected`, with `\n` and `\t` standing for a line break and
//! a tab (the gazettes are wrapped every ~20 characters with a blank line
//! between, so many cases straddle a wrap). Lines starting with `#` are
//! comments. A new quirk is one new line.

use duban_reader::glyph::fix_glyphs;

const CASES: &str = include_str!("data/glyphs.txt");

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

fn fix(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    fix_glyphs(&mut chars);
    chars.into_iter().collect()
}

#[test]
fn glyph_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in CASES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((input, expected)) = line.split_once('⇒') else {
            panic!("glyphs.txt:{}: no ⇒ in {line:?}", n + 1);
        };
        let (input, expected) = (unescape(input.trim()), unescape(expected.trim()));
        assert_eq!(
            input.chars().count(),
            expected.chars().count(),
            "glyphs.txt:{}: input and expected differ in length",
            n + 1
        );
        count += 1;
        let got = fix(&input);
        if got != expected {
            failures.push(format!(
                "glyphs.txt:{}:\n  input    {input:?}\n  expected {expected:?}\n  got      {got:?}",
                n + 1
            ));
        } else if fix(&got) != got {
            failures.push(format!(
                "glyphs.txt:{}: a second pass changes {got:?}",
                n + 1
            ));
        }
    }
    assert!(count >= 40, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
