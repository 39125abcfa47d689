//! Leadership division of work (领导班子分工): who oversees which units.
//! A block per leader, `霍国荣（副区长）`, then `负责…等方面工作。`,
//! `主管…`, `具体分管：A、B（C、D）。` and `联系：…`. The supervision core
//! matches the unit names to its registry and shows the result for
//! confirmation.

use crate::model::LineSpan;
use crate::owner::split_units;
use crate::span::Spanned;
use serde::Serialize;

/// One leader's share of the work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LeaderDuty {
    pub name: String,
    /// As printed in the brackets: 副区长, 区政府党组成员、政府办主任.
    pub title: String,
    /// `负责…等方面工作` and other duty sentences.
    pub duties: Vec<String>,
    /// Units overseen (主管, 具体分管), sub-units in brackets included.
    pub oversees: Vec<String>,
    /// Units kept in contact with (联系).
    pub contacts: Vec<String>,
    pub spans: Vec<LineSpan>,
}

/// Reads the division of work from a text (a gazette or one document).
pub fn division_of_work(text: &str) -> Vec<LeaderDuty> {
    let input: Vec<&str> = text.split('\n').collect();
    let lay = crate::layout::layout(&input);
    let mut out = Vec::new();
    for d in &lay.docs {
        let full = crate::para::full_width(&lay.lines, d);
        out.extend(from_paragraphs(&crate::para::paragraphs(
            &lay.lines, d, full,
        )));
    }
    out
}

/// Reads leader blocks from a document's paragraphs.
pub fn from_paragraphs(paras: &[Spanned]) -> Vec<LeaderDuty> {
    let mut out: Vec<LeaderDuty> = Vec::new();
    let mut lines: Vec<u32> = Vec::new();
    for p in paras {
        let t = p.text();
        if let Some((name, title)) = leader_line(&t) {
            close(&mut out, &mut lines);
            out.push(LeaderDuty {
                name,
                title,
                ..LeaderDuty::default()
            });
            lines.extend(p.spans().iter().flat_map(|s| s[0]..=s[1]));
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let body = t.trim_end_matches(['。', '；']);
        if let Some(list) = strip_label(body, &["具体分管", "分管"]) {
            cur.oversees.extend(units_with_subunits(list));
        } else if let Some(list) = strip_label(body, &["联系"]) {
            cur.contacts.extend(units_with_subunits(list));
        } else if let Some(rest) = body.strip_prefix("主管") {
            cur.oversees
                .extend(units_with_subunits(rest.trim_end_matches("工作")));
        } else if body.starts_with("负责") || body.starts_with("协助") {
            cur.duties.push(t.clone());
        } else if body.contains("交办的其他工作") {
            // The closing formula of every block.
        } else {
            // Anything else ends the list of blocks.
            close(&mut out, &mut lines);
            continue;
        }
        lines.extend(p.spans().iter().flat_map(|s| s[0]..=s[1]));
    }
    close(&mut out, &mut lines);
    out
}

fn close(out: &mut [LeaderDuty], lines: &mut Vec<u32>) {
    if let Some(cur) = out.last_mut() {
        if cur.spans.is_empty() && !lines.is_empty() {
            cur.spans = crate::span::spans_of(lines.iter().copied());
        }
    }
    lines.clear();
}

/// `霍国荣（副区长）`: a name of two to four characters and a title that
/// names an office.
fn leader_line(t: &str) -> Option<(String, String)> {
    let open = t.find('（')?;
    let inner = t[open..].strip_prefix('（')?.strip_suffix('）')?;
    let name = &t[..open];
    let n = name.chars().count();
    let is_name = (2..=4).contains(&n) && name.chars().all(crate::normalize::is_cjk);
    let is_title = ["长", "主任", "书记", "成员", "秘书"]
        .iter()
        .any(|w| inner.contains(w));
    (is_name && is_title && !inner.contains(['，', '。']))
        .then(|| (name.to_string(), inner.to_string()))
}

/// `具体分管：…` with or without the colon's spacing (`联 系：`).
fn strip_label<'a>(t: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels
        .iter()
        .find_map(|l| t.strip_prefix(l))
        .and_then(|r| r.strip_prefix(['：', ':']))
}

/// Units of a list, and the sub-units named in brackets after a unit:
/// `区卫生健康和体育局（区体育事业发展中心、区疾病预防控制中心）`.
fn units_with_subunits(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    for u in split_units(list) {
        match (u.find('（'), u.ends_with('）')) {
            (Some(open), true) => {
                let main = &u[..open];
                let inner = &u[open + '（'.len_utf8()..u.len() - '）'.len_utf8()];
                let subs = split_units(inner);
                // `市工信局（市国资委）` is one body with two names; a list in
                // brackets is the unit's own bodies.
                out.push(main.to_string());
                out.extend(subs);
            }
            _ => out.push(u),
        }
    }
    out.retain(|u| u.chars().count() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_leader_blocks() {
        let text = "运城市盐湖区人民政府办公室 关于区政府领导班子成员工作分工调整的通知\n运盐政办发〔2022〕7号\n各乡镇人民政府：\n现将分工通知如下。\n\
霍国荣（副区长）\n负责自然资源、林业等方面工作。\n具体分管：区自然资源局、区林业局、运城市生态环境局盐湖分局。\n完成区长交办的其他工作。\n\
景小平（副区长）\n负责教育、医疗卫生等方面工作。\n具体分管：区教育局、区卫生健康和体育局（区体育事业发展中心、区疾病预防控制中心）。\n联 系：区融媒体中心、团区委。\n完成区长交办的其他工作。\n\
卫晓军（区政府党组成员、政府办主任）\n主管盐湖高新技术产业开发区工作。\n运城市盐湖区人民政府办公室\n2022年3月2日\n";
        let got = division_of_work(text);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!(got[0].name, "霍国荣");
        assert_eq!(got[0].title, "副区长");
        assert_eq!(
            got[0].oversees,
            ["区自然资源局", "区林业局", "运城市生态环境局盐湖分局"]
        );
        assert_eq!(got[0].duties, ["负责自然资源、林业等方面工作。"]);
        assert_eq!(got[0].spans, vec![[5, 8]]);
        assert_eq!(
            got[1].oversees,
            [
                "区教育局",
                "区卫生健康和体育局",
                "区体育事业发展中心",
                "区疾病预防控制中心"
            ]
        );
        assert_eq!(got[1].contacts, ["区融媒体中心", "团区委"]);
        assert_eq!(got[2].title, "区政府党组成员、政府办主任");
        assert_eq!(got[2].oversees, ["盐湖高新技术产业开发区"]);
        assert_eq!(got[2].spans, vec![[14, 15]]);
    }

    #[test]
    fn ignores_text_without_blocks() {
        assert!(division_of_work("一、工作任务\n（一）加强领导。（市应急局负责）\n").is_empty());
        assert!(division_of_work("").is_empty());
    }
}
