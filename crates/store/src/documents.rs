//! Sources (uploaded files), the documents the reader found in them, and the
//! tasks it proposed, which the office confirms into matters, edits, merges
//! or rejects.

use crate::db::Row;
use crate::events::{append, new_event, EventKind};
use crate::{args, micros, Error, Result, Store};
use chrono::{NaiveDate, Utc};
use duban_domain::archive::{self, Relation, Status};
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
    /// The documents it names, by number and/or title.
    pub citations: Vec<NewCitation>,
    /// Its term: effective day, last day in force, the sentence stating them.
    pub validity: Option<NewValidity>,
}

/// A document named by another, as the reader found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCitation {
    pub relation: Relation,
    pub number: Option<String>,
    pub title: Option<String>,
    pub spans: Vec<[u32; 2]>,
}

/// A document's term as it states it (ISO dates).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewValidity {
    pub from: Option<String>,
    pub until: Option<String>,
    pub text: String,
}

/// One end of a citation: a held document (with its id) or a reference by
/// number and title to one not held yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocRef {
    pub id: Option<i64>,
    pub number: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

impl DocRef {
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

/// A citation seen from one document: the relation, the other document,
/// and the lines of the citing document where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub relation: Relation,
    pub other: DocRef,
    pub spans: Vec<[u32; 2]>,
}

/// A document whose stated term ends soon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expiring {
    pub id: i64,
    pub number: Option<String>,
    pub title: Option<String>,
    pub until: NaiveDate,
}

/// What a document names, what names it, and its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentLinks {
    /// The documents it cites, repeals or amends.
    pub outgoing: Vec<Link>,
    /// The documents that cite, repeal or amend it.
    pub incoming: Vec<Link>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub validity_text: Option<String>,
    pub status: Status,
    /// Why, in words: 由《…》（…）废止, 有效期至…, 经《…》修改.
    pub reason: Option<String>,
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
            let validity = d.validity.clone().unwrap_or_default();
            let doc_id = tx
                .insert(
                    "INSERT INTO documents (source_id, number, title, issuer, date, kind, spans, created_at, \
                     valid_from, valid_until, validity_text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    args![
                        source_id,
                        d.number.clone(),
                        d.title.clone(),
                        serde_json::to_string(&d.issuer).unwrap_or_default(),
                        d.date.clone(),
                        d.kind.clone(),
                        serde_json::to_string(&d.spans).unwrap_or_default(),
                        now,
                        validity.from,
                        validity.until,
                        d.validity.as_ref().map(|v| v.text.clone())
                    ],
                )
                .await?;
            for c in &d.citations {
                tx.insert(
                    "INSERT INTO citations (document_id, relation, number, title, spans) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    args![
                        doc_id,
                        c.relation.code(),
                        c.number.clone(),
                        c.title.clone(),
                        serde_json::to_string(&c.spans).unwrap_or_default()
                    ],
                )
                .await?;
            }
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
                EventKind::SourceIngest,
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

    /// What document `id` cites, repeals or amends and what does so to it,
    /// each resolved to a held document by 发文字号 (by exact title where a
    /// citation gives no number), and its status on `today`.
    pub async fn document_links(&self, id: i64, today: NaiveDate) -> Result<DocumentLinks> {
        let doc = self
            .pool
            .fetch_opt(
                "SELECT number, title, valid_from, valid_until, validity_text FROM documents WHERE id = $1",
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("公文 {id} 不存在")))?;
        let (number, title) = (doc.opt_str("number")?, doc.opt_str("title")?);
        let link = |r: &Row, prefix: &str| -> Result<Link> {
            let relation = Relation::from_code(&r.str("relation")?).ok_or_else(|| {
                Error::Corrupt(format!(
                    "未知的引用关系 {}",
                    r.str("relation").unwrap_or_default()
                ))
            })?;
            Ok(Link {
                relation,
                other: DocRef {
                    id: r.opt_i64(&format!("{prefix}id"))?,
                    number: r.opt_str(&format!("{prefix}number"))?,
                    title: r.opt_str(&format!("{prefix}title"))?,
                    date: r.opt_str(&format!("{prefix}date"))?,
                },
                spans: r.json("spans")?,
            })
        };
        // The held document a citation names: the first stored under its
        // number, or under its exact title when it gives no number.
        let rows = self
            .pool
            .fetch(
                "SELECT c.relation, c.spans, t.id AS o_id, COALESCE(c.number, t.number) AS o_number, \
                        COALESCE(c.title, t.title) AS o_title, t.date AS o_date \
                 FROM citations c LEFT JOIN documents t ON t.id = ( \
                     SELECT MIN(d.id) FROM documents d \
                     WHERE (c.number IS NOT NULL AND d.number = c.number) \
                        OR (c.number IS NULL AND c.title IS NOT NULL AND d.title = c.title)) \
                 WHERE c.document_id = $1 ORDER BY c.id",
                args![id],
            )
            .await?;
        let outgoing = rows
            .iter()
            .map(|r| link(r, "o_"))
            .collect::<Result<Vec<_>>>()?;
        let rows = self
            .pool
            .fetch(
                "SELECT c.relation, c.spans, d.id AS o_id, d.number AS o_number, d.title AS o_title, d.date AS o_date \
                 FROM citations c JOIN documents d ON d.id = c.document_id \
                 WHERE c.document_id <> $1 \
                   AND ((c.number IS NOT NULL AND c.number = $2) \
                     OR (c.number IS NULL AND c.title IS NOT NULL AND c.title = $3)) \
                 ORDER BY d.date, d.id",
                args![id, number.clone(), title.clone()],
            )
            .await?;
        let incoming = rows
            .iter()
            .map(|r| link(r, "o_"))
            .collect::<Result<Vec<_>>>()?;
        let valid_until = doc.opt_str("valid_until")?;
        let until = valid_until
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok());
        let by = |rel: Relation| incoming.iter().find(|l| l.relation == rel);
        let status = archive::status(
            until,
            today,
            by(Relation::Repeals).is_some(),
            by(Relation::Amends).is_some(),
        );
        let reason = match status {
            Status::Repealed => by(Relation::Repeals).map(|l| format!("由{}废止", l.other.name())),
            Status::Amended => by(Relation::Amends).map(|l| format!("经{}修改", l.other.name())),
            Status::Expired => valid_until.as_ref().map(|u| format!("有效期至{u}，已届满")),
            Status::InForce => valid_until.as_ref().map(|u| format!("有效期至{u}")),
        };
        Ok(DocumentLinks {
            outgoing,
            incoming,
            valid_from: doc.opt_str("valid_from")?,
            valid_until,
            validity_text: doc.opt_str("validity_text")?,
            status,
            reason,
        })
    }

    /// Documents whose stated last day in force is between `from` and `to`
    /// (inclusive) and that no held document repeals, soonest first.
    pub async fn documents_expiring(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Expiring>> {
        let rows = self
            .pool
            .fetch(
                "SELECT d.id, d.number, d.title, d.valid_until FROM documents d \
                 WHERE d.valid_until >= $1 AND d.valid_until <= $2 \
                   AND NOT EXISTS (SELECT 1 FROM citations c \
                       WHERE c.relation = 'repeals' AND c.document_id <> d.id \
                         AND ((c.number IS NOT NULL AND c.number = d.number) \
                           OR (c.number IS NULL AND c.title = d.title))) \
                 ORDER BY d.valid_until, d.id",
                args![from.to_string(), to.to_string()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Expiring {
                    id: r.i64("id")?,
                    number: r.opt_str("number")?,
                    title: r.opt_str("title")?,
                    until: r
                        .str("valid_until")?
                        .parse()
                        .map_err(|e| Error::Corrupt(format!("公文有效期：{e}")))?,
                })
            })
            .collect()
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
                EventKind::ProposalDecide,
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
