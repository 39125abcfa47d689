//! Declarations inside owner clauses and beside them: a standing clause
//! (`以下均需各镇落实，不再列出`; `具体任务均涉及相关市人民政府，不再做分工，
//! 下同`), whose units are added to this and every later task, and a
//! document's own role rule (`列第一位的为牵头单位`, `第一个逗号前为牵头单位`,
//! `按职责分工，下同`), which holds from where it is declared. A bare `下同`
//! that names nothing is reported, not guessed.

use crate::owner::pieces;
use crate::unit::{self, is_close, is_open, split_top, split_units};

/// A document's own rule for telling lead from co-operating units in
/// clauses that use no role word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleRule {
    /// `列第一位的为牵头单位`: the first unit leads, the others co-operate.
    FirstListed,
    /// `第一个逗号前为牵头单位`: units before the first `，` lead.
    BeforeFirstComma,
    /// `按职责分工，下同`: no distinction, every unit leads.
    AllLead,
}

/// Words of a clause that declare something for the rest of the document.
pub(crate) const DECLARATIONS: [&str; 11] = [
    "下同",
    "以下均",
    "以下同",
    "下文同",
    "不再列出",
    "不再一一列出",
    "不再重复列出",
    "不再单独列出",
    "不再做分工",
    "不再分工",
    "不再另行",
];

/// The text outside nested brackets (a scope note's `下同` is the note's).
pub(crate) fn top_level(s: &str) -> String {
    let mut depth = 0;
    let mut out = String::new();
    for c in s.chars() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth -= 1;
        } else if depth <= 0 {
            out.push(c);
        }
    }
    out
}

pub(crate) fn is_declaration(sentence: &str) -> bool {
    if !(sentence.contains('下') || sentence.contains("不再") || sentence.contains("牵头")) {
        return false;
    }
    let t = top_level(sentence);
    DECLARATIONS.iter().any(|d| t.contains(d)) || role_rule(&t).is_some()
}

/// What a declaration sentence says.
#[derive(Debug, Default)]
pub(crate) struct Declaration {
    /// An owner statement standing before it in the same sentence.
    pub(crate) own: String,
    pub(crate) standing: Vec<String>,
    pub(crate) rule: Option<RoleRule>,
    /// The declaring words when they name neither units nor a rule.
    pub(crate) unread: Option<String>,
}

/// A declaration sentence: the units it makes standing, a role rule, and
/// any owner statement that stands before it in the same sentence.
pub(crate) fn declaration(s: &str) -> Declaration {
    let rule = role_rule(s);
    if rule.is_some() {
        return Declaration {
            rule,
            ..Declaration::default()
        };
    }
    let segs = split_top(s, &['，']);
    let Some(at) = segs
        .iter()
        .position(|g| DECLARATIONS.iter().any(|d| top_level(g).contains(d)))
    else {
        return Declaration::default();
    };
    // `以下均需各镇落实`: the units are in the declaring segment; `以下均同，
    // 不再列出` alone: they are the segment before it. A bare `下同` makes
    // nothing standing.
    let own = standing_units(&segs[at]);
    if !own.is_empty() {
        return Declaration {
            own: segs[..at].join("，"),
            standing: own,
            ..Declaration::default()
        };
    }
    let rest = segs[at..].concat();
    let standing_words = rest.contains("以下") || rest.contains("不再");
    if at > 0 && standing_words {
        let prev = standing_units(&segs[at - 1]);
        if !prev.is_empty() {
            return Declaration {
                own: segs[..at - 1].join("，"),
                standing: prev,
                ..Declaration::default()
            };
        }
    }
    Declaration {
        own: segs[..at].join("，"),
        unread: Some(segs[at..].join("，")),
        ..Declaration::default()
    }
}

/// The standing units a paragraph declares on its own
/// (`各乡镇负责落实本辖区相关工作，以下均需落实，不再列出`), if any.
pub fn standing_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Every declaring word holds `下` or `不再`.
    if !(text.contains('下') || text.contains("不再"))
        || !DECLARATIONS.iter().any(|d| text.contains(d))
    {
        return out;
    }
    for s in split_top(text, &['。', '；']) {
        if is_declaration(&s) && role_rule(&s).is_none() {
            out.extend(declaration(&s).standing);
        }
    }
    out.retain(|u| unit::check(u).is_ok());
    out
}

/// The units of a standing statement: `以下均需各镇政府落实` → 各镇政府;
/// `各镇政府负责辖区落实` → 各镇政府.
pub(crate) fn standing_units(seg: &str) -> Vec<String> {
    let mut t = top_level_keep(seg);
    for p in [
        "以下均需",
        "以下均由",
        "以下均",
        "以下同",
        "均需",
        "均由",
        "需",
        "由",
    ] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.to_string();
            break;
        }
    }
    let all_units = |s: &str| {
        let units = split_units(s);
        if units.iter().all(|u| unit::check(u).is_ok()) {
            units
        } else {
            Vec::new()
        }
    };
    if let Some(p) = pieces(&t).into_iter().find(|p| p.duty) {
        return all_units(&p.units);
    }
    // `具体任务均涉及相关市人民政府`: the units after the verb that names them.
    for m in ["涉及", "需要", "需", "由"] {
        if let Some(pos) = t.rfind(m) {
            let after = t[pos + m.len()..].trim_end_matches(['落', '实']);
            let units = all_units(after);
            if !units.is_empty() {
                return units;
            }
        }
    }
    Vec::new()
}

/// The text without surrounding spaces (kept as printed otherwise).
pub(crate) fn top_level_keep(s: &str) -> String {
    s.trim().to_string()
}

/// A role rule declared in a text: `列第一位的为牵头单位`, `排在首位的为
/// 牵头单位`, `第一个逗号前为牵头单位`, `按职责分工，下同`.
pub fn role_rule(text: &str) -> Option<RoleRule> {
    if text.contains("为牵头") || text.contains("是牵头") {
        // A position word, then within a few characters `为牵头` / `是牵头`
        // (`列第一位的责任单位为牵头单位`); `把安全放在第一位` is no rule.
        let declares = |words: &[&str]| {
            words.iter().any(|w| {
                text.match_indices(w).any(|(p, _)| {
                    let after: String = text[p + w.len()..].chars().take(12).collect();
                    after.contains("为牵头") || after.contains("是牵头")
                })
            })
        };
        if declares(&["逗号前", "分号前"]) {
            return Some(RoleRule::BeforeFirstComma);
        }
        if declares(&[
            "第一位",
            "第一个",
            "首位",
            "首个",
            "排名第一",
            "第一家",
            "顿号前",
        ]) {
            return Some(RoleRule::FirstListed);
        }
        return None;
    }
    if !text.contains("下同") {
        return None;
    }
    let t = text.trim_end_matches(['。', '；', '，']);
    (t.contains("下同")
        && (t.starts_with("按职责分工")
            || t.starts_with("按照职责分工")
            || t.starts_with("分工负责"))
        && t.chars().count() <= 16)
        .then_some(RoleRule::AllLead)
}
