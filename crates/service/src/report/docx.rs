//! The bulletin and the assessment as official documents (GB/T 9704
//! layout by `duban_office::docx`): title, optional 文号, body paragraphs
//! with the figures in words, and tables. Only layout here; every number
//! comes from the [`Bulletin`] or [`Assessment`] as the API shows it.

use super::{Assessment, Bulletin, BulletinRow};
use chrono::Datelike;
use duban_office::docx::{cn_number, Block, OfficialDoc};

/// Who issues the document and under which number.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub issuer: String,
    pub number: Option<String>,
    pub addressee: Option<String>,
}

impl Default for Letterhead {
    fn default() -> Letterhead {
        Letterhead {
            issuer: "区人民政府督查室".into(),
            number: None,
            addressee: Some("各乡镇人民政府、街道办事处，区直各有关单位".into()),
        }
    }
}

fn h1(n: u32, t: &str) -> Block {
    Block::Heading1(format!("{}、{t}", cn_number(n)))
}

fn h2(n: u32, t: &str) -> Block {
    Block::Heading2(format!("（{}）{t}", cn_number(n)))
}

fn names(list: &[super::Named]) -> String {
    list.iter()
        .map(|n| n.unit_name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The paragraph of totals.
fn totals(b: &Bulletin) -> String {
    let t: &BulletinRow = &b.total;
    let units = b.units.iter().filter(|u| u.assigned > 0).count();
    format!(
        "{}（{}），共交办督办事项{}项，涉及责任单位{}个、任务{}项。截至{}月{}日，按时签收{}项，按时签收率为{}；按时反馈{}项，按时反馈率为{}；按时申请办结{}项，按时办结率为{}；已办结销号{}项；逾期未办{}项，退回重办{}次，批准延期{}项。",
        b.period.label,
        b.period.span_label(),
        b.matters,
        units,
        t.assigned,
        b.as_of.month(),
        b.as_of.day(),
        t.sign_for.on_time,
        t.sign_for.percent(),
        t.report.on_time,
        t.report.percent(),
        t.close.on_time,
        t.close.percent(),
        t.closed,
        t.overdue,
        t.returns,
        t.extended,
    )
}

/// The header of the per-unit table, as `bulletin_unit_rows` fills it.
pub const UNIT_HEADER: [&str; 9] = [
    "序号",
    "责任单位",
    "交办\n任务",
    "按时\n签收率",
    "按时\n反馈率",
    "按时\n办结率",
    "逾期\n任务",
    "退回\n次数",
    "批准\n延期",
];

/// The per-unit rows, then the total.
pub fn bulletin_unit_rows(b: &Bulletin) -> Vec<Vec<String>> {
    let row = |no: String, u: &BulletinRow| {
        vec![
            no,
            u.unit_name.clone(),
            u.assigned.to_string(),
            u.sign_for.percent(),
            u.report.percent(),
            u.close.percent(),
            u.overdue.to_string(),
            u.returns.to_string(),
            u.extended.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = b
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| row((i + 1).to_string(), u))
        .collect();
    rows.push(row(String::new(), &b.total));
    rows
}

/// The header of the overdue table.
pub const OVERDUE_HEADER: [&str; 6] = [
    "序号",
    "事项内容",
    "责任单位",
    "未办环节",
    "时限",
    "逾期\n天数",
];

pub fn bulletin_overdue_rows(b: &Bulletin) -> Vec<Vec<String>> {
    b.overdue
        .iter()
        .enumerate()
        .map(|(i, o)| {
            vec![
                (i + 1).to_string(),
                o.title.clone(),
                o.unit_name.clone(),
                o.limit.clone(),
                format!("{}年{}月{}日", o.due.year(), o.due.month(), o.due.day()),
                o.days_late.map_or("—".into(), |d| d.to_string()),
            ]
        })
        .collect()
}

/// The bulletin as an official document.
pub fn bulletin_doc(b: &Bulletin, head: &Letterhead) -> OfficialDoc {
    let mut blocks = vec![
        Block::Para(format!(
            "为推动重大决策部署落地见效，按照“13710”工作制度，现将{}{}重点工作督办事项办理情况通报如下。",
            b.scope.as_deref().map(|s| format!("{s}分管单位")).unwrap_or_default(),
            b.period.label
        )),
        h1(1, "总体情况"),
        Block::Para(totals(b)),
        h2(1, "各单位办理情况"),
        Block::Table {
            caption: Some("表1 各单位督办任务办理情况".into()),
            header: UNIT_HEADER.iter().map(|s| s.to_string()).collect(),
            rows: bulletin_unit_rows(b),
            widths: None,
        },
        h2(2, "逾期未办任务"),
    ];
    if b.overdue.is_empty() {
        blocks.push(Block::Para("本期无逾期未办任务。".into()));
    } else {
        if b.overdue_total > b.overdue.len() {
            blocks.push(Block::Para(format!(
                "共有逾期未办任务{}项，下表列出逾期时间最长的{}项，完整清单可在督办系统中查看。",
                b.overdue_total,
                b.overdue.len()
            )));
        }
        blocks.push(Block::Table {
            caption: Some("表2 逾期未办任务清单".into()),
            header: OVERDUE_HEADER.iter().map(|s| s.to_string()).collect(),
            rows: bulletin_overdue_rows(b),
            widths: None,
        });
    }
    blocks.push(h1(2, "表扬与批评"));
    let r = &b.rules;
    if b.commended.is_empty() {
        blocks.push(Block::Para(format!(
            "本期没有单位达到通报表扬条件（交办任务不少于{}项，签收、反馈、办结全部按时，无逾期、无退回）。",
            r.commend_min_tracks
        )));
    } else {
        blocks.push(Block::Para(format!(
            "{}等{}个单位交办任务签收、反馈、办结全部按时，无逾期、无退回，予以通报表扬。",
            names(&b.commended),
            b.commended.len()
        )));
    }
    if b.criticised.is_empty() {
        blocks.push(Block::Para("本期没有单位达到通报批评条件。".into()));
    } else {
        let why: Vec<String> = b
            .criticised
            .iter()
            .map(|n| format!("{}（{}）", n.unit_name, n.reasons.join("，")))
            .collect();
        blocks.push(Block::Para(format!(
            "{}等{}个单位存在任务逾期超过{}天或按期办结率低于{}%等问题，予以通报批评：{}。请被批评单位认真查找原因，限期整改，并将整改情况书面报督查室。",
            names(&b.criticised),
            b.criticised.len(),
            r.criticise_overdue_days,
            r.criticise_close_rate_below,
            why.join("；")
        )));
    }
    blocks.push(h1(3, "下一步工作要求"));
    blocks.push(Block::Para(
        "各单位要严格落实“13710”工作制度，当日签收部署、3日内反馈进展、7日内办结或提出办理计划；确需延期的，须提前提出申请。督查室将对逾期任务持续跟踪督办，直至销号清零。".into(),
    ));
    OfficialDoc {
        issuer: head.issuer.clone(),
        number: head.number.clone(),
        title: b.title.clone(),
        addressee: head.addressee.clone(),
        blocks,
        signature: Some(head.issuer.clone()),
        date: Some(b.as_of),
    }
}

/// The header of the assessment table.
pub const ASSESSMENT_HEADER: [&str; 5] = ["名次", "单位", "得分", "等次", "扣分与加分说明"];

/// The assessment as an official document: one row per unit, the lines
/// that lost or added points summarised.
pub fn assessment_doc(a: &Assessment, head: &Letterhead) -> OfficialDoc {
    let rows: Vec<Vec<String>> = a
        .units
        .iter()
        .map(|u| {
            let notes: Vec<String> = u
                .lines
                .iter()
                .filter(|l| {
                    (l.points - l.max).abs() > 1e-9 && l.kind != "bonus"
                        || l.kind == "bonus" && l.points > 0.0
                })
                .map(|l| format!("{} {}/{}", l.indicator, l.points, l.max))
                .collect();
            vec![
                u.rank.to_string(),
                u.unit_name.clone(),
                format!("{:.2}", u.total),
                u.grade.clone(),
                if notes.is_empty() {
                    "满分".into()
                } else {
                    notes.join("；")
                },
            ]
        })
        .chain(a.unassessed.iter().map(|u| {
            vec![
                "—".into(),
                u.unit_name.clone(),
                "—".into(),
                "无考核事项".into(),
                "全年无应办事项，不参加排名".into(),
            ]
        }))
        .collect::<Vec<Vec<String>>>();
    let quotas: Vec<String> = a
        .rules
        .grades
        .iter()
        .map(|q| match q.percent {
            Some(p) => format!("{}不超过{}%", q.name, p),
            None => format!("其余为{}", q.name),
        })
        .collect();
    OfficialDoc {
        issuer: head.issuer.clone(),
        number: head.number.clone(),
        title: format!("关于{}年度督查督办工作考核结果的通报", a.year),
        addressee: head.addressee.clone(),
        blocks: vec![
            Block::Para(format!(
                "根据{}年度督查督办考核办法（满分{}分），对{}个单位的签收、反馈、办结时效，退回情况，办结质量，督查发现问题和约谈情况进行了考核。等次按名额确定：{}（名额向下取整，同分同等次）。考核结果如下。",
                a.year,
                a.rules.total,
                a.graded_units,
                quotas.join("，")
            )),
            Block::Table {
                caption: Some(format!("表1 {}年度督查督办考核结果", a.year)),
                header: ASSESSMENT_HEADER.iter().map(|s| s.to_string()).collect(),
                rows,
                widths: None,
            },
        ],
        signature: Some(head.issuer.clone()),
        date: Some(a.as_of),
    }
}

/// The bulletin's .docx bytes.
pub fn bulletin_bytes(b: &Bulletin, head: &Letterhead) -> Vec<u8> {
    duban_office::docx::write(&bulletin_doc(b, head))
}

/// The assessment's .docx bytes.
pub fn assessment_bytes(a: &Assessment, head: &Letterhead) -> Vec<u8> {
    duban_office::docx::write(&assessment_doc(a, head))
}
