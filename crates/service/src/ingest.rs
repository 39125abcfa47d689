//! Ingesting a document: read it whatever its format ([`crate::intake`]),
//! refuse a file already stored unless the office says to read it again,
//! resolve every printed unit name to the registry (or its closest
//! candidates, never silently; a unit that names a different unit is not
//! offered first, see [`crate::suggest`]), and store the source, its
//! documents and their proposals for the office to confirm, all in one
//! transaction. Confirming a proposal creates the matter and assigns it.

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::archive::Relation;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{self, Group, Resolution, Unit};
use duban_reader::OwnerScope;
use duban_store::{
    Error, NewCitation, NewDocument, NewMatter, NewSource, NewValidity, Proposal, ProposalState,
    ProposedTask, ProposedUnit, Store,
};

/// What an ingest stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ingested {
    pub source_id: i64,
    /// The encoding of a text, or the format read (`docx`, `pdf`, `ofd`, `doc`).
    pub encoding: String,
    /// Tables read as task tables.
    pub task_tables: usize,
    pub documents: usize,
    pub proposals: usize,
    /// Printed unit names that matched no unit (the office picks one).
    pub unresolved: Vec<String>,
    pub warnings: usize,
}

/// A printed name as proposed units: a group's members (each named as the
/// registry names it, the group kept beside it), the one unit it names, or
/// its closest candidates.
fn resolve(units: &[Unit], groups: &[Group], name: &str) -> Vec<ProposedUnit> {
    if let Some(g) = org::find_group(groups, name).filter(|g| !g.members.is_empty()) {
        return g
            .members
            .iter()
            .filter_map(|id| units.iter().find(|u| u.id == *id))
            .map(|u| ProposedUnit {
                name: u.name.clone(),
                unit: Some(u.id),
                candidates: Vec::new(),
                group: Some(g.name.clone()),
            })
            .collect();
    }
    vec![match org::resolve(units, name) {
        Resolution::Unit(id) => ProposedUnit {
            name: name.to_string(),
            unit: Some(id),
            candidates: Vec::new(),
            group: None,
        },
        Resolution::Candidates(c) => ProposedUnit {
            name: name.to_string(),
            candidates: crate::suggest::rank(units, name, c),
            unit: None,
            group: None,
        },
    }]
}

/// Proposed units without a unit named twice (a member of a group printed
/// beside it, or a lead unit that a co-operating group includes).
fn dedup(list: Vec<ProposedUnit>, before: &[ProposedUnit]) -> Vec<ProposedUnit> {
    let mut out: Vec<ProposedUnit> = Vec::new();
    for p in list {
        let seen = |q: &ProposedUnit| p.unit.is_some() && q.unit == p.unit;
        if !out.iter().any(seen) && !before.iter().any(seen) {
            out.push(p);
        }
    }
    out
}

/// Reads `bytes` (named `name`) and stores what the reader found. A file
/// that cannot be read is refused with the reader's message; one whose
/// bytes are already stored is refused as a duplicate (naming the earlier
/// upload) unless `again`. Nothing is stored for a refused file.
pub async fn ingest(
    store: &Store,
    actor: Option<i64>,
    name: &str,
    bytes: &[u8],
    again: bool,
) -> Result<Ingested, Error> {
    let sha256 = crate::intake::sha256_hex(bytes);
    if !again {
        if let Some(before) = store.sources_with_sha256(&sha256).await?.into_iter().next() {
            return Err(Error::Duplicate(format!(
                "{name}：与已上传的文件 {}《{}》内容完全相同，未重复读取；如确需再次读取，请选择“再次读取”后重新上传",
                before.id, before.name
            )));
        }
    }
    let owned = bytes.to_vec();
    let intake = tokio::task::spawn_blocking(move || crate::intake::read(&owned))
        .await
        .map_err(|e| Error::Invalid(format!("{name}：读取中断（{e}）")))?
        .map_err(|e| Error::Invalid(format!("{name}：{e}")))?;
    let extraction = intake.extraction;
    let units = store.units().await?;
    let groups = store.groups().await?;
    let mut unresolved = Vec::new();
    let mut documents = Vec::new();
    let mut proposals = 0;
    for d in &extraction.documents {
        let mut tasks = Vec::new();
        for t in &d.tasks {
            let mut res = |names: &[String]| -> Vec<ProposedUnit> {
                names
                    .iter()
                    .flat_map(|n| {
                        let r = resolve(&units, &groups, n);
                        if r.iter().any(|p| p.unit.is_none()) && !unresolved.contains(n) {
                            unresolved.push(n.clone());
                        }
                        r
                    })
                    .collect()
            };
            let lead = dedup(res(&t.lead_units), &[]);
            let co = dedup(res(&t.co_units), &lead);
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
            citations: d
                .citations
                .iter()
                .map(|c| NewCitation {
                    relation: match c.relation {
                        duban_reader::Relation::Cites => Relation::Cites,
                        duban_reader::Relation::Repeals => Relation::Repeals,
                        duban_reader::Relation::Amends => Relation::Amends,
                    },
                    number: c.number.clone(),
                    title: c.title.clone(),
                    spans: c.spans.clone(),
                })
                .collect(),
            validity: d.validity.as_ref().map(|v| NewValidity {
                from: v.effective.map(|d| d.to_string()),
                until: v.until.map(|d| d.to_string()),
                text: v.text.clone(),
            }),
        });
    }
    let mut all_warnings = serde_json::to_value(&extraction.warnings).unwrap_or_default();
    if let Some(list) = all_warnings.as_array_mut() {
        for w in &intake.read.warnings {
            list.push(serde_json::json!({ "line": w.line, "message": w.message }));
        }
    }
    let warnings = extraction.warnings.len() + intake.read.warnings.len();
    let task_tables = intake
        .read
        .tables
        .iter()
        .filter(|t| duban_reader::table::tasks(t, None).is_some())
        .count();
    let encoding = intake.read.encoding.clone();
    let (source_id, _) = store
        .ingest(
            actor,
            NewSource {
                name: name.to_string(),
                sha256,
                encoding: encoding.clone(),
                text: intake.read.text,
                warnings: all_warnings,
            },
            documents,
        )
        .await?;
    Ok(Ingested {
        source_id,
        encoding,
        task_tables,
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
        .unwrap_or_else(|| crate::title::proposed(&p.task.text));
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
