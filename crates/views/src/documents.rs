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
    /// 发文机关, as printed.
    pub issuer: Vec<String>,
    /// 成文日期 as written.
    pub date: Option<String>,
    pub kind: Option<String>,
    /// The lines of its file it spans: `[[first, last], …]`.
    #[schema(value_type = Vec<Vec<u32>>)]
    pub spans: Vec<[u32; 2]>,
}

/// A document with its proposed tasks, what it cites and what cites it,
/// and (when asked) the lines of its file it spans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    pub document: DocumentSummary,
    pub proposals: Vec<ProposalView>,
    pub links: DocumentLinksView,
    /// With `lines=true`: the lines of its file it spans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<SourceLine>>,
}

/// A line of a file's text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceLine {
    /// From 1.
    pub line: u32,
    pub text: String,
}

/// A task the reader proposed, and where the office's decision stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub document_id: i64,
    pub task: TaskView,
    /// `pending`, `confirmed`, `rejected` or `merged`.
    #[schema(value_type = String, example = "pending")]
    pub state: duban_store::ProposalState,
    /// The state in words (待确认, …).
    pub state_label: String,
    /// The matter it became or was merged into.
    pub matter_id: Option<i64>,
    /// Send it back when deciding, so no one overwrites another's decision.
    pub version: i64,
}

/// A task as the reader proposed it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    /// The headings it sits under.
    pub path: Vec<String>,
    pub text: String,
    /// The lines of the file it spans: `[[first, last], …]`.
    #[schema(value_type = Vec<Vec<u32>>)]
    pub spans: Vec<[u32; 2]>,
    pub lead: Vec<UnitNameView>,
    pub co: Vec<UnitNameView>,
    /// Which clause named the units (the reader's word).
    pub owner_scope: String,
    pub deadline: Option<DeadlineView>,
    pub targets: Vec<TargetView>,
}

/// A unit name as printed, and the unit it names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitNameView {
    pub name: String,
    /// The unit it names, when it names exactly one.
    pub unit: Option<i64>,
    /// Otherwise the closest units, best first: `[unit, score]`, the score
    /// in [0, 1].
    #[schema(value_type = Vec<Vec<f64>>)]
    pub candidates: Vec<(i64, f32)>,
    /// The group printed (各乡镇办) when the unit is one of its members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A deadline as printed, with its last day where the reader could tell.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeadlineView {
    pub date: Option<chrono::NaiveDate>,
    /// As printed: `2023年底前`.
    pub text: String,
    /// A recurring rule (每月月底前), as the reader wrote it (free-form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<serde_json::Value>,
}

/// A quantitative target (量化目标) as the reader found it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetView {
    /// As printed: `地区生产总值增长8.5%`.
    pub text: String,
    pub metric: String,
    /// `=`, `>=`, `<=`, `>` or `<`.
    pub op: String,
    pub value: f64,
    pub unit: String,
    pub by: Option<chrono::NaiveDate>,
}

/// What a document cites, repeals and amends, what does so to it, and
/// whether it is in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentLinksView {
    pub outgoing: Vec<CitationView>,
    pub incoming: Vec<CitationView>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub validity_text: Option<String>,
    /// `in_force`, `amended`, `expired` or `repealed`.
    #[schema(value_type = String, example = "in_force")]
    pub status: duban_domain::archive::Status,
    /// The status in words (有效, …).
    pub status_label: String,
    /// Why, in words.
    pub reason: Option<String>,
}

/// A citation seen from one document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CitationView {
    /// `cites`, `repeals` or `amends`.
    #[schema(value_type = String, example = "cites")]
    pub relation: duban_domain::archive::Relation,
    pub other: DocRefView,
    #[schema(value_type = Vec<Vec<u32>>)]
    pub spans: Vec<[u32; 2]>,
}

/// The other end of a citation: a held document (with its id) or one named
/// by number and title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocRefView {
    pub id: Option<i64>,
    pub number: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

impl DocRefView {
    /// How a person names it: `《title》（number）`, either part left out
    /// where unknown.
    pub fn name(&self) -> String {
        let t = self
            .title
            .as_deref()
            .map(|t| format!("《{t}》"))
            .unwrap_or_default();
        let n = self
            .number
            .as_deref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        format!("{t}{n}")
    }
}

/// `{"ingested": …}`: what an upload stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceUploadView {
    pub ingested: IngestedView,
}

/// What reading an uploaded file stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestedView {
    /// The uploaded file (来源) made of it.
    pub source_id: i64,
    /// The encoding of a text, or the format read (`docx`, `pdf`, `ofd`,
    /// `doc`).
    pub encoding: String,
    /// Tables read as task tables.
    pub task_tables: u64,
    /// Documents read from it.
    pub documents: u64,
    /// Tasks proposed.
    pub proposals: u64,
    /// Printed unit names that matched no unit (the office picks one).
    pub unresolved: Vec<String>,
    /// Places the reader asks the office to check.
    pub warnings: u64,
}

impl IngestedView {
    pub fn of(i: duban_service::ingest::Ingested) -> IngestedView {
        IngestedView {
            source_id: i.source_id,
            encoding: i.encoding,
            task_tables: i.task_tables as u64,
            documents: i.documents as u64,
            proposals: i.proposals as u64,
            unresolved: i.unresolved,
            warnings: i.warnings as u64,
        }
    }
}

/// What confirming a proposal answers: the proposal, the matter it became,
/// and matters that may be the same work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfirmedView {
    pub proposal: ProposalView,
    /// The new matter's number.
    pub matter: i64,
    /// Matters that may be the same work, to link (not a refusal), as the
    /// similar-matters search lists them, best first.
    pub similar: Vec<super::SimilarView>,
}

/// `{"proposal": …}`: what rejecting or merging a proposal answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalWrapper {
    pub proposal: ProposalView,
}

/// What confirming all of a document's pending proposals answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfirmAllView {
    /// The proposals confirmed, with the matters they became.
    pub confirmed: Vec<ConfirmedMatter>,
    /// The proposals left for the office to complete by hand, and why.
    pub left: Vec<LeftProposal>,
}

/// A proposal confirmed as a matter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfirmedMatter {
    pub proposal: i64,
    pub matter: i64,
}

/// A proposal not confirmed, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeftProposal {
    pub proposal: i64,
    pub reason: String,
}
