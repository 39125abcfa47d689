//! Sources (uploaded files), the documents the reader found in them, and the
//! tasks it proposed, which the office confirms into matters, edits, merges
//! or rejects.

use crate::db::Row;
use crate::events::{append, new_event};
use crate::{args, micros, Error, Result, Store};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A unit name as printed in a proposal, and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedUnit {
    pub name: String,
    /// The unit it names, when it names exactly one.
    pub unit: Option<i64>,
    /// Otherwise the closest units, best first, with a score in [0, 1].
    pub candidates: Vec<(i64, f32)>,
    /// The group the document printed (各乡镇办) when this unit is one of
    /// its members: a group is proposed as one entry per member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A task as the reader proposed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedTask {
    pub path: Vec<String>,
    pub text: String,
    pub spans: Vec<[u32; 2]>,
    pub lead: Vec<ProposedUnit>,
    pub co: Vec<ProposedUnit>,
    pub owner_scope: String,
    pub deadline: Option<serde_json::Value>,
    pub targets: serde_json::Value,
}

/// A document found in a source, with its proposals.
#[derive(Debug, Clone, Serialize)]
pub struct NewDocument {
    pub number: Option<String>,
    pub title: Option<String>,
    pub issuer: Vec<String>,
    pub date: Option<String>,
    pub kind: Option<String>,
    pub spans: Vec<[u32; 2]>,
    pub proposals: Vec<ProposedTask>,
}

/// An uploaded file as decoded text.
#[derive(Debug, Clone)]
pub struct NewSource {
    pub name: String,
    pub sha256: String,
    pub encoding: String,
    pub text: String,
    pub warnings: serde_json::Value,
}

/// A stored source (without its text).
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub id: i64,
    pub name: String,
    pub sha256: String,
    pub encoding: String,
    pub warnings: serde_json::Value,
    pub created_at: i64,
    pub documents: i64,
    pub pending: i64,
}

/// A stored document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub source_id: i64,
    pub number: Option<String>,
    pub title: Option<String>,
    pub issuer: serde_json::Value,
    pub date: Option<String>,
    pub kind: Option<String>,
    pub spans: serde_json::Value,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    Pending,
    Confirmed,
    Rejected,
    Merged,
}

/// A stored proposal.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub document_id: i64,
    pub task: ProposedTask,
    pub state: ProposalState,
    pub matter_id: Option<i64>,
    pub version: i64,
}

fn document(r: &Row) -> Result<DocumentInfo> {
    Ok(DocumentInfo {
        id: r.i64("id")?,
        source_id: r.i64("source_id")?,
        number: r.opt_str("number")?,
        title: r.opt_str("title")?,
        issuer: r.json("issuer")?,
        date: r.opt_str("date")?,
        kind: r.opt_str("kind")?,
        spans: r.json("spans")?,
    })
}

fn proposal(r: &Row) -> Result<Proposal> {
    Ok(Proposal {
        id: r.i64("id")?,
        document_id: r.i64("document_id")?,
        task: r.json("task")?,
        state: serde_json::from_value(json!(r.str("state")?))
            .map_err(|e| Error::Corrupt(e.to_string()))?,
        matter_id: r.opt_i64("matter_id")?,
        version: r.i64("version")?,
    })
}

fn state_code(s: ProposalState) -> &'static str {
    match s {
        ProposalState::Pending => "pending",
        ProposalState::Confirmed => "confirmed",
        ProposalState::Rejected => "rejected",
        ProposalState::Merged => "merged",
    }
}

impl Store {
    /// Stores a source with its documents and proposals in one transaction.
    /// Returns the source id and, per document, its id and proposal ids.
    pub async fn ingest(
        &self,
        actor: Option<i64>,
        source: NewSource,
        documents: Vec<NewDocument>,
    ) -> Result<(i64, Vec<(i64, Vec<i64>)>)> {
        let now = micros(Utc::now());
        let mut tx = self.pool.begin().await?;
        let source_id = tx
            .insert(
                "INSERT INTO sources (name, sha256, encoding, text, warnings, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                args![
                    source.name.clone(),
                    source.sha256.clone(),
                    source.encoding.clone(),
                    source.text,
                    source.warnings.to_string(),
                    actor,
                    now
                ],
            )
            .await?;
        let mut out = Vec::new();
        let mut summary = Vec::new();
        for d in documents {
            let doc_id = tx
                .insert(
                    "INSERT INTO documents (source_id, number, title, issuer, date, kind, spans, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    args![
                        source_id,
                        d.number.clone(),
                        d.title.clone(),
                        serde_json::to_string(&d.issuer).unwrap_or_default(),
                        d.date.clone(),
                        d.kind.clone(),
                        serde_json::to_string(&d.spans).unwrap_or_default(),
                        now
                    ],
                )
                .await?;
            let mut ids = Vec::new();
            for p in &d.proposals {
                ids.push(
                    tx.insert(
                        "INSERT INTO proposals (document_id, task, state, version, created_at) VALUES ($1, $2, 'pending', 1, $3) RETURNING id",
                        args![doc_id, serde_json::to_string(p).unwrap_or_default(), now],
                    )
                    .await?,
                );
            }
            summary.push(json!({ "document": doc_id, "number": d.number, "title": d.title, "proposals": ids.len() }));
            out.push((doc_id, ids));
        }
        append(
            &mut tx,
            new_event(
                actor,
                "source.ingest",
                "source",
                source_id,
                json!(null),
                json!({ "name": source.name, "sha256": source.sha256, "documents": summary }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((source_id, out))
    }

    pub async fn sources(&self) -> Result<Vec<SourceInfo>> {
        self.sources_where("", None).await
    }

    /// The sources stored with these bytes (by their SHA-256), newest
    /// first: the same file uploaded again.
    pub async fn sources_with_sha256(&self, sha256: &str) -> Result<Vec<SourceInfo>> {
        self.sources_where("WHERE s.sha256 = $1", Some(sha256))
            .await
    }

    async fn sources_where(&self, filter: &str, sha256: Option<&str>) -> Result<Vec<SourceInfo>> {
        let sql = format!(
            "SELECT s.id, s.name, s.sha256, s.encoding, s.warnings, s.created_at, \
             (SELECT COUNT(*) FROM documents d WHERE d.source_id = s.id) AS documents, \
             (SELECT COUNT(*) FROM proposals p JOIN documents d ON d.id = p.document_id WHERE d.source_id = s.id AND p.state = 'pending') AS pending \
             FROM sources s {filter} ORDER BY s.id DESC"
        );
        let rows = match sha256 {
            Some(h) => self.pool.fetch(&sql, args![h.to_string()]).await?,
            None => self.pool.fetch(&sql, args![]).await?,
        };
        rows.iter()
            .map(|r| {
                Ok(SourceInfo {
                    id: r.i64("id")?,
                    name: r.str("name")?,
                    sha256: r.str("sha256")?,
                    encoding: r.str("encoding")?,
                    warnings: r.json("warnings")?,
                    created_at: r.i64("created_at")?,
                    documents: r.i64("documents")?,
                    pending: r.i64("pending")?,
                })
            })
            .collect()
    }

    /// A source's decoded text.
    pub async fn source_text(&self, id: i64) -> Result<String> {
        let r = self
            .pool
            .fetch_opt("SELECT text FROM sources WHERE id = $1", args![id])
            .await?
            .ok_or_else(|| Error::NotFound(format!("文件 {id} 不存在")))?;
        r.str("text")
    }

    pub async fn documents_of(&self, source: i64) -> Result<Vec<DocumentInfo>> {
        let rows = self
            .pool
            .fetch(
                "SELECT * FROM documents WHERE source_id = $1 ORDER BY id",
                args![source],
            )
            .await?;
        rows.iter().map(document).collect()
    }

    pub async fn document(&self, id: i64) -> Result<DocumentInfo> {
        let r = self
            .pool
            .fetch_opt("SELECT * FROM documents WHERE id = $1", args![id])
            .await?
            .ok_or_else(|| Error::NotFound(format!("公文 {id} 不存在")))?;
        document(&r)
    }

    pub async fn proposals_of(&self, document: i64) -> Result<Vec<Proposal>> {
        let rows = self
            .pool
            .fetch(
                "SELECT * FROM proposals WHERE document_id = $1 ORDER BY id",
                args![document],
            )
            .await?;
        rows.iter().map(proposal).collect()
    }

    pub async fn proposal(&self, id: i64) -> Result<Proposal> {
        let r = self
            .pool
            .fetch_opt("SELECT * FROM proposals WHERE id = $1", args![id])
            .await?
            .ok_or_else(|| Error::NotFound(format!("拟办任务 {id} 不存在")))?;
        proposal(&r)
    }

    /// Records the office's decision on a pending proposal, if `version` is
    /// still its version.
    pub async fn decide_proposal(
        &self,
        actor: Option<i64>,
        id: i64,
        version: i64,
        state: ProposalState,
        matter: Option<i64>,
        note: &str,
    ) -> Result<Proposal> {
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt("SELECT * FROM proposals WHERE id = $1", args![id])
            .await?
            .ok_or_else(|| Error::NotFound(format!("拟办任务 {id} 不存在")))?;
        let before = proposal(&r)?;
        if before.version != version {
            return Err(Error::Conflict(format!(
                "该拟办任务已被他人处理（当前版本 {}，提交的版本 {version}）；请刷新后重试",
                before.version
            )));
        }
        if before.state != ProposalState::Pending {
            return Err(Error::Invalid("该拟办任务已处理过，不能再次处理".into()));
        }
        tx.exec(
            "UPDATE proposals SET state = $1, matter_id = $2, version = version + 1 WHERE id = $3",
            args![state_code(state), matter, id],
        )
        .await?;
        let after = Proposal {
            state,
            matter_id: matter,
            version: version + 1,
            ..before.clone()
        };
        append(
            &mut tx,
            new_event(
                actor,
                "proposal.decide",
                "proposal",
                id,
                json!({ "state": before.state }),
                json!({ "state": state, "matter": matter, "note": note }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
