//! `/healthz` and `/metrics`.

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::headers::Client;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
}

/// Healthy when the database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "get_healthz",
    tag = "运维",
    summary = "健康检查",
    description = "数据库可用时返回 200 ok，否则 503。",
    responses(
        (status = 200, description = "服务正常"),
        (status = 503, description = "数据库不可用"),
    ),
    extensions(("x-roles" = json!(crate::openapi::ANYONE))),
)]
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
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "get_metrics",
    tag = "运维",
    summary = "Prometheus 指标",
    description = "按方法、路由和状态码统计的请求数与耗时（Prometheus 文本格式）。",
    responses(
        (status = 200, description = "指标文本"),
    ),
    extensions(("x-roles" = json!(crate::openapi::ANYONE))),
)]
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
