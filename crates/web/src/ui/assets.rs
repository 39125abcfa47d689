//! The stylesheet, compiled into the binary and served with a long cache
//! life under a path that changes with its content.

use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const CSS: &str = include_str!("../../assets/duban.css");

/// The stylesheet's path; bump the version when the file changes.
pub const CSS_PATH: &str = "/assets/duban-2.css";

pub fn router() -> Router<AppState> {
    Router::new().route(CSS_PATH, get(css))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}
