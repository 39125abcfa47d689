//! The reader's output types: what a gazette turns into. They mirror the
//! `duban extract --format json` contract (`shared/spec/extract-json.md`), so
//! serialising an [`Extraction`] gives that JSON.

use chrono::NaiveDate;
use serde::Serialize;

/// An inclusive range of 1-based input line numbers.
pub type LineSpan = [u32; 2];

/// Everything the reader found in one input text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    pub documents: Vec<Document>,
    pub warnings: Vec<Warning>,
}

/// One official document (公文) of a gazette.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    /// 发文字号, whitespace removed, brackets as 〔〕.
    pub number: Option<String>,
    pub title: Option<String>,
    pub issuer: Vec<String>,
    /// 成文日期.
    pub date: Option<NaiveDate>,
    pub kind: Option<String>,
    /// The 公开 marker as printed (此件公开发布, 删减后公开, …).
    pub publication: Option<String>,
    /// Input line ranges in reading order.
    pub spans: Vec<LineSpan>,
    pub tasks: Vec<Task>,
    /// The documents this one cites, repeals or amends.
    pub citations: Vec<Citation>,
    /// When it takes effect and until when, where it says so.
    pub validity: Option<Validity>,
}

/// A document named by another: by `《title》`, by 发文字号, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub relation: Relation,
    /// 发文字号, normalised as the document's own `number`.
    pub number: Option<String>,
    /// The title inside `《》`, whitespace removed.
    pub title: Option<String>,
    /// Input lines of the mention.
    pub spans: Vec<LineSpan>,
}

/// What a document does to one it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Rests on it or refers to it (`根据《…》`).
    Cites,
    /// Repeals it (`…同时废止`).
    Repeals,
    /// Amends it (`对《…》作如下修改`).
    Amends,
}

/// When a document takes effect and when it ends, as it states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Validity {
    /// `自…起施行`: the day, or the document's date for `自印发之日`.
    pub effective: Option<NaiveDate>,
    /// The last day in force: `有效期至…`, or `有效期N年` counted from the
    /// effective day (the document's date when it names none).
    pub until: Option<NaiveDate>,
    /// The sentence as printed, whitespace removed.
    pub text: String,
    pub spans: Vec<LineSpan>,
}

/// One item of a document, with the units that must carry it out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Task {
    /// Heading numbers from the document root to the item, e.g. `["二、", "（一）", "1."]`.
    pub path: Vec<String>,
    /// Repaired text of the item.
    pub text: String,
    pub spans: Vec<LineSpan>,
    pub lead_units: Vec<String>,
    pub co_units: Vec<String>,
    pub owner_scope: OwnerScope,
    pub deadline: Option<Deadline>,
    pub targets: Vec<Target>,
    /// The parts of an inline enumeration in the item (`一是…`, `二是…`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
}

/// Where a task's owners were read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerScope {
    /// The item's own owner clause.
    #[default]
    Item,
    /// One clause after a group of items covers this one.
    Group,
    /// Owners read from a sentence such as `市能源局负责…`.
    Prose,
}

/// A deadline as printed, resolved to a date where it names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The resolved last day; `None` for a purely recurring rule.
    pub date: Option<NaiveDate>,
    /// The deadline as printed, e.g. `2023年底前`.
    pub text: String,
    /// A recurring rule such as `每月月底前` or `每季度结束后第一个工作周`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring: Option<Recurrence>,
}

/// A deadline that repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "every", rename_all = "lowercase")]
pub enum Recurrence {
    /// Every month, by the given day (`None`: by the month's last day).
    Month { day: Option<u32> },
    /// Every quarter; `week_after` = the report is due in the first working
    /// week after the quarter ends, otherwise by the quarter's last day.
    Quarter { week_after: bool },
    /// Every half year.
    Halfyear,
    /// Every year, by the given month and day.
    Year { month: u32, day: u32 },
    /// Every week.
    Week,
}

/// A quantitative target stated in an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The target as printed, e.g. `地区生产总值增长8.5%`.
    pub text: String,
    /// What is measured, e.g. `地区生产总值增长`.
    pub metric: String,
    /// One of `=`, `>=`, `<=`, `>`, `<`.
    pub op: String,
    pub value: f64,
    /// The unit as printed, e.g. `%`, `台`, `微克/立方米`; empty if none.
    pub unit: String,
    /// When the target is to be met.
    pub by: Option<NaiveDate>,
}

/// Something the reader could not resolve; never a silent drop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub line: u32,
    pub message: String,
}
