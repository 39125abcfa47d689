//! The organisation: units (单位) with their hierarchy and aliases, leaders
//! and the units they oversee (分管), users and their roles, and resolving a
//! unit name as printed in a document to a canonical unit — or, failing
//! that, to the closest candidates, never silently.

use serde::{Deserialize, Serialize};

pub type UnitId = i64;
pub type UserId = i64;

/// Where a unit stands in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    City,
    County,
    Township,
}

/// What kind of body a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A people's government or its office.
    Government,
    /// A department (区直部门 / 市直部门).
    Department,
    /// A township or sub-district (乡镇 / 街道).
    Township,
    /// A development zone's committee (开发区管委会).
    Zone,
    /// A state company (区建投公司).
    Company,
    /// A body outside the government (国网运城供电公司, 市生态环境局盐湖分局).
    Outside,
}

/// A unit with its canonical name and the other names it goes by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub aliases: Vec<String>,
    pub parent: Option<UnitId>,
    pub level: Level,
    pub kind: UnitKind,
}

/// A name documents print for several units at once (各乡镇办,
/// 区安委会各成员单位). A group is never a unit: naming it in a task or a
/// form names each of its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub members: Vec<UnitId>,
}

/// Whether a printed name reads as a group of units rather than one body:
/// `各…` (各乡镇办, 各成员单位), `…各成员单位`, `沿线…`, `相关…`, `有关…`.
pub fn is_group_name(name: &str) -> bool {
    let n = normalize_name(name);
    ["各", "沿线", "相关", "有关"]
        .iter()
        .any(|p| n.starts_with(p))
        || n.contains("各成员单位")
        || n.ends_with("成员单位")
}

/// The group a printed name names, if any.
pub fn find_group<'a>(groups: &'a [Group], name: &str) -> Option<&'a Group> {
    let n = normalize_name(name);
    groups.iter().find(|g| normalize_name(&g.name) == n)
}

/// The units a printed name names: a group's members, or the one unit of
/// that name or alias; otherwise the sentence of [`resolve_named`].
pub fn resolve_members(
    units: &[Unit],
    groups: &[Group],
    name: &str,
) -> Result<Vec<UnitId>, String> {
    match find_group(groups, name) {
        Some(g) if g.members.is_empty() => Err(format!(
            "“{name}”是单位分组，但还没有成员单位；请在单位名录中为它添加成员，或直接填写单位"
        )),
        Some(g) => Ok(g.members.clone()),
        None => resolve_named(units, name).map(|id| vec![id]),
    }
}

/// Whether `short` abbreviates `long`: every character of the shorter in
/// order in the longer, with the same first and last character
/// (区工科局 in 区工业和信息化科技局), and not the same name.
pub fn abbreviates(short: &str, long: &str) -> bool {
    let a: Vec<char> = normalize_name(short).chars().collect();
    let b: Vec<char> = normalize_name(long).chars().collect();
    a.len() < b.len() && a.first() == b.first() && a.last() == b.last() && is_subsequence(&a, &b)
}

/// A user's role. Unit roles belong to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 督查室 staff.
    Office,
    /// 督查室 staff who manage users, units and settings.
    Admin,
    /// 第一责任人: signs for tasks and passes them on.
    UnitHead,
    /// 联络员: keeps the unit's account.
    Liaison,
    /// 承办人.
    Handler,
    /// 区长 / 副区长: sees the units they oversee.
    Leader,
    /// An enterprise or member of the public raising a problem.
    Public,
    /// 审计管理员: reads the audit trail and nothing else (三员分立: apart
    /// from the system admin, who cannot read it).
    Auditor,
    /// 安全管理员: owns the password and lock-out rules and the second
    /// factor, unlocks accounts and resets their passwords and TOTP; no
    /// business data, no audit trail (三员分立).
    Security,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Office => "督查室",
            Role::Admin => "系统管理员",
            Role::UnitHead => "第一责任人",
            Role::Liaison => "联络员",
            Role::Handler => "承办人",
            Role::Leader => "分管领导",
            Role::Public => "企业/群众",
            Role::Auditor => "审计管理员",
            Role::Security => "安全管理员",
        }
    }

    /// The three administrators of 三员分立 (system, security, audit):
    /// one person may hold at most one of them.
    pub fn is_one_of_three_admins(self) -> bool {
        matches!(self, Role::Admin | Role::Security | Role::Auditor)
    }

    /// Roles that act for a unit.
    pub fn is_unit_role(self) -> bool {
        matches!(self, Role::UnitHead | Role::Liaison | Role::Handler)
    }
}

/// A person who logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The unit of a unit role; `None` for the office, leaders and the public.
    pub unit_id: Option<UnitId>,
    pub email: Option<String>,
    pub active: bool,
}

/// How a printed unit name resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The name or one of the aliases of exactly this unit.
    Unit(UnitId),
    /// No unit has this name; these are the closest, best first, with a
    /// score from 0 to 1.
    Candidates(Vec<(UnitId, f32)>),
}

/// Normalises a printed unit name for comparison: no whitespace, full-width
/// brackets, no trailing 等.
pub fn normalize_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' | '［' | '[' => '（',
            ')' | '］' | ']' => '）',
            c => c,
        })
        .collect();
    for t in ["等有关单位", "等单位", "等部门", "等"] {
        if s.ends_with(t) && s.chars().count() > t.chars().count() + 1 {
            s.truncate(s.len() - t.len());
            break;
        }
    }
    s
}

/// Resolves a printed name against the units.
pub fn resolve(units: &[Unit], name: &str) -> Resolution {
    let n = normalize_name(name);
    for u in units {
        if normalize_name(&u.name) == n || u.aliases.iter().any(|a| normalize_name(a) == n) {
            return Resolution::Unit(u.id);
        }
    }
    let mut scored: Vec<(UnitId, f32)> = units
        .iter()
        .map(|u| {
            let best = std::iter::once(&u.name)
                .chain(&u.aliases)
                .map(|cand| similarity(&n, &normalize_name(cand)))
                .fold(0.0f32, f32::max);
            (u.id, best)
        })
        .filter(|&(_, s)| s >= 0.4)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(5);
    Resolution::Candidates(scored)
}

/// The unit a printed name names, or one sentence saying that it names
/// none and which units it may mean — the words every form, import and
/// command uses, so a name is never created or dropped silently.
pub fn resolve_named(units: &[Unit], name: &str) -> Result<UnitId, String> {
    match resolve(units, name) {
        Resolution::Unit(id) => Ok(id),
        Resolution::Candidates(c) if c.is_empty() => Err(format!(
            "“{name}”不在单位名录中，也没有相近的单位；请检查名称，或先在单位名录中添加"
        )),
        Resolution::Candidates(c) => {
            let near: Vec<&str> = c
                .iter()
                .filter_map(|(id, _)| units.iter().find(|u| u.id == *id))
                .map(|u| u.name.as_str())
                .collect();
            Err(format!(
                "“{name}”不在单位名录中；是否指：{}？",
                near.join("、")
            ))
        }
    }
}

/// Similarity of two names in [0, 1]: an abbreviation (every character of the
/// shorter in order in the longer, same first and last character, as
/// 区工科局 in 区工业和信息化科技局) scores high; otherwise one minus the
/// edit distance over the longer length.
pub fn similarity(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let edit = 1.0 - levenshtein(&a, &b) as f32 / long.len() as f32;
    let abbreviation =
        short.first() == long.first() && short.last() == long.last() && is_subsequence(short, long);
    if abbreviation {
        // The more of the long name the short one keeps, the surer.
        edit.max(0.6 + 0.35 * short.len() as f32 / long.len() as f32)
    } else {
        edit
    }
}

fn is_subsequence(short: &[char], long: &[char]) -> bool {
    let mut it = long.iter();
    short.iter().all(|c| it.any(|d| d == c))
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_unit_or_the_sentence_that_says_what_it_may_be() {
        let units = [
            unit(1, "区工业和信息化科技局", &["区工科局"]),
            unit(2, "区财政局", &[]),
        ];
        assert_eq!(resolve_named(&units, "区工科局"), Ok(1));
        assert_eq!(resolve_named(&units, " 区财政局 "), Ok(2));
        let near = resolve_named(&units, "区工信局").unwrap_err();
        assert!(
            near.starts_with("“区工信局”不在单位名录中；是否指："),
            "{near}"
        );
        assert!(
            near.contains("区工业和信息化科技局") && near.ends_with('？'),
            "{near}"
        );
        let none = resolve_named(&units, "国网供电公司").unwrap_err();
        assert!(none.contains("也没有相近的单位"), "{none}");
    }

    fn unit(id: UnitId, name: &str, aliases: &[&str]) -> Unit {
        Unit {
            id,
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            parent: Some(1),
            level: Level::County,
            kind: UnitKind::Department,
        }
    }

    fn registry() -> Vec<Unit> {
        vec![
            unit(2, "区工业和信息化科技局", &["区工科局"]),
            unit(
                3,
                "区卫生健康和体育局",
                &["区卫健局", "区卫体局", "区卫健体局"],
            ),
            unit(4, "区发展和改革局", &["区发改局"]),
            unit(5, "区财政局", &[]),
            unit(6, "区住房和城乡建设局", &["区住建局"]),
        ]
    }

    #[test]
    fn names_and_aliases_resolve() {
        let r = registry();
        let cases = [
            ("区工科局", 2),
            ("区工业和信息化科技局", 2),
            ("区卫体局", 3),
            (" 区卫健局 ", 3),
            ("区发改局等", 4),
            ("区财政局", 5),
        ];
        for (name, id) in cases {
            assert_eq!(resolve(&r, name), Resolution::Unit(id), "{name}");
        }
    }

    #[test]
    fn unknown_names_get_the_closest_candidates() {
        let r = registry();
        let cases: [(&str, UnitId); 4] = [
            ("区住房城乡建设局", 6),
            ("区工信局", 2),
            ("区财政", 5),
            ("区发展改革局", 4),
        ];
        for (name, best) in cases {
            match resolve(&r, name) {
                Resolution::Candidates(c) => {
                    assert_eq!(c.first().map(|x| x.0), Some(best), "{name}: {c:?}")
                }
                other => panic!("{name} resolved to {other:?}"),
            }
        }
        assert_eq!(
            resolve(&r, "国网运城供电公司"),
            Resolution::Candidates(vec![])
        );
    }

    #[test]
    fn groups_expand_and_read_as_groups() {
        let r = registry();
        let groups = [Group {
            id: 1,
            name: "区安委会各成员单位".into(),
            members: vec![5, 6],
        }];
        assert_eq!(
            resolve_members(&r, &groups, "区安委会各成员单位"),
            Ok(vec![5, 6])
        );
        assert_eq!(resolve_members(&r, &groups, "区工科局"), Ok(vec![2]));
        assert!(resolve_members(&r, &groups, "区工信局").is_err());
        let empty = [Group {
            id: 2,
            name: "沿线乡镇".into(),
            members: vec![],
        }];
        assert!(resolve_members(&r, &empty, "沿线乡镇")
            .unwrap_err()
            .contains("还没有成员"));
        for g in ["各乡镇办", "区安委会各成员单位", "沿线乡镇", "相关单位"] {
            assert!(is_group_name(g), "{g}");
        }
        for u in ["区发改局", "解州镇", "区政府办", "区安委会办公室"] {
            assert!(!is_group_name(u), "{u}");
        }
        assert!(abbreviates("区工科局", "区工业和信息化科技局"));
        assert!(!abbreviates("区果业发展中心", "区小微企业发展促进中心"));
        assert!(!abbreviates("区财政局", "区财政局"));
    }

    #[test]
    fn similarity_prefers_abbreviations() {
        assert!(
            similarity("区工科局", "区工业和信息化科技局") > similarity("区工科局", "区财政局")
        );
        assert_eq!(similarity("区财政局", "区财政局"), 1.0);
        assert_eq!(similarity("", "区财政局"), 0.0);
    }
}

/// Whether a leader's title makes them a principal leader, who sees the
/// whole district: the head of the government (区长, 市长, 县长, 镇长, …) or
/// its executive deputy (常务副区长, …), as one of the posts listed in the
/// title (separated by 、 or ，); an ordinary deputy (副区长) is not.
pub fn principal_title(title: &str) -> bool {
    const HEADS: [&str; 5] = ["区长", "市长", "县长", "镇长", "旗长"];
    title
        .split(['、', '，', ',', '（', '）', '(', ')', ' '])
        .map(str::trim)
        .any(|post| {
            HEADS.iter().any(|h| {
                post.strip_suffix(h)
                    .is_some_and(|before| !before.ends_with('副') || before.ends_with("常务副"))
            })
        })
}

#[cfg(test)]
mod principal_tests {
    use super::principal_title;

    #[test]
    fn heads_and_executive_deputies_are_principal() {
        for t in [
            "彭梦森（区委副书记、区长、区政府党组书记）",
            "区委常委、常务副区长",
            "市长",
            "代区长",
        ] {
            assert!(principal_title(t), "{t}");
        }
        for t in [
            "孙冬青（区委常委、副区长）",
            "副区长、市公安局盐湖分局局长",
            "区政府党组成员、政府办主任",
            "区长助理",
        ] {
            assert!(!principal_title(t), "{t}");
        }
    }
}
