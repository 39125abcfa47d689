//! Problems raised by enterprises and the public (诉求). The raiser writes
//! what, where and how to reach them, then follows it to its answer; the
//! office lists them, accepts one as a matter assigned to lead units, or
//! rejects it with a reason the raiser reads.

use super::form::Fields;
use super::layout::{self, Kind};
use super::{unit_ids, PageError, PageResult, Viewer};
use crate::appeals::{accept_data, create_data, list_data, reject_data, Accept, Raise, Reject};
use crate::error::ApiError;
use crate::matters::parse_id;
use crate::params::FromParams;
use crate::views::{AppealListQuery, AppealView};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use duban_domain::matter::MatterStatus;
use duban_domain::org::Role;
use duban_store::appeals::AppealStatus;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list))
        .route("/appeals/new", get(new_form).post(raise))
        .route("/appeals/{id}", get(detail))
        .route("/appeals/{id}/accept", post(accept))
        .route("/appeals/{id}/reject", post(reject))
}

/// The status of an appeal as the raiser follows it.
fn progress(a: &AppealView) -> String {
    match (a.status, &a.matter) {
        (AppealStatus::Accepted, Some(m)) if m.status == MatterStatus::Closed => "已办结".into(),
        (AppealStatus::Accepted, Some(m)) => format!("已受理，{}", m.status_label),
        _ => a.status_label.clone(),
    }
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let mut params: HashMap<String, String> = HashMap::new();
    for k in ["status", "offset", "after"] {
        if let Some(v) = q.get(k) {
            params.insert(k.into(), v.clone());
        }
    }
    let data = list_data(
        &state,
        &viewer.current,
        &AppealListQuery::from_query(params)?,
    )
    .await?;
    let appeals = &data.appeals;
    let public = viewer.user().role == Role::Public;
    let status = q.get("status").cloned().unwrap_or_default();
    let body = html! {
        h1 { @if public { "我的诉求" } @else { "企业群众诉求" } }
        (layout::notices(q.get("ok").map(String::as_str), None))
        @if public {
            p { a.button href="/appeals/new" { "提交新诉求" } }
        } @else {
            form.filters method="get" action="/appeals" {
                label { span { "状态" }
                    select name="status" {
                        option value="" { "全部" }
                        @for (v, l) in AppealStatus::ALL.map(|s| (s.code(), s.label())) {
                            option value=(v) selected[status == v] { (l) }
                        }
                    }
                }
                button type="submit" { "筛选" }
            }
        }
        table.wide {
            thead { tr { th { "编号" } th { "诉求" } th { "地点" } th { "提交时间" } th { "进度" } } }
            tbody {
                @for a in appeals {
                    tr {
                        td.num data-label="编号" { (a.id) }
                        td data-label="诉求" { a href=(format!("/appeals/{}", a.id)) { (a.title) } }
                        td data-label="地点" { (a.location) }
                        td data-label="提交时间" { (a.created_at_local.chars().take(10).collect::<String>()) }
                        td data-label="进度" { (progress(a)) }
                    }
                }
                @if appeals.is_empty() { tr { td colspan="5" .muted { "暂无诉求。" } } }
            }
        }
        (layout::keyset_pager(
            "/appeals",
            &[("status", status.as_str())],
            data.total,
            q.contains_key("after") || data.offset > 0,
            data.next.as_deref(),
        ))
    };
    Ok(layout::page(&viewer, "诉求", "/appeals", body))
}

fn raise_page(viewer: &Viewer, f: &Fields, error: Option<&str>) -> Markup {
    let body = html! {
        h1 { "提交诉求" }
        p.muted { "请写明遇到的问题、发生的地点和联系方式；督查室受理后交办有关单位，办理结果会在这里告诉您。" }
        (layout::notices(None, error))
        form.stack method="post" action="/appeals/new" {
            (layout::csrf(viewer))
            (layout::input("title", "标题（一句话概括）", f.get("title"), Kind::Text, true))
            (layout::textarea("content", "问题描述", f.get("content"), true))
            (layout::input("location", "地点", f.get("location"), Kind::Text, true))
            (layout::input("contact", "联系人及电话", f.get("contact"), Kind::Text, true))
            button type="submit" { "提交" }
        }
    };
    layout::page(viewer, "提交诉求", "/appeals/new", body)
}

async fn new_form(viewer: Viewer) -> PageResult<Markup> {
    if viewer.user().role != Role::Public {
        return Err(ApiError::Forbidden(
            "诉求由企业和群众账号提交；督查室请直接新建督办事项".into(),
        )
        .into());
    }
    Ok(raise_page(&viewer, &Fields::default(), None))
}

async fn raise(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    let outcome = async {
        viewer.check_csrf(&fields)?;
        create_data(
            &state,
            &viewer.current,
            Raise {
                title: fields.get("title").into(),
                content: fields.get("content").into(),
                location: fields.get("location").into(),
                contact: fields.get("contact").into(),
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(v) => Ok(super::done(&format!("/appeals/{}", v.appeal.id), "raised")),
        Err(e) => {
            let (status, message) = e.status_and_message();
            Ok((status, raise_page(&viewer, &fields, Some(message))).into_response())
        }
    }
}

/// The office's forms on a pending appeal, keeping what was typed.
fn decide_forms(
    viewer: &Viewer,
    a: &AppealView,
    types: &[String],
    f: &Fields,
    failed: Option<(&str, &str)>,
) -> Markup {
    let id = a.id;
    let err = |which: &str| {
        failed
            .filter(|(w, _)| *w == which)
            .map(|(_, m)| m.to_string())
    };
    let title = if f.get("title").is_empty() {
        a.title.as_str()
    } else {
        f.get("title")
    };
    html! {
        h2 { "受理" }
        form.stack method="post" action=(format!("/appeals/{id}/accept")) {
            (layout::csrf(viewer))
            input type="hidden" name="version" value=(a.version);
            @if let Some(m) = err("accept") { p.error role="alert" { (m) } }
            (layout::input("title", "事项标题", title, Kind::Text, true))
            (layout::type_select("type", types, f.get("type")))
            (layout::input("deadline", "完成时限", f.get("deadline"), Kind::Date, false))
            (layout::input("lead", "牵头单位（多个用、分隔）", f.get("lead"), Kind::Units, true))
            (layout::input("co", "配合单位", f.get("co"), Kind::Units, false))
            button type="submit" { "受理并交办" }
        }
        h2 { "不予受理" }
        form.stack method="post" action=(format!("/appeals/{id}/reject")) {
            (layout::csrf(viewer))
            input type="hidden" name="version" value=(a.version);
            @if let Some(m) = err("reject") { p.error role="alert" { (m) } }
            (layout::textarea("reason", "理由（诉求人可见）", f.get("reason"), true))
            button.secondary type="submit" { "不予受理" }
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    f: &Fields,
    failed: Option<(&str, &str)>,
) -> PageResult<Markup> {
    let a = crate::appeals::visible_appeal(state, viewer.user(), id).await?;
    let a = crate::appeals::appeal_view(state, &a).await?;
    let (names, types): (Vec<String>, Vec<String>) = if viewer.is_office() {
        let units = crate::units::units_data(state, &viewer.current)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect();
        (units, super::type_names(state).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let body = html! {
        p.muted { a href="/appeals" { "诉求" } " › " (id) }
        h1 { (a.title) }
        (layout::notices(notice, None))
        table {
            tr { th { "进度" } td { (progress(&a)) } }
            tr { th { "问题描述" } td.pre { (a.content) } }
            tr { th { "地点" } td { (a.location) } }
            tr { th { "联系方式" } td { (a.contact) } }
            tr { th { "提交时间" } td { (a.created_at_local) } }
            @if let Some(r) = &a.reason { tr { th { "不予受理理由" } td { (r) } } }
            @if let Some(m) = &a.matter {
                tr { th { "督办事项" } td { a href=(format!("/matters/{}", m.id)) { (m.title) } " · " (m.status_label) } }
            }
        }
        @if let Some(answer) = &a.answer {
            h2 { "办理结果" }
            div.card { p.pre { (answer.text) } }
        }
        @if viewer.is_office() && a.status == AppealStatus::Pending {
            (layout::unit_datalist(&names))
            (decide_forms(viewer, &a, &types, f, failed))
        }
    };
    Ok(layout::page(viewer, "诉求", "/appeals", body))
}

async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "诉求")?;
    render(
        &state,
        &viewer,
        id,
        q.get("ok").map(String::as_str),
        &Fields::default(),
        None,
    )
    .await
}

fn version(f: &Fields) -> Option<i64> {
    f.get("version").parse().ok()
}

/// Shows the appeal again with the refused form's message, or the error
/// page when the appeal itself is out of reach.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    f: &Fields,
    which: &str,
    e: ApiError,
) -> PageResult<Response> {
    if matches!(e, ApiError::NotFound(_) | ApiError::Internal(_)) {
        return Err(PageError::Api(e));
    }
    let (status, message) = e.status_and_message();
    let status = if status == StatusCode::BAD_REQUEST {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let page = render(state, viewer, id, None, f, Some((which, message))).await?;
    Ok((status, page).into_response())
}

async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "诉求")?;
    let outcome = async {
        viewer.check_csrf(&f)?;
        let units = crate::units::units_data(&state, &viewer.current).await?;
        let lead = unit_ids(&units, f.get("lead"), "牵头单位")?;
        let co = unit_ids(&units, f.get("co"), "配合单位")?;
        accept_data(
            &state,
            &viewer.current,
            id,
            Accept {
                title: f.opt("title"),
                type_name: f.get("type").into(),
                deadline: f.opt("deadline"),
                lead,
                co,
                version: version(&f),
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(_) => Ok(super::done(&format!("/appeals/{id}"), "accepted")),
        Err(e) => refused(&state, &viewer, id, &f, "accept", e).await,
    }
}

async fn reject(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "诉求")?;
    let outcome = async {
        viewer.check_csrf(&f)?;
        reject_data(
            &state,
            &viewer.current,
            id,
            Reject {
                reason: f.get("reason").into(),
                version: version(&f),
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(_) => Ok(super::done(&format!("/appeals/{id}"), "appeal_rejected")),
        Err(e) => refused(&state, &viewer, id, &f, "reject", e).await,
    }
}
