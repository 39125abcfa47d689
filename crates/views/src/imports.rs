//! The answers of the Excel imports: the service's `ImportReport`,
//! mirrored here field by field so its schema can be derived without the
//! service crate knowing the OpenAPI document.

use chrono::NaiveDate;
use duban_service::excel::ImportReport;
use serde::Serialize;
use utoipa::ToSchema;

/// An import accepted (or, on a dry run, that would be): `{"report": …}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportedView {
    pub report: ImportReportView,
}

/// An import refused whole (422): why in one sentence, and the report
/// row by row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRefusedView {
    pub error: String,
    pub report: ImportReportView,
}

/// The report of an import: the file, the sheet and columns read, and
/// every row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReportView {
    /// `tasks` or `projects`.
    pub kind: String,
    pub file: String,
    /// The list the matters come from (their source).
    pub list: String,
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    /// Columns read: each a pair [field label, the header as printed].
    #[schema(value_type = Vec<Vec<String>>)]
    pub columns: Vec<(String, String)>,
    pub dry_run: bool,
    /// Whether the matters were written.
    pub written: bool,
    pub accepted: usize,
    pub refused: usize,
    pub skipped: usize,
    /// Why the whole file was refused, when it was.
    pub error: Option<String>,
    /// Notes on the whole file: sheets left out, columns not used.
    pub notes: Vec<String>,
    pub rows: Vec<ImportRowView>,
}

/// What became of one row of the sheet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRowView {
    /// The row number Excel shows.
    pub row: u32,
    /// `accepted`, `refused` or `skipped`.
    pub status: String,
    /// 已导入 / 可导入 / 不能导入 / 跳过.
    pub status_label: String,
    /// The row's 序号.
    pub item: Option<String>,
    pub title: Option<String>,
    pub lead: Vec<ImportUnitView>,
    pub co: Vec<ImportUnitView>,
    pub deadline: Option<NaiveDate>,
    pub matter_type: Option<String>,
    /// The matter it became, once written.
    pub matter_id: Option<i64>,
    /// Why it was refused or skipped.
    pub reasons: Vec<String>,
    /// What was assumed reading it.
    pub notes: Vec<String>,
}

/// A unit a row names, as resolved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportUnitView {
    pub id: i64,
    pub name: String,
}

impl ImportReportView {
    pub fn of(r: ImportReport) -> ImportReportView {
        let unit = |u: duban_service::excel::UnitRef| ImportUnitView {
            id: u.id,
            name: u.name,
        };
        ImportReportView {
            kind: r.kind.to_string(),
            file: r.file,
            list: r.list,
            sheet: r.sheet,
            header_row: r.header_row,
            columns: r.columns,
            dry_run: r.dry_run,
            written: r.written,
            accepted: r.accepted,
            refused: r.refused,
            skipped: r.skipped,
            error: r.error,
            notes: r.notes,
            rows: r
                .rows
                .into_iter()
                .map(|row| ImportRowView {
                    row: row.row,
                    status: row.status.to_string(),
                    status_label: row.status_label.to_string(),
                    item: row.item,
                    title: row.title,
                    lead: row.lead.into_iter().map(unit).collect(),
                    co: row.co.into_iter().map(unit).collect(),
                    deadline: row.deadline,
                    matter_type: row.matter_type,
                    matter_id: row.matter_id,
                    reasons: row.reasons,
                    notes: row.notes,
                })
                .collect(),
        }
    }
}
