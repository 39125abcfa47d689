//! The text a reader builds: lines appended one at a time, tables rendered
//! one row per line with the row's line recorded, warnings with the line
//! they concern.

use duban_reader::table::{Row, Table};

/// Something a reader noticed but could read past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line of the text it concerns (0: the whole file).
    pub line: u32,
    pub message: String,
}

/// Lines, tables and warnings as they are built.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub lines: Vec<String>,
    pub tables: Vec<Table>,
    pub warnings: Vec<Warning>,
}

/// How the cells of a table row are set apart in the text.
pub(crate) const CELL_SEP: &str = " | ";

impl Builder {
    /// Appends a line (line breaks inside it become spaces) and returns its
    /// 1-based number.
    pub fn line(&mut self, s: &str) -> u32 {
        let clean: String = s
            .chars()
            .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
            .collect();
        self.lines.push(clean);
        self.lines.len() as u32
    }

    /// Renders a table of one line per row; cells continued from a merge
    /// are not printed again.
    pub fn table(&mut self, rows: Vec<Vec<duban_reader::table::Cell>>) {
        let mut t = Table::default();
        for cells in rows {
            let shown: Vec<String> = cells
                .iter()
                .filter(|c| !c.continued)
                .map(|c| {
                    c.text
                        .split('\n')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let n = self.line(&shown.join(CELL_SEP));
            t.rows.push(Row {
                span: [n, n],
                cells,
            });
        }
        if !t.rows.is_empty() {
            self.tables.push(t);
        }
    }

    pub fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Whether `meta` is borne out by `text` (compared without whitespace):
/// templates leave stale titles in document properties.
pub(crate) fn borne_out(meta: Option<String>, text: &str) -> Option<String> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let m = squeeze(meta.as_deref()?);
    (m.chars().count() >= 2 && squeeze(text).contains(&m)).then_some(m)
}
