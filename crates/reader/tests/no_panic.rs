//! The reader never panics and its line references stay inside the input,
//! whatever the input: generated text built from the pieces gazettes are
//! made of, every truncation of the case files, and the fuzz seeds.

use duban_reader::{decode, extract, Extraction};
use std::path::Path;

const PIECES: &[&str] = &[
    "运城市人民政府办公室",
    "关于",
    "印发",
    "的通知",
    "运政办发〔2023〕",
    "号",
    "（",
    "）",
    "［",
    "］",
    "(",
    ")",
    "、",
    "，",
    "。",
    "；",
    "：",
    "牵头",
    "配合",
    "负责",
    "按职责分工负责",
    "责任单位：",
    "牵头单位：",
    "市应急局",
    "各县（市、区）人民政府",
    "等",
    "和",
    "由当地政府",
    "一、",
    "（一）",
    "1.",
    "（1）",
    "①",
    "第十四条",
    "4.3.1",
    "2023年底前",
    "4月中旬前",
    "每月",
    "月底前",
    "增长8.5%",
    "达到",
    "13502台以上",
    "≥",
    "以内",
    "·市政府文件·",
    "22- -",
    " ",
    "\n",
    "\n\n",
    "\t",
    "|",
    "**",
    "<br>",
    "&nbsp;",
    "冥",
    "耀",
    "原",
    "于",
    "淤",
    "2023 年 1 月 6 日",
    "（此件公开发布）",
    "目 录",
    "附件：",
    "（见网络版）",
    "以下均需落实，不再列出",
    "市、县两级",
    "\u{3000}",
    "\r\n",
    "0",
    "9",
    "—",
    "……",
    "“",
    "”",
    "《",
    "》",
];

/// xorshift64*: a fixed, dependency-free stream of numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn check(text: &str) {
    let lines = text.split('\n').count() as u32;
    let e: Extraction = extract(text);
    let in_range = |s: &[u32; 2]| 1 <= s[0] && s[0] <= s[1] && s[1] <= lines;
    for d in &e.documents {
        assert!(
            d.spans.iter().all(in_range),
            "document spans {:?} outside 1..={lines}",
            d.spans
        );
        for t in &d.tasks {
            assert!(
                !t.spans.is_empty() && t.spans.iter().all(in_range),
                "task spans {:?}",
                t.spans
            );
            assert!(
                !t.lead_units.is_empty() || !t.co_units.is_empty(),
                "a task without owners: {}",
                t.text
            );
        }
    }
    assert!(
        e.warnings.iter().all(|w| (1..=lines).contains(&w.line)),
        "{:?}",
        e.warnings
    );
}

#[test]
fn generated_inputs() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let n = (rng.next() % 120) as usize;
        let text: String = (0..n)
            .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
            .collect();
        check(&text);
    }
}

#[test]
fn truncated_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for entry in std::fs::read_dir(dir).expect("cases") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("utf-8 case");
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for &c in &cuts {
            check(&text[..c]);
            check(&text[c..]);
        }
    }
}

#[test]
fn fuzz_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/extract");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("seed");
        if let Ok(d) = decode(&bytes) {
            check(&d.text);
        }
        if let Ok(s) = std::str::from_utf8(&bytes) {
            check(s);
        }
    }
}
