//! Ingesting a document: decode, read, resolve every printed unit name to
//! the registry (or its closest candidates, never silently), and store the
//! source, its documents and their proposals for the office to confirm.
//! Confirming a proposal creates the matter and assigns it.

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{self, Resolution, Unit};
use duban_reader::{decode, extract, OwnerScope};
use duban_store::{
    Error, NewDocument, NewMatter, NewSource, Proposal, ProposalState, ProposedTask, ProposedUnit,
    Store,
};
use sha2::{Digest, Sha256};

/// What an ingest stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ingested {
    pub source_id: i64,
    pub encoding: String,
    pub documents: usize,
    pub proposals: usize,
    /// Printed unit names that matched no unit (the office picks one).
    pub unresolved: Vec<String>,
    pub warnings: usize,
}

fn resolve(units: &[Unit], name: &str) -> ProposedUnit {
    match org::resolve(units, name) {
        Resolution::Unit(id) => ProposedUnit {
            name: name.to_string(),
            unit: Some(id),
            candidates: Vec::new(),
        },
        Resolution::Candidates(c) => ProposedUnit {
            name: name.to_string(),
            unit: None,
            candidates: c,
        },
    }
}

/// Reads `bytes` (named `name`) and stores what the reader found. Bad input
/// (empty, binary, undecodable) is refused with the reader's message.
pub async fn ingest(
    store: &Store,
    actor: Option<i64>,
    name: &str,
    bytes: &[u8],
) -> Result<Ingested, Error> {
    let decoded = decode(bytes).map_err(|e| Error::Invalid(format!("{name}：{e}")))?;
    let extraction = extract(&decoded.text);
    let units = store.units().await?;
    let mut unresolved = Vec::new();
    let mut documents = Vec::new();
    let mut proposals = 0;
    for d in &extraction.documents {
        let mut tasks = Vec::new();
        for t in &d.tasks {
            let mut res = |names: &[String]| -> Vec<ProposedUnit> {
                names
                    .iter()
                    .map(|n| {
                        let r = resolve(&units, n);
                        if r.unit.is_none() && !unresolved.contains(n) {
                            unresolved.push(n.clone());
                        }
                        r
                    })
                    .collect()
            };
            let lead = res(&t.lead_units);
            let co = res(&t.co_units);
            tasks.push(ProposedTask {
                path: t.path.clone(),
                text: t.text.clone(),
                spans: t.spans.clone(),
                lead,
                co,
                owner_scope: match t.owner_scope {
                    OwnerScope::Item => "item",
                    OwnerScope::Group => "group",
                    OwnerScope::Prose => "prose",
                }
                .to_string(),
                deadline: t
                    .deadline
                    .as_ref()
                    .map(|dl| serde_json::to_value(dl).unwrap_or_default()),
                targets: serde_json::to_value(&t.targets).unwrap_or_default(),
            });
        }
        proposals += tasks.len();
        documents.push(NewDocument {
            number: d.number.clone(),
            title: d.title.clone(),
            issuer: d.issuer.clone(),
            date: d.date.map(|d| d.to_string()),
            kind: d.kind.clone(),
            spans: d.spans.clone(),
            proposals: tasks,
        });
    }
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let warnings = extraction.warnings.len();
    let (source_id, _) = store
        .ingest(
            actor,
            NewSource {
                name: name.to_string(),
                sha256,
                encoding: decoded.encoding.name().to_string(),
                text: decoded.text,
                warnings: serde_json::to_value(&extraction.warnings).unwrap_or_default(),
            },
            documents,
        )
        .await?;
    Ok(Ingested {
        source_id,
        encoding: decoded.encoding.name().to_string(),
        documents: extraction.documents.len(),
        proposals,
        unresolved,
        warnings,
    })
}

/// The office's choices when confirming a proposal; `None` keeps what the
/// reader proposed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Confirm {
    pub version: i64,
    pub title: Option<String>,
    pub lead: Option<Vec<i64>>,
    pub co: Option<Vec<i64>>,
    pub deadline: Option<NaiveDate>,
    /// 普通 / 重大 / 持续 (or ordinary / major / continuing), or the name
    /// of an active custom type.
    pub matter_type: Option<String>,
}

/// Confirms a proposal into a matter assigned to its units. Every unit must
/// be resolved (chosen by the office where the name matched none).
pub async fn confirm(
    store: &Store,
    actor: Option<i64>,
    proposal_id: i64,
    c: Confirm,
    now: NaiveDateTime,
    cal: &Calendar,
) -> Result<(Proposal, i64), Error> {
    let p = store.proposal(proposal_id).await?;
    if p.version != c.version {
        return Err(Error::Conflict(format!(
            "该拟办任务已被他人处理（当前版本 {}）；请刷新后重试",
            p.version
        )));
    }
    if p.state != ProposalState::Pending {
        return Err(Error::Invalid("该拟办任务已处理过，不能再次确认".into()));
    }
    let pick = |given: Option<Vec<i64>>, proposed: &[ProposedUnit]| -> Result<Vec<i64>, Error> {
        if let Some(ids) = given {
            return Ok(ids);
        }
        proposed
            .iter()
            .map(|u| {
                u.unit.ok_or_else(|| {
                    Error::Invalid(format!(
                        "单位“{}”在单位名录中找不到，请先选择对应单位（或在名录中添加）后再确认",
                        u.name
                    ))
                })
            })
            .collect()
    };
    let lead = pick(c.lead, &p.task.lead)?;
    let co = pick(c.co, &p.task.co)?;
    let doc = store.document(p.document_id).await?;
    let deadline = c.deadline.or_else(|| {
        p.task
            .deadline
            .as_ref()
            .and_then(|d| d.get("date"))
            .and_then(|d| d.as_str())
            .and_then(|s| s.parse().ok())
    });
    let ty = match c.matter_type.as_deref() {
        // A standard type by any of its names, or an active custom type;
        // the refusal lists the types there are.
        Some(name) => store.matter_type_named(name).await?,
        // A task with a deadline months away is carried on with reports at nodes.
        None => MatterType::continuing(),
    };
    let title = c
        .title
        .unwrap_or_else(|| p.task.text.chars().take(40).collect());
    let matter = store
        .create_matter(
            actor,
            NewMatter {
                title,
                detail: p.task.text.clone(),
                matter_type: ty,
                source: Source::Document {
                    document_id: doc.id,
                    spans: p.task.spans.clone(),
                },
                deadline,
                targets: p.task.targets.clone(),
                lead,
                co,
                raised_by: None,
            },
            now,
            cal,
        )
        .await?;
    let decided = store
        .decide_proposal(
            actor,
            proposal_id,
            p.version,
            ProposalState::Confirmed,
            Some(matter.matter.id),
            "",
        )
        .await?;
    Ok((decided, matter.matter.id))
}
