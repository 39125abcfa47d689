//! Excel workbooks as bytes: writing one ([`write`], with `rust_xlsxwriter`)
//! and reading one ([`read`], with `calamine`) into plain grids that keep
//! their merged regions, so the sheet parsers can treat a cell merged over
//! several rows as the value of its top cell. No file or network access:
//! bytes in, bytes out. Reading accepts .xlsx and the older .xls, because
//! offices still pass both around; everything else is refused with a
//! message that says what to do.

mod write;

pub use write::{write, Cell, Column, SheetSpec, WriteError, MAX_ROWS};

use calamine::{Data, Reader, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use duban_formats::safezip::{SafeZip, ZipLimits};
use std::fmt;
use std::io::Cursor;

/// A rectangle of merged cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Merge {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }

    /// Spans more than one row.
    pub fn is_vertical(&self) -> bool {
        self.last_row > self.first_row
    }

    /// Spans more than one column.
    pub fn is_horizontal(&self) -> bool {
        self.last_col > self.first_col
    }
}

// ---------------------------------------------------------------- reading

/// A cell as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    /// A cell with a date format (an Excel date, possibly with a time).
    Date(NaiveDateTime),
    Bool(bool),
    /// A formula error such as `#REF!`.
    Error(String),
}

impl Value {
    /// Empty, or text of whitespace only.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a person reads it in the cell: whole numbers without a
    /// decimal point, dates as YYYY-MM-DD, text trimmed.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.trim().to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => format!("{n}"),
            Value::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Value::Date(d) => d.format("%Y-%m-%d %H:%M").to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// One worksheet as read: its cells from A1 on (row-major, ragged rows
/// padded on demand) and its merged regions.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
    pub merges: Vec<Merge>,
}

static EMPTY: Value = Value::Empty;

impl Sheet {
    /// The number of rows holding anything.
    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    /// The widest row.
    pub fn width(&self) -> u32 {
        self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    /// The cell exactly as stored (a merged region's other cells are
    /// empty).
    pub fn raw(&self, row: u32, col: u32) -> &Value {
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&EMPTY)
    }

    /// The merged region a cell lies in, if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.contains(row, col))
    }

    /// The cell as a person sees it: inside a merged region, the value of
    /// the region's top-left cell.
    pub fn value(&self, row: u32, col: u32) -> &Value {
        match self.merge_at(row, col) {
            Some(m) => self.raw(m.first_row, m.first_col),
            None => self.raw(row, col),
        }
    }
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// The grid of a calamine range, placed from A1 whatever cell it starts
/// at, so row and column numbers are the sheet's own.
fn grid(range: &calamine::Range<Data>) -> Vec<Vec<Value>> {
    let Some((r0, c0)) = range.start() else {
        return Vec::new();
    };
    let mut rows: Vec<Vec<Value>> = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut out = vec![Value::Empty; c0 as usize];
        out.extend(row.iter().map(convert));
        while out.last().is_some_and(Value::is_blank) {
            out.pop();
        }
        rows.push(out);
    }
    while rows.last().is_some_and(|r| r.is_empty()) {
        rows.pop();
    }
    rows
}

fn convert(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), mo.into(), da.into())
                .and_then(|d| d.and_hms_opt(h.into(), mi.into(), s.into()))
                .map(Value::Date)
                .unwrap_or(Value::Number(dt.as_f64()))
        }
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .parse::<NaiveDateTime>()
            .map(Value::Date)
            .or_else(|_| {
                s.parse::<NaiveDate>()
                    .map(|d| Value::Date(d.and_time(chrono::NaiveTime::MIN)))
            })
            .unwrap_or_else(|_| Value::Text(s.clone())),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(format!("{e}")),
    }
}

fn merge_of(d: &calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

const UNREADABLE: &str = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入";

/// Reads every visible worksheet of an .xlsx or .xls workbook, in the
/// workbook's order. Chart sheets and hidden sheets are left out: nobody
/// typing a list sees them.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError("文件是空的；请选择填好的 Excel 文件".into()));
    }
    if bytes.starts_with(b"PK") {
        // calamine inflates parts whole and trusts their declared sizes:
        // every part is inflated within the limits first, so a bomb is
        // refused before calamine holds any of it.
        SafeZip::open(bytes, ZipLimits::default())
            .and_then(|mut z| z.check_all())
            .map_err(|e| {
                ReadError(format!(
                    "该 .xlsx 文件无法安全读取（{e}）；请确认文件来源，{UNREADABLE}"
                ))
            })?;
        let mut book = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| ReadError(format!("无法读取该 .xlsx 文件（{e}）；{UNREADABLE}")))?;
        let names = visible_sheets(book.sheets_metadata());
        let mut out = Vec::new();
        for name in names {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| ReadError(format!("工作表“{name}”无法读取（{e}）；{UNREADABLE}")))?;
            let merges = book
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| ReadError(format!("工作表“{name}”的合并单元格无法读取（{e}）")))?;
            out.push(Sheet {
                rows: grid(&range),
                merges: merges.iter().map(merge_of).collect(),
                name,
            });
        }
        Ok(out)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let mut book = Xls::new(Cursor::new(bytes))
            .map_err(|e| ReadError(format!("无法读取该 .xls 文件（{e}）；{UNREADABLE}")))?;
        let names = visible_sheets(book.sheets_metadata());
        let mut out = Vec::new();
        for name in names {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| ReadError(format!("工作表“{name}”无法读取（{e}）；{UNREADABLE}")))?;
            let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
            out.push(Sheet {
                rows: grid(&range),
                merges: merges.iter().map(merge_of).collect(),
                name,
            });
        }
        Ok(out)
    } else {
        Err(ReadError(format!(
            "这不是 Excel 文件（.xlsx 或 .xls）；如是 CSV 或 WPS 表格，{UNREADABLE}"
        )))
    }
}

fn visible_sheets(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A workbook whose shared strings unpack to 64 MB of one letter is
    /// refused before calamine reads it; the same workbook unbombed reads.
    #[test]
    fn a_zip_bomb_workbook_is_refused_before_parsing() {
        use std::io::{Read as _, Write as _};
        let good = write(&[SheetSpec {
            name: "表".into(),
            columns: vec![Column::new("甲", 10.0)],
            rows: vec![vec![Cell::text("一")]],
            ..Default::default()
        }])
        .unwrap();
        assert!(read(&good).is_ok());
        let mut src = zip::ZipArchive::new(Cursor::new(&good[..])).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let mut saw_strings = false;
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            out.start_file(name.as_str(), opts).unwrap();
            if name == "xl/sharedStrings.xml" {
                saw_strings = true;
                out.write_all(b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>")
                    .unwrap();
                let chunk = vec![b'a'; 1024 * 1024];
                for _ in 0..64 {
                    out.write_all(&chunk).unwrap();
                }
                out.write_all(b"</t></si></sst>").unwrap();
            } else {
                out.write_all(&data).unwrap();
            }
        }
        assert!(saw_strings);
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let e = read(&bomb).unwrap_err();
        assert!(
            e.0.contains("无法安全读取") && e.0.contains("压缩比"),
            "{e}"
        );
    }

    #[test]
    fn a_written_workbook_reads_back_with_types_and_merges() {
        let spec = SheetSpec {
            name: "台账".into(),
            title: Some("标题".into()),
            columns: vec![Column::new("甲", 10.0), Column::wrapped("乙", 30.0)],
            rows: vec![
                vec![Cell::text("一"), Cell::Number(12.5)],
                vec![Cell::Date(d("2024-12-31")), Cell::Empty],
                vec![Cell::text("合并"), Cell::text("x")],
                vec![Cell::Empty, Cell::text("y")],
            ],
            merges: vec![Merge {
                first_row: 4,
                first_col: 0,
                last_row: 5,
                last_col: 0,
            }],
        };
        let bytes = write(&[
            spec,
            SheetSpec {
                name: "二".into(),
                ..Default::default()
            },
        ])
        .unwrap();
        let sheets = read(&bytes).unwrap();
        assert_eq!(sheets.len(), 2);
        let s = &sheets[0];
        assert_eq!(s.name, "台账");
        assert_eq!(s.raw(0, 0), &Value::Text("标题".into()));
        assert_eq!(s.raw(1, 1), &Value::Text("乙".into()));
        assert_eq!(s.raw(2, 1), &Value::Number(12.5));
        assert_eq!(s.raw(3, 0).text(), "2024-12-31");
        assert!(matches!(s.raw(3, 0), Value::Date(_)));
        assert_eq!(s.value(5, 0), &Value::Text("合并".into()));
        assert_eq!(s.raw(5, 0), &Value::Empty);
        assert!(s.merge_at(5, 0).is_some_and(Merge::is_vertical));
        assert!(s.merge_at(0, 1).is_some_and(Merge::is_horizontal));
    }

    #[test]
    fn what_is_not_a_workbook_is_refused_with_advice() {
        for bytes in [&b""[..], b"a,b,c\n1,2,3\n", b"PK\x03\x04broken"] {
            let e = read(bytes).unwrap_err().to_string();
            assert!(e.contains("xlsx") || e.contains("空"), "{e}");
        }
    }
}
