//! Excel over HTTP: the ledger (台账) as an .xlsx download, scoped like the
//! board (the office sees every unit, a leader the units they oversee, a
//! unit's users their own unit), and importing a task list or a key-project
//! list from an .xlsx body (office only). An import answers with the
//! per-row report: 200 when every row was imported (or, on a dry run,
//! would be), 422 with the same report when the file was refused and
//! nothing was written.

use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::{is_office, Scope};
use crate::params::Filter;
use crate::views::{ImportParams, LedgerParams};
use crate::views::{ImportRefusedView, ImportReportView, ImportedView};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use duban_domain::events::EventKind;
use duban_service::excel::{self, ImportOptions, ImportReport, Ledger, LedgerFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

/// The largest workbook an import takes. Task lists are small; this leaves
/// room for pictures pasted into a sheet.
pub(crate) const IMPORT_LIMIT: usize = 16 * 1024 * 1024;

/// The media type of an .xlsx file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ledger))
        .routes(routes!(import_tasks).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .routes(routes!(import_projects).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
}

/// The ledger `params` ask for (`unit`: unit ids; `status`: open, closed
/// or withdrawn) within the caller's scope; the public has none.
pub(crate) async fn ledger_data(
    state: &AppState,
    me: &Current,
    params: &LedgerParams,
) -> ApiResult<Ledger> {
    crate::matters::business_only(&me.user)?;
    let LedgerParams {
        unit: units,
        status,
    } = params.clone();
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

#[utoipa::path(
    get,
    path = "/ledger.xlsx",
    operation_id = "get_api_v1_ledger_xlsx",
    tag = "Excel",
    summary = "导出台账（Excel）",
    description = "督办事项台账，.xlsx 文件：每个事项的每个承办单位一行，列为序号、事项编号、任务内容、牵头单位、配合单位、承办单位、角色、完成时限、进展情况（该单位最近一次反馈）、状态、灯色、签收时间、最近反馈、办结等次、来源；日期为 Excel 日期。督查室导出全部单位，分管领导导出所分管单位，承办单位导出本单位；企业群众不能导出。",
    params(LedgerParams),
    responses(
        (status = 200, description = "台账 .xlsx 文件", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众不能导出台账", body = crate::error::ErrorBody),
        (status = 422, description = "事项过多，请筛选后分批导出", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn ledger(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<LedgerParams>,
) -> ApiResult<Response> {
    let l = ledger_data(&state, &me, &params).await?;
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

async fn import(
    state: AppState,
    me: Current,
    kind: ImportKind,
    params: ImportParams,
    body: Bytes,
) -> ApiResult<Response> {
    let default_name = match kind {
        ImportKind::Tasks => "任务分解表.xlsx",
        ImportKind::Projects => "重点工程项目.xlsx",
    };
    let name = params.name.unwrap_or_else(|| default_name.to_string());
    let options = ImportOptions {
        dry_run: params.dry_run,
        matter_type: params.matter_type,
        list: params.list,
    };
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

#[utoipa::path(
    post,
    path = "/imports/tasks",
    operation_id = "post_api_v1_imports_tasks",
    tag = "Excel",
    summary = "导入任务分解表（Excel）",
    description = "请求体为 .xlsx（或 .xls）文件本身。读取第一个有任务表头的工作表（表头可在标题行之下；列名可为 任务内容/工作任务/重点任务/具体任务、牵头单位/责任单位、配合单位/协办单位、完成时限/时限要求/完成时间），纵向合并的单元格按首格取值，分组标题、表注和合计行跳过。单位名称须能对应到单位名录。每一行都可导入时才一次性全部立项交办（来源为清单，序号为清单项目）；任何一行不能导入时一行也不写入，返回 422 及逐行报告（行号、可导入或不能导入的原因、对应的单位和完成时限）。dry_run=true 只检查不写入。仅督查室。",
    params(ImportParams),
    request_body(content((ref("#/components/schemas/XlsxFile") = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (ref("#/components/schemas/XlsxFile") = "application/octet-stream"))),
    responses(
        (status = 200, description = "已全部导入（dry_run 时为检查通过），附逐行报告", body = crate::views::ImportedView),
        (status = 400, description = "参数有误或文件过大", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 413, description = "文件过大", body = crate::error::ErrorBody),
        (status = 422, description = "文件未导入（无法读取、没有表头，或有不能导入的行），附逐行报告", body = ref("#/components/schemas/ImportRefusedViewOrError")),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn import_tasks(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<ImportParams>,
    body: Bytes,
) -> ApiResult<Response> {
    import(state, me, ImportKind::Tasks, params, body).await
}

#[utoipa::path(
    post,
    path = "/imports/projects",
    operation_id = "post_api_v1_imports_projects",
    tag = "Excel",
    summary = "导入重点工程项目（Excel）",
    description = "请求体为 .xlsx（或 .xls）文件本身。列为 项目名称、项目单位（或 责任单位、建设单位）、建设内容（可无）、总投资和年度计划投资（万元；表头注明亿元或元时自动换算）、计划开工时间、计划竣工时间（或 建设年限，如 2024-2026）；表头可为两行。每个项目成为一个督办事项：项目单位为牵头单位，计划竣工时间为完成时限，投资额和计划时间记入量化指标。与任务分解表相同，全部可导入才写入，否则返回 422 及逐行报告。仅督查室。",
    params(ImportParams),
    request_body(content((ref("#/components/schemas/XlsxFile") = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (ref("#/components/schemas/XlsxFile") = "application/octet-stream"))),
    responses(
        (status = 200, description = "已全部导入（dry_run 时为检查通过），附逐行报告", body = crate::views::ImportedView),
        (status = 400, description = "参数有误或文件过大", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 413, description = "文件过大", body = crate::error::ErrorBody),
        (status = 422, description = "文件未导入，附逐行报告", body = ref("#/components/schemas/ImportRefusedViewOrError")),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn import_projects(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<ImportParams>,
    body: Bytes,
) -> ApiResult<Response> {
    import(state, me, ImportKind::Projects, params, body).await
}
