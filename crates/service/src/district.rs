//! A district's unit registry built from the names its documents print:
//! one unit per body however it is printed (a short name and a full name,
//! `解州镇` and `解州镇政府`, are one unit with an alias), the names that
//! stand for several units (`各乡镇办`, `区安委会各成员单位`) kept as
//! groups of their members, and each unit's kind read from its name.
//! The demo builds its registry here; nothing in it is demo-only except
//! the district's own short names in [`SAME_BODY`].

use duban_domain::org::{self, Level, Resolution, Unit, UnitId, UnitKind};
use duban_store::{Error, NewUnit, Store};

/// Names of one body that no rule can tell (the district's usage): the
/// first is the unit's name, the others its aliases.
pub const SAME_BODY: &[&[&str]] = &[
    &["区发改局", "区发展和改革委员会", "区发展和改革局"],
    &["区交通运输局", "区交通局"],
    &["区卫健局", "区卫体局", "区卫生健康和体育局"],
    &["区政府办", "区政府办公室"],
    &["市生态环境局盐湖分局", "运城市生态环境局盐湖分局"],
    &[
        "运城关公文化旅游发展有限公司",
        "关公文旅发展公司",
        "运城关公文化旅游发展有限责任公司",
    ],
];

/// The members of the district's 区安委会 (安全生产委员会) that its units
/// include; the admin keeps the list up to date.
const SAFETY_COMMITTEE: &[&str] = &[
    "区应急管理局",
    "区公安局",
    "区住建局",
    "区交通运输局",
    "区市场监管局",
    "区消防救援大队",
    "区教育局",
    "区自然资源局",
    "区农业农村局",
    "区工科局",
    "区水务局",
    "区文旅局",
    "区卫健局",
];

/// What kind of body a name names.
pub fn kind_of(name: &str) -> UnitKind {
    let n = org::normalize_name(name);
    let short = n.chars().count() <= 4;
    if n.ends_with('镇')
        || n.ends_with('乡')
        || n.ends_with("街道")
        || n.ends_with("街道办事处")
        || (short && n.ends_with("城办"))
    {
        UnitKind::Township
    } else if n.contains("高新") || n.contains("开发区") {
        UnitKind::Zone
    } else if n.contains("公司") {
        UnitKind::Company
    } else if n.starts_with('市') || n.starts_with("运城市") || n.starts_with("国网") {
        UnitKind::Outside
    } else if n.ends_with("人民政府") || n == "区政府办" || n == "区政府办公室" {
        UnitKind::Government
    } else {
        UnitKind::Department
    }
}

/// A township's government printed for the township (`解州镇政府`): the
/// township's name, else `None`.
fn township_of_government(name: &str) -> Option<String> {
    let stem = name
        .strip_suffix("人民政府")
        .or_else(|| name.strip_suffix("政府"))?;
    (stem.ends_with('镇') || stem.ends_with('乡')).then(|| stem.to_string())
}

/// One unit's name and aliases before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: UnitKind,
}

/// The units and group names that `names` (as printed, in order) come to.
pub fn plan(names: &[String]) -> (Vec<Planned>, Vec<String>) {
    let mut units: Vec<Planned> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for raw in names {
        let n = org::normalize_name(raw);
        if org::is_group_name(&n) {
            if !groups.contains(&n) {
                groups.push(n);
            }
            continue;
        }
        let (name, mut aliases) =
            if let Some(same) = SAME_BODY.iter().find(|s| s.contains(&n.as_str())) {
                (
                    same[0].to_string(),
                    same[1..].iter().map(|s| s.to_string()).collect(),
                )
            } else if let Some(t) = township_of_government(&n) {
                (t, vec![n.clone()])
            } else {
                (n.clone(), Vec::new())
            };
        match units
            .iter_mut()
            .find(|u| u.name == name || u.aliases.contains(&name))
        {
            Some(u) => {
                for a in aliases.drain(..) {
                    if a != u.name && !u.aliases.contains(&a) {
                        u.aliases.push(a);
                    }
                }
            }
            None => units.push(Planned {
                kind: kind_of(&name),
                name,
                aliases,
            }),
        }
    }
    (units, groups)
}

/// The unit a name from the division of work names: its own name or
/// alias, or a unit it abbreviates or that abbreviates it (which then
/// takes the name as an alias). `None`: no unit is that body.
pub fn oversight_match(units: &[Unit], name: &str) -> Option<(UnitId, bool)> {
    if let Resolution::Unit(id) = org::resolve(units, name) {
        return Some((id, false));
    }
    if let Some(same) = SAME_BODY.iter().find(|s| s.contains(&name)) {
        if let Resolution::Unit(id) = org::resolve(units, same[0]) {
            return Some((id, true));
        }
    }
    units
        .iter()
        .find(|u| {
            std::iter::once(&u.name)
                .chain(&u.aliases)
                .any(|n| org::abbreviates(n, name) || org::abbreviates(name, n))
        })
        .map(|u| (u.id, true))
}

/// Stores the planned units under `parent`, then the groups with their
/// members: a township group (`各乡镇办`, `沿线乡镇`) takes every township,
/// `区安委会各成员单位` the committee's members.
pub async fn store(
    store: &Store,
    actor: Option<i64>,
    parent: UnitId,
    names: &[String],
) -> Result<(), Error> {
    let (planned, groups) = plan(names);
    for p in planned {
        store
            .create_unit(
                actor,
                NewUnit {
                    name: p.name,
                    aliases: p.aliases,
                    parent: Some(parent),
                    level: Level::County,
                    kind: p.kind,
                },
            )
            .await?;
    }
    let units = store.units().await?;
    for g in groups {
        let members: Vec<UnitId> = if g.contains("乡镇") || g.contains("乡镇办") {
            units
                .iter()
                .filter(|u| u.kind == UnitKind::Township)
                .map(|u| u.id)
                .collect()
        } else if g.contains("安委会") {
            SAFETY_COMMITTEE
                .iter()
                .filter_map(|n| org::resolve_named(&units, n).ok())
                .collect()
        } else {
            Vec::new()
        };
        store.create_group(actor, &g, &members).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_unit_per_body_and_groups_apart() {
        let (units, groups) = plan(&names(&[
            "区发改局",
            "解州镇政府",
            "区交通局",
            "各乡镇办",
            "解州镇",
            "区发展和改革委员会",
            "区交通运输局",
            "区安委会各成员单位",
            "南城办",
            "区征迁办",
        ]));
        let got: Vec<(&str, UnitKind)> = units.iter().map(|u| (u.name.as_str(), u.kind)).collect();
        assert_eq!(
            got,
            [
                ("区发改局", UnitKind::Department),
                ("解州镇", UnitKind::Township),
                ("区交通运输局", UnitKind::Department),
                ("南城办", UnitKind::Township),
                ("区征迁办", UnitKind::Department),
            ]
        );
        assert!(units[0].aliases.contains(&"区发展和改革委员会".to_string()));
        assert_eq!(units[1].aliases, ["解州镇政府"]);
        assert_eq!(groups, ["各乡镇办", "区安委会各成员单位"]);
    }

    #[test]
    fn kinds_from_names() {
        for (n, k) in [
            ("席张乡", UnitKind::Township),
            ("区金融办", UnitKind::Department),
            ("区委编办", UnitKind::Department),
            ("区政府办", UnitKind::Government),
            ("盐湖高新区", UnitKind::Zone),
            ("区建投公司", UnitKind::Company),
            ("市公安局盐湖分局", UnitKind::Outside),
        ] {
            assert_eq!(kind_of(n), k, "{n}");
        }
    }
}
