//! Owner clauses: who leads a task and who co-operates.
//!
//! Forms: a `责任单位：A、B` label; a bracket clause closing an item or a
//! group, `（A牵头，B、C配合）`, `（A牵头、B配合）`, `（A牵头，B等按职责分工负责）`,
//! `（A、B按职责分工负责）`, `（A负责）`, `（A负责提供）` (a duty verb after
//! the unit), `（A会同B负责）`, `［牵头单位：A，配合单位：B］`; conditional forms
//! `市城区由A牵头，B配合，各县（市）由当地政府负责`. A clause may also
//! declare, after `；` or `。`, a standing clause (`以下均需各镇落实，不再列出`:
//! units added to this and every later task) or the document's own role
//! rule (`列第一位的为牵头单位，下同`; `第一个逗号前为牵头单位`; `按职责分工，
//! 下同`), which holds from there on. Unit names are split and checked by
//! [`crate::unit`]; what does not look like a unit is returned as refused,
//! for a warning, never as an owner. Lead versus co-operating units follow
//! `shared/gold/GUIDELINES.md`: without a stated distinction every unit
//! leads.

use crate::declare::{declaration, is_declaration};
pub use crate::declare::{role_rule, standing_in, RoleRule};
use crate::para::OWNER_LABELS;
use crate::unit::{self, is_close, is_open, nest, split_top};
pub use crate::unit::{clean_unit, split_units, unit_suffix};

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

    pub fn contains(&self, unit: &str) -> bool {
        self.lead.iter().chain(&self.co).any(|u| u == unit)
    }

    fn add(&mut self, role: Role, unit: String) {
        if self.contains(&unit) {
            return;
        }
        match role {
            Role::Lead => self.lead.push(unit),
            Role::Co => self.co.push(unit),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Lead,
    Co,
}

/// How a document writes its clauses, found over the whole document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The role rule in force, if the document declared one.
    pub rule: Option<RoleRule>,
    /// Lists are separated by `，`, and `、` joins two names of one body.
    pub pairs_one_body: bool,
}

/// What one clause says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub owners: Owners,
    /// Units of a standing clause declared inside this one.
    pub standing: Vec<String>,
    /// A role rule declared inside this clause.
    pub rule: Option<RoleRule>,
    /// Strings in unit position that are not unit names, with the reason.
    pub refused: Vec<(String, &'static str)>,
}

/// Duty words, longest first at any position, with the role they give
/// (`None`: lead unless a lead was named before in the clause).
const DUTIES: [(&str, Option<Role>); 8] = [
    ("牵头负责", Some(Role::Lead)),
    ("具体负责", Some(Role::Lead)),
    ("牵头", Some(Role::Lead)),
    ("配合", Some(Role::Co)),
    ("协助", Some(Role::Co)),
    ("参与", Some(Role::Co)),
    ("负责", None),
    ("落实", None),
];

/// Phrases of manner that stand between the units and the duty word
/// (`按照职责分工负责`), longest first.
const MANNERS: [&str; 16] = [
    "按照各自职责",
    "根据各自职责",
    "按各自职责",
    "按照职责分工",
    "根据职责分工",
    "按职责分工",
    "按职能分工",
    "按职能分别",
    "按职责分别",
    "按照职责",
    "按职责",
    "按职能",
    "分别",
    "分工",
    "共同",
    "各自",
];

/// Does a paragraph start with an owner label (`责任单位：`)?
pub fn label_clause(p: &str) -> bool {
    label_at(p).is_some()
}

/// The owner label `p` starts with, if any.
pub(crate) fn label_at(p: &str) -> Option<&'static str> {
    OWNER_LABELS
        .iter()
        .find(|l| p.starts_with(*l) && p[l.len()..].starts_with(['：', ':']))
        .copied()
}

/// If `p` ends with an owner bracket clause, the char index where the
/// clause's opening bracket is.
pub fn trailing_clause(p: &[char]) -> Option<usize> {
    crate::clause::trailing(p)
}

/// Does bracket text read as an owner clause: a label with units, or a
/// statement whose first units carry a duty word; any further sentence is
/// another statement or a declaration?
pub fn is_clause(inner: &str) -> bool {
    let inner = inner.trim();
    if let Some(l) = label_at(inner) {
        // A label in brackets is a clause when something follows it.
        let body = unwrap_brackets(inner[l.len()..].trim_start_matches(['：', ':']));
        return body.chars().filter(|c| !c.is_whitespace()).count() >= 2;
    }
    let sentences = split_top(inner, &['。', '；']);
    let Some(first) = sentences.first() else {
        return false;
    };
    if !statement(first) {
        return false;
    }
    sentences[1..]
        .iter()
        .all(|s| statement(s) || label_at(s).is_some() || is_declaration(s))
}

/// Does one sentence of a clause name units with a duty word, the first
/// unit reading as a unit name?
fn statement(s: &str) -> bool {
    let first_seg = unit::first_top(s, &['，']);
    let ps = pieces(first_seg);
    let Some(p) = ps.first() else { return false };
    // A long sentence after the duty word is prose in brackets, not a
    // clause (`企业负责落实主体责任并定期报告有关情况`).
    if !p.duty || p.object > 10 {
        return false;
    }
    let units = strip_condition(&p.units);
    let first = unit::first_top(units, &['、', '，']);
    // `各州、市人民政府`: a collective's first kind is not a unit alone.
    let first = if first.starts_with('各') {
        units
    } else {
        first
    };
    unit::clean_unit(first).is_some_and(|u| unit::check(&u).is_ok())
        || split_units(units)
            .first()
            .is_some_and(|u| unit::check(u).is_ok())
}

/// One run of units and the duty word after it.
#[derive(Debug)]
pub(crate) struct Piece {
    pub(crate) units: String,
    pub(crate) role: Option<Role>,
    pub(crate) duty: bool,
    /// Length of what follows the duty word (`提供` of `负责提供`).
    pub(crate) object: usize,
}

/// The units of a segment and its duty words: `A牵头、B配合` is two pieces;
/// `A负责提供` is one (the verb after the duty word is the duty's object).
pub(crate) fn pieces(seg: &str) -> Vec<Piece> {
    let chars: Vec<char> = seg.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        nest(c, &mut depth);
        // Every duty word opens with one of these.
        if depth == 0 && matches!(c, '牵' | '具' | '配' | '协' | '参' | '负' | '落') {
            let at = |w: &str| {
                w.chars().zip(&chars[i..]).filter(|(a, b)| a == *b).count() == w.chars().count()
            };
            if let Some(&(word, role)) = DUTIES.iter().find(|(w, _)| at(w)) {
                let before: String = chars[start..i].iter().collect();
                let units = strip_manner(&before);
                let after = i + word.chars().count();
                // `负责人`, `牵头的`, `负责同志`: not a duty.
                let object = &chars[after..];
                let is_duty = !object.first().is_some_and(|c| "人的同".contains(*c));
                if !units.is_empty() && is_duty {
                    out.push(Piece {
                        units: units.to_string(),
                        role,
                        duty: true,
                        object: object.iter().take_while(|&&c| c != '、').count(),
                    });
                    // Another unit and duty after `、` (`A牵头、B配合`);
                    // anything else is the duty's own object.
                    let next = chars[after..].iter().position(|&c| c == '、');
                    match next {
                        Some(k)
                            if {
                                let tail: String = chars[after + k + 1..].iter().collect();
                                DUTIES.iter().any(|(w, _)| tail.contains(w))
                            } =>
                        {
                            start = after + k + 1;
                            i = start;
                            continue;
                        }
                        _ => return out,
                    }
                }
            }
        }
        i += 1;
    }
    let rest: String = chars[start..].iter().collect();
    if !rest.trim().is_empty() {
        out.push(Piece {
            units: rest,
            role: None,
            duty: false,
            object: 0,
        });
    }
    out
}

fn strip_manner(s: &str) -> &str {
    let mut s = s;
    loop {
        match MANNERS.iter().find_map(|m| s.strip_suffix(m)) {
            Some(r) => s = r,
            None => return s,
        }
    }
}

/// `市城区由A` → `A`: a short condition before `由` is not a unit.
fn strip_condition(units: &str) -> &str {
    match units.split_once('由') {
        Some((cond, rest)) if cond.chars().count() <= 8 && !cond.is_empty() => rest,
        Some(("", rest)) => rest,
        _ => units,
    }
}

/// Reads the units of an owner clause (the text inside the brackets, or a
/// label paragraph) with no document context; strings that are not unit
/// names are dropped.
pub fn parse(clause: &str) -> Owners {
    parse_with(clause, &Context::default()).owners
}

/// Reads an owner clause under a document's context.
pub fn parse_with(clause: &str, ctx: &Context) -> Parsed {
    let clause = clause.trim().trim_end_matches(['。', '；', '，']);
    let mut out = Parsed::default();
    // Declarations first: a rule declared here holds for this clause too.
    let mut statements: Vec<String> = Vec::new();
    for s in split_top(clause, &['。', '；']) {
        // `完成时限：…`, `责任领导：…`: a field of the clause that names no
        // unit.
        let s = drop_other_fields(&s);
        if s.is_empty() {
            continue;
        }
        if label_at(&s).is_none() && is_declaration(&s) {
            let d = declaration(&s);
            if !d.own.is_empty() {
                statements.push(d.own);
            }
            out.standing.extend(d.standing);
            out.rule = out.rule.or(d.rule);
            if let Some(u) = d.unread {
                out.refused
                    .push((u, "是说明文字，未能读出所指的单位或规则"));
            }
        } else {
            statements.push(s);
        }
    }
    let rule = out.rule.or(ctx.rule);
    let body = statements.join("；");
    let mut explicit = false;
    let mut units_in_order: Vec<(String, usize)> = Vec::new();
    if body.contains(['：', ':']) && !label_cuts(&body).is_empty() {
        parse_labelled(&body, ctx, &mut out, &mut explicit, &mut units_in_order);
    } else {
        parse_segments(
            &body,
            None,
            ctx,
            &mut out,
            &mut explicit,
            &mut units_in_order,
        );
    }
    if let (Some(rule), false) = (rule, explicit) {
        apply_rule(rule, &units_in_order, &mut out.owners);
    }
    out.standing.retain(|u| unit::check(u).is_ok());
    out
}

/// A sentence of a clause without its fields other than owner labels
/// (`完成时限：2024年底`, `责任领导：…`): they run to the next `，` that starts
/// another label, or to the sentence's end.
fn drop_other_fields(s: &str) -> String {
    // Most sentences hold neither a field label nor a number.
    if !s.contains(['：', ':'])
        && !s.contains(|c: char| c.is_ascii_digit())
        && !s.contains("持续")
        && !s.contains("长期")
    {
        return s.to_string();
    }
    let segs = split_top(s, &['，']);
    let mut out: Vec<String> = Vec::new();
    let mut skipping = false;
    for seg in segs {
        // A time limit written into the clause (`2024年底前完成`, `持续推进`).
        if is_time_limit(&seg) {
            continue;
        }
        if let Some(colon) = seg.find(['：', ':']) {
            let label = &seg[..colon];
            let n = label.chars().count();
            let other = (2..=6).contains(&n)
                && label.chars().all(crate::normalize::is_cjk)
                && !OWNER_LABELS.contains(&label);
            if other {
                skipping = true;
                continue;
            }
            skipping = false;
        }
        if !skipping {
            out.push(seg);
        }
    }
    out.join("，")
}

/// Is a clause segment only a time limit: it opens with a number or a
/// word of time and names a deadline, or says the work goes on?
fn is_time_limit(seg: &str) -> bool {
    let t = seg.trim();
    let timed = t.starts_with(|c: char| c.is_ascii_digit())
        || [
            "每",
            "年",
            "月",
            "季",
            "上半年",
            "下半年",
            "全年",
            "本年",
            "今年",
            "明年",
            "次年",
            "到",
            "于",
        ]
        .iter()
        .any(|w| t.starts_with(w));
    (timed && crate::deadline::find_deadline(t, None).is_some())
        || [
            "长期坚持",
            "持续推进",
            "长期推进",
            "常态化推进",
            "持续开展",
            "长期",
        ]
        .contains(&t)
}

/// Re-assigns lead and co-operating units by a document's role rule.
fn apply_rule(rule: RoleRule, units: &[(String, usize)], owners: &mut Owners) {
    let mut o = Owners::default();
    for (k, (u, seg)) in units.iter().enumerate() {
        let lead = match rule {
            RoleRule::FirstListed => k == 0,
            RoleRule::BeforeFirstComma => *seg == 0,
            RoleRule::AllLead => true,
        };
        o.add(if lead { Role::Lead } else { Role::Co }, u.clone());
    }
    *owners = o;
}

/// Could bracket text be a clause at all: does it hold a duty word or a
/// label? A cheap test before the full reading.
pub fn may_be_clause(chars: &[char]) -> bool {
    chars.windows(2).any(|w| {
        matches!(
            w,
            ['牵', '头']
                | ['负', '责']
                | ['配', '合']
                | ['协', '助']
                | ['参', '与']
                | ['落', '实']
                | ['单', '位']
                | ['部', '门']
        )
    })
}

/// Does a text use a duty word (`牵头`, `负责`, `配合`, …)?
pub fn has_duty_word(s: &str) -> bool {
    DUTIES.iter().any(|(w, _)| s.contains(w))
}

/// A bracket that only lists units, every one a unit name: an owner
/// clause where a document writes its clauses so.
pub fn is_unit_list(inner: &str) -> bool {
    // It ends as a unit name does and opens with no number.
    let ends_as_unit = inner
        .trim_end_matches('等')
        .chars()
        .last()
        .is_some_and(|c| unit::unit_suffix(c) || c == '）');
    if !ends_as_unit
        || inner.starts_with(|c: char| c.is_ascii_digit())
        || has_duty_word(inner)
        || inner.contains(['。', '；', '：'])
        || label_at(inner).is_some()
    {
        return false;
    }
    let units = split_units(inner);
    !units.is_empty()
        && units
            .iter()
            .all(|u| unit::check(u).is_ok() && u.chars().count() >= 3)
}

/// Where labels followed by a colon stand in a clause: (byte position,
/// label, length with the colon), in order.
fn label_cuts(clause: &str) -> Vec<(usize, &'static str, usize)> {
    let mut cuts: Vec<(usize, &'static str, usize)> = Vec::new();
    // At each colon, the label that ends there, if any.
    for (p, colon) in clause.match_indices(['：', ':']) {
        let before = &clause[..p];
        if let Some(l) = OWNER_LABELS.iter().find(|l| before.ends_with(*l)) {
            cuts.push((p - l.len(), l, l.len() + colon.len()));
        }
    }
    cuts
}

/// `牵头单位：A；责任单位：B` and friends.
fn parse_labelled(
    clause: &str,
    ctx: &Context,
    out: &mut Parsed,
    explicit: &mut bool,
    order: &mut Vec<(String, usize)>,
) {
    let cuts = label_cuts(clause);
    let has_lead_label = cuts.iter().any(|(_, l, _)| lead_label(l));
    if cuts.first().is_some_and(|c| c.0 > 0) {
        // Units before the first label (`A牵头；配合单位：B`).
        let head = clause[..cuts[0].0].trim_end_matches(['，', '；', '。', ' ']);
        parse_segments(head, None, ctx, out, explicit, order);
    }
    for (k, &(pos, label, len)) in cuts.iter().enumerate() {
        let start = pos + len;
        let end = cuts.get(k + 1).map_or(clause.len(), |c| c.0);
        let body = clause[start..end].trim_end_matches(['，', '；', '。', ' ']);
        let body = unwrap_brackets(body);
        let role = if lead_label(label) {
            *explicit = true;
            Some(Role::Lead)
        } else if co_label(label) {
            *explicit = true;
            Some(Role::Co)
        } else if has_lead_label {
            Some(Role::Co)
        } else {
            None
        };
        parse_segments(body, role, ctx, out, explicit, order);
    }
}

fn lead_label(l: &str) -> bool {
    matches!(l, "牵头单位" | "牵头部门" | "主责单位" | "牵头处室")
}

fn co_label(l: &str) -> bool {
    matches!(
        l,
        "配合单位" | "配合部门" | "协办单位" | "协助单位" | "参与单位" | "协同单位" | "配合处室"
    )
}

/// `〔A、B〕` → `A、B`: brackets that wrap a whole label body.
fn unwrap_brackets(body: &str) -> &str {
    let t = body.trim();
    let Some(first) = t.chars().next() else {
        return t;
    };
    if !is_open(first) || first == '《' {
        return t;
    }
    let mut depth = 0;
    for (p, c) in t.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth -= 1;
            if depth == 0 {
                return if p + c.len_utf8() == t.len() {
                    &t[first.len_utf8()..p]
                } else {
                    t
                };
            }
        }
    }
    // Never closed: the opening bracket is stray.
    &t[first.len_utf8()..]
}

/// Unlabelled clauses: segments split by `，`/`；`, each made of units and
/// duty words.
fn parse_segments(
    body: &str,
    forced: Option<Role>,
    ctx: &Context,
    out: &mut Parsed,
    explicit: &mut bool,
    order: &mut Vec<(String, usize)>,
) {
    // A lead named by a duty word makes later units without a role of
    // their own co-operating.
    let mut lead_named = false;
    let segments = if ctx.pairs_one_body && forced.is_some() {
        vec![body.to_string()]
    } else {
        split_top(body, &['，', '；'])
    };
    for (si, seg) in segments.iter().enumerate() {
        for piece in pieces(seg) {
            if piece.role.is_some() {
                *explicit = true;
            }
            let role =
                forced
                    .or(piece.role)
                    .unwrap_or(if lead_named { Role::Co } else { Role::Lead });
            let units = piece.units.trim();
            // 各县（市）由当地政府负责: the local governments themselves.
            if units.ends_with("由当地政府") || units.ends_with("由当地人民政府") {
                let place = units.split('由').next().unwrap_or("");
                if !place.is_empty() {
                    let role = forced.unwrap_or(if lead_named { Role::Co } else { Role::Lead });
                    add(out, order, role, format!("{place}人民政府"), si);
                }
                continue;
            }
            let units = strip_condition(units);
            // `A会同B负责`: A leads, B co-operates.
            let (leads, cos) = match units.split_once("会同") {
                Some((a, b)) if !a.is_empty() && !b.is_empty() => (a, Some(b)),
                _ => (units, None),
            };
            for u in unit::split_units_with(leads, ctx.pairs_one_body) {
                admit(out, order, role, u, si);
            }
            if let Some(b) = cos {
                *explicit = true;
                for u in unit::split_units_with(b, ctx.pairs_one_body) {
                    admit(out, order, Role::Co, u, si);
                }
            }
            if piece.duty && role == Role::Lead {
                lead_named = true;
            }
        }
    }
}

/// Adds a unit that passes the unit check; refuses the others.
fn admit(out: &mut Parsed, order: &mut Vec<(String, usize)>, role: Role, u: String, seg: usize) {
    match unit::check(&u) {
        Ok(()) => add(out, order, role, u, seg),
        Err(why) => out.refused.push((u, why)),
    }
}

fn add(out: &mut Parsed, order: &mut Vec<(String, usize)>, role: Role, u: String, seg: usize) {
    if !out.owners.contains(&u) {
        order.push((u.clone(), seg));
    }
    out.owners.add(role, u);
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
            ("区林业局负责提供", "区林业局", ""),
            ("区督查室负责督促落实，各镇配合", "区督查室", "各镇"),
            ("省交通厅牵头、省国资委配合", "省交通厅", "省国资委"),
            ("省财政厅、省税务局按职能分别负责", "省财政厅 省税务局", ""),
            ("市发改委会同市财政局负责", "市发改委", "市财政局"),
            ("责任单位：甲县政府，乙县政府", "甲县政府 乙县政府", ""),
            ("牵头单位：市科技局；责任单位：市财政局，各区人民政府〈含开发区，下同〉", "市科技局", "市财政局 各区人民政府"),
            ("责任单位：〔省商务厅、文旅厅按职责分工负责〕", "省商务厅 文旅厅", ""),
            ("牵头单位：市发改委；配合单位：市财政局；完成时限：2024年底前", "市发改委", "市财政局"),
            ("责任领导：王某；牵头单位：区商务局，完成时间：6月底", "区商务局", ""),
            ("牵头处室：综合处；参与单位：市统计局、市税务局", "综合处", "市统计局 市税务局"),
            ("市发改委牵头，各有关部门配合，2024年底前完成", "市发改委", "各有关部门"),
            ("区民政局负责，持续推进", "区民政局", ""),
        ];
        for (clause, lead, co) in cases {
            assert_eq!(roles(clause), (v(lead), v(co)), "{clause}");
        }
    }

    #[test]
    fn standing_and_rules_inside_a_clause() {
        let p = parse_with(
            "区农业局牵头，区商务局配合；各镇政府负责辖区落实，以下均同，不再列出",
            &Context::default(),
        );
        assert_eq!(p.owners.lead, v("区农业局"));
        assert_eq!(p.owners.co, v("区商务局"));
        assert_eq!(p.standing, v("各镇政府"));
        let p = parse_with(
            "省工信厅牵头，省财政厅配合。以下均需各州、市人民政府落实，不再列出",
            &Context::default(),
        );
        assert_eq!(p.owners.co, v("省财政厅"));
        assert_eq!(p.standing, v("各州、市人民政府"));
        let p = parse_with(
            "责任单位：省发改委、省住建厅。按职责分工，下同。以下均需各市州人民政府落实，不再列出",
            &Context::default(),
        );
        assert_eq!(p.owners.lead, v("省发改委 省住建厅"));
        assert_eq!(p.rule, Some(RoleRule::AllLead));
        assert_eq!(p.standing, v("各市州人民政府"));
        assert!(p.refused.is_empty(), "{:?}", p.refused);
    }

    #[test]
    fn role_rules() {
        let first = Context {
            rule: Some(RoleRule::FirstListed),
            ..Context::default()
        };
        let p = parse_with("市商务局、市财政局、市税务局", &first);
        assert_eq!(
            (p.owners.lead, p.owners.co),
            (v("市商务局"), v("市财政局 市税务局"))
        );
        let p = parse_with("市商务局牵头，市财政局配合", &first);
        assert_eq!(p.owners.lead, v("市商务局"));
        let comma = Context {
            rule: Some(RoleRule::BeforeFirstComma),
            ..Context::default()
        };
        let p = parse_with("责任单位：市商务局、市财政局，市税务局", &comma);
        assert_eq!(
            (p.owners.lead, p.owners.co),
            (v("市商务局 市财政局"), v("市税务局"))
        );
        assert_eq!(
            role_rule("（列第一位的为牵头单位，下同）"),
            Some(RoleRule::FirstListed)
        );
        assert_eq!(
            role_rule("各项任务第一个逗号前为牵头单位"),
            Some(RoleRule::BeforeFirstComma)
        );
        assert_eq!(role_rule("市商务局牵头"), None);
        assert_eq!(role_rule("把安全放在第一位，各牵头单位要压实责任"), None);
        assert_eq!(
            role_rule("责任分解中，列第一位的责任单位为牵头单位或汇总单位。"),
            Some(RoleRule::FirstListed)
        );
    }

    #[test]
    fn refuses_what_is_no_unit() {
        let p = parse_with("责任单位：市商务局、县级市", &Context::default());
        assert_eq!(p.owners.lead, v("市商务局"));
        assert_eq!(p.refused.len(), 1);
    }

    #[test]
    fn recognises_clauses() {
        let yes = [
            "（市教育局负责）",
            "（市应急局牵头，承担有指挥部职责的成员单位按职责分工负责）",
            "［牵头单位：市司法局］",
            "〔省发改委、省商务厅按职责分工负责〕",
            "（区林业局负责提供）",
            "（甲局牵头，乙局配合。以下均需各区落实，不再列出）",
        ];
        let no = [
            "（试用期一年）",
            "（以下简称市城投集团公司）",
            "（负责同志）",
            "（2021-2035年）",
            "（企业负责人要落实主体责任。各部门要加强监管）",
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
