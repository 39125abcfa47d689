//! The office's review queue (审核): close applications and extension
//! requests decided in one place — close with a grade, return with a
//! reason, grant or refuse an extension — next to what the unit wrote.

use super::layout::{self, light};
use super::matter::track_actions;
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::matters::{last_report_data, report_label};
use crate::params::offset_param;
use crate::tracks::list_data;
use crate::views::{TrackListQuery, TrackView};
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/review", get(page))
}

const PER_PAGE: i64 = 50;

/// The tracks of one queue (`queue` sets the queue's filter) from
/// `offset`.
async fn queue(
    state: &AppState,
    viewer: &Viewer,
    queue: TrackListQuery,
    offset: i64,
) -> PageResult<(Vec<TrackView>, i64)> {
    let query = TrackListQuery {
        limit: PER_PAGE,
        offset,
        ..queue
    };
    let data = list_data(state, &viewer.current, &query).await?;
    Ok((data.tracks, data.total))
}

/// What the unit last wrote of `kind` on a track, under its label.
async fn last_report(
    state: &AppState,
    viewer: &Viewer,
    track: i64,
    kind: &str,
) -> PageResult<Option<(String, String)>> {
    Ok(last_report_data(state, &viewer.current, track, kind)
        .await?
        .map(|(k, body)| (report_label(&k).to_string(), body)))
}

fn rows(viewer: &Viewer, tracks: &[TrackView], written: &[Option<(String, String)>]) -> Markup {
    html! {
        table.wide {
            thead { tr { th { "事项" } th { "单位" } th { "单位所报" } th { "灯色" } th { "审核" } } }
            tbody {
                @for (t, w) in tracks.iter().zip(written) {
                    tr {
                        td data-label="事项" {
                            @if let Some(m) = &t.matter {
                                a href=(format!("/matters/{}#track-{}", m.id, t.id)) { (m.title) }
                            }
                        }
                        td data-label="单位" { (t.unit_name.as_deref().unwrap_or_default()) br; span.tag { (t.role_label) } }
                        td data-label="单位所报" {
                            @if let Some(ext) = t.full.as_ref().and_then(|f| f.pending_extension.as_ref()) {
                                "申请延期至 " b { (ext.until) } "：" (if ext.plan.is_empty() { "—" } else { &ext.plan })
                            } @else if let Some((label, body)) = w {
                                span.muted { (label) "：" } (body)
                            }
                            @if let Some(returns) = t.full.as_ref().map(|f| f.returns).filter(|r| *r > 0) {
                                br; span.muted { "已退回 " (returns) " 次" }
                            }
                        }
                        td data-label="灯色" { (light(t.light.code(), &t.light_label)) }
                        td data-label="审核" { (track_actions(viewer, t, "/review", None)) }
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
    if !viewer.is_office() {
        return Err(ApiError::Forbidden("审核由督查室办理".into()).into());
    }
    let closing = TrackListQuery {
        state: Some("close_requested".into()),
        ..TrackListQuery::default()
    };
    let (closing, closing_total) = queue(&state, &viewer, closing, offset_param(&q, "c")?).await?;
    let extending = TrackListQuery {
        extension_pending: true,
        ..TrackListQuery::default()
    };
    let (extending, extending_total) =
        queue(&state, &viewer, extending, offset_param(&q, "e")?).await?;
    let mut written = Vec::with_capacity(closing.len());
    for t in &closing {
        written.push(last_report(&state, &viewer, t.id, "close_application").await?);
    }
    let none = vec![None; extending.len()];
    let body = html! {
        h1 { "审核" }
        (layout::notices(q.get("ok").map(String::as_str), None))
        h2 { "办结申请（" (closing_total) "）" }
        @if closing.is_empty() { p.muted { "没有待审核的办结申请。" } } @else { (rows(&viewer, &closing, &written)) }
        @if closing_total > PER_PAGE { p.muted { "仅列出时限最近的 " (PER_PAGE) " 条；处理后刷新可见其余。" } }
        h2 { "延期申请（" (extending_total) "）" }
        @if extending.is_empty() { p.muted { "没有待审核的延期申请。" } } @else { (rows(&viewer, &extending, &none)) }
        @if extending_total > PER_PAGE { p.muted { "仅列出时限最近的 " (PER_PAGE) " 条；处理后刷新可见其余。" } }
    };
    Ok(layout::page(&viewer, "审核", "/review", body))
}
