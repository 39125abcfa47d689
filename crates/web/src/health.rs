//! `/healthz` and `/metrics`.

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::headers::Client;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// Healthy when the database answers.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.units().await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The counters, for a request from this host or one with the configured
/// token: they name routes and volumes, nothing for strangers.
async fn metrics(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let token = &state.config.metrics_token.0;
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let by_token = !token.is_empty() && sent.is_some_and(|s| token_hash(s) == token_hash(token));
    if !(by_token || client.is_local()) {
        return Err(ApiError::Forbidden(
            "指标只对本机或带正确令牌（metrics_token）的请求开放".into(),
        ));
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    ))
}
