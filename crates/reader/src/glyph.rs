//! Font-mapping glyph repair. PDF text extraction maps some symbols of the
//! gazettes' fonts to wrong CJK characters (冥 for →, 耀 for ～, …); this
//! module puts the symbols back where the context shows they are symbols,
//! and leaves the same characters alone where they are real (垣曲, 原则, 于是).
//!
//! Most of the wrong characters follow one pattern: a symbol from GB2312 rows
//! A1–A3 came out as the character at the same column of rows D2–D4 (～ A1AB
//! → 耀 D2AB, ① A2D9 → 淤 D3D9, Ⅳ A2F4 → 郁 D3F4, ＋ A3AB → 垣 D4AB). That is
//! why the family here is a little wider than the list the corpus README
//! gives: 郁 (Ⅳ) occurs in the corpus (`涑水河达到郁类标准`), and ＋, Ⅴ, Ⅵ
//! and ⑤–⑩ would come out as 垣, 吁, 遇 and 虞愚舆余俞逾 in the same fonts.
//!
//! Every wrong character is also a real one, so each is repaired only in a
//! context where the real character cannot stand: between numbers, in a
//! formula, in a chain of phrases, at the start of an enumerated item that
//! continues a sequence, before a class suffix (`Ⅲ类`). Text is often still
//! wrapped every ~20 characters with blank lines between (`2021` / `耀2025年`),
//! so neighbours are looked up across spaces and line breaks.

/// How many blanks (spaces, line breaks) a neighbour lookup skips: enough for
/// a wrapped line, the blank line after it and a page-start space, not so
/// many that it reaches into an unrelated block.
const MAX_GAP: usize = 6;

/// How far (in characters) an enumerated item looks back for its
/// predecessor, or ① forward for ②.
const ITEM_WINDOW: usize = 500;

/// How far (in characters) a formula clause is searched for another operator
/// on each side.
const CLAUSE_MAX: usize = 80;

/// Fixes glyph errors in place. Replaces one character by one character, so
/// a [`crate::span::Spanned`] line map stays valid.
///
/// Linear in the input: each repair looks at a bounded neighbourhood, and it
/// allocates nothing. Never panics.
pub fn fix_glyphs(chars: &mut [char]) {
    let mut items = Items::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !maybe_glyph(c) {
            i += 1;
            continue;
        }
        let fix = match c {
            '冥' => arrow(chars, i),
            '耀' => tilde(chars, i),
            '豫' => percent(chars, i),
            '逸' => at_least(chars, i),
            '伊' | '衣' | '越' | '垣' => operator(chars, i),
            '原' => {
                let n = dash_len(chars, i);
                chars[i..i + n].fill('—');
                i += n.max(1);
                continue;
            }
            _ if roman_glyph(c).is_some() => roman(chars, i),
            _ => items.visit(chars, i),
        };
        if let Some(f) = fix {
            chars[i] = f;
        }
        i += 1;
    }
}

/// Every character [`fix_glyphs`] looks at, by the low byte of its code
/// point: a bit clear means the character is certainly none of them (most
/// characters of a text), so the pass skips it with one look-up.
const GLYPH_FILTER: [u64; 4] = {
    const LOOKED_AT: [char; 35] = [
        '冥', '耀', '豫', '逸', '伊', '衣', '越', '垣', '原', '玉', '域', '芋', '郁', '吁', '遇',
        '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '淤', '于', '盂', '榆', '虞', '愚', '舆',
        '余', '俞', '逾',
    ];
    let mut t = [0u64; 4];
    let mut k = 0;
    while k < LOOKED_AT.len() {
        let b = (LOOKED_AT[k] as u32 & 0xff) as usize;
        t[b >> 6] |= 1 << (b & 63);
        k += 1;
    }
    t
};

fn maybe_glyph(c: char) -> bool {
    let b = (c as u32 & 0xff) as usize;
    GLYPH_FILTER[b >> 6] & (1 << (b & 63)) != 0
}

// ---------------------------------------------------------------------------
// Neighbours and character classes

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\n' | '\r')
}

/// The nearest non-blank character before `i`, within [`MAX_GAP`], and
/// whether a line break was crossed to reach it. The start of the text, or a
/// longer run of blanks, gives `None` and counts as a line start.
fn before(chars: &[char], i: usize) -> (Option<usize>, bool) {
    let mut line_break = false;
    let mut j = i.min(chars.len());
    for _ in 0..=MAX_GAP {
        if j == 0 {
            return (None, true);
        }
        j -= 1;
        match chars[j] {
            '\n' => line_break = true,
            c if is_blank(c) => {}
            _ => return (Some(j), line_break),
        }
    }
    (None, true)
}

/// The nearest non-blank character after `i`, within [`MAX_GAP`].
fn after(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    for _ in 0..=MAX_GAP {
        j += 1;
        match chars.get(j) {
            None => return None,
            Some(&c) if is_blank(c) => {}
            Some(_) => return Some(j),
        }
    }
    None
}

fn prev_char(chars: &[char], i: usize) -> Option<char> {
    before(chars, i).0.map(|j| chars[j])
}

fn next_char(chars: &[char], i: usize) -> Option<char> {
    after(chars, i).map(|j| chars[j])
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_cjk_numeral(c: char) -> bool {
    "一二三四五六七八九十百千万两〇零".contains(c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn is_word(c: char) -> bool {
    is_han(c) || is_digit(c) || is_latin(c)
}

fn is_open(c: char) -> bool {
    "（(“‘《「『【[［〔".contains(c)
}

fn is_close(c: char) -> bool {
    "）)”’》」』】]］〕".contains(c)
}

/// Can end the phrase before an operator or arrow.
fn ends_phrase(c: Option<char>) -> bool {
    c.is_some_and(|c| is_word(c) || is_close(c) || c == '%' || c == '％')
}

/// Can start the phrase after an operator or arrow.
fn starts_phrase(c: Option<char>) -> bool {
    c.is_some_and(|c| is_word(c) || is_open(c))
}

fn digit_at(c: Option<char>) -> bool {
    c.is_some_and(is_digit)
}

// ---------------------------------------------------------------------------
// 冥 → and 耀 ～

/// 冥 → between two phrases of a flow (`申请冥受理冥办结`, `煤冥焦冥煤焦油`).
/// 冥 hardly occurs in gazettes; only its few real words are kept.
fn arrow(chars: &[char], i: usize) -> Option<char> {
    let (p, n) = (prev_char(chars, i), next_char(chars, i));
    let real = p.is_some_and(|p| "幽阴杳晦窈玄溟冥昏空".contains(p))
        || n.is_some_and(|n| "想思王界府顽币钞寿诞婚冥器纸灵茫漠然河".contains(n));
    (!real && ends_phrase(p) && starts_phrase(n)).then_some('→')
}

/// Units that may follow the first number of a range (`2021年耀2025年`).
const RANGE_UNITS: &str = "年月日号时点个万亿元度岁天周倍米吨人家期届次分秒级亩%％批项户所条座名位";

/// 耀 ～ between two numbers or dates (`1耀2个`, `2021耀2025年`,
/// `3月耀5月`). Real 耀 (照耀, 南耀离) never stands between numbers.
fn tilde(chars: &[char], i: usize) -> Option<char> {
    let (p, _) = before(chars, i);
    let n = next_char(chars, i);
    let p_char = p.map(|j| chars[j]);
    let after_number = digit_at(p_char)
        || p.is_some_and(|j| {
            RANGE_UNITS.contains(chars[j]) && j > 0 && digit_at(Some(chars[j - 1]))
        });
    let numerals = p_char.is_some_and(is_cjk_numeral) && n.is_some_and(is_cjk_numeral);
    ((after_number && digit_at(n)) || numerals).then_some('～')
}

// ---------------------------------------------------------------------------
// 豫 % and 逸 ≥

/// 豫 % right after a number (`97.5豫国有股权`). When the number is on the
/// line before, 豫 starting a word of its own (豫剧, 豫东) stays.
fn percent(chars: &[char], i: usize) -> Option<char> {
    let (p, _) = before(chars, i);
    let p = p?;
    if !is_digit(chars[p]) {
        return None;
    }
    let adjacent = p + 1 == i;
    let word = next_char(chars, i).is_some_and(|n| "剧政东西南北中园菜商籍".contains(n));
    (adjacent || !word).then_some('%')
}

/// 逸 ≥ before a number (`年龄逸60周岁`), unless it ends a word (安逸).
fn at_least(chars: &[char], i: usize) -> Option<char> {
    let real =
        prev_char(chars, i).is_some_and(|p| "安飘俊闲超隐奔秀放淫劳散亡遁清高飞逃".contains(p));
    (!real && digit_at(next_char(chars, i))).then_some('≥')
}

// ---------------------------------------------------------------------------
// Operators: 伊 ×, 衣 ÷, 越 =, 垣 +

fn operator_symbol(c: char) -> Option<char> {
    match c {
        '伊' => Some('×'),
        '衣' => Some('÷'),
        '越' => Some('='),
        '垣' => Some('+'),
        _ => None,
    }
}

fn is_real_operator(c: char) -> bool {
    "+＋×÷=＝≥≤".contains(c)
}

/// Ends a clause for the formula search. Line breaks do not: formulas are
/// wrapped like everything else.
fn ends_clause(c: char) -> bool {
    "。；;，,！!？?：:、\t".contains(c)
}

/// Whether the operator glyph at `j` could be an operator: it does not form
/// one of its real words with a neighbour, and stands between two operands.
fn operator_candidate(chars: &[char], j: usize) -> bool {
    let c = chars[j];
    let (p, n) = (prev_char(chars, j), next_char(chars, j));
    let (real_before, real_after) = match c {
        // 木乃伊, 新年伊始, 伊朗, 伊拉克, 伊斯兰, 伊犁, 伊春, 伊利, 伊川
        '伊' => ("乃阿", "始朗拉斯犁春利甸宁吾通川凡尔藤莎丽蒙玛"),
        // 衣食住行, 衣服, 上衣, 穿衣
        '衣' => (
            "上内外毛大睡风棉雨穿脱洗缝制成布寒胞糖白绿浴羽单夹皮泳便球地蓑血嫁寿新旧衬童孝",
            "食服物着帽柜架被裳冠钵袖领料装橱鞋裤襟锦袋兜角",
        ),
        // 越来越, 越是…越要, 超越, 跨越, 卓越, 越冬, 越界, 不越“底线”
        '越' => (
            "超跨卓优穿飞逾翻激清吴百攀腾僭横来不攻闽",
            "来是要多少大小高低好快强加发过界冬野南剧权位轨境狱级秀王变深长早近远难往显贵广重严细美稳准越",
        ),
        // 垣曲, 城垣, 残垣断壁
        '垣' => ("城残断宫墙颓短女天紫", "曲墙壁下"),
        _ => return false,
    };
    if p.is_some_and(|p| real_before.contains(p)) || n.is_some_and(|n| real_after.contains(n)) {
        return false;
    }
    if c == '越' && yue_pair(chars, j) {
        return false;
    }
    ends_phrase(p) && starts_phrase(n)
}

/// 越X越Y (越早越好, 越多越好): another 越 a few characters away, with no
/// number in between, makes the comparative construction.
fn yue_pair(chars: &[char], j: usize) -> bool {
    let lo = j.saturating_sub(4);
    let hi = (j + 5).min(chars.len());
    let near = |range: &[char]| range.contains(&'越') && !range.iter().any(|&c| is_digit(c));
    near(&chars[lo..j]) || near(&chars[j + 1..hi])
}

/// Whether the clause around `i` holds another operator, real or a glyph
/// that could be one (`人工补助费越人工补助费标准伊救援实有人数伊救援天数`).
fn clause_has_operator(chars: &[char], i: usize) -> bool {
    // Nearest first, so a run of operators costs one step each.
    let left = (i.saturating_sub(CLAUSE_MAX)..i).rev();
    let right = i + 1..(i + 1 + CLAUSE_MAX).min(chars.len());
    operator_in(chars, left) || operator_in(chars, right)
}

/// Whether an operator stands at one of `positions` before the clause ends.
fn operator_in(chars: &[char], positions: impl Iterator<Item = usize>) -> bool {
    for j in positions {
        let c = chars[j];
        if ends_clause(c) {
            return false;
        }
        if is_real_operator(c) || (operator_symbol(c).is_some() && operator_candidate(chars, j)) {
            return true;
        }
    }
    false
}

/// 伊 ×, 衣 ÷, 越 =, 垣 + between two numbers (`7伊24小时`), in a clause
/// with another operator, 越 = before a number, 垣 + after a Latin letter
/// or a number (`5G垣智慧医疗`, `互联网垣政务服务`).
fn operator(chars: &[char], i: usize) -> Option<char> {
    let symbol = operator_symbol(chars[i])?;
    if !operator_candidate(chars, i) {
        return None;
    }
    let (p, n) = (prev_char(chars, i), next_char(chars, i));
    let fixed = (digit_at(p) && digit_at(n))
        || (symbol == '=' && digit_at(n))
        || (symbol == '+' && p.is_some_and(|p| is_latin(p) || is_digit(p) || p == '网'))
        || clause_has_operator(chars, i);
    fixed.then_some(symbol)
}

// ---------------------------------------------------------------------------
// Roman numerals: 玉 Ⅰ, 域 Ⅱ, 芋 Ⅲ, 郁 Ⅳ, 吁 Ⅴ, 遇 Ⅵ

fn roman_glyph(c: char) -> Option<char> {
    match c {
        '玉' => Some('Ⅰ'),
        '域' => Some('Ⅱ'),
        '芋' => Some('Ⅲ'),
        '郁' => Some('Ⅳ'),
        '吁' => Some('Ⅴ'),
        '遇' => Some('Ⅵ'),
        _ => None,
    }
}

fn is_roman(c: char) -> bool {
    ('\u{2160}'..='\u{217f}').contains(&c) || roman_glyph(c).is_some()
}

/// Between the numerals of a grade list (`Ⅰ、Ⅱ类`, `Ⅱ～Ⅲ级`).
fn is_roman_separator(c: char) -> bool {
    "、，,～~-—－/至到和或及与".contains(c)
}

/// What a grade is a grade of: `Ⅲ类` water, `Ⅱ级` response, `Ⅰ期` project.
fn is_class_suffix(c: char) -> bool {
    "类级期型档".contains(c)
}

/// Words that may stand right before a grade (`达到Ⅳ类`, `向Ⅲ类提升`,
/// `地表水Ⅲ类`, `启动Ⅰ级响应`); any other character before 域/玉/芋/… makes a real word
/// (区域级, 领域类, 薯芋类, 机遇期).
const BEFORE_GRADE: &str = "向到为于是第至或和及与的在属按成入准劣达水优低高超过好动布行";

/// 玉/域/芋/郁/吁/遇 as Roman numerals: a grade list followed by a class
/// suffix and preceded by punctuation or a grade word (`水质逐步向芋类提升`),
/// or a numeral right after a Latin letter (`GB玉`).
fn roman(chars: &[char], i: usize) -> Option<char> {
    let symbol = roman_glyph(chars[i])?;
    // The first numeral of the list.
    let mut first = i;
    for _ in 0..8 {
        match before(chars, first).0 {
            Some(s) if is_roman_separator(chars[s]) => match before(chars, s).0 {
                Some(r) if is_roman(chars[r]) => first = r,
                _ => break,
            },
            _ => break,
        }
    }
    // What follows the last numeral.
    let mut last = i;
    let mut follow = after(chars, last);
    for _ in 0..8 {
        let Some(j) = follow else { break };
        if is_roman(chars[j]) {
            last = j;
        } else if is_roman_separator(chars[j])
            && after(chars, j).is_some_and(|r| is_roman(chars[r]))
        {
            last = after(chars, j).unwrap_or(j);
        } else {
            break;
        }
        follow = after(chars, last);
    }
    let suffix = follow.map(|j| chars[j]);
    let graded = suffix.is_some_and(is_class_suffix);
    let lead = prev_char(chars, first);
    let fixed = match lead {
        Some(p) if is_latin(p) => graded || !suffix.is_some_and(is_han),
        Some(p) if is_han(p) => graded && BEFORE_GRADE.contains(p),
        Some(p) if is_digit(p) => false,
        _ => graded,
    };
    fixed.then_some(symbol)
}

// ---------------------------------------------------------------------------
// Enumerated items: 淤 ①, 于 ②, 盂 ③, 榆 ④, 虞 ⑤, … 逾 ⑩

const CIRCLED: [char; 10] = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩'];
const ITEM_GLYPHS: [char; 10] = ['淤', '于', '盂', '榆', '虞', '愚', '舆', '余', '俞', '逾'];

fn circled_value(c: char) -> Option<usize> {
    // ①..⑩ are consecutive code points.
    let k = (c as u32).wrapping_sub('①' as u32) as usize;
    (k < CIRCLED.len()).then_some(k + 1)
}

fn item_glyph(c: char) -> Option<usize> {
    // A match compiles to a few comparisons; this runs on every character.
    let k = match c {
        '淤' => 0,
        '于' => 1,
        '盂' => 2,
        '榆' => 3,
        '虞' => 4,
        '愚' => 5,
        '舆' => 6,
        '余' => 7,
        '俞' => 8,
        '逾' => 9,
        _ => return None,
    };
    debug_assert_eq!(ITEM_GLYPHS[k], c);
    Some(k + 1)
}

/// Characters that, right after the glyph, make it a real word that may
/// start a sentence (淤泥, 于是, 盂县, 榆次, 舆论, 余额, 逾期).
fn item_word_after(k: usize) -> &'static str {
    match k {
        1 => "泥积塞堵血地滞浅青沙土痕",
        2 => "是此今斯",
        3 => "县兰",
        4 => "树林次中社钱阳",
        5 => "坂乡城舜",
        6 => "公昧蠢",
        7 => "论情图地",
        8 => "下额量款粮热地生年家",
        10 => "期越",
        _ => "",
    }
}

/// Ends a sentence or clause after which an item may start.
fn ends_item(c: char) -> bool {
    "。；;：:！!？?\t".contains(c)
}

/// Whether the glyph at `i` (item number `k`) stands where an item starts
/// and is followed by the item's text. `strong`: after a sentence end or at
/// the start of the text; otherwise also at a line start after a character
/// that does not form a word with the glyph (清淤 wrapped as 清 / 淤).
fn opens_item(chars: &[char], i: usize, k: usize, strong: bool) -> bool {
    let n = next_char(chars, i);
    if !starts_phrase(n) || n.is_some_and(|n| item_word_after(k).contains(n)) {
        return false;
    }
    // 于2022年…, 余3人: a number after the glyph is the real word's object.
    if k >= 2 && digit_at(n) {
        return false;
    }
    match before(chars, i) {
        (None, _) => true,
        (Some(p), line_break) => {
            ends_item(chars[p]) || (!strong && line_break && !"清疏防排积泥冲".contains(chars[p]))
        }
    }
}

/// The enumeration state of one pass: where the last ①..⑩ (real or
/// repaired) stood, and how far ahead the search for a ② has gone, so that
/// many ① candidates never scan the same text twice.
#[derive(Default)]
struct Items {
    last: [Option<usize>; 11],
    /// The next ② (or 于 opening an item) found ahead, if any.
    second: Option<usize>,
    /// Everything before this has been searched for a ②.
    searched: usize,
}

impl Items {
    /// 淤/于/盂/榆/… as ①②③④…: an item start that continues a sequence
    /// (① at most [`ITEM_WINDOW`] characters before ②, ② before ③, …). ①
    /// may stand alone after a sentence end; at a bare line start it needs a
    /// ② after it. Real ①..⑩ are recorded as links of the chain.
    fn visit(&mut self, chars: &[char], i: usize) -> Option<char> {
        let c = chars[i];
        if let Some(k) = circled_value(c) {
            self.last[k] = Some(i);
            return None;
        }
        let k = item_glyph(c)?;
        let accepted = if k == 1 {
            opens_item(chars, i, 1, true)
                || (opens_item(chars, i, 1, false) && self.second_follows(chars, i))
        } else {
            self.last[k - 1].is_some_and(|p| i - p <= ITEM_WINDOW) && opens_item(chars, i, k, true)
        };
        if !accepted {
            return None;
        }
        self.last[k] = Some(i);
        Some(CIRCLED[k - 1])
    }

    /// Whether a ② follows `i` within [`ITEM_WINDOW`]. The text ahead of the
    /// pass is not yet modified, so a search result stays valid.
    fn second_follows(&mut self, chars: &[char], i: usize) -> bool {
        let end = (i + ITEM_WINDOW).min(chars.len());
        if let Some(j) = self.second.filter(|&j| j > i) {
            return j < end;
        }
        let is_second =
            |j: usize| chars[j] == '②' || (chars[j] == '于' && opens_item(chars, j, 2, true));
        let start = self.searched.max(i + 1);
        self.second = (start..end).find(|&j| is_second(j));
        self.searched = self.second.map_or(end.max(start), |j| j + 1);
        self.second.is_some()
    }
}

// ---------------------------------------------------------------------------
// 原 —

/// How many characters starting at `i` are a dash written as 原 (0 if none):
/// `原原` as —— before a number or a quote, at a sentence or line start
/// (`。原原坚持改革创新`, `报告 / 原原2022年1月25日在…`), but not 原原本本 nor
/// a word ending in 原 followed by one starting with it (草原原有); a single
/// 原 between numbers (`3原5个`) or at a line start before a full date.
fn dash_len(chars: &[char], i: usize) -> usize {
    let (p, line_break) = before(chars, i);
    let p = p.map(|j| chars[j]);
    if chars.get(i + 1) == Some(&'原') {
        if chars.get(i + 2) == Some(&'本') {
            return 0;
        }
        let n = next_char(chars, i + 1);
        let after_break = !p.is_some_and(is_word);
        let before_subtitle = n.is_some_and(|n| is_digit(n) || is_open(n) || is_latin(n))
            || (line_break && n == Some('在'));
        return if after_break || before_subtitle { 2 } else { 0 };
    }
    if digit_at(p) && digit_at(next_char(chars, i)) {
        return 1;
    }
    if line_break && !p.is_some_and(is_open) && date_follows(chars, i) {
        return 1;
    }
    0
}

/// Whether `原` at `i` is followed by a date with year and month
/// (`2022年1月`), spaces allowed.
fn date_follows(chars: &[char], i: usize) -> bool {
    let mut rest = chars[i + 1..].iter().copied().filter(|&c| c != ' ');
    let mut digits = 0;
    let mut c = rest.next();
    while c.is_some_and(is_digit) {
        digits += 1;
        c = rest.next();
    }
    if !(2..=4).contains(&digits) || c != Some('年') {
        return false;
    }
    let mut month = 0;
    c = rest.next();
    while c.is_some_and(is_digit) {
        month += 1;
        c = rest.next();
    }
    (1..=2).contains(&month) && c == Some('月')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        let mut v: Vec<char> = s.chars().collect();
        fix_glyphs(&mut v);
        v.into_iter().collect()
    }

    #[test]
    fn the_filter_passes_every_glyph_the_pass_looks_at() {
        let looked_at = "冥耀豫逸伊衣越垣原"
            .chars()
            .chain(CIRCLED)
            .chain(ITEM_GLYPHS)
            .chain(('\u{4e00}'..='\u{9fff}').filter(|&c| roman_glyph(c).is_some()));
        for c in looked_at {
            assert!(maybe_glyph(c), "{c} is skipped by the filter");
        }
        // And it does skip: most of a text is never looked at twice.
        let text = "加快推进城市更新行动，完善基础设施建设";
        assert!(text.chars().filter(|&c| maybe_glyph(c)).count() < text.chars().count() / 2);
    }

    #[test]
    fn wrapped_neighbours_are_found_across_blank_lines() {
        assert_eq!(
            fixed("打造 8\n\n耀10\n\n个市级专业镇"),
            "打造 8\n\n～10\n\n个市级专业镇"
        );
        assert_eq!(fixed("绛县、垣\n\n曲、芮城"), "绛县、垣\n\n曲、芮城");
    }

    /// A small xorshift generator: the crate has no `rand`, and the test
    /// must be reproducible.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn random_input_never_panics_and_keeps_length() {
        // Glyphs, their partners and the punctuation the rules look at, so
        // random arrays hit the rules often; plus arbitrary code points.
        let alphabet: Vec<char> = "冥耀伊越衣豫逸芋域玉郁吁遇淤于盂榆虞愚舆余俞逾原垣\
             ①②③④⑤ⅠⅡ0123456789０年月在本类级期区领清关是来曲\
             。；：，、（）“”\n\n  \tAZ+=×÷—～%"
            .chars()
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            // Mostly short arrays, one in eight long enough for the windows.
            let long = (rng.next() & 7) == 0;
            let len = (rng.next() % 64) as usize + usize::from(long) * 600;
            let mut v: Vec<char> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if (r & 7) == 0 {
                        char::from_u32((r >> 8) as u32 % 0x11_0000).unwrap_or('?')
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            fix_glyphs(&mut v);
            assert_eq!(v.len(), len);
        }
        for len in 0..4 {
            for &c in &alphabet {
                let mut v = vec![c; len];
                fix_glyphs(&mut v);
            }
        }
    }
}
