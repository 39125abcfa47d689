//! `/` (the front page: to the user's start page or the log-in page),
//! `/healthz` and `/metrics`.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(crate::ui::front))
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
