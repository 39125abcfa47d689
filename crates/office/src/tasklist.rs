//! A 任务分解表 as someone typed it in Excel: the header row found below
//! any title (`2024年重点工作任务分解表`), its columns recognised by the
//! many names offices give them, a 牵头单位 merged over several task rows
//! applied to each, group headings and notes set aside, and every data row
//! either read into a [`Task`] or refused with each reason. Unit names stay
//! names here: resolving them to the registry is the caller's.

use crate::dates::{self, Limit};
use crate::table::{self, Field, Header, Outcome, Parsed, RowKind, RowReport};
use crate::xlsx::Sheet;
use chrono::NaiveDate;
use serde::Serialize;

/// The columns of a task list.
pub const FIELDS: &[Field] = &[
    Field {
        key: "seq",
        label: "序号",
        names: &["序号", "编号", "序列", "项次", "No", "NO", "No."],
    },
    Field {
        key: "task",
        label: "任务内容",
        names: &[
            "任务内容",
            "工作任务",
            "重点任务",
            "主要任务",
            "任务",
            "工作内容",
            "重点工作",
            "任务名称",
            "工作事项",
            "督办事项",
            "事项",
            "目标任务",
            "重点工作任务",
            "工作目标",
            "任务目标",
        ],
    },
    Field {
        key: "measure",
        label: "具体任务",
        names: &[
            "具体任务",
            "具体措施",
            "工作措施",
            "主要措施",
            "推进措施",
            "具体内容",
            "工作举措",
            "具体工作",
            "主要内容",
            "任务分解",
        ],
    },
    Field {
        key: "lead",
        label: "牵头单位",
        names: &[
            "牵头单位",
            "责任单位",
            "牵头部门",
            "责任部门",
            "主责单位",
            "牵头责任单位",
            "主办单位",
            "承办单位",
            "主责部门",
            "责任主体",
        ],
    },
    Field {
        key: "co",
        label: "配合单位",
        names: &[
            "配合单位",
            "协办单位",
            "配合部门",
            "协同单位",
            "参与单位",
            "协助单位",
            "配合责任单位",
            "协同部门",
            "参加单位",
        ],
    },
    Field {
        key: "deadline",
        label: "完成时限",
        names: &[
            "完成时限",
            "时限要求",
            "完成时间",
            "时间节点",
            "完成期限",
            "办结时限",
            "时限",
            "截止时间",
            "完成时间节点",
            "时间要求",
            "办结时间",
        ],
    },
];

/// A task read from a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// The row's 序号, or `第N行` when the sheet has none.
    pub item: String,
    /// The task as the row states it (the 具体任务 where the sheet has one).
    pub text: String,
    /// The whole text: the group heading and the 重点任务 it belongs to,
    /// then the task.
    pub detail: String,
    pub lead: Vec<String>,
    pub co: Vec<String>,
    pub deadline: Option<NaiveDate>,
    /// 长期坚持, 持续推进 and recurring limits: no end date.
    pub continuing: bool,
    /// The 完成时限 as printed.
    pub deadline_text: String,
}

/// Reads the first sheet with a task header. `year` is the year of dates
/// written without one, unless the title above the table names a year.
/// Refused whole (with what to fix) when no sheet has a task header.
pub fn parse(sheets: &[Sheet], year: i32) -> Result<Parsed<Task>, String> {
    let Some((sheet, mut header, mut notes)) =
        table::pick_sheet(sheets, FIELDS, &["task", "measure"])
    else {
        return Err(no_header(sheets));
    };
    responsible_as_co(sheet, &mut header);
    notes.extend(table::unused_columns(&header));
    let year = header
        .title
        .as_deref()
        .and_then(dates::year_in)
        .unwrap_or(year);
    let cols: Vec<u32> = header.columns.iter().map(|c| c.col).collect();
    let (seq, task, measure) = (header.col("seq"), header.col("task"), header.col("measure"));
    let (lead_col, co_col, limit_col) =
        (header.col("lead"), header.col("co"), header.col("deadline"));
    let mut rows = Vec::new();
    let mut section: Option<String> = None;
    let mut previous_lead: Option<(u32, String)> = None;
    for r in header.row + 1..sheet.height() {
        let name_col = measure.or(task);
        match table::classify(sheet, r, &cols, name_col, seq) {
            RowKind::Blank => continue,
            RowKind::Aside(reason) => {
                if reason.starts_with("分组标题") {
                    section = Some(table::cell_text(
                        sheet,
                        r,
                        (0..sheet.width()).find(|&c| !sheet.value(r, c).is_blank()),
                    ));
                }
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
        let group = table::cell_text(sheet, r, task);
        let own = table::cell_text(sheet, r, measure);
        let text = if own.is_empty() {
            group.clone()
        } else {
            own.clone()
        };
        if text.is_empty() {
            reasons.push("缺少任务内容".to_string());
        }
        for (c, what) in [
            (task, "任务内容"),
            (measure, "具体任务"),
            (lead_col, "牵头单位"),
        ] {
            if let Some(from) = table::merged_from_above(sheet, r, c) {
                notes.push(format!("{what}取自第{from}行的合并单元格"));
            }
        }
        let lead_raw = table::cell_text_lines(sheet, r, lead_col);
        let (lead, mut co) = table::split_units(&lead_raw);
        if lead.is_empty() {
            reasons.push(match &previous_lead {
                Some((row, p)) => format!(
                    "缺少牵头单位（第{row}行的牵头单位为“{p}”；如是同一单位，请逐行填写或把单元格合并到有单位的那一行）"
                ),
                None => "缺少牵头单位".to_string(),
            });
        } else {
            previous_lead = Some((r + 1, lead.join("、")));
        }
        let (more_a, more_b) = table::split_units(&table::cell_text_lines(sheet, r, co_col));
        for n in more_a.into_iter().chain(more_b) {
            if !co.contains(&n) {
                co.push(n);
            }
        }
        for n in co.iter().filter(|n| lead.contains(n)) {
            reasons.push(format!("“{n}”同时列为牵头单位和配合单位；请只保留一处"));
        }
        let (mut deadline, mut continuing, mut deadline_text) = (None, false, String::new());
        if let Some(c) = limit_col {
            match dates::read_limit(sheet.value(r, c), year) {
                Ok(l) => {
                    deadline_text = l.text;
                    notes.extend(l.note);
                    match l.limit {
                        Limit::Date(d) => deadline = Some(d),
                        Limit::Continuing => continuing = true,
                        Limit::None => notes.push("未填完成时限，按事项类型的时限办理".into()),
                    }
                }
                Err(e) => reasons.push(format!("完成时限：{e}")),
            }
        }
        let seq_text = table::cell_text(sheet, r, seq);
        let item = if seq_text.is_empty() {
            format!("第{}行", r + 1)
        } else {
            seq_text
        };
        let units = table::roles_of(&lead, &co, "牵头单位");
        let outcome = if reasons.is_empty() {
            let mut detail: Vec<&str> = Vec::new();
            if let Some(s) = &section {
                detail.push(s);
            }
            if !own.is_empty() && !group.is_empty() && group != own {
                detail.push(&group);
            }
            detail.push(&text);
            Outcome::Read {
                item: Task {
                    item,
                    detail: detail.join("\n"),
                    text,
                    lead,
                    co,
                    deadline,
                    continuing,
                    deadline_text,
                },
            }
        } else {
            Outcome::Refused {
                reasons,
                item,
                title: text,
                units,
            }
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

/// A sheet with both 牵头单位 and 责任单位 and no 配合单位 column means the
/// 责任单位 are the units that work with the lead: the second column is
/// read as the co-operating units rather than left out.
fn responsible_as_co(sheet: &Sheet, header: &mut Header) {
    let lead_is_named = header.column("lead").is_some_and(|c| {
        matches!(
            table::header_key(&c.header).0.as_str(),
            "牵头单位" | "牵头部门"
        )
    });
    if !lead_is_named || header.col("co").is_some() {
        return;
    }
    let lead_field = FIELDS.iter().position(|f| f.key == "lead");
    let found = (0..sheet.width()).find(|&c| {
        header.col("lead") != Some(c)
            && table::field_of(FIELDS, &sheet.value(header.row, c).text()) == lead_field
    });
    if let Some(c) = found {
        let text = sheet.value(header.row, c).text();
        header.ignored.retain(|t| *t != text);
        header.columns.push(table::MappedColumn {
            field: "co",
            label: "配合单位",
            col: c,
            header: text,
            unit: None,
        });
        header.columns.sort_by_key(|m| m.col);
    }
}

fn no_header(sheets: &[Sheet]) -> String {
    let names: Vec<String> = sheets.iter().map(|s| format!("“{}”", s.name)).collect();
    format!(
        "没有找到任务表头（查看了工作表{}）：表头行应有“任务内容”（或 工作任务、重点任务、具体任务）和“牵头单位”（或 责任单位）等列名，可在标题行之下",
        if names.is_empty() { "：无".to_string() } else { names.join("、") }
    )
}
