//! Data-driven glyph repair cases: `tests/data/glyphs.txt` holds one case a
//! line, `input ⇒ expected`, with `\n` and `\t` standing for a line break and
//! a tab (the gazettes are wrapped every ~20 characters with a blank line
//! between, so many cases straddle a wrap). Lines starting with `#` are
//! comments. A new quirk is one new line.

mod common;

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
    let cases = common::cases("glyphs.txt", CASES);
    let mut failures = Vec::new();
    for c in &cases {
        let (input, expected) = (unescape(c.input), unescape(c.expected));
        assert_eq!(
            input.chars().count(),
            expected.chars().count(),
            "glyphs.txt:{}: input and expected differ in length",
            c.line
        );
        let got = fix(&input);
        if got != expected {
            failures.push(format!(
                "glyphs.txt:{}:\n  input    {input:?}\n  expected {expected:?}\n  got      {got:?}",
                c.line
            ));
        } else if fix(&got) != got {
            failures.push(format!(
                "glyphs.txt:{}: a second pass changes {got:?}",
                c.line
            ));
        }
    }
    common::finish("glyphs.txt", &cases, &failures, 40, 0);
}
