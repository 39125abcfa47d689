//! What the Excel ledger and imports need of the store beyond single
//! matters: creating a whole imported list of matters in one transaction
//! (all or none, so a refused file leaves nothing behind), the matters an
//! earlier import already made from a list (so a file imported twice is
//! refused rather than assigned twice), and each track's latest progress
//! report for the 台账's 进展情况 column.

use crate::db::Row;
use crate::matters::{insert_matter, MatterRecord, NewMatter};
use crate::{args, Error, Result, Store};
use chrono::NaiveDateTime;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterId, Source, TrackId, UserId};
use std::collections::HashMap;

/// Why a batch of matters was not created: the error, and the index of the
/// matter that caused it when one did.
#[derive(Debug)]
pub struct BatchError {
    pub index: Option<usize>,
    pub error: Error,
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "第 {} 项：{}", i + 1, self.error),
            None => self.error.fmt(f),
        }
    }
}

impl std::error::Error for BatchError {}

impl From<Error> for BatchError {
    fn from(error: Error) -> BatchError {
        BatchError { index: None, error }
    }
}

/// A matter an earlier import made from a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedMatter {
    pub id: MatterId,
    pub item: String,
    pub title: String,
}

/// The matters not withdrawn whose source may be an item of a list; the
/// source is stored as JSON, so a LIKE on its `list` member narrows the
/// rows and the JSON read back decides ([`listed`]).
const LIST_SQL: &str = "SELECT id, title, source FROM matters WHERE source_kind = 'list' \
     AND status <> 'withdrawn' AND source LIKE $1 ESCAPE '\\' ORDER BY id";

/// The LIKE pattern of [`LIST_SQL`] for a list's name.
fn list_pattern(list: &str) -> String {
    let name = serde_json::to_string(list).unwrap_or_default();
    let escaped = name
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%\"list\":{escaped}%")
}

/// The rows of [`LIST_SQL`] that are items of `list`.
fn listed(rows: &[Row], list: &str) -> Result<Vec<ListedMatter>> {
    let mut out = Vec::new();
    for r in rows {
        if let Source::List { list: l, item } = r.json::<Source>("source")? {
            if l == list {
                out.push(ListedMatter {
                    id: r.i64("id")?,
                    item,
                    title: r.str("title")?,
                });
            }
        }
    }
    Ok(out)
}

/// The largest number of ids inlined into one `IN (…)`.
const CHUNK: usize = 500;

impl Store {
    /// Creates and assigns every matter in one transaction: either all are
    /// written (each with its tracks and events) or none is. Refuses, as
    /// [`Store::create_matter_checked`] does, a matter none of whose limits
    /// the calendar can compute.
    pub async fn create_matters(
        &self,
        actor: Option<UserId>,
        matters: Vec<NewMatter>,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<Vec<MatterRecord>, BatchError> {
        let mut tx = self.pool.begin().await?;
        // Checked again inside the transaction, which holds the write lock:
        // two imports of one file at once cannot both pass.
        let mut lists: HashMap<String, Vec<ListedMatter>> = HashMap::new();
        for (i, m) in matters.iter().enumerate() {
            let Source::List { list, item } = &m.source else {
                continue;
            };
            if !lists.contains_key(list) {
                let rows = tx.fetch(LIST_SQL, args![list_pattern(list)]).await?;
                lists.insert(list.clone(), listed(&rows, list)?);
            }
            if let Some(e) = lists[list]
                .iter()
                .find(|e| e.item == *item && e.title == m.title)
            {
                return Err(BatchError {
                    index: Some(i),
                    error: Error::Duplicate(format!(
                        "清单“{list}”的第{item}项已于此前导入（事项 {}）；同一任务不重复交办",
                        e.id
                    )),
                });
            }
        }
        let mut out = Vec::with_capacity(matters.len());
        for (i, m) in matters.into_iter().enumerate() {
            // Dropping `tx` on the error path rolls everything back.
            let record = insert_matter(&mut tx, actor, m, now, cal, true)
                .await
                .map_err(|error| BatchError {
                    index: Some(i),
                    error,
                })?;
            out.push(record);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The matters, not withdrawn, made from items of the list named
    /// `list` (a [`Source::List`]).
    pub async fn list_matters(&self, list: &str) -> Result<Vec<ListedMatter>> {
        let rows = self.pool.fetch(LIST_SQL, args![list_pattern(list)]).await?;
        listed(&rows, list)
    }

    /// The text of each track's latest progress report or close
    /// application, for the tracks that have one.
    pub async fn last_reports(&self, tracks: &[TrackId]) -> Result<HashMap<TrackId, String>> {
        let mut out = HashMap::new();
        for chunk in tracks.chunks(CHUNK) {
            let ids: Vec<String> = chunk.iter().map(|t| t.to_string()).collect();
            let rows = self
                .pool
                .fetch(
                    &format!(
                        "SELECT track_id, body FROM reports WHERE track_id IN ({}) \
                         AND kind IN ('report', 'close_application') ORDER BY id",
                        ids.join(",")
                    ),
                    args![],
                )
                .await?;
            // Ordered by id: the last one seen is the latest.
            for r in &rows {
                out.insert(r.i64("track_id")?, r.str("body")?);
            }
        }
        Ok(out)
    }
}
