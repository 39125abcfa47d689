//! Which registry units to suggest for a printed unit name that matched
//! none. The registry's closest names by spelling may be another unit
//! altogether: `区民政局` is one character from `区财政局`, yet names a
//! different office. A candidate counts as meaning the printed unit when
//! the distinctive part of the names (what is left without the level and
//! the kind of body: 区, 市, 局, 委员会, …) is shared, or one name
//! abbreviates the other; those come first, the others after with their
//! score halved, so none is offered first that says something else.

use duban_domain::org::{normalize_name, Unit};

/// Characters every unit name is made of: levels and kinds of body.
const GENERIC: &str =
    "省市县区乡镇街道办事处局委员会厅室科所站队中心公司集团有限责任人民政府管理服务部门院署";

fn distinctive(name: &str) -> Vec<char> {
    normalize_name(name)
        .chars()
        .filter(|c| !GENERIC.contains(*c) && !c.is_ascii_punctuation() && !"（）".contains(*c))
        .collect()
}

fn abbreviates(short: &str, long: &str) -> bool {
    let (s, l): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    if s.len() >= l.len() || s.is_empty() || s.first() != l.first() || s.last() != l.last() {
        return false;
    }
    let mut it = l.iter();
    s.iter().all(|c| it.any(|d| d == c))
}

/// Whether `form` (a unit's name or alias) may be what `printed` means.
pub fn same_unit(printed: &str, form: &str) -> bool {
    let (p, f) = (normalize_name(printed), normalize_name(form));
    if abbreviates(&p, &f) || abbreviates(&f, &p) {
        return true;
    }
    let (dp, df) = (distinctive(&p), distinctive(&f));
    if dp.is_empty() || df.is_empty() {
        return dp.is_empty() && df.is_empty();
    }
    let shared = dp.iter().filter(|c| df.contains(c)).count();
    // Most of the shorter distinctive part is found in the other.
    shared * 4 >= 3 * dp.len().min(df.len())
}

/// Reorders the candidates of `printed`: units that may be the one printed
/// first, the others after with half their score.
pub fn rank(units: &[Unit], printed: &str, candidates: Vec<(i64, f32)>) -> Vec<(i64, f32)> {
    let means = |id: i64| {
        units.iter().find(|u| u.id == id).is_some_and(|u| {
            std::iter::once(&u.name)
                .chain(&u.aliases)
                .any(|f| same_unit(printed, f))
        })
    };
    let (mut good, other): (Vec<_>, Vec<_>) =
        candidates.into_iter().partition(|(id, _)| means(*id));
    good.extend(other.into_iter().map(|(id, s)| (id, s / 2.0)));
    good
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::org::{Level, UnitKind};

    fn unit(id: i64, name: &str, aliases: &[&str]) -> Unit {
        Unit {
            id,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            parent: None,
            level: Level::County,
            kind: UnitKind::Department,
        }
    }

    #[test]
    fn a_different_unit_is_not_offered_first() {
        assert!(!same_unit("区财政局", "区民政局"));
        assert!(same_unit("区工信局", "区工业和信息化局"));
        assert!(same_unit("区住房城乡建设局", "区住房和城乡建设局"));
        assert!(!same_unit("区教育局", "区体育局"));
        let units = [unit(1, "区民政局", &[]), unit(2, "区财政局（国资办）", &[])];
        let ranked = rank(&units, "区财政局国资办", vec![(1, 0.8), (2, 0.7)]);
        assert_eq!(ranked[0].0, 2);
        assert_eq!(ranked[1], (1, 0.4));
    }
}
