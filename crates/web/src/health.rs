//! `/`, `/healthz` and `/metrics`.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// The front page: what is running and where its API is described. Nothing
/// on it loads from elsewhere.
async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>督办</title></head>\
<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6\">\
<h1>督办</h1><p>督查督办系统正在运行。</p>\
<ul><li>接口说明：<a href=\"/api/openapi.json\">/api/openapi.json</a>（登录：POST /api/v1/session）</li>\
<li>运行状态：<a href=\"/healthz\">/healthz</a>，监控指标：<a href=\"/metrics\">/metrics</a></li></ul>\
</body></html>",
    )
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
