//! Duban's HTTP server: the JSON API under `/api/v1`, its OpenAPI document
//! at `/api/openapi.json`, `/healthz` and Prometheus metrics at `/metrics`.
//! The only crate that knows HTTP. One module per resource, each with its own
//! `router()`, merged in [`app`] over one shared [`AppState`].

mod admin;
mod appeals;
pub mod auth;
mod calendar;
pub mod config;
mod documents;
pub mod error;
mod excel;
mod health;
pub mod indicators;
mod matters;
pub mod metrics;
pub mod openapi;
mod reports;
pub mod search;
mod session;
mod stats;
mod tracks;
mod types;
mod ui;
mod units;

use axum::Router;
use duban_domain::calendar::Calendar;
use duban_domain::clock::LocalTime;
use duban_store::Store;
use std::sync::Arc;

pub use config::Config;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    /// The full-text index; None when it could not be opened at all
    /// (searches then answer 503, everything else works).
    pub search: Option<Arc<duban_search::Search>>,
}

impl AppState {
    /// The state of a server; inside a Tokio runtime this also opens the
    /// search index and starts following the event log ([`search::start`]).
    pub fn new(store: Store, config: Config) -> AppState {
        let search = search::start(&store, &config);
        AppState {
            store,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            search,
        }
    }

    /// The configured local time (Beijing unless configured otherwise):
    /// the one conversion of stored UTC times for everything people read.
    pub fn clock(&self) -> LocalTime {
        LocalTime::new(self.config.utc_offset_hours)
    }

    /// Local time now, in the configured offset (China: UTC+8).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock().local(chrono::Utc::now())
    }

    /// The working-day calendar as stored (official years plus edits).
    pub async fn calendar(&self) -> Result<Calendar, error::ApiError> {
        Ok(self.store.calendar().await?)
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(ui::router())
        .merge(openapi::router())
        .nest(
            "/api/v1",
            Router::new()
                .merge(session::router())
                .merge(units::router())
                .merge(matters::router())
                .merge(tracks::router())
                .merge(stats::router())
                .merge(indicators::router())
                .merge(reports::router())
                .merge(appeals::router())
                .merge(documents::router())
                .merge(excel::router())
                .merge(types::router())
                .merge(admin::router())
                .merge(calendar::router())
                .merge(search::router()),
        )
        .fallback(ui::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
