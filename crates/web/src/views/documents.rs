//! Uploaded files (来源) and the documents read from them (公文), as the
//! office reads them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The uploaded files, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcesView {
    pub sources: Vec<SourceView>,
}

/// An uploaded file (without its text).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    pub id: i64,
    /// The file's name as uploaded.
    pub name: String,
    pub sha256: String,
    /// The format and encoding it was read as (`docx`, `utf-8`, …).
    pub encoding: String,
    /// What the reader asks the office to check, by line.
    pub warnings: Vec<SourceWarning>,
    /// When it was uploaded, microseconds since 1970 (UTC).
    pub created_at: i64,
    /// The same in local time.
    pub created_at_local: String,
    /// Documents read from it.
    pub documents: i64,
    /// Proposals of its documents still to decide.
    pub pending: i64,
}

/// A place in a file the reader asks the office to check.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SourceWarning {
    /// The line of the file's text, from 1.
    pub line: u32,
    pub message: String,
}

/// A file with the documents read from it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceDetailView {
    pub source: SourceView,
    pub documents: Vec<DocumentSummary>,
    /// How many lines its text has.
    pub lines: i64,
}

/// A document as read from its file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSummary {
    pub id: i64,
    pub source_id: i64,
    /// 发文字号.
    pub number: Option<String>,
    pub title: Option<String>,
    /// 发文机关: a list of names (free-form as read).
    pub issuer: serde_json::Value,
    /// 成文日期 as written.
    pub date: Option<String>,
    pub kind: Option<String>,
    /// The lines of its file it spans: `[[first, last], …]` (free-form).
    pub spans: serde_json::Value,
}
