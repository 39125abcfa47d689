//! The audit trail for the audit admin (审计管理员) alone: every entry of
//! the hash-chained log, log-ins, failures, downloads and changes alike,
//! newest first, narrowed by kind, user and dates. The system admin cannot
//! read it (三员分立).

use crate::auth::Current;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use duban_domain::org::Role;
use duban_store::TrailFilter;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(trail))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Query {
    /// Entries before this sequence number.
    pub before: Option<i64>,
    pub limit: Option<i64>,
    /// Actions starting with this (`audit.login`, `user.`).
    pub kind: Option<String>,
    /// The log-in name of the user who acted.
    pub user: Option<String>,
    /// Local dates, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

async fn trail(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(q): ApiQuery<Query>,
) -> ApiResult<Json<Value>> {
    Ok(Json(trail_data(&state, &me, q).await?))
}

/// The trail as the API lists it; the audit page renders the same value.
pub(crate) async fn trail_data(state: &AppState, me: &Current, q: Query) -> ApiResult<Value> {
    if me.user.role != Role::Auditor {
        return Err(ApiError::Forbidden("审计记录只由审计管理员查看".into()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let actor = match q.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(login) => Some(
            state
                .store
                .user_by_login(login)
                .await?
                .ok_or_else(|| {
                    ApiError::Unprocessable(format!("没有登录名为“{login}”的用户：请检查用户一栏"))
                })?
                .0
                .id,
        ),
    };
    let offset = chrono::Duration::hours(i64::from(state.clock().hours()));
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - offset;
    let filter = TrailFilter {
        before: q.before,
        kind: q
            .kind
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty()),
        actor,
        from: q.from.map(start),
        to: q.to.and_then(|d| d.succ_opt()).map(start),
        limit,
    };
    let entries = state.store.audit_search(&filter).await?;
    let next = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(json!({ "entries": entries, "next_before": next }))
}
