//! Owner clauses: who leads a task and who co-operates.
//!
//! Forms: a `责任单位：A、B` label paragraph; a bracket clause closing an item
//! or a group, `（A牵头，B、C配合）`, `（A牵头，B等按职责分工负责）`,
//! `（A、B按职责分工负责）`, `（A负责）`, `［牵头单位：A，配合单位：B］`;
//! conditional forms `市城区由A牵头，B配合，各县（市）由当地政府负责`; and
//! distributive forms `市、县两级市场监管局、财政局`. Lead versus
//! co-operating units follow `shared/gold/GUIDELINES.md`.

use crate::para::OWNER_LABELS;

/// Units named by one owner clause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owners {
    pub lead: Vec<String>,
    pub co: Vec<String>,
}

impl Owners {
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty() && self.co.is_empty()
    }

    fn add(&mut self, role: Role, unit: String) {
        if self.lead.contains(&unit) || self.co.contains(&unit) {
            return;
        }
        match role {
            Role::Lead => self.lead.push(unit),
            Role::Co => self.co.push(unit),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Co,
}

/// Duty words that close a segment, longest first, with the role they give
/// (`None`: depends on whether the clause has a lead already).
const DUTIES: [(&str, Option<Role>); 16] = [
    ("等按职责分工负责", None),
    ("按职责分工负责", None),
    ("按职能分工负责", None),
    ("按各自职责落实", None),
    ("按各自职责负责", None),
    ("根据职责分工负责", None),
    ("分工负责", None),
    ("共同负责", None),
    ("负责落实", None),
    ("具体负责", Some(Role::Lead)),
    ("牵头负责", Some(Role::Lead)),
    ("牵头", Some(Role::Lead)),
    ("配合", Some(Role::Co)),
    ("协助", Some(Role::Co)),
    ("参与", Some(Role::Co)),
    ("负责", None),
];

/// Words whose presence makes bracket text an owner clause.
const KEYWORDS: [&str; 6] = ["牵头", "负责", "配合", "按各自职责落实", "责任单位", "协助"];

/// Trailing words dropped from a unit name.
const TRAILERS: [&str; 8] = [
    "等有关单位",
    "等相关单位",
    "等成员单位",
    "等有关部门",
    "等相关部门",
    "等部门",
    "等单位",
    "等",
];

/// Characters a unit name may end with.
pub fn unit_suffix(c: char) -> bool {
    "局委办会院府司队部心行社处站所馆团厂室组庭镇乡区县市关政港队校位".contains(c)
}

/// If `p` ends with an owner bracket clause, the char index where the
/// clause's opening bracket is.
pub fn trailing_clause(p: &[char]) -> Option<usize> {
    let mut end = p.len();
    while end > 0 && matches!(p[end - 1], '。' | '；' | ' ' | '，') {
        end -= 1;
    }
    let close = *p.get(end.checked_sub(1)?)?;
    if !matches!(close, '）' | '］') {
        return None;
    }
    let mut depth = 0;
    let mut open = None;
    for i in (0..end).rev() {
        match p[i] {
            '）' | '］' => depth += 1,
            '（' | '［' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    let inner: String = p[open + 1..end - 1].iter().collect();
    is_clause(&inner).then_some(open)
}

/// Does bracket text read as an owner clause (units and a duty word)?
pub fn is_clause(inner: &str) -> bool {
    if !KEYWORDS.iter().any(|k| inner.contains(k)) {
        return false;
    }
    if OWNER_LABELS.iter().any(|l| inner.starts_with(l)) {
        return true;
    }
    // It must open with a unit: the first segment ends in a duty word and
    // its first unit ends like a unit name.
    let first_seg = inner.split(['，', '；']).next().unwrap_or("");
    let units_part = strip_duty(first_seg).0;
    let units_part = units_part.rsplit_once('由').map_or(units_part, |(_, u)| u);
    let first_unit = split_units(units_part)
        .into_iter()
        .find(|u| u.chars().count() >= 2)
        .unwrap_or_default();
    let n = first_unit.chars().count();
    (2..=30).contains(&n)
        && first_unit.chars().last().is_some_and(unit_suffix)
        && !inner.contains('。')
}

/// Does a paragraph start with an owner label (`责任单位：`)?
pub fn label_clause(p: &str) -> bool {
    OWNER_LABELS
        .iter()
        .any(|l| p.starts_with(l) && p[l.len()..].starts_with(['：', ':']))
}

/// Reads the units of an owner clause: the text inside the brackets, or a
/// label paragraph.
pub fn parse(clause: &str) -> Owners {
    let clause = clause.trim_end_matches(['。', '；', '，']);
    let mut owners = Owners::default();
    if OWNER_LABELS
        .iter()
        .any(|l| clause.contains(&format!("{l}：")))
    {
        parse_labelled(clause, &mut owners);
    } else {
        parse_segments(clause, &mut owners, None);
    }
    owners
}

/// `牵头单位：A；责任单位：B` and friends.
fn parse_labelled(clause: &str, owners: &mut Owners) {
    // Cut the clause at each label.
    let mut cuts: Vec<(usize, &str)> = Vec::new();
    for l in OWNER_LABELS {
        let pat = format!("{l}：");
        let mut from = 0;
        while let Some(p) = clause[from..].find(&pat) {
            cuts.push((from + p, l));
            from += p + pat.len();
        }
    }
    cuts.sort();
    let has_lead_label = cuts.iter().any(|(_, l)| l.starts_with("牵头"));
    for (k, &(pos, label)) in cuts.iter().enumerate() {
        let start = pos + label.len() + '：'.len_utf8();
        let end = cuts.get(k + 1).map_or(clause.len(), |c| c.0);
        let body = clause[start..end].trim_end_matches(['，', '；', '。', ' ']);
        let role = match label {
            "牵头单位" | "牵头部门" | "主责单位" => Some(Role::Lead),
            "配合单位" | "配合部门" | "协办单位" => Some(Role::Co),
            _ if has_lead_label => Some(Role::Co),
            _ => None,
        };
        parse_segments(body, owners, role);
    }
}

/// Unlabelled clauses: segments split by `，`/`；`, each closed by a duty word.
fn parse_segments(body: &str, owners: &mut Owners, forced: Option<Role>) {
    for seg in split_top(body, &['，', '；']) {
        let (units, duty) = strip_duty(&seg);
        let conditional_local = units.ends_with("由当地政府") || units.ends_with("由当地人民政府");
        let role = forced.or(duty).unwrap_or(if owners.lead.is_empty() {
            Role::Lead
        } else {
            Role::Co
        });
        if conditional_local {
            // 各县（市）由当地政府负责: the local governments themselves.
            let place = units.split('由').next().unwrap_or("");
            if !place.is_empty() {
                let role = if owners.lead.is_empty() {
                    Role::Lead
                } else {
                    Role::Co
                };
                owners.add(role, format!("{place}人民政府"));
            }
            continue;
        }
        // 市城区由A牵头: the condition before 由 is not a unit.
        let units = match units.split_once('由') {
            Some((cond, rest)) if cond.chars().count() <= 8 && !cond.is_empty() => rest,
            _ => units,
        };
        for u in expand(split_units(units)) {
            if u.chars().count() >= 2 {
                owners.add(role, u);
            }
        }
    }
}

/// Phrases of manner that may stand between the units and the duty word
/// (`按照职责分工负责`), longest first.
const MANNERS: [&str; 10] = [
    "按照各自职责",
    "根据各自职责",
    "按各自职责",
    "按照职责分工",
    "根据职责分工",
    "按职责分工",
    "按职能分工",
    "按照职责",
    "分工",
    "共同",
];

/// Splits off the duty word closing a segment.
fn strip_duty(seg: &str) -> (&str, Option<Role>) {
    for (d, role) in DUTIES {
        if let Some(rest) = seg.strip_suffix(d) {
            let rest = MANNERS
                .iter()
                .find_map(|m| rest.strip_suffix(m))
                .unwrap_or(rest);
            return (rest, role);
        }
    }
    (seg, None)
}

/// Splits at any of `seps` outside brackets.
fn split_top(s: &str, seps: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' | '［' | '[' => depth += 1,
            '）' | ')' | '］' | ']' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && seps.contains(&c) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// Splits a run of unit names at `、`, and at `和`/`及` where a unit name
/// ends before it and another begins after it (not inside 规划和自然资源局).
pub fn split_units(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in split_top(s, &['、', '，']) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        let mut depth = 0;
        for i in 0..chars.len() {
            match chars[i] {
                '（' => depth += 1,
                '）' => depth -= 1,
                '和' | '及' if depth == 0 && i > start => {
                    let before = chars[i - 1];
                    let after = chars.get(i + 1).copied();
                    if (unit_suffix(before) || before == '等')
                        && after.is_some_and(|a| "各市区县省国运".contains(a))
                    {
                        out.push(chars[start..i].iter().collect::<String>());
                        start = i + 1;
                    }
                }
                _ => {}
            }
        }
        out.push(chars[start..].iter().collect::<String>());
    }
    out.into_iter()
        .filter_map(|u| {
            // A lone level (`市` of `市、县两级…`) is kept for `expand`.
            let t = u.trim();
            if t.chars().count() == 1 && "省市县区乡".contains(t) {
                Some(t.to_string())
            } else {
                clean_unit(&u)
            }
        })
        .collect()
}

/// Normalises one unit name: no whitespace, trailing 等… dropped.
pub fn clean_unit(u: &str) -> Option<String> {
    let mut u: String = u.chars().filter(|c| !c.is_whitespace()).collect();
    u = u.trim_matches(['［', '］']).to_string();
    // Brackets belong to a name only when they are balanced in it
    // (市工信局（市国资委）); a stray one is the clause's own.
    while u.starts_with('（') && u.matches('（').count() > u.matches('）').count() {
        u.remove(0);
    }
    while u.ends_with('）') && u.matches('）').count() > u.matches('（').count() {
        u.pop();
    }
    for t in TRAILERS {
        if u.ends_with(t) && u.chars().count() > t.chars().count() + 1 {
            u.truncate(u.len() - t.len());
            break;
        }
    }
    let u = u.trim_end_matches(['，', '、', '；', '。']).to_string();
    (u.chars().count() >= 2).then_some(u)
}

/// Expands distributive forms: `市、县两级市场监管局`, `财政局` →
/// `市市场监管局`, `县级市场监管局`, `市财政局`, `县级财政局`.
fn expand(units: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut levels: Vec<String> = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        // `市` alone followed by `县两级X`.
        if u.chars().count() == 1 && i + 1 < units.len() {
            if let Some((lv, rest)) = split_levels(&units[i + 1]) {
                levels = std::iter::once(u.clone()).chain(lv).collect();
                for l in &levels {
                    out.push(level_unit(l, &rest));
                }
                i += 2;
                continue;
            }
        }
        if let Some((lv, rest)) = split_levels(u) {
            levels = lv;
            for l in &levels {
                out.push(level_unit(l, &rest));
            }
        } else if !levels.is_empty() && !starts_with_level(u) {
            for l in &levels {
                out.push(level_unit(l, u));
            }
        } else {
            levels.clear();
            out.push(u.clone());
        }
        i += 1;
    }
    out
}

fn starts_with_level(u: &str) -> bool {
    u.starts_with(['市', '县', '区', '省', '各', '乡']) || u.contains("政府")
}

/// `县两级市场监管局` → (["县"], "市场监管局").
fn split_levels(u: &str) -> Option<(Vec<String>, String)> {
    for marker in ["两级", "三级", "各级"] {
        if let Some((lv, rest)) = u.split_once(marker) {
            let levels: Vec<String> = lv
                .chars()
                .filter(|c| "省市县区乡".contains(*c))
                .map(String::from)
                .collect();
            if !levels.is_empty() && !rest.is_empty() && levels.len() == lv.chars().count() {
                return Some((levels, rest.to_string()));
            }
        }
    }
    None
}

fn level_unit(level: &str, name: &str) -> String {
    match level {
        "市" | "省" => format!("{level}{name}"),
        _ => format!("{level}级{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(clause: &str) -> (Vec<String>, Vec<String>) {
        let o = parse(clause);
        (o.lead, o.co)
    }

    fn v(s: &str) -> Vec<String> {
        if s.is_empty() {
            return vec![];
        }
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn clause_forms() {
        let cases = [
            ("市应急局牵头，市住建局、市交通局等按职责分工负责", "市应急局", "市住建局 市交通局"),
            ("市发展改革委、市农业农村局等部门按职责分工负责", "市发展改革委 市农业农村局", ""),
            ("市教育局负责", "市教育局", ""),
            ("市消防救援支队等负责", "市消防救援支队", ""),
            ("牵头单位：市司法局，配合单位：市审批服务管理局、各县（市、区）人民政府", "市司法局", "市审批服务管理局 各县（市、区）人民政府"),
            ("牵头单位：区自然资源局；责任单位：区林业局、区水务局", "区自然资源局", "区林业局 区水务局"),
            ("责任单位：区人社局、区农业农村局", "区人社局 区农业农村局", ""),
            ("市规划和自然资源局负责，各县（市、区）政府、运城开发区管委会配合", "市规划和自然资源局", "各县（市、区）政府 运城开发区管委会"),
            (
                "责任单位：市城区由市城市管理局、市水务局牵头，市发展改革委、盐湖区政府配合，各县（市）由当地政府负责。",
                "市城市管理局 市水务局",
                "市发展改革委 盐湖区政府 各县（市）人民政府",
            ),
            ("市工信局牵头，市发展改革委、市财政局和各县（市、区）人民政府配合", "市工信局", "市发展改革委 市财政局 各县（市、区）人民政府"),
            ("市应急局牵头，市卫健委等和各县政府按职责分工负责", "市应急局", "市卫健委 各县政府"),
            ("市、县两级市场监管局、财政局负责", "市市场监管局 县级市场监管局 市财政局 县级财政局", ""),
            ("市工信局（市国资委）、市财政局按职责分工负责", "市工信局（市国资委） 市财政局", ""),
            ("市城市管理局牵头，市住建局按照职责分工负责", "市城市管理局", "市住建局"),
            ("市应急局牵头，承担有指挥部职责的成员单位和各县（市、区）政府按职责分工负责", "市应急局", "承担有指挥部职责的成员单位 各县（市、区）政府"),
            ("市农业农村局、市工信局（市国资委）等部门按职责分工负责", "市农业农村局 市工信局（市国资委）", ""),
        ];
        for (clause, lead, co) in cases {
            assert_eq!(roles(clause), (v(lead), v(co)), "{clause}");
        }
    }

    #[test]
    fn recognises_clauses() {
        let yes = [
            "（市教育局负责）",
            "（市应急局牵头，承担有指挥部职责的成员单位按职责分工负责）",
            "［牵头单位：市司法局］",
        ];
        let no = [
            "（试用期一年）",
            "（以下简称市城投集团公司）",
            "（负责同志）",
            "（2021-2035年）",
        ];
        for s in yes {
            let c: Vec<char> = format!("加强管理。{s}").chars().collect();
            assert!(trailing_clause(&c).is_some(), "{s}");
        }
        for s in no {
            let c: Vec<char> = format!("加强管理。{s}").chars().collect();
            assert!(trailing_clause(&c).is_none(), "{s}");
        }
    }
}
