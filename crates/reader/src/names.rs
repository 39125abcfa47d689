//! One unit name: cleaned (whitespace, the clause's own brackets, scope
//! notes such as `〈含开发区，下同〉`, a summing-up tail such as
//! `等市直各相关部门`) and checked: [`check`] says why a string is not a unit
//! name, so callers warn instead of emitting it.

use crate::unit::place_kinds_only;

/// Characters a unit name may end with.
pub fn unit_suffix(c: char) -> bool {
    "局委办会院府司队部心行社处站所馆团厂室组庭镇乡区县市关政港校位厅门业构联协台学班州旗盟村"
        .contains(c)
}

/// Characters only a body's name ends with (not a place or a field).
pub(crate) fn body_suffix(c: char) -> bool {
    "局委办会院府司队部心行社处站所馆团厂室组庭关校位门构联协台厅".contains(c)
}

/// Tracks bracket nesting over a text: an opening bracket of any kind
/// goes one level in, a closing one comes out.
pub fn nest(c: char, depth: &mut i32) {
    if is_open(c) {
        *depth += 1;
    } else if is_close(c) {
        *depth -= 1;
    }
}

/// Opening and closing brackets of every kind a name or a clause may use.
pub fn is_open(c: char) -> bool {
    matches!(
        c,
        '（' | '(' | '［' | '[' | '〔' | '【' | '〈' | '《' | '“' | '｛'
    )
}

pub fn is_close(c: char) -> bool {
    matches!(
        c,
        '）' | ')' | '］' | ']' | '〕' | '】' | '〉' | '》' | '”' | '｝'
    )
}

/// Is `tail` (what follows the last `等` of a name) a summary of the rest
/// of a list: empty, or `省直各有关部门`, `市直各相关部门`, `有关单位`, …?
pub(crate) fn summary_tail(tail: &str) -> bool {
    let mut t = tail;
    for opts in [
        &["省", "市", "县", "区", "乡", "镇"][..],
        &["直"],
        &["级"],
        &["各"],
        &["有关", "相关", "其他", "成员"],
        &["职能"],
        &["部门", "单位", "机构"],
    ] {
        if let Some(o) = opts.iter().find(|o| t.starts_with(*o)) {
            t = &t[o.len()..];
        }
    }
    t.is_empty()
}

/// Manner phrases left after a unit list when the duty word is missing
/// (`各相关职能部门按职责分工`), longest first.
pub(crate) const LOOSE_MANNERS: [&str; 6] = [
    "按照各自职责",
    "按各自职责",
    "按照职责分工",
    "根据职责分工",
    "按职责分工",
    "按职能分工",
];

/// Drops trailing `等…`, and loose manner phrases.
pub(crate) fn strip_trailers(u: &str) -> String {
    let mut u = u.to_string();
    for m in LOOSE_MANNERS {
        if u.ends_with(m) && u.chars().count() > m.chars().count() + 1 {
            u.truncate(u.len() - m.len());
            break;
        }
    }
    // `A等`, `A等部门`, `A等省直各有关部门`: the rest of the list summed up.
    if let Some(p) = u.rfind('等') {
        if u[..p].chars().count() >= 2 && summary_tail(&u[p + '等'.len_utf8()..]) {
            u.truncate(p);
        }
    }
    u
}

/// Drops scope notes: a bracket that says what a name includes or that
/// the note holds below (`〈含开发区，下同〉`, `（含县级市）`, `（包括…）`).
pub(crate) fn strip_scope_notes(u: &str) -> String {
    let chars: Vec<char> = u.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if is_open(chars[i]) && chars[i] != '《' && chars[i] != '“' {
            // Find the matching close.
            let mut depth = 0;
            let mut end = None;
            for (j, &c) in chars.iter().enumerate().skip(i) {
                if is_open(c) {
                    depth += 1;
                } else if is_close(c) {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
            }
            if let Some(e) = end {
                let inner: String = chars[i + 1..e].iter().collect();
                let note = ["含", "包括", "包含", "不含", "下同"]
                    .iter()
                    .any(|w| inner.starts_with(w))
                    || inner.ends_with("下同")
                    || inner.contains("，下同");
                if note {
                    i = e + 1;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Normalises one unit name: no whitespace, brackets of the clause itself
/// dropped, scope notes and trailing `等…` dropped. `None` when nothing of
/// two characters is left.
pub fn clean_unit(u: &str) -> Option<String> {
    // Most names need nothing: no space, bracket, 等 or manner phrase.
    let plain = !u.contains(|c: char| {
        c.is_whitespace()
            || is_open(c)
            || is_close(c)
            || matches!(c, '等' | '按' | '，' | '、' | '；' | '。' | '：')
    });
    if plain {
        return (u.chars().nth(1).is_some()).then(|| u.to_string());
    }
    let mut u: String = u
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect();
    u = u
        .trim_matches(['［', '］', '【', '】', '，', '、', '；', '。', '：'])
        .to_string();
    // Brackets belong to a name only when they are balanced in it
    // (市工信局（市国资委）); a stray one is the clause's own.
    loop {
        let opens = u.chars().filter(|&c| is_open(c)).count();
        let closes = u.chars().filter(|&c| is_close(c)).count();
        if opens > closes && u.starts_with(is_open) {
            u.remove(0);
        } else if closes > opens && u.ends_with(is_close) {
            u.pop();
        } else {
            break;
        }
    }
    // A clause bracket wrapping the whole list: `〔A、B〕`.
    if u.starts_with(is_open) && u.ends_with(is_close) && balanced_outer(&u) {
        let inner: String = {
            let mut c = u.chars();
            c.next();
            c.next_back();
            c.collect()
        };
        u = inner;
    }
    let u = strip_scope_notes(&u);
    let u = strip_trailers(&u);
    let u = u.trim_end_matches(['，', '、', '；', '。']).to_string();
    (u.chars().count() >= 2).then_some(u)
}

/// Does the first bracket of `s` close at its last character?
pub(crate) fn balanced_outer(s: &str) -> bool {
    let n = s.chars().count();
    let mut depth = 0;
    for (i, c) in s.chars().enumerate() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth -= 1;
            if depth == 0 {
                return i + 1 == n;
            }
        }
    }
    false
}

/// Words that never stand in a unit name: they belong to the sentence
/// around it (`不再列出`, `下同`, `以下均需…落实`).
pub(crate) const NOT_IN_NAMES: [&str; 10] = [
    "不再列出",
    "不再重复",
    "下同",
    "以下",
    "均需",
    "落实",
    "按照",
    "要求",
    "负责",
    "牵头",
];

/// Why a string is not a unit name, or `Ok` when it reads as one: an
/// organ, a body or a named place, or a collective of them
/// (`各市、县级政府`, `各有关部门`).
pub fn check(u: &str) -> Result<(), &'static str> {
    let n = u.chars().count();
    if n < 2 {
        return Err("过短");
    }
    if u.contains(['。', '；', '：', '！', '？', ':', ';']) {
        return Err("含有句子标点");
    }
    // Every such word holds one of these characters; most names none.
    let suspect = u.contains(|c: char| "不下以均落按要负牵".contains(c));
    if suspect && NOT_IN_NAMES.iter().any(|w| u.contains(w)) {
        return Err("含有叙述用语");
    }
    if u.starts_with(|c: char| is_close(c) || "由以并和及等要对在将把的为".contains(c))
    {
        return Err("以虚词或标点开头");
    }
    // The name without a bracketed other name at its end.
    let core = strip_tail_bracket(u);
    if core.chars().count() > 40 {
        return Err("过长，像是一句话");
    }
    if place_kinds_only(core) {
        return Err("只是行政区划的类别，不是具体单位");
    }
    let collective = u.starts_with('各') && u.contains('、');
    if !collective && core.contains('，') {
        return Err("含有逗号");
    }
    let ends_ok = core.chars().last().is_some_and(unit_suffix)
        || ["街道", "方面", "党组", "支部"]
            .iter()
            .any(|s| core.ends_with(s));
    if !ends_ok {
        return Err("结尾不像单位名称");
    }
    Ok(())
}

/// `市委组织部（人才办）` → `市委组织部`.
pub(crate) fn strip_tail_bracket(u: &str) -> &str {
    if !u.ends_with(is_close) {
        return u;
    }
    let mut depth = 0;
    for (p, c) in u.char_indices().rev() {
        if is_close(c) {
            depth += 1;
        } else if is_open(c) {
            depth -= 1;
            if depth == 0 {
                return if p == 0 { u } else { &u[..p] };
            }
        }
    }
    u
}
