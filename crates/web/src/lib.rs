//! Duban's HTTP server: the JSON API under `/api/v1`, its OpenAPI document
//! at `/api/openapi.json`, `/healthz` and Prometheus metrics at `/metrics`.
//! The only crate that knows HTTP. One module per resource, each with its own
//! `router()`, merged in [`app`] over one shared [`AppState`].

mod account;
mod admin;
mod appeals;
mod audit;
pub mod auth;
mod calendar;
pub mod config;
mod documents;
pub mod error;
mod excel;
mod handler;
mod headers;
mod health;
pub mod indicators;
mod leaders;
pub mod limits;
mod links;
mod matters;
mod messages;
pub mod metrics;
mod office;
pub mod openapi;
mod params;
mod reports;
pub mod search;
pub mod security;
mod server;
mod session;
mod stats;
mod throttle;
mod tokens;
mod tracks;
mod types;
mod ui;
mod units;
pub mod views;

use axum::Router;
use duban_domain::calendar::Calendar;
use duban_domain::clock::LocalTime;
use duban_store::Store;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;

pub use config::Config;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    /// Log-in attempts per address.
    pub logins: Arc<throttle::Throttle>,
    /// The full-text index; None when it could not be opened at all
    /// (searches then answer 503, everything else works).
    pub search: Option<Arc<duban_search::Search>>,
    /// The account rules in force, writes per user, TOTP log-in steps.
    pub security: Arc<security::Shared>,
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
            logins: Arc::new(throttle::Throttle::default()),
            search,
            security: Arc::default(),
        }
    }

    /// The configured local time (Beijing unless configured otherwise):
    /// the one conversion of stored UTC times for everything people read.
    pub fn clock(&self) -> LocalTime {
        self.config.clock()
    }

    /// Local time now, in the configured offset (China: UTC+8).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock().local(chrono::Utc::now())
    }

    /// The working-day calendar as stored (official years plus edits).
    pub async fn calendar(&self) -> Result<Calendar, error::ApiError> {
        Ok(self.store.calendar().await?)
    }

    /// The units, their names and the calendar, with one read of the
    /// registry's version (see [`duban_store::Store::registry`]).
    pub async fn registry(&self) -> Result<duban_store::Registry, error::ApiError> {
        Ok(self.store.registry().await?)
    }

    /// [`AppState::registry`] at the version read with the caller's
    /// session, when it was: one statement fewer for the request.
    pub async fn registry_for(
        &self,
        me: &auth::Current,
    ) -> Result<duban_store::Registry, error::ApiError> {
        Ok(match me.registry_version {
            Some(v) => self.store.registry_at(v).await?,
            None => self.store.registry().await?,
        })
    }
}

/// Every route of the OpenAPI document, each registered with its
/// documentation (`#[utoipa::path]` on its handler, collected by
/// `utoipa_axum::routes!`): the router serves what the document says, and
/// a route cannot be served without being documented.
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(utoipa_axum::routes!(front))
        .merge(health::router())
        .merge(openapi::router())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(session::router())
                .merge(units::router())
                .merge(matters::router())
                .merge(office::router())
                .merge(handler::router())
                .merge(leaders::router())
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
                .merge(messages::router())
                .merge(account::router())
                .merge(audit::router())
                .merge(search::router())
                .merge(tokens::router())
                .merge(security::router())
                .merge(links::router()),
        )
}

/// The front page: the pages' own (`ui::front`), documented here with the
/// server's other routes (the wiring is what may name the pages).
#[utoipa::path(
    get,
    path = "/",
    operation_id = "get",
    tag = "运维",
    summary = "首页",
    description = "说明服务正在运行，并指向接口说明和运行状态（HTML）。",
    responses(
        (status = 200, description = "首页"),
    ),
    extensions(("x-roles" = json!(crate::openapi::ANYONE))),
)]
async fn front(viewer: Result<ui::Viewer, ui::PageError>) -> axum::response::Response {
    ui::front(viewer).await
}

/// The whole application: the documented routes and the pages.
pub fn app(state: AppState) -> Router {
    let (api, _) = documented().split_for_parts();
    api.merge(ui::router())
        .fallback(ui::not_found)
        .layer(axum::middleware::from_fn(server::catch_panic))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server::deadline,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::secure,
        ))
        .with_state(state)
}

pub use server::serve;
