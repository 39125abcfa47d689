//! What the search index reads: the entities in pages by id (for a full
//! rebuild) and the event log as a change feed (for keeping up). The index
//! itself lives in `duban-search`; this module only reads.

use crate::appeals::{appeal, Appeal};
use crate::matters::{matter_from, MATTER_COLUMNS};
use crate::{args, MatterRecord, Result, Store};

/// One entry of the change feed: which entity an event touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: i64,
}

/// A stored document with the text of its lines, for the index.
#[derive(Debug, Clone)]
pub struct DocumentText {
    pub info: crate::DocumentInfo,
    /// Its source lines (1-based numbers) in reading order, with their text.
    pub lines: Vec<(u32, String)>,
    /// Its stated last day in force (yyyy-mm-dd).
    pub valid_until: Option<String>,
    /// Whether a held document repeals it, or amends it.
    pub repealed: bool,
    pub amended: bool,
}

/// Whether a held document other than `d` names `d` (by number, or by
/// title where the citation gives no number) with the relation `$REL`,
/// as `Store::document_links` resolves citations.
const NAMED_BY: &str = "EXISTS (SELECT 1 FROM citations c \
     WHERE c.relation = '$REL' AND c.document_id <> d.id \
       AND ((c.number IS NOT NULL AND c.number = d.number) \
         OR (c.number IS NULL AND c.title IS NOT NULL AND c.title = d.title)))";

/// A report as the index sees it: its track's unit and matter.
#[derive(Debug, Clone)]
pub struct ReportEntry {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    pub unit_id: i64,
    pub matter_id: i64,
    pub matter_title: String,
}

impl Store {
    /// The id of the newest event, 0 on an empty log.
    pub async fn last_event_seq(&self) -> Result<i64> {
        let r = self
            .pool
            .fetch_opt("SELECT MAX(seq) AS seq FROM events", args![])
            .await?;
        Ok(r.map(|r| r.opt_i64("seq"))
            .transpose()?
            .flatten()
            .unwrap_or(0))
    }

    /// Events after `seq`, oldest first, at most `limit`.
    pub async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        let rows = self
            .pool
            .fetch(
                "SELECT seq, entity, entity_id FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
                args![seq, limit],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Change {
                    seq: r.i64("seq")?,
                    entity: r.str("entity")?,
                    entity_id: r.i64("entity_id")?,
                })
            })
            .collect()
    }

    /// The matter a track belongs to.
    pub async fn matter_of_track(&self, track: i64) -> Result<Option<i64>> {
        let r = self
            .pool
            .fetch_opt("SELECT matter_id FROM tracks WHERE id = $1", args![track])
            .await?;
        r.map(|r| r.i64("matter_id")).transpose()
    }

    /// The appeal a matter was made of, if any.
    pub async fn appeal_of_matter(&self, matter: i64) -> Result<Option<i64>> {
        let r = self
            .pool
            .fetch_opt("SELECT id FROM appeals WHERE matter_id = $1", args![matter])
            .await?;
        r.map(|r| r.i64("id")).transpose()
    }

    /// Documents with ids after `after`, at most `limit`, with their lines.
    /// `only_source` keeps those of one source.
    pub async fn documents_page(
        &self,
        after: i64,
        limit: i64,
        only_source: Option<i64>,
    ) -> Result<Vec<DocumentText>> {
        let rows = match only_source {
            Some(s) => {
                self.pool
                    .fetch(
                        "SELECT id FROM documents WHERE id > $1 AND source_id = $2 ORDER BY id LIMIT $3",
                        args![after, s, limit],
                    )
                    .await?
            }
            None => {
                self.pool
                    .fetch(
                        "SELECT id FROM documents WHERE id > $1 ORDER BY id LIMIT $2",
                        args![after, limit],
                    )
                    .await?
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        let mut text_of: Option<(i64, Vec<String>)> = None;
        let status_sql = format!(
            "SELECT d.valid_until, CASE WHEN {} THEN 1 ELSE 0 END AS repealed, \
             CASE WHEN {} THEN 1 ELSE 0 END AS amended FROM documents d WHERE d.id = $1",
            NAMED_BY.replace("$REL", "repeals"),
            NAMED_BY.replace("$REL", "amends")
        );
        for r in &rows {
            let info = self.document(r.i64("id")?).await?;
            let st = self
                .pool
                .fetch_opt(&status_sql, args![info.id])
                .await?
                .ok_or_else(|| crate::Error::NotFound(format!("公文 {} 不存在", info.id)))?;
            if text_of.as_ref().map(|(s, _)| *s) != Some(info.source_id) {
                let text = self.source_text(info.source_id).await?;
                text_of = Some((info.source_id, text.lines().map(str::to_string).collect()));
            }
            let all = &text_of.as_ref().expect("set above").1;
            let spans: Vec<[u32; 2]> =
                serde_json::from_value(info.spans.clone()).unwrap_or_default();
            let lines = spans
                .iter()
                .flat_map(|[a, b]| *a..=*b)
                .filter_map(|n| {
                    all.get((n as usize).checked_sub(1)?)
                        .map(|t| (n, t.clone()))
                })
                .collect();
            out.push(DocumentText {
                info,
                lines,
                valid_until: st.opt_str("valid_until")?,
                repealed: st.i64("repealed")? != 0,
                amended: st.i64("amended")? != 0,
            });
        }
        Ok(out)
    }

    /// The sources of held documents that the documents of source `s`
    /// repeal or amend (their status changes when `s` arrives).
    pub async fn sources_named_by(&self, s: i64) -> Result<Vec<i64>> {
        let rows = self
            .pool
            .fetch(
                "SELECT DISTINCT d.source_id FROM citations c \
                 JOIN documents src ON src.id = c.document_id \
                 JOIN documents d ON d.id <> c.document_id \
                   AND ((c.number IS NOT NULL AND d.number = c.number) \
                     OR (c.number IS NULL AND c.title IS NOT NULL AND d.title = c.title)) \
                 WHERE src.source_id = $1 AND c.relation IN ('repeals', 'amends') AND d.source_id <> $1",
                args![s],
            )
            .await?;
        rows.iter().map(|r| r.i64("source_id")).collect()
    }

    /// Matters with ids after `after`, at most `limit`, with their tracks.
    pub async fn matters_page(&self, after: i64, limit: i64) -> Result<Vec<MatterRecord>> {
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {MATTER_COLUMNS} FROM matters WHERE id > $1 ORDER BY id LIMIT $2"),
                args![after, limit],
            )
            .await?;
        let mut out: Vec<MatterRecord> = rows
            .iter()
            .map(|r| {
                matter_from(r).map(|(matter, version, targets, raised_by)| MatterRecord {
                    matter,
                    version,
                    targets,
                    raised_by,
                    tracks: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
        let ids: Vec<i64> = out.iter().map(|m| m.matter.id).collect();
        let mut tracks = self.tracks_of_matters(&ids).await?.into_iter().peekable();
        for m in &mut out {
            while let Some(t) = tracks.next_if(|t| t.track.matter_id == m.matter.id) {
                m.tracks.push(t);
            }
        }
        Ok(out)
    }

    /// Reports with ids after `after` (at most `limit`), or all reports of
    /// one matter.
    pub async fn report_entries_page(
        &self,
        after: i64,
        limit: i64,
        matter: Option<i64>,
    ) -> Result<Vec<ReportEntry>> {
        const SQL: &str = "SELECT r.id, r.kind, r.body, r.created_at, t.unit_id, t.matter_id, m.title \
             FROM reports r JOIN tracks t ON t.id = r.track_id JOIN matters m ON m.id = t.matter_id";
        let rows = match matter {
            Some(m) => {
                self.pool
                    .fetch(
                        &format!("{SQL} WHERE t.matter_id = $1 ORDER BY r.id"),
                        args![m],
                    )
                    .await?
            }
            None => {
                self.pool
                    .fetch(
                        &format!("{SQL} WHERE r.id > $1 ORDER BY r.id LIMIT $2"),
                        args![after, limit],
                    )
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(ReportEntry {
                    id: r.i64("id")?,
                    kind: r.str("kind")?,
                    body: r.str("body")?,
                    created_at: r.i64("created_at")?,
                    unit_id: r.i64("unit_id")?,
                    matter_id: r.i64("matter_id")?,
                    matter_title: r.str("title")?,
                })
            })
            .collect()
    }

    /// Appeals with ids after `after`, at most `limit`.
    pub async fn appeals_page(&self, after: i64, limit: i64) -> Result<Vec<Appeal>> {
        let rows = self
            .pool
            .fetch(
                "SELECT * FROM appeals WHERE id > $1 ORDER BY id LIMIT $2",
                args![after, limit],
            )
            .await?;
        rows.iter().map(appeal).collect()
    }

    /// The close applications of a matter's lead units, the answer its
    /// raiser reads once it is closed.
    pub async fn close_texts(&self, matter: i64) -> Result<Vec<String>> {
        let rows = self
            .pool
            .fetch(
                "SELECT r.body FROM reports r JOIN tracks t ON t.id = r.track_id \
                 WHERE t.matter_id = $1 AND t.role = 'lead' AND r.kind = 'close_application' ORDER BY r.id",
                args![matter],
            )
            .await?;
        rows.iter().map(|r| r.str("body")).collect()
    }
}
