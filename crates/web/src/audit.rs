//! The audit trail for the audit admin (审计管理员) alone: every entry of
//! the hash-chained log, log-ins, failures, downloads and changes alike,
//! newest first. The system admin cannot read it (三员分立).

use crate::auth::Current;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use duban_domain::org::Role;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(trail))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    /// Entries before this sequence number.
    before: Option<i64>,
    limit: Option<i64>,
}

async fn trail(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(q): ApiQuery<Page>,
) -> ApiResult<Json<Value>> {
    if me.user.role != Role::Auditor {
        return Err(ApiError::Forbidden("审计记录只由审计管理员查看".into()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let entries = state.store.audit_trail(q.before, limit).await?;
    let next = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(json!({ "entries": entries, "next_before": next })))
}
