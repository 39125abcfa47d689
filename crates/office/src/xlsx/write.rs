//! Writing a workbook: sheets of typed cells (text, numbers, real Excel
//! dates), an optional title row merged across the table, a styled header
//! row that stays in view and carries filters, column widths, wrapping and
//! merged regions. Bytes out; nothing touches a file.

use super::Merge;
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::fmt;

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// Written as a real Excel date (a number with a date format), so it
    /// sorts and filters as a date.
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// A column of a table: its header and width (in characters; a CJK
/// character counts about two).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f64,
    /// Long text wraps inside the cell instead of running over.
    pub wrap: bool,
}

impl Column {
    pub fn new(header: &str, width: f64) -> Column {
        Column {
            header: header.to_string(),
            width,
            wrap: false,
        }
    }

    pub fn wrapped(header: &str, width: f64) -> Column {
        Column {
            wrap: true,
            ..Column::new(header, width)
        }
    }
}

/// A worksheet to write: an optional title row merged across the table, a
/// styled header row (frozen, with filters) when `columns` is not empty,
/// then `rows`. `merges` are extra merged regions in the sheet's own
/// coordinates; the top-left cell's value stays, the rest is blank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetSpec {
    pub name: String,
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
}

impl SheetSpec {
    /// The sheet row of `rows[0]`.
    pub fn first_row(&self) -> u32 {
        u32::from(self.title.is_some()) + u32::from(!self.columns.is_empty())
    }
}

/// Why a workbook could not be written (a sheet name Excel refuses, too
/// many rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(pub String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> WriteError {
        WriteError(format!("无法生成 Excel 文件：{e}"))
    }
}

/// The largest number of rows Excel opens in one sheet.
pub const MAX_ROWS: usize = 1_048_576;

/// Writes a workbook of the given sheets.
pub fn write(sheets: &[SheetSpec]) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    for spec in sheets {
        if spec.rows.len() + spec.first_row() as usize > MAX_ROWS {
            return Err(WriteError(format!(
                "工作表“{}”有 {} 行，超过 Excel 的上限；请缩小范围后再导出",
                spec.name,
                spec.rows.len()
            )));
        }
        let ws = book.add_worksheet();
        write_sheet(ws, spec)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Cell formats shared by a sheet.
struct Formats {
    title: Format,
    header: Format,
    body: Format,
    wrap: Format,
    date: Format,
    datetime: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            wrap: body.clone().set_text_wrap(),
            date: body.clone().set_num_format("yyyy-mm-dd"),
            datetime: body.clone().set_num_format("yyyy-mm-dd hh:mm"),
            body,
        }
    }
}

fn excel_date(d: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    use chrono::{Datelike, Timelike};
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?.and_hms(
        d.hour() as u16,
        d.minute() as u8,
        d.second() as f64,
    )
}

fn write_sheet(ws: &mut Worksheet, spec: &SheetSpec) -> Result<(), WriteError> {
    ws.set_name(&spec.name)?;
    let f = Formats::new();
    let ncols = spec
        .columns
        .len()
        .max(spec.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1) as u16;
    let mut row = 0u32;
    if let Some(title) = &spec.title {
        if ncols > 1 {
            ws.merge_range(0, 0, 0, ncols - 1, title, &f.title)?;
        } else {
            ws.write_string_with_format(0, 0, title, &f.title)?;
        }
        ws.set_row_height(0, 30)?;
        row += 1;
    }
    if !spec.columns.is_empty() {
        for (c, col) in spec.columns.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, &col.header, &f.header)?;
            ws.set_column_width(c as u16, col.width)?;
        }
        ws.set_row_height(row, 24)?;
        // The header stays in view while scrolling, and filters sit on it.
        ws.set_freeze_panes(row + 1, 0)?;
        let last = row + spec.rows.len() as u32;
        ws.autofilter(row, 0, last.max(row), spec.columns.len() as u16 - 1)?;
        row += 1;
    }
    let first = row;
    for (i, cells) in spec.rows.iter().enumerate() {
        let r = first + i as u32;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            if spec
                .merges
                .iter()
                .any(|m| m.contains(r, c.into()) && (m.first_row, m.first_col) != (r, c.into()))
            {
                continue;
            }
            let wrap = spec.columns.get(c as usize).is_some_and(|col| col.wrap);
            let text_format = if wrap { &f.wrap } else { &f.body };
            match cell {
                Cell::Empty => {
                    ws.write_blank(r, c, &f.body)?;
                }
                Cell::Text(t) => {
                    ws.write_string_with_format(r, c, t, text_format)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(r, c, *n, &f.body)?;
                }
                Cell::Date(d) => {
                    let dt = excel_date(d.and_time(chrono::NaiveTime::MIN))?;
                    ws.write_datetime_with_format(r, c, &dt, &f.date)?;
                }
                Cell::DateTime(d) => {
                    ws.write_datetime_with_format(r, c, &excel_date(*d)?, &f.datetime)?;
                }
            }
        }
    }
    for m in &spec.merges {
        let top = m.first_row.checked_sub(first).and_then(|i| {
            spec.rows
                .get(i as usize)
                .and_then(|r| r.get(m.first_col as usize))
        });
        let text = match top {
            Some(Cell::Text(t)) => t.clone(),
            Some(Cell::Number(n)) => format!("{n}"),
            _ => String::new(),
        };
        ws.merge_range(
            m.first_row,
            m.first_col as u16,
            m.last_row,
            m.last_col as u16,
            &text,
            &f.wrap,
        )?;
        // A merged date or number keeps its type: rewrite the top cell.
        match top {
            Some(Cell::Number(n)) => {
                ws.write_number_with_format(m.first_row, m.first_col as u16, *n, &f.wrap)?;
            }
            Some(Cell::Date(d)) => {
                let dt = excel_date(d.and_time(chrono::NaiveTime::MIN))?;
                ws.write_datetime_with_format(m.first_row, m.first_col as u16, &dt, &f.date)?;
            }
            _ => {}
        }
    }
    Ok(())
}
