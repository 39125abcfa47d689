//! Task tables: a 任务分解 printed as a table (序号 | 重点任务 | 具体内容 |
//! 牵头单位 | 配合单位 | 完成时限) gives one task per row, its owners and
//! deadline read from their columns, each task pointing back to the lines
//! its row was rendered on.
//!
//! The document readers (Word, PDF, OFD) hand tables over as a grid of cell
//! texts: a cell merged over several rows or columns repeats its text in
//! every slot it covers, marked `continued` past the first. A header may
//! take two rows (`责任单位` over `牵头单位 | 配合单位`) and may be printed
//! again on every page; both are recognised here. A table whose header
//! names neither owners nor a deadline is not a task table and stays text.
//! Owner cells are split with [`owner`]'s rules; deadline cells are read with
//! [`deadline`]'s grammar, a bare date in a deadline column counting as the
//! limit.

use crate::model::{LineSpan, OwnerScope, Task};
use crate::{deadline, owner, target};
use chrono::NaiveDate;

/// A table as a document reader found it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
}

/// One row of a table and the lines of the reader's text it was rendered on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub span: LineSpan,
    pub cells: Vec<Cell>,
}

/// One slot of the grid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text; paragraphs inside a cell are separated by `\n`.
    pub text: String,
    /// Covered by a cell merged from above or from the left (the text is
    /// that cell's).
    pub continued: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            continued: false,
        }
    }
}

/// What a column of a task table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Seq,
    /// The task or its group (重点任务).
    Task,
    /// The specific measure (具体内容), the task's own text when present.
    Measure,
    Lead,
    Co,
    /// One column of both (责任单位 where no 配合单位 column exists).
    Owners,
    Deadline,
}

/// Header texts and the field they name, compared without whitespace and
/// bracketed notes.
const NAMES: &[(Field, &[&str])] = &[
    (Field::Seq, &["序号", "编号", "项次", "No", "No."]),
    (
        Field::Task,
        &[
            "重点任务",
            "主要任务",
            "工作任务",
            "任务",
            "任务内容",
            "重点工作",
            "工作事项",
            "督办事项",
            "事项",
            "目标任务",
            "重点工作任务",
            "任务名称",
            "工作目标",
            "类别",
            "项目",
            "项目名称",
        ],
    ),
    (
        Field::Measure,
        &[
            "具体内容",
            "具体任务",
            "具体措施",
            "工作措施",
            "主要措施",
            "推进措施",
            "工作内容",
            "具体工作",
            "主要内容",
            "任务分解",
            "工作举措",
            "目标要求",
            "具体事项",
        ],
    ),
    (
        Field::Lead,
        &[
            "牵头单位",
            "牵头部门",
            "主责单位",
            "牵头责任单位",
            "主办单位",
            "主责部门",
            "牵头领导单位",
            "牵头",
        ],
    ),
    (
        Field::Co,
        &[
            "配合单位",
            "配合部门",
            "协办单位",
            "协同单位",
            "参与单位",
            "协助单位",
            "配合责任单位",
            "协同部门",
            "参加单位",
            "配合",
        ],
    ),
    (
        Field::Owners,
        &[
            "责任单位",
            "责任部门",
            "承办单位",
            "责任主体",
            "落实单位",
            "实施单位",
        ],
    ),
    (
        Field::Deadline,
        &[
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
            "进度安排",
            "时间安排",
        ],
    ),
];

/// The field a header cell names.
pub fn field_of(header: &str) -> Option<Field> {
    let mut key: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | ':' | '：'))
        .collect();
    if let Some(i) = key.find(['（', '(']) {
        key.truncate(i);
    }
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// Whether a row of header texts makes a task table: something that names
/// owners or a deadline, and something that says what is to be done.
pub fn is_task_header(cells: &[&str]) -> bool {
    let fields: Vec<Field> = cells.iter().filter_map(|c| field_of(c)).collect();
    let owners = fields
        .iter()
        .any(|f| matches!(f, Field::Lead | Field::Co | Field::Owners | Field::Deadline));
    let work = fields
        .iter()
        .any(|f| matches!(f, Field::Task | Field::Measure));
    owners && work && fields.len() >= 2
}

/// The columns a header maps, one field per column; the first column that
/// names a field keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Columns {
    map: Vec<(usize, Field)>,
}

impl Columns {
    fn col(&self, f: Field) -> Option<usize> {
        self.map.iter().find(|(_, g)| *g == f).map(|(c, _)| *c)
    }
}

/// The header rows at the top of `rows` (one or two) and their columns.
fn header(rows: &[Row]) -> Option<(usize, Columns)> {
    let first = rows.first()?;
    let texts = |r: &Row| -> Vec<String> { r.cells.iter().map(|c| c.text.clone()).collect() };
    let top = texts(first);
    if !is_task_header(&top.iter().map(String::as_str).collect::<Vec<_>>()) {
        return None;
    }
    let mut names = top.clone();
    let mut depth = 1;
    // A second header row names the parts of a cell merged above it
    // (责任单位 over 牵头单位 | 配合单位).
    if let Some(second) = rows.get(1) {
        let below = texts(second);
        let refines = below
            .iter()
            .enumerate()
            .filter(|(i, t)| !t.is_empty() && field_of(t).is_some() && top.get(*i) != Some(t))
            .count();
        let data = below.iter().any(|t| t.chars().count() > 12);
        if refines > 0 && !data {
            for (i, t) in below.iter().enumerate() {
                if field_of(t).is_some() && i < names.len() {
                    names[i] = t.clone();
                }
            }
            depth = 2;
        }
    }
    let mut cols = Columns::default();
    for (i, n) in names.iter().enumerate() {
        if let Some(f) = field_of(n) {
            if cols.col(f).is_none() {
                cols.map.push((i, f));
            }
        }
    }
    // 责任单位 beside a 配合单位 column names the lead units.
    if cols.col(Field::Lead).is_none() && cols.col(Field::Co).is_some() {
        for m in cols.map.iter_mut() {
            if m.1 == Field::Owners {
                m.1 = Field::Lead;
            }
        }
    }
    Some((depth, cols))
}

fn cell(row: &Row, col: Option<usize>) -> &str {
    col.and_then(|c| row.cells.get(c))
        .map_or("", |c| c.text.trim())
}

/// Whether a row repeats the header (a table continued on a new page).
fn repeats_header(row: &Row, head: &[Row]) -> bool {
    head.iter().any(|h| {
        h.cells.len() == row.cells.len()
            && h.cells
                .iter()
                .zip(&row.cells)
                .all(|(a, b)| squeeze(&a.text) == squeeze(&b.text))
    })
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Units named in an owner cell: one per line or separated by `、`, or a
/// clause such as `A牵头，B配合`.
fn units(text: &str) -> (Vec<String>, Vec<String>) {
    let flat: String = text
        .split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("、");
    if flat.contains("牵头") || flat.contains("配合") || flat.contains("负责") {
        let o = owner::parse(&flat);
        if !o.is_empty() {
            return (o.lead, o.co);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for u in owner::split_units(&flat) {
        if !out.contains(&u) {
            out.push(u);
        }
    }
    (out, Vec::new())
}

/// The deadline a deadline cell states; a date alone counts as the limit.
fn cell_deadline(text: &str, date: Option<NaiveDate>) -> Option<crate::model::Deadline> {
    let flat: String = text.split_whitespace().collect();
    if flat.is_empty() {
        return None;
    }
    deadline::find_deadline(&flat, date).or_else(|| {
        let mut d = deadline::find_deadline(&format!("{flat}前"), date)?;
        d.text = d.text.trim_end_matches('前').to_string();
        Some(d)
    })
}

/// The tasks of a task table, or `None` when the table is not one.
/// `date` is the document's date, against which `年底前` is resolved.
pub fn tasks(t: &Table, date: Option<NaiveDate>) -> Option<Vec<Task>> {
    let (depth, cols) = header(&t.rows)?;
    let head = &t.rows[..depth];
    let mut out: Vec<Task> = Vec::new();
    let seq = cols.col(Field::Seq);
    let (task_col, measure_col) = (cols.col(Field::Task), cols.col(Field::Measure));
    let text_col = measure_col.or(task_col);
    for row in &t.rows[depth..] {
        if repeats_header(row, head) {
            continue;
        }
        let text = cell(row, text_col);
        if text.is_empty() {
            continue;
        }
        // A row whose cells all repeat one merged cell is a group heading.
        let distinct: Vec<&str> = row
            .cells
            .iter()
            .filter(|c| !c.continued && !c.text.trim().is_empty())
            .map(|c| c.text.trim())
            .collect();
        if distinct.len() == 1
            && row.cells.len() > 2
            && seq.is_none_or(|s| cell(row, Some(s)) != distinct[0])
        {
            continue;
        }
        let (mut lead, mut co) = (Vec::new(), Vec::new());
        if let Some(c) = cols.col(Field::Lead) {
            let (l, c2) = units(cell(row, Some(c)));
            lead.extend(l);
            co.extend(c2);
        }
        if let Some(c) = cols.col(Field::Owners) {
            let (l, c2) = units(cell(row, Some(c)));
            lead.extend(l);
            co.extend(c2);
        }
        if let Some(c) = cols.col(Field::Co) {
            let (l, c2) = units(cell(row, Some(c)));
            co.extend(l.into_iter().chain(c2));
        }
        dedup(&mut lead);
        co.retain(|u| !lead.contains(u));
        dedup(&mut co);
        let mut path = Vec::new();
        let number = cell(row, seq);
        if !number.is_empty() {
            path.push(number.to_string());
        }
        let group = cell(row, task_col.filter(|_| measure_col.is_some()));
        let full = if group.is_empty() || group == text {
            one_line(text)
        } else {
            format!("{}：{}", one_line(group), one_line(text))
        };
        let deadline = cell_deadline(cell(row, cols.col(Field::Deadline)), date)
            .or_else(|| deadline::find_deadline(&full, date));
        let by = deadline.as_ref().and_then(|d| d.date);
        out.push(Task {
            path,
            targets: target::find_targets(&full, by),
            text: full,
            spans: vec![row.span],
            lead_units: lead,
            co_units: co,
            owner_scope: OwnerScope::Item,
            deadline,
            parts: Vec::new(),
        });
    }
    Some(out)
}

fn one_line(s: &str) -> String {
    s.split('\n').map(str::trim).collect::<Vec<_>>().join("")
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = Vec::new();
    v.retain(|u| {
        if seen.contains(u) {
            false
        } else {
            seen.push(u.clone());
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u32, cells: &[&str]) -> Row {
        Row {
            span: [line, line],
            cells: cells.iter().map(|c| Cell::new(*c)).collect(),
        }
    }

    #[test]
    fn header_names_and_task_headers() {
        assert_eq!(field_of("牵 头 单 位"), Some(Field::Lead));
        assert_eq!(field_of("完成时限（月）"), Some(Field::Deadline));
        assert_eq!(field_of("备注"), None);
        assert!(is_task_header(&[
            "序号",
            "重点任务",
            "责任单位",
            "完成时限"
        ]));
        assert!(!is_task_header(&["序号", "项目", "金额"]));
        assert!(!is_task_header(&["牵头单位", "完成时限"]));
    }

    #[test]
    fn rows_become_tasks_with_owners_and_deadlines() {
        let t = Table {
            rows: vec![
                row(3, &["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]),
                row(
                    4,
                    &[
                        "1",
                        "建设数据中心",
                        "区发改局",
                        "区财政局\n区工科局",
                        "2024年底前",
                    ],
                ),
                row(
                    5,
                    &["2", "修订管理办法", "区司法局、区政务局", "", "6月30日"],
                ),
                row(6, &["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]),
                row(7, &["3", "开展专项检查", "区市场监管局牵头", "", "每季度"]),
            ],
        };
        let date = NaiveDate::from_ymd_opt(2024, 2, 1);
        let tasks = tasks(&t, date).unwrap();
        assert_eq!(tasks.len(), 3);
        assert_eq!(tasks[0].lead_units, ["区发改局"]);
        assert_eq!(tasks[0].co_units, ["区财政局", "区工科局"]);
        assert_eq!(tasks[0].spans, [[4, 4]]);
        assert_eq!(tasks[0].path, ["1"]);
        assert_eq!(
            tasks[0].deadline.as_ref().unwrap().date,
            NaiveDate::from_ymd_opt(2024, 12, 31)
        );
        assert_eq!(tasks[1].lead_units, ["区司法局", "区政务局"]);
        assert_eq!(
            tasks[1].deadline.as_ref().unwrap().date,
            NaiveDate::from_ymd_opt(2024, 6, 30)
        );
        assert_eq!(tasks[2].spans, [[7, 7]]);
    }

    #[test]
    fn a_two_row_header_and_merged_owners() {
        let mut merged = row(5, &["2", "推进", "完善规则", "区发改局", "", "年底前"]);
        merged.cells[1].continued = true;
        merged.cells[3].continued = true;
        let t = Table {
            rows: vec![
                row(
                    1,
                    &[
                        "序号",
                        "重点任务",
                        "具体内容",
                        "责任单位",
                        "责任单位",
                        "完成时限",
                    ],
                ),
                row(
                    2,
                    &[
                        "序号",
                        "重点任务",
                        "具体内容",
                        "牵头单位",
                        "配合单位",
                        "完成时限",
                    ],
                ),
                row(
                    4,
                    &["1", "推进", "建立台账", "区发改局", "区统计局", "3月底前"],
                ),
                merged,
            ],
        };
        let tasks = tasks(&t, NaiveDate::from_ymd_opt(2023, 1, 5)).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].text, "推进：建立台账");
        assert_eq!(tasks[0].co_units, ["区统计局"]);
        assert_eq!(tasks[1].lead_units, ["区发改局"]);
        assert!(tasks[1].co_units.is_empty());
    }

    #[test]
    fn other_tables_are_not_task_tables() {
        let t = Table {
            rows: vec![row(1, &["科目", "金额"]), row(2, &["工资", "12"])],
        };
        assert!(tasks(&t, None).is_none());
    }
}
