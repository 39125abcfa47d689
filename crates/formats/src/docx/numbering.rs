//! Word's automatic numbering: `numbering.xml` lists (abstract definitions
//! with a start, a number format and a level text such as `%1、` or
//! `（%1）` per level, and the list instances paragraphs point to) and the
//! paragraph styles that carry a list (`styles.xml`, followed through
//! `basedOn`). The numbers are not in the text; [`Numbering::label`]
//! renders them in document order, as Word shows them.

use crate::xml::{attr, local};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abs: String,
    /// Level → start override.
    starts: HashMap<usize, i64>,
}

/// A paragraph style's list, and the style it is based on.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    num: Option<(String, usize)>,
}

/// The lists of a document and the counters as numbering proceeds.
#[derive(Debug, Default)]
pub struct Numbering {
    abs: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    styles: HashMap<String, Style>,
    counters: HashMap<String, [i64; 9]>,
    used: Vec<String>,
}

impl Numbering {
    /// Reads `numbering.xml` and `styles.xml` (either may be absent).
    pub fn parse(numbering: Option<&str>, styles: Option<&str>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(x) = numbering {
            n.read_numbering(x);
        }
        if let Some(x) = styles {
            n.read_styles(x);
        }
        n
    }

    fn read_numbering(&mut self, xml: &str) {
        let mut r = Reader::from_str(xml);
        let (mut abs_id, mut num_id): (Option<String>, Option<String>) = (None, None);
        let mut lvl: Option<usize> = None;
        let mut override_lvl: Option<usize> = None;
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(&e).as_str() {
                    "abstractNum" => {
                        abs_id = attr(&e, "abstractNumId");
                        num_id = None;
                    }
                    "num" => {
                        num_id = attr(&e, "numId");
                        abs_id = None;
                    }
                    "lvl" if abs_id.is_some() => {
                        lvl = attr(&e, "ilvl")
                            .and_then(|v| v.parse().ok())
                            .filter(|l| *l < 9);
                        if let (Some(a), Some(l)) = (&abs_id, lvl) {
                            let levels = self.abs.entry(a.clone()).or_default();
                            if levels.len() <= l {
                                levels.resize(
                                    l + 1,
                                    Level {
                                        start: 1,
                                        ..Level::default()
                                    },
                                );
                            }
                        }
                    }
                    "lvlOverride" => {
                        override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                    }
                    "abstractNumId" => {
                        if let (Some(n), Some(v)) = (&num_id, attr(&e, "val")) {
                            self.nums.entry(n.clone()).or_default().abs = v;
                        }
                    }
                    "startOverride" => {
                        if let (Some(n), Some(l), Some(v)) = (
                            &num_id,
                            override_lvl,
                            attr(&e, "val").and_then(|v| v.parse().ok()),
                        ) {
                            self.nums.entry(n.clone()).or_default().starts.insert(l, v);
                        }
                    }
                    name @ ("start" | "numFmt" | "lvlText") => {
                        let (Some(a), Some(l)) = (&abs_id, lvl) else {
                            continue;
                        };
                        let val = attr(&e, "val").unwrap_or_default();
                        if let Some(level) = self.abs.get_mut(a).and_then(|v| v.get_mut(l)) {
                            match name {
                                "start" => level.start = val.parse().unwrap_or(1),
                                "numFmt" => level.fmt = val,
                                _ => level.text = val,
                            }
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    "lvl" => lvl = None,
                    "lvlOverride" => override_lvl = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &str) {
        let mut r = Reader::from_str(xml);
        let mut cur: Option<String> = None;
        let (mut num, mut ilvl): (Option<String>, usize) = (None, 0);
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(&e).as_str() {
                    "style" => {
                        cur = attr(&e, "styleId");
                        num = None;
                        ilvl = 0;
                    }
                    "basedOn" => {
                        if let Some(c) = &cur {
                            self.styles.entry(c.clone()).or_default().based_on = attr(&e, "val");
                        }
                    }
                    "numId" => num = attr(&e, "val"),
                    "ilvl" => ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                    _ => {}
                },
                Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                    if let (Some(c), Some(n)) = (cur.take(), num.take()) {
                        self.styles.entry(c).or_default().num = Some((n, ilvl));
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }

    /// The list a paragraph style carries, following `basedOn`.
    pub fn style_num(&self, style: &str) -> Option<(String, usize)> {
        let mut s = style;
        for _ in 0..16 {
            let st = self.styles.get(s)?;
            if let Some(n) = &st.num {
                return Some(n.clone());
            }
            s = st.based_on.as_deref()?;
        }
        None
    }

    /// The number of the next paragraph of list `num` at level `ilvl`, as
    /// printed (`一、`, `（二）`, `3.`, `1.2`), or `None` for a bullet, no
    /// list, or an unknown one.
    pub fn label(&mut self, num: &str, ilvl: usize) -> Option<String> {
        if num == "0" || ilvl >= 9 {
            return None;
        }
        let n = self.nums.get(num)?.clone();
        let levels = self.abs.get(&n.abs)?.clone();
        let level = levels.get(ilvl)?;
        let start = |l: usize| -> i64 {
            n.starts
                .get(&l)
                .copied()
                .unwrap_or_else(|| levels.get(l).map_or(1, |v| v.start))
        };
        let first_use = !self.used.contains(&num.to_string());
        if first_use {
            self.used.push(num.to_string());
        }
        let counters = self.counters.entry(n.abs.clone()).or_insert([i64::MIN; 9]);
        if first_use {
            for (l, s) in &n.starts {
                if *l < 9 {
                    counters[*l] = s - 1;
                }
            }
        }
        counters[ilvl] = if counters[ilvl] == i64::MIN {
            start(ilvl)
        } else {
            counters[ilvl] + 1
        };
        for c in counters.iter_mut().skip(ilvl + 1) {
            *c = i64::MIN;
        }
        if matches!(level.fmt.as_str(), "bullet" | "none") {
            return None;
        }
        let snapshot = *counters;
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let l = (d as usize).saturating_sub(1).min(8);
                    let v = if snapshot[l] == i64::MIN {
                        start(l)
                    } else {
                        snapshot[l]
                    };
                    let fmt = levels.get(l).map_or("decimal", |x| x.fmt.as_str());
                    out.push_str(&format_number(v, fmt));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

/// A counter in one of Word's number formats.
pub fn format_number(n: i64, fmt: &str) -> String {
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "ideographDigital" => chinese(n),
        "ideographTraditional" => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth((n - 1).rem_euclid(10) as usize)
            .map(String::from)
            .unwrap_or_default(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "lowerLetter" => letters(n, b'a'),
        "upperLetter" => letters(n, b'A'),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn chinese(n: i64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if !(0..10000).contains(&n) {
        return n.to_string();
    }
    if n < 10 {
        return D[n as usize].to_string();
    }
    if n < 20 {
        return format!("十{}", if n > 10 { D[(n - 10) as usize] } else { "" });
    }
    if n < 100 {
        let u = n % 10;
        return format!(
            "{}十{}",
            D[(n / 10) as usize],
            if u > 0 { D[u as usize] } else { "" }
        );
    }
    if n < 1000 {
        let rest = n % 100;
        let tail = match rest {
            0 => String::new(),
            1..=9 => format!("零{}", D[rest as usize]),
            _ => {
                let c = chinese(rest);
                if rest < 20 {
                    format!("一{c}")
                } else {
                    c
                }
            }
        };
        return format!("{}百{tail}", D[(n / 100) as usize]);
    }
    n.to_string()
}

fn letters(n: i64, base: u8) -> String {
    if n < 1 {
        return n.to_string();
    }
    let c = (base + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
}

fn roman(mut n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(13, "chineseCountingThousand"), "十三");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(35, "chineseCounting"), "三十五");
        assert_eq!(format_number(105, "chineseCounting"), "一百零五");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(2, "lowerLetter"), "b");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:style w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:styleId="H1x"><w:basedOn w:val="H1"/></w:style>
    </w:styles>"#;

    #[test]
    fn labels_in_document_order() {
        let mut n = Numbering::parse(Some(NUMBERING), Some(STYLES));
        assert_eq!(n.style_num("H1x"), Some(("1".into(), 0)));
        assert_eq!(n.label("1", 0).as_deref(), Some("一、"));
        assert_eq!(n.label("1", 1).as_deref(), Some("（一）"));
        assert_eq!(n.label("1", 1).as_deref(), Some("（二）"));
        // Each level in its own format, as Word shows it without isLgl.
        assert_eq!(n.label("1", 2).as_deref(), Some("一.1"));
        assert_eq!(n.label("1", 0).as_deref(), Some("二、"));
        assert_eq!(n.label("1", 1).as_deref(), Some("（一）"));
        assert_eq!(n.label("2", 0), None);
        assert_eq!(n.label("3", 0).as_deref(), Some("五、"));
        assert_eq!(n.label("0", 0), None);
        assert_eq!(n.label("9", 0), None);
    }
}
