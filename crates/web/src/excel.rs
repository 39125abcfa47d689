//! Excel over HTTP: the ledger (台账) as an .xlsx download, scoped like the
//! board (the office sees every unit, a leader the units they oversee, a
//! unit's users their own unit), and importing a task list or a key-project
//! list from an .xlsx body (office only). An import answers with the
//! per-row report: 200 when every row was imported (or, on a dry run,
//! would be), 422 with the same report when the file was refused and
//! nothing was written.

use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::{is_office, Params, Scope};
use crate::views::{ImportRefusedView, ImportReportView, ImportedView};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use duban_domain::events::EventKind;
use duban_service::excel::{self, ImportOptions, ImportReport, Ledger, LedgerFilter};
use std::collections::HashMap;

/// The largest workbook an import takes. Task lists are small; this leaves
/// room for pictures pasted into a sheet.
pub(crate) const IMPORT_LIMIT: usize = 16 * 1024 * 1024;

/// The media type of an .xlsx file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger.xlsx", get(ledger))
        .route(
            "/imports/tasks",
            post(import_tasks).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/imports/projects",
            post(import_projects).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

/// The ledger for the query `q` (`unit`: unit ids; `status`: open, closed
/// or withdrawn) within the caller's scope; the public has none.
pub(crate) async fn ledger_data(
    state: &AppState,
    me: &Current,
    q: HashMap<String, String>,
) -> ApiResult<Ledger> {
    crate::matters::business_only(&me.user)?;
    let mut p = Params::new(q);
    let units = p.ids("unit", "单位")?;
    let status = p.choice("status", "事项状态", &crate::matters::MATTER_STATUSES)?;
    p.finish()?;
    let units = match Scope::of(state, &me.user).await? {
        Scope::All => units,
        Scope::Units(mine) => Some(match units {
            Some(asked) => asked.into_iter().filter(|u| mine.contains(u)).collect(),
            None => mine,
        }),
        Scope::RaisedBy(_) => {
            return Err(ApiError::Forbidden(
                "台账只供督查室、承办单位和分管领导导出".into(),
            ))
        }
    };
    let cal = state.calendar().await?;
    let ledger = excel::export_ledger(
        &state.store,
        &LedgerFilter {
            units: units.clone(),
            status,
        },
        state.now().date(),
        &state.clock().zone(),
        &cal,
    )
    .await?;
    state
        .store
        .audit(
            Some(me.user.id),
            EventKind::AuditExport,
            "ledger",
            0,
            serde_json::json!({ "what": "ledger.xlsx", "units": units, "bytes": ledger.bytes.len() }),
        )
        .await?;
    Ok(ledger)
}

/// The ledger as a download.
pub(crate) fn xlsx_response(bytes: Vec<u8>, file: &str) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(file.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"duban-ledger.xlsx\"; filename*=UTF-8''{}",
                    encoded.replace('+', "%20")
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The file name a ledger downloads as: 督办台账-YYYY-MM-DD.xlsx.
pub(crate) fn ledger_file_name(state: &AppState) -> String {
    format!("督办台账-{}.xlsx", state.now().date())
}

async fn ledger(
    State(state): State<AppState>,
    me: Current,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let l = ledger_data(&state, &me, q).await?;
    Ok(xlsx_response(l.bytes, &ledger_file_name(&state)))
}

/// What is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportKind {
    Tasks,
    Projects,
}

/// Imports a workbook as the caller: office only; the report whatever
/// became of the file.
pub(crate) async fn import_data(
    state: &AppState,
    me: &Current,
    kind: ImportKind,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> ApiResult<ImportReport> {
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以导入任务清单".into()));
    }
    if bytes.len() > IMPORT_LIMIT {
        return Err(ApiError::BadRequest(format!(
            "文件超过 {} MB；请删去表中的图片或拆分后导入",
            IMPORT_LIMIT / 1024 / 1024
        )));
    }
    let cal = state.calendar().await?;
    let (store, actor, now) = (&state.store, Some(me.user.id), state.now());
    Ok(match kind {
        ImportKind::Tasks => {
            excel::import_tasks(store, actor, file, bytes, options, now, &cal).await?
        }
        ImportKind::Projects => {
            excel::import_projects(store, actor, file, bytes, options, now, &cal).await?
        }
    })
}

/// Reads an import's query: `name` (the file's name), `dry_run`, `type`
/// and `list`.
fn import_query(
    q: HashMap<String, String>,
    default_name: &str,
) -> ApiResult<(String, ImportOptions)> {
    let mut p = Params::new(q);
    let name = p.str("name").unwrap_or_else(|| default_name.to_string());
    let options = ImportOptions {
        dry_run: p.bool("dry_run", false)?,
        matter_type: p.str("type"),
        list: p.str("list"),
    };
    p.finish()?;
    Ok((name, options))
}

async fn import(
    state: AppState,
    me: Current,
    kind: ImportKind,
    q: HashMap<String, String>,
    body: Bytes,
) -> ApiResult<Response> {
    let default_name = match kind {
        ImportKind::Tasks => "任务分解表.xlsx",
        ImportKind::Projects => "重点工程项目.xlsx",
    };
    let (name, options) = import_query(q, default_name)?;
    let report = import_data(&state, &me, kind, &name, &body, &options).await?;
    Ok(if report.ok() {
        let report = ImportReportView::of(report);
        (StatusCode::OK, Json(ImportedView { report })).into_response()
    } else {
        // Refused whole: the error says why in one sentence, the report
        // row by row.
        let error = report.summary();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ImportRefusedView {
                error,
                report: ImportReportView::of(report),
            }),
        )
            .into_response()
    })
}

async fn import_tasks(
    State(state): State<AppState>,
    me: Current,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<Response> {
    import(state, me, ImportKind::Tasks, q, body).await
}

async fn import_projects(
    State(state): State<AppState>,
    me: Current,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<Response> {
    import(state, me, ImportKind::Projects, q, body).await
}
