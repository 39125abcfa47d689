//! Writes a sample 督查通报 as a .docx: `cargo run -p duban-office --example
//! bulletin -- OUT.docx`. The same sample is what `tests/docx.rs` reads
//! back with python-docx and what `scripts/render-bulletin.sh` renders to
//! `docs/bulletin-sample.png`, so the figures here are made up but shaped
//! like a real quarter's bulletin.

use chrono::NaiveDate;
use duban_office::docx::{self, cn_number, Block, OfficialDoc};

fn s(text: &str) -> String {
    text.to_string()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// The sample bulletin.
pub fn sample() -> OfficialDoc {
    let units = [
        // 责任单位, 交办, 按时签收, 按时反馈, 按时办结, 逾期
        ("区发改局", 12, "100%", "100%", "100%", 0),
        ("区住建局", 10, "100%", "100%", "100%", 0),
        ("北城街道办事处", 8, "100%", "100%", "100%", 0),
        ("区交通运输局", 9, "100%", "88.9%", "77.8%", 1),
        ("区城建投资公司（R&D中心）", 6, "100%", "83.3%", "66.7%", 0),
        ("区市场监管局", 11, "90.9%", "72.7%", "63.6%", 1),
        ("东郊街道办事处", 7, "85.7%", "71.4%", "57.1%", 1),
        ("区生态环境分局", 5, "80.0%", "60.0%", "40.0%", 1),
    ];
    let rows = units
        .iter()
        .enumerate()
        .map(|(i, (unit, assigned, sign, report, close, overdue))| {
            vec![
                (i + 1).to_string(),
                s(unit),
                assigned.to_string(),
                s(sign),
                s(report),
                s(close),
                overdue.to_string(),
            ]
        })
        .collect();
    let overdue = vec![
        row(&[
            "1",
            "完成城区主干道破损路面修补及交通标线施划",
            "区交通运输局",
            "2024年8月31日",
            "30",
        ]),
        row(&[
            "2",
            "开展农贸市场食品安全专项整治，建立问题台账并逐项销号",
            "区市场监管局",
            "2024年9月15日",
            "15",
        ]),
        row(&[
            "3",
            "完成东郊片区背街小巷路灯亮化工程",
            "东郊街道办事处",
            "2024年9月20日",
            "10",
        ]),
        row(&[
            "4",
            "督促重点排污单位安装在线监测设备并与市平台联网",
            "区生态环境分局",
            "2024年9月25日",
            "5",
        ]),
    ];
    let h1 = |n: u32, t: &str| Block::Heading1(format!("{}、{t}", cn_number(n)));
    let h2 = |n: u32, t: &str| Block::Heading2(format!("（{}）{t}", cn_number(n)));
    OfficialDoc {
        issuer: s("运城市盐湖区人民政府督查室"),
        number: Some(s("盐政督通〔2024〕3号")),
        title: s("关于2024年第三季度重点工作督办情况的通报"),
        addressee: Some(s("各乡镇人民政府、街道办事处，区直各有关单位")),
        blocks: vec![
            Block::Para(s("为推动区委、区政府重大决策部署落地见效，区政府督查室按照“13710”工作制度，对2024年第三季度（7月1日至9月30日）交办的重点工作督办事项进行了全面梳理。现将有关情况通报如下。")),
            h1(1, "总体情况"),
            Block::Para(s("第三季度，区政府督查室共交办督办事项68项，涉及责任单位8个。截至9月30日，按时签收65项，按时签收率为95.6%；按时反馈58项，按时反馈率为85.3%；按时办结销号52项，按时办结率为76.5%；逾期未办结4项，退回重办6项，批准延期4项。")),
            h2(1, "各单位办理情况"),
            Block::Table {
                caption: Some(s("表1 各单位督办事项办理情况")),
                header: row(&["序号", "责任单位", "交办\n事项", "按时\n签收率", "按时\n反馈率", "按时\n办结率", "逾期\n事项"]),
                rows,
                widths: None,
            },
            h2(2, "逾期未办结事项"),
            Block::Table {
                caption: Some(s("表2 逾期未办结事项清单")),
                header: row(&["序号", "事项内容", "牵头单位", "完成时限", "逾期天数"]),
                rows: overdue,
                widths: None,
            },
            h1(2, "表扬与批评"),
            Block::Para(s("区发改局、区住建局、北城街道办事处等3个单位按时签收率、按时反馈率和按时办结率均达到100%，工作措施有力、成效明显，予以通报表扬。")),
            Block::Para(s("区市场监管局、东郊街道办事处、区生态环境分局等3个单位存在反馈不及时、逾期未办结等问题，予以通报批评。请被批评单位认真查找原因，于10月15日前将整改情况书面报区政府督查室。")),
            h1(3, "下一步工作要求"),
            h2(1, "压实工作责任"),
            Block::Para(s("各单位主要负责同志要亲自研究、亲自部署，对交办事项逐项明确责任人和完成时限，确保件件有着落、事事有回音。")),
            h2(2, "严格时限要求"),
            Block::Para(s("各单位要严格落实“13710”工作制度，当日签收、3日内反馈进展、7日内办结或提出办理计划；确需延期的，须提前提出申请。区政府督查室将对逾期事项持续跟踪督办，直至销号清零。")),
        ],
        signature: Some(s("运城市盐湖区人民政府督查室")),
        date: NaiveDate::from_ymd_opt(2024, 10, 8),
    }
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bulletin.docx".to_string());
    if let Err(e) = std::fs::write(&out, docx::write(&sample())) {
        eprintln!("无法写入 {out}：{e}");
        std::process::exit(1);
    }
    println!("已写入 {out}");
}
