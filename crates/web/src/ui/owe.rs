//! A unit's "what we owe" (本单位待办): matters to sign for, reports due
//! soonest first, overdue ones in red, close applications waiting for the
//! office, each with the actions the unit may take right there. A
//! co-operating unit's rows say so and lead to the matter, where the lead
//! unit's reports show what it asked.

use super::layout::{self, light};
use super::matter::track_actions;
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::params::offset_param;
use crate::tracks::list_data;
use crate::views::{LightCode, TrackListQuery, TrackView};
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use duban_store::matters::TrackCursor;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/owe", get(page))
}

/// Rows per page: a unit rarely owes more; the pager covers the rest.
const PER_PAGE: i64 = 100;

/// The first unmet limit of a track, as "label date".
fn next_limit(t: &TrackView) -> String {
    t.full
        .as_ref()
        .and_then(|f| f.dues.as_ref())
        .and_then(|d| d.first())
        .map(|d| {
            let mark = if d.provisional { "（暂定）" } else { "" };
            format!("{} {}{mark}", d.label, d.date)
        })
        .unwrap_or_else(|| "—".into())
}

fn section(viewer: &Viewer, title: &str, rows: &[&TrackView], empty: &str) -> Markup {
    html! {
        h2 { (title) "（" (rows.len()) "）" }
        @if rows.is_empty() {
            p.muted { (empty) }
        } @else {
            table.wide {
                thead { tr { th { "事项" } th { "角色" } th { "下一时限" } th { "灯色" } th { "状态" } th { "办理" } } }
                tbody {
                    @for t in rows {
                        tr.late[t.light == LightCode::Red] {
                            td data-label="事项" {
                                @if let Some(m) = &t.matter {
                                    a href=(format!("/matters/{}#track-{}", m.id, t.id)) { (m.title) }
                                    br; span.muted { (m.type_name) }
                                }
                            }
                            td data-label="角色" {
                                span.tag { (t.role_label) }
                                @if let Some(h) = t.handler.as_ref().and_then(|h| h.handler_name.as_ref()) { br; span.muted { "承办人：" (h) } }
                            }
                            td data-label="下一时限" {
                                (next_limit(t))
                                @if let Some(d) = t.full.as_ref().and_then(|f| f.overdue_days).filter(|d| *d > 0) {
                                    br; span.overdue { "已逾期 " (d) " 天" }
                                }
                            }
                            td data-label="灯色" { (light(t.light.code(), &t.light_label)) }
                            td data-label="状态" { (t.state_label) }
                            td data-label="办理" { (track_actions(viewer, t, "/owe", None)) }
                        }
                    }
                }
            }
        }
    }
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    if !viewer.user().role.is_unit_role() {
        return Err(
            ApiError::Forbidden("“本单位待办”供承办单位使用；请从“督办事项”查看".into()).into(),
        );
    }
    let after = match q.get("after").filter(|a| !a.is_empty()) {
        Some(a) => Some(TrackCursor::parse(a).map_err(ApiError::BadRequest)?),
        None => None,
    };
    let paged = q.contains_key("offset") || after.is_some();
    let query = TrackListQuery {
        open_only: true,
        limit: PER_PAGE,
        offset: offset_param(&q, "offset")?,
        after,
        ..TrackListQuery::default()
    };
    let data = list_data(&state, &viewer.current, &query).await?;
    let tracks = &data.tracks;
    let overdue: Vec<&TrackView> = tracks
        .iter()
        .filter(|t| t.light == LightCode::Red)
        .collect();
    let pick = |states: &[&str]| -> Vec<&TrackView> {
        tracks
            .iter()
            .filter(|t| t.light != LightCode::Red && states.contains(&t.state.as_str()))
            .collect()
    };
    let to_sign = pick(&["assigned"]);
    let doing = pick(&["signed_for", "returned"]);
    let waiting = pick(&["close_requested"]);
    // 我的待办: what the unit passed to this 承办人.
    let mine: Vec<TrackView> = if viewer.user().role == duban_domain::org::Role::Handler {
        let query = TrackListQuery {
            open_only: true,
            mine: true,
            limit: 200,
            ..TrackListQuery::default()
        };
        list_data(&state, &viewer.current, &query).await?.tracks
    } else {
        Vec::new()
    };
    let mine: Vec<&TrackView> = mine.iter().collect();
    let unit = match viewer.user().unit_id {
        Some(u) => {
            crate::units::unit_data(&state, &viewer.current, u)
                .await?
                .name
        }
        None => String::new(),
    };
    let body = html! {
        h1 { (unit) " · 本单位待办" }
        (layout::notices(q.get("ok").map(String::as_str), None))
        div.grid {
            div.stat { "已逾期" b.overdue { (overdue.len()) } }
            div.stat { "待签收" b { (to_sign.len()) } }
            div.stat { "办理中" b { (doing.len()) } }
            div.stat { "待审核" b { (waiting.len()) } }
        }
        @if viewer.user().role == duban_domain::org::Role::Handler {
            (section(&viewer, "我的待办（交我承办）", &mine, "本单位还没有交您承办的事项。"))
            h2.muted { "本单位全部待办" }
        }
        (section(&viewer, "已逾期", &overdue, "没有逾期事项。"))
        (section(&viewer, "待签收", &to_sign, "没有待签收的事项。"))
        (section(&viewer, "办理中（按时限先后）", &doing, "没有办理中的事项。"))
        (section(&viewer, "已申请办结，等待督查室审核", &waiting, "没有等待审核的事项。"))
        (layout::keyset_pager("/owe", &[], data.total, paged, data.next.as_deref()))
    };
    Ok(layout::page(&viewer, "本单位待办", "/owe", body))
}
