//! The message centre page: what is new for me, newest first, unread ones
//! marked; opening a message marks it read and goes to its matter; one
//! button marks all read. The navigation shows the unread count on every
//! page ([`super::Viewer::unread`]).

use super::form::{query, Fields};
use super::layout;
use super::{PageResult, Viewer};
use crate::messages::{find_data, messages_data, read_data, Paging, ReadBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(page))
        .route("/messages/open", get(open))
        .route("/messages/read-all", post(read_all))
}

/// Messages on a page.
const PAGE: i64 = 50;

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let after = q.get("after").cloned().filter(|a| !a.is_empty());
    let paged = after.is_some();
    let view = messages_data(
        &state,
        &viewer.current,
        Paging {
            after,
            limit: Some(PAGE),
        },
    )
    .await?;
    let unread = view.unread;
    let body = html! {
        h1 { "消息" }
        (layout::notices(q.get("ok").map(String::as_str), None))
        p { "未读 " strong #unread { (unread) } " 条。" }
        @if unread > 0 {
            form method="post" action="/messages/read-all" {
                (layout::csrf(&viewer))
                button type="submit" { "全部标为已读" }
            }
        }
        @if view.messages.is_empty() {
            @if paged { p.muted { "没有更早的消息。" } }
            @else { p.muted { "暂无消息。交办、退回、催办、批示和临近时限的事项会出现在这里。" } }
        }
        ul.messages {
            @for m in &view.messages {
                li class=(if m.read { "read" } else { "unread" }) {
                    span.kind { "【" (m.label) "】" }
                    a href=(format!("/messages/open?{}", query(&[("key", &m.key)]))) { (m.title) }
                    span.muted { (m.note) }
                    span.muted { (m.actor.as_deref().unwrap_or("系统")) " · " (m.at_local) }
                    @if !m.read { span.badge { "未读" } }
                }
            }
        }
        @if paged || view.next.is_some() {
            nav.pager aria-label="分页" {
                @if paged { a href="/messages" { "第一页" } }
                @if let Some(n) = &view.next {
                    a href=(format!("/messages?{}", query(&[("after", n)]))) { "下一页" }
                }
            }
        }
    };
    Ok(layout::page(&viewer, "消息", "/messages", body))
}

/// Marks a message read and goes to what it is about.
async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let key = q.get("key").cloned().unwrap_or_default();
    // The message, on whichever page it is (a page of older ones too).
    let found = find_data(&state, &viewer.current, &key).await?;
    let Some(m) = found else {
        return Ok(Redirect::to("/messages").into_response());
    };
    read_data(
        &state,
        &viewer.current,
        ReadBody {
            keys: vec![key.clone()],
            all: false,
        },
    )
    .await?;
    let to = m
        .matter_id
        .map(|id| format!("/matters/{id}"))
        .unwrap_or_else(|| "/messages".into());
    Ok(Redirect::to(&to).into_response())
}

async fn read_all(State(state): State<AppState>, viewer: Viewer, fields: Fields) -> PageResult {
    viewer.check_csrf(&fields)?;
    read_data(
        &state,
        &viewer.current,
        ReadBody {
            keys: vec![],
            all: true,
        },
    )
    .await?;
    Ok(super::done("/messages", "created").into_response())
}
