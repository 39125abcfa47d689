//! Unit names: a run of printed names split into units, and what does not
//! look like a unit told apart.
//!
//! A list is split at `、` and `，` outside brackets of every kind (so
//! `各镇〔街、区〕政府` and `市工信局（市国资委）` stay whole), and at `和`/`及`
//! where both sides are units. Then: a collective addressee of kinds of
//! place (`各州、市人民政府`, `各乡镇、街道`) is joined back into one unit; a
//! government suffix shared by a list of places is given to each
//! (`东城区、西城县人民政府`); distributive levels are expanded
//! (`市、县两级市场监管局`); scope notes (`〈含开发区，下同〉`, `（含…）`) and
//! trailing `等`/`等部门` are dropped. [`check`] says why a string is not a
//! unit name, so callers warn instead of emitting it (see [`crate::names`]).

pub(crate) use crate::names::{body_suffix, strip_trailers};
pub use crate::names::{check, clean_unit, is_close, is_open, nest, unit_suffix};

/// Splits at any of `seps` outside brackets.
pub fn split_top(s: &str, seps: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        nest(c, &mut depth);
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

/// The text up to the first of `seps` outside brackets (no allocation).
pub fn first_top<'a>(s: &'a str, seps: &[char]) -> &'a str {
    let mut depth = 0i32;
    for (p, c) in s.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth -= 1;
        } else if depth <= 0 && seps.contains(&c) {
            return &s[..p];
        }
    }
    s
}

/// Splits a run of unit names into units (see the module docs).
pub fn split_units(s: &str) -> Vec<String> {
    split_units_with(s, false)
}

/// As [`split_units`]; with `pairs_one_body`, a `、` inside a list whose
/// separator is `，` joins two names of one body (`市科委、中关村管委会`).
pub fn split_units_with(s: &str, pairs_one_body: bool) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for seg in split_top(s, &['，', ',', '；']) {
        let parts = split_top(&seg, &['、']);
        if pairs_one_body && parts.len() == 2 && parts.iter().all(|p| check(p.trim()).is_ok()) {
            pieces.push(seg);
            continue;
        }
        for part in parts {
            pieces.extend(split_joins(&part));
        }
    }
    let pieces = join_collectives(pieces);
    let pieces = share_suffix(pieces);
    let pieces = expand(pieces);
    pieces
        .into_iter()
        .filter_map(|u| {
            // A lone level (`市` of `市、县两级…`) only makes sense to
            // `expand`; left over, it is dropped.
            clean_unit(&u)
        })
        .collect()
}

/// Splits one name at `和`/`及`/`以及` where a unit ends before it and a
/// unit (or a collective of places) begins after it; `规划和自然资源局`
/// stays whole.
fn split_joins(part: &str) -> Vec<String> {
    // A long run is no list of names; joins are not looked for in it.
    if !part.contains(['和', '及']) || part.len() > 120 * 3 {
        return vec![part.to_string()];
    }
    let chars: Vec<char> = part.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        nest(c, &mut depth);
        let join_len = if chars[i..].starts_with(&['以', '及']) {
            2
        } else if matches!(c, '和' | '及') {
            1
        } else {
            0
        };
        if depth == 0 && join_len > 0 && i > start {
            let before: String = chars[start..i].iter().collect();
            let after: String = chars[i + join_len..].iter().collect();
            // The name before ends as a body does, not as a field of
            // work (`工业和信息化厅`) or a place (`各乡镇和街道`).
            let before = strip_trailers(&before);
            let before_ok = check(&before).is_ok()
                && (before.chars().last().is_some_and(body_suffix) || before.ends_with("企业"));
            let after_ok = check(&strip_trailers(&after)).is_ok()
                || collective_head(&after).is_some()
                || after.starts_with('《');
            if before_ok && after_ok {
                out.push(chars[start..i].iter().collect());
                start = i + join_len;
                i = start;
                continue;
            }
        }
        i += 1;
    }
    out.push(chars[start..].iter().collect());
    out
}

/// Kinds of place that a collective addressee lists.
const PLACE_KINDS: [&str; 16] = [
    "自治州",
    "自治县",
    "县级市",
    "街道",
    "社区",
    "省",
    "市",
    "州",
    "县",
    "区",
    "旗",
    "盟",
    "乡",
    "镇",
    "村",
    "级",
];

/// Is `s` made only of kinds of place (`市州`, `县市区`, `乡镇`, `县级`)?
pub(crate) fn place_kinds_only(s: &str) -> bool {
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        match PLACE_KINDS.iter().find(|k| rest.starts_with(*k)) {
            Some(k) => rest = &rest[k.len()..],
            None => return false,
        }
    }
    true
}

/// Government words that close a collective addressee.
const GOVERNMENTS: [&str; 5] = ["人民政府", "政府", "管委会", "党委", "办事处"];

/// If `s` opens a collective addressee (`各州`, `各有关市州`), the kinds of
/// place after `各`.
fn collective_head(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('各')?;
    let rest = rest
        .strip_prefix("有关")
        .or_else(|| rest.strip_prefix("相关"))
        .unwrap_or(rest);
    place_kinds_only(rest).then_some(rest)
}

/// Does `s` continue a collective addressee: kinds of place, optionally
/// closed by a government word (`市人民政府`, `县级政府`, `街道`)?
fn collective_tail(s: &str) -> Option<bool> {
    if place_kinds_only(s) {
        return Some(false);
    }
    GOVERNMENTS.iter().find_map(|g| {
        s.strip_suffix(g)
            .filter(|k| place_kinds_only(k))
            .map(|_| true)
    })
}

/// `各州`, `市人民政府` → `各州、市人民政府`: one addressee naming kinds of
/// place, printed with `、` between the kinds.
fn join_collectives(pieces: Vec<String>) -> Vec<String> {
    if !pieces.iter().any(|p| p.trim_start().starts_with('各')) {
        return pieces;
    }
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for p in pieces {
        let t: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        if open {
            if let Some(closed) = collective_tail(&t) {
                let last = out.last_mut().expect("open implies a piece");
                last.push('、');
                last.push_str(&t);
                open = !closed;
                continue;
            }
        }
        open = collective_head(&t).is_some();
        out.push(t);
    }
    out
}

/// `东城区`, `西城县人民政府` → `东城区人民政府`, `西城县人民政府`: places
/// listed bare before the last one carry its government word.
fn share_suffix(pieces: Vec<String>) -> Vec<String> {
    if pieces.len() < 2 || !pieces.iter().any(|p| bare_place(p)) {
        return pieces;
    }
    let mut out = pieces.clone();
    let mut k = 0;
    while k < pieces.len() {
        // A run of bare named places ending in a place with a government.
        let mut j = k;
        while j < pieces.len() && bare_place(&pieces[j]) {
            j += 1;
        }
        if j > k && j < pieces.len() {
            if let Some(g) = ["人民政府", "政府"]
                .iter()
                .find(|g| pieces[j].strip_suffix(*g).is_some_and(bare_place))
            {
                for slot in out.iter_mut().take(j).skip(k) {
                    slot.push_str(g);
                }
            }
        }
        k = j.max(k + 1);
    }
    out
}

/// A named place without any body: `东城区`, `西城县` (not `各区`, not a
/// bare kind such as `县级市`).
fn bare_place(s: &str) -> bool {
    let n = s.chars().count();
    (3..=8).contains(&n)
        && !s.starts_with('各')
        && s.chars().last().is_some_and(|c| "区县市镇乡旗".contains(c))
        && !place_kinds_only(s)
        && s.chars().all(crate::normalize::is_cjk)
        && !zone(s)
}

/// A zone rather than a place with a government of its own (`高新区`,
/// `经开区`, `景区`): its body is a 管委会, or none.
fn zone(s: &str) -> bool {
    let mut rev = s.chars().rev();
    rev.next() == Some('区')
        && rev
            .next()
            .is_some_and(|c| "发园新开税范验作能片景矿辖库社街港林牧垦".contains(c))
}

/// Expands distributive forms: `市、县两级市场监管局`, `财政局` →
/// `市市场监管局`, `县级市场监管局`, `市财政局`, `县级财政局`.
fn expand(units: Vec<String>) -> Vec<String> {
    if !units
        .iter()
        .any(|u| u.contains('级') || u.chars().nth(1).is_none())
    {
        return units;
    }
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

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn splits_lists() {
        let cases = [
            ("甲市财政局、甲市税务局", "甲市财政局 甲市税务局"),
            ("省财政厅和各州、市人民政府", "省财政厅 各州、市人民政府"),
            (
                "各市、县级政府及《办法》涉及的相关部门",
                "各市、县级政府 《办法》涉及的相关部门",
            ),
            ("各乡镇、街道、区直各部门", "各乡镇、街道 区直各部门"),
            ("各区、县级市", "各区、县级市"),
            ("各市州、县市区人民政府", "各市州、县市区人民政府"),
            (
                "各镇〔街、区〕政府、市水利局",
                "各镇〔街、区〕政府 市水利局",
            ),
            (
                "相关区人民政府〈含开发区、新城管委会，下同〉",
                "相关区人民政府",
            ),
            (
                "各区人民政府（含开发区）、市商务局",
                "各区人民政府 市商务局",
            ),
            ("市委组织部（人才办）", "市委组织部（人才办）"),
            ("东城区、西城县人民政府", "东城区人民政府 西城县人民政府"),
            ("南岭镇、北岗镇政府", "南岭镇政府 北岗镇政府"),
            ("市规划和自然资源局", "市规划和自然资源局"),
            ("省工业和信息化厅和省财政厅", "省工业和信息化厅 省财政厅"),
            (
                "市、县两级市场监管局、财政局",
                "市市场监管局 县级市场监管局 市财政局 县级财政局",
            ),
            ("市住建局、市交通局等部门", "市住建局 市交通局"),
            (
                "省水利厅、省能源局等省有关部门和各市人民政府",
                "省水利厅 省能源局 各市人民政府",
            ),
            ("市生态环境局等市直各相关部门", "市生态环境局"),
            ("市商务局等", "市商务局"),
            ("各相关职能部门按职责分工", "各相关职能部门"),
            ("甲区、乙县", "甲区 乙县"),
            ("高新区、河东区政府", "高新区 河东区政府"),
        ];
        for (input, want) in cases {
            assert_eq!(split_units(input), v(want), "{input}");
        }
    }

    #[test]
    fn pairs_of_one_body() {
        assert_eq!(
            split_units_with("市发改委，市科委、中关村管委会，市商务局", true),
            v("市发改委 市科委、中关村管委会 市商务局")
        );
        assert_eq!(
            split_units_with("市科委、中关村管委会", false),
            v("市科委 中关村管委会")
        );
    }

    #[test]
    fn tells_units_from_words() {
        for ok in [
            "市教育局",
            "省工业和信息化厅",
            "各有关部门",
            "各电网企业",
            "各省级园区管理机构",
            "省工商联",
            "市气象台",
            "各市、县级政府",
            "《办法》涉及的相关部门",
            "市委组织部（人才办）",
            "各乡镇、街道",
            "盐池县",
            "北京海关",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "不再列出",
            "下同〉",
            "县级市",
            "以下均需各区落实",
            "按职责分工",
            "加快推进项目建设工作。",
            "市",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
