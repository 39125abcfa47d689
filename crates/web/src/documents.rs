//! Documents: upload a gazette or a document (the reader proposes tasks),
//! list what was uploaded, show a document's proposals beside its source
//! lines, and confirm, reject or merge proposals. Office and admins only.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use duban_domain::org::Role;
use duban_service::ingest::{self, Confirm};
use duban_store::ProposalState;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sources", get(list).post(upload))
        .route("/sources/{id}", get(source))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/confirm-all", post(confirm_all))
        .route("/proposals/{id}/confirm", post(confirm))
        .route("/proposals/{id}/reject", post(reject))
}

fn office_only(me: &Current) -> ApiResult<()> {
    if matches!(me.user.role, Role::Office | Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "只有督查室可以上传公文和处理拟办任务".into(),
        ))
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    /// The file's name, shown in lists.
    name: Option<String>,
}

/// The body is the file's bytes (UTF-8, GB18030/GBK or UTF-16 with BOM).
async fn upload(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    if body.len() > 64 * 1024 * 1024 {
        return Err(ApiError::BadRequest("文件超过 64 MB；请拆分后上传".into()));
    }
    let name = q.name.clone().unwrap_or_else(|| "上传文件.txt".into());
    let done = ingest::ingest(&state.store, Some(me.user.id), &name, &body).await?;
    Ok(Json(json!({ "ingested": done })))
}

async fn list(State(state): State<AppState>, me: Current) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    Ok(Json(json!({ "sources": state.store.sources().await? })))
}

async fn source(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    let id = crate::matters::parse_id(&raw, "文件")?;
    let docs = state.store.documents_of(id).await?;
    let text = state.store.source_text(id).await?;
    let sources = state.store.sources().await?;
    let info = sources.into_iter().find(|s| s.id == id);
    Ok(Json(
        json!({ "source": info, "documents": docs, "lines": text.lines().count() }),
    ))
}

#[derive(Deserialize)]
struct DocumentQuery {
    /// Include the source lines of the document's spans.
    #[serde(default)]
    lines: bool,
}

async fn document(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    let id = crate::matters::parse_id(&raw, "公文")?;
    let doc = state.store.document(id).await?;
    let proposals = state.store.proposals_of(id).await?;
    let mut body = json!({ "document": doc, "proposals": proposals });
    if q.lines {
        let text = state.store.source_text(doc.source_id).await?;
        let all: Vec<&str> = text.lines().collect();
        let spans: Vec<[u32; 2]> = serde_json::from_value(doc.spans.clone()).unwrap_or_default();
        let lines: Vec<Value> = spans
            .iter()
            .flat_map(|[a, b]| {
                (*a..=*b).filter_map(|n| {
                    all.get(n as usize - 1)
                        .map(|t| json!({ "line": n, "text": t }))
                })
            })
            .collect();
        body["lines"] = Value::Array(lines);
    }
    Ok(Json(body))
}

async fn confirm(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(c): ApiJson<Confirm>,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    let id = crate::matters::parse_id(&raw, "拟办任务")?;
    let cal = state.calendar().await?;
    let (proposal, matter) =
        ingest::confirm(&state.store, Some(me.user.id), id, c, state.now(), &cal).await?;
    Ok(Json(json!({ "proposal": proposal, "matter": matter })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reject {
    version: i64,
    reason: String,
    /// Merged into this matter instead of rejected outright.
    merged_into: Option<i64>,
}

async fn reject(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(r): ApiJson<Reject>,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    let id = crate::matters::parse_id(&raw, "拟办任务")?;
    if r.reason.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "请填写不予立项（或合并）的理由".into(),
        ));
    }
    let (state_to, into) = match r.merged_into {
        Some(m) => {
            state.store.matter(m).await?;
            (ProposalState::Merged, Some(m))
        }
        None => (ProposalState::Rejected, None),
    };
    let p = state
        .store
        .decide_proposal(Some(me.user.id), id, r.version, state_to, into, &r.reason)
        .await?;
    Ok(Json(json!({ "proposal": p })))
}

/// Confirms every pending proposal of a document whose units all resolved;
/// reports the ones left for the office to complete by hand.
async fn confirm_all(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    office_only(&me)?;
    let id = crate::matters::parse_id(&raw, "公文")?;
    let cal = state.calendar().await?;
    let mut confirmed = Vec::new();
    let mut left = Vec::new();
    for p in state.store.proposals_of(id).await? {
        if p.state != ProposalState::Pending {
            continue;
        }
        if p.task
            .lead
            .iter()
            .chain(&p.task.co)
            .any(|u| u.unit.is_none())
        {
            left.push(json!({ "proposal": p.id, "reason": "有单位未匹配到单位名录" }));
            continue;
        }
        let c = Confirm {
            version: p.version,
            ..Confirm::default()
        };
        match ingest::confirm(&state.store, Some(me.user.id), p.id, c, state.now(), &cal).await {
            Ok((_, matter)) => confirmed.push(json!({ "proposal": p.id, "matter": matter })),
            Err(e) => left.push(json!({ "proposal": p.id, "reason": e.to_string() })),
        }
    }
    Ok(Json(json!({ "confirmed": confirmed, "left": left })))
}
