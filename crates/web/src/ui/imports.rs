//! The office's Excel page (导入): upload a 任务分解表 or a 重点工程项目
//! list, optionally only checking it, and read the per-row report the API
//! gives — rows that were (or would be) imported in green with their units
//! and deadline, refused rows with every reason, skipped rows with why.
//! Also the ledger download for the browser session (`/ledger.xlsx`),
//! scoped as the API scopes it. The page renders the very report
//! `crate::excel::import_data` returns, so page and API agree.

use super::form::Fields;
use super::layout::{self, light};
use super::{type_names, PageResult, Viewer};
use crate::error::ApiError;
use crate::excel::{
    import_data, ledger_data, ledger_file_name, xlsx_response, ImportKind, IMPORT_LIMIT,
};
use crate::params::FromParams;
use crate::views::LedgerParams;
use crate::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use duban_service::excel::{ImportOptions, ImportReport, ReportRow, UnitRef};
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/imports", get(page))
        .route(
            "/imports/tasks",
            post(upload_tasks).layer(DefaultBodyLimit::max(IMPORT_LIMIT + 64 * 1024)),
        )
        .route(
            "/imports/projects",
            post(upload_projects).layer(DefaultBodyLimit::max(IMPORT_LIMIT + 64 * 1024)),
        )
        .route("/ledger.xlsx", get(ledger))
}

fn office_only(viewer: &Viewer) -> Result<(), ApiError> {
    if viewer.is_office() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("只有督查室可以导入任务清单".into()))
    }
}

async fn page(State(state): State<AppState>, viewer: Viewer) -> PageResult<Markup> {
    office_only(&viewer)?;
    render(&state, &viewer, None, None).await
}

/// One upload form.
fn upload_form(viewer: &Viewer, action: &str, title: &str, hint: &str, types: &[String]) -> Markup {
    html! {
        section.card {
            h2 { (title) }
            form.stack method="post" action=(action) enctype="multipart/form-data" {
                (layout::csrf(viewer))
                label {
                    span { "Excel 文件（.xlsx 或 .xls）" }
                    input type="file" name="file" accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" required;
                }
                label {
                    span { "事项类型" }
                    select name="type" {
                        @for t in types {
                            option value=(t) selected[t == "持续推进事项"] { (t) }
                        }
                    }
                }
                label {
                    span { "清单名称（可不填：取表格标题或文件名）" }
                    input type="text" name="list";
                }
                label {
                    span { "只检查不导入" }
                    input type="checkbox" name="dry_run" value="1";
                }
                button type="submit" { "上传" }
            }
            p.muted { (hint) }
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    report: Option<&ImportReport>,
    error: Option<&str>,
) -> PageResult<Markup> {
    let types = type_names(state).await?;
    let body = html! {
        h1 { "Excel 导入导出" }
        (layout::notices(None, error))
        @if let Some(r) = report { (report_view(r)) }
        section.card {
            h2 { "导出台账（Excel）" }
            form.stack method="get" action="/ledger.xlsx" {
                label {
                    span { "事项状态" }
                    select name="status" {
                        option value="" { "全部" }
                        option value="open" { "办理中" }
                        option value="closed" { "已销号" }
                    }
                }
                button type="submit" { "导出台账（Excel）" }
            }
            p.muted { "每个事项的每个承办单位一行：任务内容、牵头单位、配合单位、完成时限、进展情况、状态、灯色、签收时间、最近反馈、办结等次、来源。" }
        }
        (upload_form(viewer, "/imports/tasks", "导入任务分解表",
            "表头可在标题行之下，列名如 序号、任务内容（或 工作任务、重点任务）、牵头单位（或 责任单位）、配合单位、完成时限。每一行都能导入时才一次性全部立项交办；有一行不能导入，则一行也不写入，并逐行说明原因。",
            &types))
        (upload_form(viewer, "/imports/projects", "导入重点工程项目",
            "列名如 项目名称、项目单位（或 责任单位）、建设内容、总投资（万元）、年度计划投资（万元）、计划开工时间、计划竣工时间（或 建设年限）。项目单位为牵头单位，计划竣工时间为完成时限。",
            &types))
    };
    Ok(layout::page(viewer, "Excel 导入导出", "/imports", body))
}

fn units(list: &[UnitRef]) -> String {
    if list.is_empty() {
        return "—".into();
    }
    list.iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The status label of a row as a coloured mark.
fn status_mark(row: &ReportRow) -> Markup {
    let code = match row.status {
        "accepted" => "green",
        "refused" => "red",
        _ => "unknown",
    };
    light(code, row.status_label)
}

/// The report: one sentence, the sheet and columns read, then every row.
fn report_view(r: &ImportReport) -> Markup {
    let class = if r.ok() { "notice" } else { "error" };
    html! {
        section.card #report {
            h2 { "导入报告：" (r.file) }
            p class=(class) role="status" { (r.summary()) }
            @if let (Some(sheet), Some(h)) = (&r.sheet, r.header_row) {
                p.muted {
                    "工作表“" (sheet) "”，表头在第 " (h) " 行，清单“" (r.list) "”。读取的列："
                    @for (i, (label, header)) in r.columns.iter().enumerate() {
                        @if i > 0 { "、" }
                        (label) @if label != header { "（" (header) "）" }
                    }
                }
            }
            @if !r.notes.is_empty() {
                ul { @for n in &r.notes { li { (n) } } }
            }
            @if !r.rows.is_empty() {
                table.wide {
                    thead { tr {
                        th.num { "行" } th { "结果" } th { "序号" } th { "任务或项目" } th { "牵头单位" } th { "配合单位" } th { "完成时限" } th { "事项类型" } th { "说明" }
                    } }
                    tbody {
                        @for row in &r.rows {
                            tr data-status=(row.status) {
                                td.num data-label="行" { (row.row) }
                                td data-label="结果" { (status_mark(row)) }
                                td data-label="序号" { (row.item.as_deref().unwrap_or("—")) }
                                td data-label="任务或项目" {
                                    @match (row.matter_id, row.title.as_deref()) {
                                        (Some(id), Some(t)) => a href=(format!("/matters/{id}")) { (t) },
                                        (None, Some(t)) => (t),
                                        _ => span.muted { "—" },
                                    }
                                }
                                td data-label="牵头单位" { (units(&row.lead)) }
                                td data-label="配合单位" { (units(&row.co)) }
                                td data-label="完成时限" { (row.deadline.map_or("—".to_string(), |d| d.to_string())) }
                                td data-label="事项类型" { (row.matter_type.as_deref().unwrap_or("—")) }
                                td data-label="说明" {
                                    @for reason in &row.reasons { div { (reason) } }
                                    @for n in &row.notes { div.muted { (n) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn read_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::BadRequest(format!(
            "文件超过 {} MB；请删去表中的图片或拆分后导入",
            IMPORT_LIMIT / 1024 / 1024
        ))
    } else {
        ApiError::BadRequest("上传中断或表单不完整；请重新选择文件上传".into())
    }
}

/// Reads the upload form: the file, its name and the options, after the
/// CSRF check.
async fn read_form(
    viewer: &Viewer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>, ImportOptions), ApiError> {
    let mut mp =
        multipart.map_err(|_| ApiError::BadRequest("请通过本页的上传表单选择文件".into()))?;
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(read_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let n = field.file_name().unwrap_or_default();
            let n = n.rsplit(['/', '\\']).next().unwrap_or(n).trim().to_string();
            file = Some((n, field.bytes().await.map_err(read_error)?.to_vec()));
        } else {
            fields.push((name, field.text().await.map_err(read_error)?));
        }
    }
    let fields = Fields(fields);
    viewer.check_csrf(&fields)?;
    // A browser sends an empty, nameless part when no file was chosen.
    let (name, bytes) = file
        .filter(|(n, b)| !n.is_empty() || !b.is_empty())
        .ok_or_else(|| ApiError::BadRequest("请选择要导入的 Excel 文件".into()))?;
    let options = ImportOptions {
        matter_type: fields.opt("type"),
        dry_run: !fields.get("dry_run").is_empty(),
        list: fields.opt("list"),
    };
    Ok((name, bytes, options))
}

async fn upload(
    state: AppState,
    viewer: Viewer,
    kind: ImportKind,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult<Response> {
    office_only(&viewer)?;
    let outcome = async {
        let (name, bytes, options) = read_form(&viewer, multipart).await?;
        let name = if name.is_empty() {
            "上传文件.xlsx".to_string()
        } else {
            name
        };
        import_data(&state, &viewer.current, kind, &name, &bytes, &options).await
    }
    .await;
    match outcome {
        Ok(report) => {
            let status = if report.ok() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = render(&state, &viewer, Some(&report), None).await?;
            Ok((status, page).into_response())
        }
        Err(e @ ApiError::Internal(_)) => Err(e.into()),
        Err(e) => {
            let (status, message) = e.status_and_message();
            let status = if status == StatusCode::FORBIDDEN {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = render(&state, &viewer, None, Some(message)).await?;
            Ok((status, page).into_response())
        }
    }
}

async fn upload_tasks(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult<Response> {
    upload(state, viewer, ImportKind::Tasks, multipart).await
}

async fn upload_projects(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult<Response> {
    upload(state, viewer, ImportKind::Projects, multipart).await
}

/// The ledger for the signed-in user, with the API's filters (`status`,
/// `unit`) and scope.
async fn ledger(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Response> {
    // An empty filter from the form means "all".
    let q: HashMap<String, String> = q
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let l = ledger_data(&state, &viewer.current, &LedgerParams::from_query(q)?).await?;
    Ok(xlsx_response(l.bytes, &ledger_file_name(&state)))
}
