//! The message centre page: what is new for me, newest first, unread ones
//! marked; opening a message marks it read and goes to its matter; one
//! button marks all read. The navigation shows the unread count on every
//! page ([`super::Viewer::unread`]).

use super::form::{query, Fields};
use super::layout;
use super::{PageResult, Viewer};
use crate::messages::{label, messages_data, read_data, ReadBody};
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

/// One line of what the event recorded: a reason, a new limit.
fn detail(m: &duban_store::messages::Message) -> String {
    let d = &m.detail;
    if m.kind == "due_soon" {
        return format!("时限 {}", d["due"].as_str().unwrap_or(""));
    }
    for k in ["reason", "text", "comment", "message", "note"] {
        if let Some(t) = d[k].as_str().filter(|t| !t.is_empty()) {
            return t.to_string();
        }
    }
    String::new()
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let (list, unread) = messages_data(&state, &viewer.current).await?;
    let clock = state.clock();
    let body = html! {
        h1 { "消息" }
        (layout::notices(q.get("ok").map(String::as_str), None))
        p { "共 " (list.len()) " 条，未读 " strong #unread { (unread) } " 条。" }
        @if unread > 0 {
            form method="post" action="/messages/read-all" {
                (layout::csrf(&viewer))
                button type="submit" { "全部标为已读" }
            }
        }
        @if list.is_empty() { p.muted { "暂无消息。交办、退回、催办、批示和临近时限的事项会出现在这里。" } }
        ul.messages {
            @for m in &list {
                li class=(if m.read { "read" } else { "unread" }) {
                    span.kind { "【" (label(&m.kind)) "】" }
                    a href=(format!("/messages/open?{}", query(&[("key", &m.key)]))) { (m.title) }
                    span.muted { (detail(m)) }
                    span.muted { (m.actor.as_deref().unwrap_or("系统")) " · " (clock.show(m.at)) }
                    @if !m.read { span.badge { "未读" } }
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
    let (list, _) = messages_data(&state, &viewer.current).await?;
    let Some(m) = list.iter().find(|m| m.key == key) else {
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
