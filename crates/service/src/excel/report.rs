//! The report of an import, row by row: what each row of the sheet became
//! (the matter, its units, deadline and type) or why it was refused or
//! skipped, with the file's own notes, and one sentence saying how it went.
//! The API returns it as JSON; the page and the command render it.

use chrono::NaiveDate;
use serde::Serialize;

/// A unit a row names, as resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
}

/// What became of one row of the sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRow {
    /// The row number Excel shows.
    pub row: u32,
    /// `accepted`, `refused` or `skipped`.
    pub status: &'static str,
    /// 已导入 / 可导入 / 不能导入 / 跳过.
    pub status_label: &'static str,
    /// The row's 序号.
    pub item: Option<String>,
    pub title: Option<String>,
    pub lead: Vec<UnitRef>,
    pub co: Vec<UnitRef>,
    pub deadline: Option<NaiveDate>,
    pub matter_type: Option<String>,
    /// The matter it became, once written.
    pub matter_id: Option<i64>,
    /// Why it was refused or skipped.
    pub reasons: Vec<String>,
    /// What was assumed reading it.
    pub notes: Vec<String>,
}

/// The report of an import: the file, the sheet and columns read, and
/// every row. `ok()` tells whether the file was (or, on a dry run, would
/// be) imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// `tasks` or `projects`.
    pub kind: &'static str,
    pub file: String,
    /// The list the matters come from (their source).
    pub list: String,
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    /// Columns read: field label and the header as printed.
    pub columns: Vec<(String, String)>,
    pub dry_run: bool,
    /// Whether the matters were written.
    pub written: bool,
    pub accepted: usize,
    pub refused: usize,
    pub skipped: usize,
    /// Why the whole file was refused, when it was (unreadable, no header,
    /// no rows, an unknown matter type).
    pub error: Option<String>,
    /// Notes on the whole file: sheets left out, columns not used.
    pub notes: Vec<String>,
    pub rows: Vec<ReportRow>,
}

impl ImportReport {
    pub(super) fn new(kind: &'static str, file: &str, dry_run: bool) -> ImportReport {
        ImportReport {
            kind,
            file: file.to_string(),
            list: stem(file),
            sheet: None,
            header_row: None,
            columns: Vec::new(),
            dry_run,
            written: false,
            accepted: 0,
            refused: 0,
            skipped: 0,
            error: None,
            notes: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Every row accepted and the file readable: imported, or importable
    /// on a dry run.
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.refused == 0 && self.accepted > 0
    }

    /// One line saying how it went.
    pub fn summary(&self) -> String {
        if let Some(e) = &self.error {
            return format!("{}：未导入。{e}", self.file);
        }
        let verdict = match (self.ok(), self.written) {
            (true, true) => format!("已导入 {} 项", self.accepted),
            (true, false) => format!("检查通过，可导入 {} 项（未写入）", self.accepted),
            (false, _) => format!(
                "未导入：{} 行不能导入，请修改后重新导入整个文件（可导入 {} 行）",
                self.refused, self.accepted
            ),
        };
        format!(
            "{}（工作表“{}”）：{verdict}；跳过 {} 行",
            self.file,
            self.sheet.as_deref().unwrap_or(""),
            self.skipped
        )
    }
}

/// The file's name without its folder and extension.
fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match base.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ => base.to_string(),
    }
}

/// A matter title from a task's text: the text when short, else its first
/// sentence or its first 60 characters.
pub fn title_of(text: &str) -> String {
    const MAX: usize = 60;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX {
        return text.to_string();
    }
    let cut = chars[..MAX]
        .iter()
        .position(|c| "。；;".contains(*c))
        .filter(|&i| i >= 10);
    match cut {
        Some(i) => chars[..i].iter().collect(),
        None => chars[..MAX].iter().chain(['…'].iter()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_short_texts_and_cut_long_ones() {
        assert_eq!(title_of("推进充电桩建设"), "推进充电桩建设");
        let long = "加快推进城区集中供热管网改造工程建设。确保年底前完成全部改造任务，并做好冬季供暖保障工作，及时回应群众关切，解决群众急难愁盼问题";
        assert_eq!(title_of(long), "加快推进城区集中供热管网改造工程建设");
        let no_stop: String = "甲".repeat(80);
        assert_eq!(title_of(&no_stop).chars().count(), 61);
        assert_eq!(stem("/tmp/2024年任务.xlsx"), "2024年任务");
        assert_eq!(stem("清单"), "清单");
    }
}
