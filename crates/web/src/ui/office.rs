//! The office's actions on a matter page (催办, 改派, 调整时限, 修改, 撤销),
//! the urgings every unit reads on its matter, and the printable notices:
//! the 督办通知单 (交办单) of a matter with its number, and the 催办单 of an
//! urging. The forms post to the same `*_data` functions as the API.

use super::form::Fields;
use super::layout::{self, Kind};
use super::matter::{render, Failed};
use super::{text, unit_ids, PageError, PageResult, Viewer};
use crate::error::ApiError;
use crate::matters::{detail_data, parse_id};
use crate::office::{self as api, Deadline, Edit, Reassign, Urge, URGE_WORD};
use crate::views::MatterView;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use duban_domain::matter::Role as UnitRole;
use duban_domain::org::Role;
use maud::{html, Markup};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/matters/{id}/urge", post(urge))
        .route("/matters/{id}/reassign", post(reassign))
        .route("/matters/{id}/deadline", post(deadline))
        .route("/matters/{id}/edit", post(edit))
        .route("/matters/{id}/withdraw", post(withdraw))
        .route("/matters/{id}/notice", get(notice))
        .route("/urgings/{id}", get(urging))
        .route("/tracks/{id}/handler", post(pass_handler))
        .route("/matters/{id}/instructions", post(instruct))
}

/// The names of a matter's units with a role, withdrawn tracks left out,
/// joined by 、.
fn units_in(m: &MatterView, role: UnitRole) -> String {
    m.tracks
        .iter()
        .filter(|t| t.role == role && t.state != "withdrawn")
        .map(|t| t.unit_name.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("、")
}

/// The office's forms on an open matter, each keeping what was typed when
/// it was refused.
pub(crate) fn panel(viewer: &Viewer, m: &MatterView, failed: Option<&Failed>) -> Markup {
    let id = m.fields.id;
    let val = |action: &str, name: &str, default: String| {
        failed
            .filter(|f| f.track == 0 && f.action == action)
            .map(|f| f.fields.get(name).to_string())
            .unwrap_or(default)
    };
    let units_of = |role: UnitRole| units_in(m, role);
    let version = m.fields.version;
    let form = |action: &str, title: &str, fields: Markup, button: &str| {
        html! {
            details.office-action open[failed.is_some_and(|f| f.track == 0 && f.action == action)] {
                summary { (title) }
                form method="post" action=(format!("/matters/{id}/{action}")) {
                    (layout::csrf(viewer))
                    input type="hidden" name="version" value=(version);
                    (fields)
                    button type="submit" { (button) }
                }
            }
        }
    };
    html! {
        section.office-actions {
            h2 { "督查室操作" }
            (form("urge", "催办", html! {
                (layout::textarea("text", "催办内容", &val("urge", "text", "请抓紧办理，按时限签收、反馈。".into()), true))
                p.muted { "向未办结的承办单位各发一份催办单，并按已配置的渠道通知。" }
            }, "发出催办"))
            (form("reassign", "改派", html! {
                (layout::input("lead", "牵头单位（多个用、分隔）", &val("reassign", "lead", units_of(UnitRole::Lead)), Kind::Units, true))
                (layout::input("co", "配合单位（多个用、分隔）", &val("reassign", "co", units_of(UnitRole::Co)), Kind::Units, false))
                (layout::textarea("reason", "改派理由", &val("reassign", "reason", String::new()), true))
            }, "改派"))
            (form("deadline", "调整时限", html! {
                (layout::input("deadline", "新的完成时限", &val("deadline", "deadline", String::new()), Kind::Date, true))
                (layout::textarea("reason", "调整理由", &val("deadline", "reason", String::new()), true))
            }, "调整时限"))
            (form("edit", "修改标题和内容", html! {
                (layout::input("title", "事项标题", &val("edit", "title", m.fields.title.clone()), Kind::Text, true))
                (layout::textarea("detail", "事项内容", &val("edit", "detail", m.fields.detail.clone()), false))
                (layout::textarea("reason", "修改理由", &val("edit", "reason", String::new()), true))
            }, "保存修改"))
            (form("withdraw", "撤销事项", html! {
                (layout::textarea("reason", "撤销理由", &val("withdraw", "reason", String::new()), true))
            }, "撤销"))
        }
    }
}

/// The urgings of a matter as the viewer may read them, with links to
/// their 催办单.
pub(crate) fn urgings(m: &MatterView) -> Markup {
    let list = m.urgings.as_deref().unwrap_or_default();
    html! {
        @if !list.is_empty() {
            h2 { "催办记录" }
            table.urgings {
                thead { tr { th { "催办单" } th { "单位" } th { "时间" } th { "催办内容" } } }
                tbody {
                    @for u in list {
                        tr {
                            td data-label="催办单" { a href=(format!("/urgings/{}", u.id)) { (u.number) } }
                            td data-label="单位" { (u.unit_name.as_deref().unwrap_or_default()) }
                            td data-label="时间" { (u.at_local) }
                            td data-label="催办内容" { (u.text) }
                        }
                    }
                }
            }
        }
    }
}

/// The version field of a form, when it reads as a number.
fn version(f: &Fields) -> Option<i64> {
    f.get("version").trim().parse().ok()
}

/// After an office form: back to the matter with a notice, or the matter
/// again with the message and what was typed.
pub(crate) async fn outcome<T>(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    action: &str,
    f: &Fields,
    done: Result<T, ApiError>,
) -> PageResult<Response> {
    match done {
        Ok(_) => Ok(super::done(
            &format!("/matters/{id}"),
            &format!("office_{action}"),
        )),
        Err(e @ (ApiError::NotFound(_) | ApiError::Internal(_))) => Err(PageError::Api(e)),
        Err(e) => {
            let (status, message) = e.status_and_message();
            let failed = Failed {
                track: 0,
                action: action.to_string(),
                fields: f.without(&["_csrf"]),
                message: message.to_string(),
            };
            let page = render(state, viewer, id, None, Some(&failed)).await?;
            let status = if status == StatusCode::FORBIDDEN || status == StatusCode::CONFLICT {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, page).into_response())
        }
    }
}

async fn urge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        let body = Urge {
            text: f.get("text").to_string(),
            units: Vec::new(),
        };
        api::urge_data(&state, &viewer.current, &raw, body).await
    }
    .await;
    outcome(&state, &viewer, id, "urge", &f, done).await
}

async fn reassign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        let units = crate::units::units_data(&state, &viewer.current).await?;
        let body = Reassign {
            lead: unit_ids(&units, f.get("lead"), "牵头单位")?,
            co: unit_ids(&units, f.get("co"), "配合单位")?,
            reason: f.get("reason").to_string(),
            version: version(&f),
        };
        api::reassign_data(&state, &viewer.current, &raw, body).await
    }
    .await;
    outcome(&state, &viewer, id, "reassign", &f, done).await
}

async fn deadline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        let body = Deadline {
            deadline: f.get("deadline").to_string(),
            reason: f.get("reason").to_string(),
            version: version(&f),
        };
        api::deadline_data(&state, &viewer.current, &raw, body).await
    }
    .await;
    outcome(&state, &viewer, id, "deadline", &f, done).await
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        let body = Edit {
            title: Some(f.get("title").to_string()),
            detail: Some(f.get("detail").to_string()),
            reason: f.get("reason").to_string(),
            version: version(&f),
        };
        api::edit_data(&state, &viewer.current, &raw, body).await
    }
    .await;
    outcome(&state, &viewer, id, "edit", &f, done).await
}

async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        crate::matters::withdraw_data(&state, &viewer.current, id, f.get("reason"), version(&f))
            .await
    }
    .await;
    outcome(&state, &viewer, id, "withdraw", &f, done).await
}

/// A printed sheet: the issuing office's header, the title, its rows.
fn sheet(heading: &str, number: &str, rows: Markup, foot: Markup) -> Markup {
    html! {
        p.muted.no-print { "用浏览器的打印功能（Ctrl+P）打印本页。" }
        article.sheet {
            p.sheet-office { "区人民政府督查室" }
            h1.sheet-title { (heading) }
            p.sheet-number { (number) }
            table.sheet-table { (rows) }
            (foot)
        }
    }
}

/// The 督办通知单 (交办单) of a matter: its number, the matter, the units
/// and the limits each must keep.
async fn notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "事项")?;
    if viewer.user().role == Role::Public {
        return Err(ApiError::NotFound(format!("事项 {id} 不存在")).into());
    }
    let data = detail_data(&state, &viewer.current, id).await?;
    let m = &data.matter;
    let assigned = m.fields.created_at.date().to_string();
    let rows = html! {
        tr { th { "事项" } td { (m.fields.title) } }
        tr { th { "事项内容" } td.pre { (m.fields.detail) } }
        tr { th { "事项类型" } td { (m.fields.type_name) } }
        tr { th { "来源" } td { (m.fields.source_label) } }
        tr { th { "牵头单位" } td { (units_in(m, UnitRole::Lead)) } }
        tr { th { "配合单位" } td { (units_in(m, UnitRole::Co)) } }
        tr { th { "交办日期" } td { (assigned) } }
        tr { th { "完成时限" } td { (m.completion.as_ref().map_or("", |c| c.text.as_str())) } }
        tr { th { "办理要求" } td {
            "按“13710”工作要求：当天签收并研究部署，3日内反馈进展，普通事项7日内办结、重大复杂事项1个月内办结；确需延期的，须提出时间表和路线图。"
        } }
    };
    let number = m
        .notice_number
        .clone()
        .flatten()
        .unwrap_or_else(|| "（未编号）".into());
    let body = html! {
        p.muted.no-print { a href=(format!("/matters/{id}")) { "返回事项" } }
        (sheet("督办通知单", &number, rows, html! {
            p.sheet-sign { "区人民政府督查室" br; (assigned) }
        }))
    };
    Ok(layout::page(&viewer, "督办通知单", "/board", body))
}

/// The 催办单 of one urging, for the office, the unit urged and leaders
/// who see the matter.
async fn urging(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "催办单")?;
    let (u, m) = api::urging_data(&state, &viewer.current, id).await?;
    let units = crate::matters::unit_names(&state).await?;
    let v = api::urging_view(&u, &units);
    let rows = html! {
        tr { th { "承办单位" } td { (v.unit_name.as_deref().unwrap_or_default()) } }
        tr { th { "事项" } td { a href=(format!("/matters/{}", m.matter.id)) { (m.matter.title) } } }
        tr { th { "催办时间" } td { (v.at_local) } }
        tr { th { "未办时限" } td {
            @match v.due.as_ref().filter(|d| !d.is_null()) {
                None => "—",
                // Recorded free-form when the urging was made.
                Some(due) => { (text(&due["date"])) " " (text(&due["label"])) "（" (text(&due["text"])) "）" }
            }
        } }
        tr { th { "催办内容" } td.pre { (v.text) } }
        tr { th { "办理要求" } td { "请接此单后抓紧办理，并在督办系统中反馈办理情况。" } }
    };
    let body = html! {
        p.muted.no-print { a href=(format!("/matters/{}", m.matter.id)) { "返回事项" } }
        (sheet("催办单", &u.number.text(URGE_WORD), rows, html! {
            p.sheet-sign { "区人民政府督查室" br; (u.created_local.date()) }
        }))
    };
    Ok(layout::page(&viewer, "催办单", "/board", body))
}

/// The unit passes a track to a 承办人; back to the matter either way.
async fn pass_handler(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "办理记录")?;
    let matter = crate::matters::visible_track(&state, &viewer.current, id)
        .await?
        .1
        .matter
        .id;
    let done = async {
        viewer.check_csrf(&f)?;
        let handler = f.get("handler").trim().parse().ok();
        crate::handler::pass_data(
            &state,
            &viewer.current,
            id,
            crate::handler::Pass {
                handler,
                note: f.get("note").to_string(),
            },
        )
        .await
    }
    .await;
    outcome(&state, &viewer, matter, "handler", &f, done).await
}

/// The leaders' 批示 on a matter, and the form for a leader to write one.
pub(crate) fn instructions(viewer: &Viewer, m: &MatterView, failed: Option<&Failed>) -> Markup {
    let list = m.instructions.as_deref().unwrap_or_default();
    let leader = viewer.user().role == Role::Leader;
    let typed = failed
        .filter(|f| f.track == 0 && f.action == "instruct")
        .map(|f| f.fields.get("text").to_string())
        .unwrap_or_default();
    html! {
        @if !list.is_empty() || leader {
            h2 { "领导批示" }
            @for i in list {
                blockquote.instruction {
                    p.pre { (i.text.as_deref().unwrap_or_default()) }
                    footer.muted { (i.leader_name) " · " (i.at_local) }
                }
            }
            @if leader {
                form.instruct method="post" action=(format!("/matters/{}/instructions", m.fields.id)) {
                    (layout::csrf(viewer))
                    (layout::textarea("text", "批示内容", &typed, true))
                    button type="submit" { "批示" }
                }
            }
        }
    }
}

async fn instruct(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "事项")?;
    let done = async {
        viewer.check_csrf(&f)?;
        crate::leaders::instruct_data(
            &state,
            &viewer.current,
            id,
            crate::leaders::Instruct {
                text: f.get("text").to_string(),
            },
        )
        .await
    }
    .await;
    outcome(&state, &viewer, id, "instruct", &f, done).await
}
