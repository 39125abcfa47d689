//! What the task list and the project list share: finding a table's header
//! row (below a title, possibly two rows deep), mapping the many ways
//! offices name a column to one field, choosing the sheet, telling data
//! rows from group headings, notes and totals, splitting a cell of unit
//! names, and reading amounts. The report types live here too: every row
//! of the sheet below the header is accounted for.

use crate::xlsx::{Sheet, Value};
use serde::Serialize;

/// A field of a table and the header texts that name it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// The name the report uses.
    pub label: &'static str,
    /// Header texts, compared after [`header_key`].
    pub names: &'static [&'static str],
}

/// A header text reduced for comparison: no whitespace (line breaks inside
/// header cells are common), no `*` marking required columns, no leading
/// year (`2024年计划投资`), and the unit in brackets split off
/// (`总投资（万元）`).
pub fn header_key(raw: &str) -> (String, Option<String>) {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | ':' | '：'))
        .collect();
    let (base, unit) = match s.find(['（', '(']) {
        Some(i) => {
            let unit: String = s[i..]
                .trim_matches(|c| matches!(c, '（' | '(' | '）' | ')'))
                .to_string();
            (s[..i].to_string(), Some(unit).filter(|u| !u.is_empty()))
        }
        None => (s, None),
    };
    let chars: Vec<char> = base.chars().collect();
    let year_prefix =
        chars.len() > 5 && chars[..4].iter().all(|c| c.is_ascii_digit()) && chars[4] == '年';
    let base = if year_prefix {
        let rest: String = chars[5..].iter().collect();
        rest.trim_start_matches('度').to_string()
    } else {
        base
    };
    (base, unit)
}

/// The field a header cell names, if any.
pub fn field_of(fields: &[Field], raw: &str) -> Option<usize> {
    let (key, _) = header_key(raw);
    if key.is_empty() {
        return None;
    }
    fields.iter().position(|f| f.names.contains(&key.as_str()))
}

/// A column the header maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedColumn {
    /// The field's key.
    pub field: &'static str,
    pub label: &'static str,
    /// 0-based column.
    pub col: u32,
    /// The header as printed.
    pub header: String,
    /// The unit printed in the header (`万元`).
    #[serde(skip)]
    pub unit: Option<String>,
}

/// A table's header as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The title printed above the header, if any.
    pub title: Option<String>,
    /// The (last) header row, 0-based.
    pub row: u32,
    pub columns: Vec<MappedColumn>,
    /// Header cells naming no field, as printed.
    pub ignored: Vec<String>,
}

impl Header {
    pub fn col(&self, field: &str) -> Option<u32> {
        self.columns
            .iter()
            .find(|c| c.field == field)
            .map(|c| c.col)
    }

    pub fn column(&self, field: &str) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// How many rows from the top a header is looked for.
const HEADER_SCAN: u32 = 30;

/// The header of a sheet: the first row naming at least two fields, one
/// of them one of `must`. A row below it that names further fields in the
/// columns a merged header cell spans (`计划投资` over `总投资` and
/// `年度计划投资`) is part of it.
pub fn find_header(sheet: &Sheet, fields: &[Field], must: &[&str]) -> Option<Header> {
    let width = sheet.width();
    let map_row = |r: u32| -> Vec<(u32, usize, String)> {
        (0..width)
            .filter_map(|c| {
                let text = sheet.value(r, c).text();
                field_of(fields, &text).map(|f| (c, f, text))
            })
            .collect()
    };
    let row = (0..sheet.height().min(HEADER_SCAN)).find(|&r| {
        let m = map_row(r);
        m.len() >= 2 && m.iter().any(|(_, f, _)| must.contains(&fields[*f].key))
    })?;
    let mut mapped = map_row(row);
    let mut last = row;
    // A second header row: every cell it holds either continues a header
    // cell merged down from above or names a field.
    let next = row + 1;
    let below: Vec<u32> = (0..width)
        .filter(|&c| !sheet.raw(next, c).is_blank())
        .collect();
    let named = map_row(next);
    let continues = |c: u32| sheet.merge_at(next, c).is_some_and(|m| m.first_row < next);
    if !named.is_empty()
        && below
            .iter()
            .all(|c| named.iter().any(|(nc, ..)| nc == c) || continues(*c))
    {
        for (c, f, text) in named {
            mapped.retain(|(mc, mf, _)| *mc != c && *mf != f);
            mapped.push((c, f, text));
        }
        last = next;
    }
    mapped.sort_by_key(|(c, ..)| *c);
    // One column per field: the first keeps it.
    let mut columns: Vec<MappedColumn> = Vec::new();
    let mut ignored = Vec::new();
    for (c, f, text) in mapped {
        if columns.iter().any(|m| m.field == fields[f].key) {
            ignored.push(text);
            continue;
        }
        columns.push(MappedColumn {
            field: fields[f].key,
            label: fields[f].label,
            col: c,
            unit: header_key(&text).1,
            header: text,
        });
    }
    for c in 0..width {
        let text = sheet.value(last, c).text();
        if !columns.iter().any(|m| m.col == c) && !text.is_empty() && !ignored.contains(&text) {
            ignored.push(text);
        }
    }
    let title = (0..row)
        .flat_map(|r| (0..width.max(1)).map(move |c| (r, c)))
        .map(|(r, c)| sheet.raw(r, c).text())
        .find(|t| !t.is_empty());
    Some(Header {
        title,
        row: last,
        columns,
        ignored,
    })
}

/// What became of one row of a sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome<T> {
    /// Read; whether it is accepted is decided later (unit names).
    Read { item: T },
    /// Not a data row (a group heading, a note, a total): left out, and
    /// does not stop the import.
    Skipped { reason: String },
    /// A data row that cannot be imported, with every reason, and what it
    /// reads of the row so the report can name it and check its units.
    Refused {
        reasons: Vec<String>,
        /// The 序号, or `第N行`.
        item: String,
        /// The task text or project name (empty when missing).
        title: String,
        /// The unit names printed on the row: role label and name.
        units: Vec<(String, String)>,
    },
}

/// A row of the sheet and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowReport<T> {
    /// The row number Excel shows (1-based).
    pub row: u32,
    #[serde(flatten)]
    pub outcome: Outcome<T>,
    /// Assumptions made reading the row (a year added, a merged cell).
    pub notes: Vec<String>,
}

/// A sheet read: which sheet, its header, what was left aside, and every
/// row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub sheet: String,
    pub title: Option<String>,
    /// The header row Excel shows (1-based).
    pub header_row: u32,
    pub columns: Vec<MappedColumn>,
    /// Notes about the whole file: other sheets left out, columns not
    /// used.
    pub notes: Vec<String>,
    pub rows: Vec<RowReport<T>>,
}

/// The first sheet with a header, and notes naming every other sheet left
/// out; `None` when no sheet has one.
pub fn pick_sheet<'a>(
    sheets: &'a [Sheet],
    fields: &[Field],
    must: &[&str],
) -> Option<(&'a Sheet, Header, Vec<String>)> {
    let (i, header) = sheets
        .iter()
        .enumerate()
        .find_map(|(i, s)| find_header(s, fields, must).map(|h| (i, h)))?;
    let chosen = &sheets[i];
    let mut notes = Vec::new();
    for (j, s) in sheets.iter().enumerate() {
        if j == i {
            continue;
        }
        let empty = s.rows.iter().all(|r| r.iter().all(Value::is_blank));
        notes.push(if empty {
            format!("工作表“{}”是空的，未导入", s.name)
        } else if find_header(s, fields, must).is_some() {
            format!(
                "工作表“{}”也有表头，但一次只导入一个工作表（“{}”）；如需导入，请把它另存为单独的文件",
                s.name, chosen.name
            )
        } else {
            format!(
                "工作表“{}”没有可识别的表头，未导入（只导入工作表“{}”）",
                s.name, chosen.name
            )
        });
    }
    Some((chosen, header, notes))
}

/// What a row below the header is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    Blank,
    /// A group heading (`一、经济发展`), a note (`注：…`) or a total
    /// (`合计`), with the reason to give.
    Aside(String),
    Data,
}

fn is_heading(t: &str) -> bool {
    let c: Vec<char> = t.chars().collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let n = c.iter().take_while(|c| numeral(**c)).count();
    (n > 0 && c.get(n) == Some(&'、'))
        || (c.first() == Some(&'（') && c.iter().skip(1).take_while(|c| numeral(**c)).count() > 0)
        || (c.first() == Some(&'第') && (t.contains('部') || t.contains('篇') || t.contains('章')))
}

/// Classifies row `r` of a table whose mapped columns are `cols`; `name`
/// is the column of the item's name (task text, project name) and `seq`
/// the 序号 column.
pub fn classify(
    sheet: &Sheet,
    r: u32,
    cols: &[u32],
    name: Option<u32>,
    seq: Option<u32>,
) -> RowKind {
    let width = sheet.width();
    let filled: Vec<u32> = (0..width)
        .filter(|&c| !sheet.value(r, c).is_blank())
        .collect();
    if filled.is_empty() {
        return RowKind::Blank;
    }
    let text = |c: u32| sheet.value(r, c).text();
    for c in [seq, name].into_iter().flatten() {
        let t: String = text(c).chars().filter(|c| !c.is_whitespace()).collect();
        if ["合计", "总计", "小计", "共计", "总计划"].contains(&t.as_str()) {
            return RowKind::Aside(format!("合计行（{t}），不导入"));
        }
    }
    let first = text(filled[0]);
    if ["注", "备注", "说明", "填表说明", "附注"].iter().any(|w| {
        first.starts_with(w)
            && first
                .chars()
                .nth(w.chars().count())
                .is_some_and(|c| "：:．.、".contains(c))
    }) {
        return RowKind::Aside("表注，不导入".into());
    }
    // One value across the row: a heading merged over the table, or a
    // heading typed in one cell.
    let one_merge = sheet.merge_at(r, filled[0]).filter(|m| m.is_horizontal());
    let single = match one_merge {
        Some(m) => filled.iter().all(|&c| m.contains(r, c)),
        None => filled.len() == 1,
    };
    if single && (one_merge.is_some() || is_heading(&first)) {
        return RowKind::Aside(format!("分组标题“{first}”，不导入"));
    }
    if !filled.iter().any(|c| cols.contains(c)) {
        return RowKind::Aside("只有未使用的列有内容，不导入".into());
    }
    RowKind::Data
}

/// The unit names of a cell, and which were marked lead or co inside it
/// (`区发改局（牵头）、区财政局`): returns (leads, cos). Separated by
/// 、，,；; / or whitespace; repeats left out.
pub fn split_units(raw: &str) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<(String, Option<bool>)> = Vec::new();
    for n in raw.split(|c: char| "、，,；;/／".contains(c) || c.is_whitespace()) {
        let mut n = n.trim().to_string();
        let mut mark = None;
        for (w, lead) in [
            ("（牵头）", true),
            ("(牵头)", true),
            ("牵头", true),
            ("（配合）", false),
            ("(配合)", false),
            ("配合", false),
        ] {
            if n.chars().count() > w.chars().count() + 1 && n.ends_with(w) {
                n.truncate(n.len() - w.len());
                mark = Some(lead);
                break;
            }
        }
        if !n.is_empty() && !names.iter().any(|(o, _)| *o == n) {
            names.push((n, mark));
        }
    }
    let marked = names.iter().any(|(_, m)| *m == Some(true));
    let (lead, co): (Vec<_>, Vec<_>) = names.into_iter().partition(|(_, m)| {
        if marked {
            *m == Some(true)
        } else {
            *m != Some(false)
        }
    });
    (
        lead.into_iter().map(|(n, _)| n).collect(),
        co.into_iter().map(|(n, _)| n).collect(),
    )
}

/// An amount in 万元 from a cell; `unit` is the unit printed in the header
/// (万元 when none). `Ok(None)` for an empty cell.
pub fn amount(v: &Value, unit: Option<&str>) -> Result<Option<f64>, String> {
    let scale = match unit.map(str::trim) {
        Some("亿元") | Some("亿") => 10_000.0,
        Some("元") => 0.0001,
        _ => 1.0,
    };
    let n = match v {
        Value::Empty => return Ok(None),
        Value::Number(n) => *n * scale,
        Value::Text(t) => {
            let t: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
                .collect();
            if t.is_empty() {
                return Ok(None);
            }
            let (num, s) = if let Some(x) = t.strip_suffix("亿元").or(t.strip_suffix("亿")) {
                (x, 10_000.0)
            } else if let Some(x) = t.strip_suffix("万元").or(t.strip_suffix("万")) {
                (x, 1.0)
            } else {
                (t.as_str(), scale)
            };
            num.parse::<f64>()
                .map(|n| n * s)
                .map_err(|_| format!("“{t}”不是金额；请填写数字（单位万元），如 12000"))?
        }
        other => {
            return Err(format!(
                "“{}”不是金额；请填写数字（单位万元）",
                other.text()
            ))
        }
    };
    if !n.is_finite() || n < 0.0 {
        return Err(format!("金额 {n} 无效；应为不小于 0 的数字"));
    }
    // Round to 0.0001 万元 (one yuan) so 元 and 亿元 scale without noise.
    Ok(Some((n * 10_000.0).round() / 10_000.0))
}

/// Text of a cell with its line breaks joined (a cell typed with Alt+Enter).
pub fn cell_text(sheet: &Sheet, r: u32, c: Option<u32>) -> String {
    c.map(|c| {
        sheet
            .value(r, c)
            .text()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("")
    })
    .unwrap_or_default()
}

/// Unit names with the role each was printed in, for a refused row.
pub fn roles_of(lead: &[String], co: &[String], lead_label: &str) -> Vec<(String, String)> {
    let lead = lead.iter().map(|n| (lead_label.to_string(), n.clone()));
    let co = co.iter().map(|n| ("配合单位".to_string(), n.clone()));
    lead.chain(co).collect()
}

/// The text of a cell with its line breaks kept (they separate names).
pub fn cell_text_lines(sheet: &Sheet, r: u32, c: Option<u32>) -> String {
    c.map(|c| sheet.value(r, c).text()).unwrap_or_default()
}

/// The note naming the header's columns nobody reads, if any.
pub fn unused_columns(header: &Header) -> Option<String> {
    (!header.ignored.is_empty()).then(|| format!("未使用的列：{}", header.ignored.join("、")))
}

/// Whether the cell at `(r, c)` takes a value from a merged region that
/// starts on an earlier row, and that row (1-based); an empty merged
/// region gives nothing to take.
pub fn merged_from_above(sheet: &Sheet, r: u32, c: Option<u32>) -> Option<u32> {
    let m = sheet.merge_at(r, c?)?;
    let filled = !sheet.raw(m.first_row, m.first_col).is_blank();
    (m.first_row < r && filled).then_some(m.first_row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_drop_breaks_units_and_years() {
        assert_eq!(header_key("牵头\n单位"), ("牵头单位".into(), None));
        assert_eq!(
            header_key("总投资（万元）"),
            ("总投资".into(), Some("万元".into()))
        );
        assert_eq!(header_key("*完成时限"), ("完成时限".into(), None));
        assert_eq!(
            header_key("2024年度计划投资(亿元)"),
            ("计划投资".into(), Some("亿元".into()))
        );
    }

    #[test]
    fn unit_cells_split_and_marks_decide_roles() {
        let (l, c) = split_units("区发改局、区财政局，区发改局");
        assert_eq!((l, c), (vec!["区发改局".into(), "区财政局".into()], vec![]));
        let (l, c) = split_units("区发改局（牵头）\n区财政局");
        assert_eq!(
            (l, c),
            (vec!["区发改局".to_string()], vec!["区财政局".to_string()])
        );
        let (l, c) = split_units("区发改局牵头，区财政局配合");
        assert_eq!(
            (l, c),
            (vec!["区发改局".to_string()], vec!["区财政局".to_string()])
        );
        assert_eq!(split_units("  "), (vec![], vec![]));
    }

    #[test]
    fn amounts_read_numbers_text_and_units() {
        assert_eq!(amount(&Value::Number(12000.0), None), Ok(Some(12000.0)));
        assert_eq!(amount(&Value::Number(1.2), Some("亿元")), Ok(Some(12000.0)));
        assert_eq!(
            amount(&Value::Text("1,200 万元".into()), None),
            Ok(Some(1200.0))
        );
        assert_eq!(
            amount(&Value::Text("2.5亿".into()), None),
            Ok(Some(25000.0))
        );
        assert_eq!(amount(&Value::Empty, None), Ok(None));
        assert!(amount(&Value::Text("待定".into()), None)
            .unwrap_err()
            .contains("待定"));
        assert!(amount(&Value::Number(-1.0), None).is_err());
    }
}
