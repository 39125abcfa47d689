//! A 重点工程项目 list as offices keep it in Excel: 项目名称, 项目单位 (or
//! 责任单位, 建设单位…), 建设内容, 总投资 and 年度计划投资 (in 万元, or in
//! the unit the header prints), 计划开工 and 计划竣工 (or one 建设年限
//! column such as `2024-2026`). Each data row becomes a [`Project`] or is
//! refused with every reason; headings, notes and totals are set aside.

use crate::dates::{self, Limit};
use crate::table::{self, Field, Outcome, Parsed, RowKind, RowReport};
use crate::xlsx::Sheet;
use chrono::NaiveDate;
use serde::Serialize;

/// The columns of a project list.
pub const FIELDS: &[Field] = &[
    Field {
        key: "seq",
        label: "序号",
        names: &["序号", "编号", "序列", "项次", "No", "NO", "No."],
    },
    Field {
        key: "name",
        label: "项目名称",
        names: &[
            "项目名称",
            "工程名称",
            "项目",
            "名称",
            "项目工程名称",
            "重点项目",
        ],
    },
    Field {
        key: "lead",
        label: "项目单位",
        names: &[
            "项目单位",
            "责任单位",
            "建设单位",
            "实施单位",
            "项目业主",
            "业主单位",
            "牵头单位",
            "责任部门",
            "项目责任单位",
            "承办单位",
            "项目建设单位",
            "实施主体",
            "建设主体",
            "责任主体",
        ],
    },
    Field {
        key: "co",
        label: "配合单位",
        names: &["配合单位", "协办单位", "配合部门", "协同单位"],
    },
    Field {
        key: "content",
        label: "建设内容",
        names: &[
            "建设内容",
            "建设内容及规模",
            "建设规模及内容",
            "主要建设内容",
            "建设规模",
            "项目概况",
            "项目内容",
        ],
    },
    Field {
        key: "total",
        label: "总投资",
        names: &[
            "总投资",
            "项目总投资",
            "计划总投资",
            "估算总投资",
            "总投资额",
        ],
    },
    Field {
        key: "annual",
        label: "年度计划投资",
        names: &[
            "年度计划投资",
            "年度投资计划",
            "本年计划投资",
            "计划投资",
            "年计划投资",
            "今年计划投资",
            "年度计划",
            "年度投资",
            "本年度计划投资",
            "计划完成投资",
        ],
    },
    Field {
        key: "start",
        label: "计划开工时间",
        names: &[
            "计划开工时间",
            "开工时间",
            "计划开工日期",
            "开工日期",
            "开工年月",
            "计划开工",
        ],
    },
    Field {
        key: "finish",
        label: "计划竣工时间",
        names: &[
            "计划竣工时间",
            "竣工时间",
            "计划完工时间",
            "完工时间",
            "计划建成时间",
            "建成时间",
            "计划完成时间",
            "完成时间",
            "竣工日期",
            "计划竣工",
            "完成时限",
        ],
    },
    Field {
        key: "period",
        label: "建设年限",
        names: &[
            "建设年限",
            "建设起止年限",
            "起止年限",
            "建设期限",
            "建设周期",
            "起止年份",
        ],
    },
];

/// A key project read from a row. Amounts are in 万元.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    /// The row's 序号, or `第N行`.
    pub item: String,
    pub name: String,
    pub content: Option<String>,
    pub lead: Vec<String>,
    pub co: Vec<String>,
    pub total_investment: Option<f64>,
    pub annual_investment: Option<f64>,
    /// The year the annual plan is for (from its header, the title, or
    /// the import's year).
    pub annual_year: i32,
    pub planned_start: Option<NaiveDate>,
    pub planned_finish: NaiveDate,
}

/// Reads the first sheet with a project header; `year` as in
/// [`crate::tasklist::parse`].
pub fn parse(sheets: &[Sheet], year: i32) -> Result<Parsed<Project>, String> {
    let Some((sheet, header, mut notes)) = table::pick_sheet(sheets, FIELDS, &["name"]) else {
        let names: Vec<String> = sheets.iter().map(|s| format!("“{}”", s.name)).collect();
        return Err(format!(
            "没有找到项目表头（查看了工作表{}）：表头行应有“项目名称”“项目单位”（或 责任单位）“总投资”“计划竣工时间”等列名，可在标题行之下",
            if names.is_empty() { "：无".to_string() } else { names.join("、") }
        ));
    };
    notes.extend(table::unused_columns(&header));
    let year = header
        .title
        .as_deref()
        .and_then(dates::year_in)
        .unwrap_or(year);
    let annual_year = header
        .column("annual")
        .and_then(|c| dates::year_in(&c.header))
        .unwrap_or(year);
    let unit_of = |f: &str| header.column(f).and_then(|c| c.unit.clone());
    let (total_unit, annual_unit) = (unit_of("total"), unit_of("annual"));
    let cols: Vec<u32> = header.columns.iter().map(|c| c.col).collect();
    let col = |f: &str| header.col(f);
    let mut rows = Vec::new();
    for r in header.row + 1..sheet.height() {
        match table::classify(sheet, r, &cols, col("name"), col("seq")) {
            RowKind::Blank => continue,
            RowKind::Aside(reason) => {
                rows.push(RowReport {
                    row: r + 1,
                    outcome: Outcome::Skipped { reason },
                    notes: Vec::new(),
                });
                continue;
            }
            RowKind::Data => {}
        }
        let mut reasons = Vec::new();
        let mut notes = Vec::new();
        let name = table::cell_text(sheet, r, col("name"));
        if name.is_empty() {
            reasons.push("缺少项目名称".to_string());
        }
        if let Some(from) = table::merged_from_above(sheet, r, col("lead")) {
            notes.push(format!("项目单位取自第{from}行的合并单元格"));
        }
        let (lead, mut co) = table::split_units(&table::cell_text_lines(sheet, r, col("lead")));
        if lead.is_empty() {
            reasons.push("缺少项目单位".to_string());
        }
        let (a, b) = table::split_units(&table::cell_text_lines(sheet, r, col("co")));
        for n in a.into_iter().chain(b) {
            if !co.contains(&n) {
                co.push(n);
            }
        }
        for n in co.iter().filter(|n| lead.contains(n)) {
            reasons.push(format!("“{n}”同时列为项目单位和配合单位；请只保留一处"));
        }
        let mut money = |field: &str, label: &str, unit: Option<&str>| {
            let v = col(field)
                .map(|c| sheet.value(r, c).clone())
                .unwrap_or_default();
            match table::amount(&v, unit) {
                Ok(n) => n,
                Err(e) => {
                    reasons.push(format!("{label}：{e}"));
                    None
                }
            }
        };
        let total = money("total", "总投资", total_unit.as_deref());
        let annual = money("annual", "年度计划投资", annual_unit.as_deref());
        if col("total").is_some()
            && total.is_none()
            && !reasons.iter().any(|r| r.starts_with("总投资"))
        {
            reasons.push("缺少总投资（万元）".to_string());
        }
        if let (Some(t), Some(a)) = (total, annual) {
            if a > t {
                notes.push(format!("年度计划投资 {a} 万元大于总投资 {t} 万元，请核对"));
            }
        }
        let span = col("period").and_then(|c| dates::year_span(&sheet.value(r, c).text()));
        let mut date = |field: &str, label: &str, reasons: &mut Vec<String>| -> Option<NaiveDate> {
            let c = col(field)?;
            let read = if field == "start" {
                dates::read_start
            } else {
                dates::read_limit
            };
            match read(sheet.value(r, c), year) {
                Ok(l) => {
                    notes.extend(l.note.map(|n| format!("{label}：{n}")));
                    match l.limit {
                        Limit::Date(d) => Some(d),
                        Limit::None => None,
                        Limit::Continuing => {
                            reasons.push(format!("{label}“{}”不是日期", l.text));
                            None
                        }
                    }
                }
                Err(e) => {
                    reasons.push(format!("{label}：{e}"));
                    None
                }
            }
        };
        let start = date("start", "计划开工时间", &mut reasons).or(span.map(|s| s.0));
        let finish = date("finish", "计划竣工时间", &mut reasons).or(span.map(|s| s.1));
        let dates_refused = reasons.iter().any(|r| r.starts_with("计划"));
        if finish.is_none() && !dates_refused {
            reasons.push("缺少计划竣工时间（或建设年限）".to_string());
        }
        if let (Some(s), Some(f)) = (start, finish) {
            if s > f {
                reasons.push(format!("计划开工时间 {s} 晚于计划竣工时间 {f}"));
            }
        }
        let seq = table::cell_text(sheet, r, col("seq"));
        let item = if seq.is_empty() {
            format!("第{}行", r + 1)
        } else {
            seq
        };
        let units = table::roles_of(&lead, &co, "项目单位");
        let outcome = match (reasons.is_empty(), finish) {
            (true, Some(finish)) => Outcome::Read {
                item: Project {
                    item,
                    name,
                    content: Some(table::cell_text(sheet, r, col("content")))
                        .filter(|c| !c.is_empty()),
                    lead,
                    co,
                    total_investment: total,
                    annual_investment: annual,
                    annual_year,
                    planned_start: start,
                    planned_finish: finish,
                },
            },
            _ => Outcome::Refused {
                reasons,
                item,
                title: name,
                units,
            },
        };
        rows.push(RowReport {
            row: r + 1,
            outcome,
            notes,
        });
    }
    Ok(Parsed {
        sheet: sheet.name.clone(),
        title: header.title.clone(),
        header_row: header.row + 1,
        columns: header.columns,
        notes,
        rows,
    })
}
