//! The message centre's API: what is new for the caller (see
//! `duban_store::messages`), with the unread count, and marking messages
//! read. Every logged-in role has a message centre; the public's holds the
//! events on their own account.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::views::{MessageView, MessagesView, UnreadView};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use duban_domain::events::EventKind;
use duban_store::messages::{Message, MessageCursor, LIMIT};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
}

/// What a message is, in words: a limit coming due, or the event's kind as
/// the event log names it; a kind this version does not write is still
/// shown, as 事项动态.
pub(crate) fn label(kind: &str) -> &'static str {
    if kind == "due_soon" {
        return "临近时限";
    }
    EventKind::of_code(kind).map_or("事项动态", EventKind::label)
}

/// One line of what the event recorded: the limit coming due, a reason, a
/// new limit.
fn note(m: &Message) -> String {
    let d = &m.detail;
    if m.kind == "due_soon" {
        return format!("时限 {}", d["due"].as_str().unwrap_or_default());
    }
    if let Some(deadline) = d["deadline"]
        .as_str()
        .filter(|_| m.kind.ends_with(".deadline"))
    {
        return format!("新时限 {deadline}");
    }
    ["reason", "text", "comment", "message", "note"]
        .iter()
        .find_map(|k| d[*k].as_str().filter(|t| !t.is_empty()))
        .unwrap_or_default()
        .to_string()
}

/// Which page of messages to list.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Paging {
    /// The cursor of the page before (its `next`).
    pub after: Option<String>,
    /// Messages on a page, 1–100 (100 unless said).
    pub limit: Option<i64>,
}

/// The caller's messages as of now, newest first, `limit` after `after`.
async fn page(
    state: &AppState,
    me: &Current,
    after: Option<&MessageCursor>,
    limit: i64,
) -> ApiResult<Vec<Message>> {
    Ok(state
        .store
        .messages(&me.user, &state.clock(), chrono::Utc::now(), after, limit)
        .await?)
}

/// A page of the caller's messages and how many of the newest are unread.
pub(crate) async fn messages_data(
    state: &AppState,
    me: &Current,
    paging: Paging,
) -> ApiResult<MessagesView> {
    let limit = paging.limit.unwrap_or(LIMIT);
    if !(1..=LIMIT).contains(&limit) {
        return Err(ApiError::Unprocessable(format!(
            "limit 为每页条数，应在 1 到 {LIMIT} 之间"
        )));
    }
    let after = match paging.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(MessageCursor::decode(raw).ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "翻页参数 after“{raw}”有误：请用上一页返回的 next，或从第一页重新打开"
            ))
        })?),
    };
    let list = page(state, me, after.as_ref(), limit).await?;
    let unread = if after.is_none() && limit == LIMIT {
        list.iter().filter(|m| !m.read).count()
    } else {
        unread_count(state, me).await?
    };
    let next = (list.len() as i64 == limit)
        .then(|| list.last().map(|m| MessageCursor::after(m).encode()))
        .flatten();
    let clock = state.clock();
    let messages = list
        .into_iter()
        .map(|m| MessageView {
            label: label(&m.kind).to_string(),
            at_local: clock.local(m.at).format("%Y-%m-%d %H:%M").to_string(),
            note: note(&m),
            key: m.key,
            kind: m.kind,
            at: m.at,
            matter_id: m.matter_id,
            track_id: m.track_id,
            title: m.title,
            actor: m.actor,
            detail: m.detail,
            read: m.read,
        })
        .collect();
    Ok(MessagesView {
        unread: unread as i64,
        messages,
        next,
    })
}

/// How many pages of the store's size a message is looked for in by
/// [`find_data`].
const FIND_PAGES: usize = 20;

/// The caller's message `key`, on whichever page it is (a page of older
/// ones too, up to [`FIND_PAGES`] pages back); none if not found there.
pub(crate) async fn find_data(
    state: &AppState,
    me: &Current,
    key: &str,
) -> ApiResult<Option<Message>> {
    let mut after = None;
    for _ in 0..FIND_PAGES {
        let list = page(state, me, after.as_ref(), LIMIT).await?;
        if let Some(m) = list.iter().find(|m| m.key == key) {
            return Ok(Some(m.clone()));
        }
        if (list.len() as i64) < LIMIT {
            break;
        }
        after = list.last().map(MessageCursor::after);
    }
    Ok(None)
}

/// How many of the caller's newest messages are unread (the navigation's
/// count).
pub(crate) async fn unread_count(state: &AppState, me: &Current) -> ApiResult<usize> {
    let list = page(state, me, None, LIMIT).await?;
    Ok(list.iter().filter(|m| !m.read).count())
}

#[utoipa::path(
    get,
    path = "/messages",
    operation_id = "get_api_v1_messages",
    tag = "会话",
    summary = "我的消息",
    description = "与我有关的新动态：本单位任务的交办、退回、催办、批示、时限调整等（由本单位以外的人或系统所为），临近时限的任务；督查室另有各单位的办结和延期申请。最新的在前，每页至多 100 条，按游标翻页（next）；unread 为最新 100 条中的未读条数。",
    params(
        ("after" = Option<String>, Query, description = "按游标翻页：上一页返回的 next", pattern = "^[0-9]{1,18}\\.(e[1-9][0-9]{0,17}|due:[1-9][0-9]{0,17}:[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))$"),
        ("limit" = Option<i64>, Query, description = "每页条数，1–100，默认 100", minimum = 1, maximum = 100),
    ),
    responses(
        (status = 200, description = "消息和未读条数", body = crate::views::MessagesView),
        (status = 422, description = "翻页参数有误", body = crate::error::ErrorBody),
        (status = 400, description = "参数或请求体的格式有误，说明应如何填写", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn list(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<MessagesView>> {
    Ok(Json(messages_data(&state, &me, paging).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadBody {
    /// The keys to mark read; `all` marks every message shown.
    #[serde(default)]
    pub keys: Vec<String>,
    #[serde(default)]
    pub all: bool,
}

/// Marks messages read as the API does; the page posts here too.
pub(crate) async fn read_data(
    state: &AppState,
    me: &Current,
    body: ReadBody,
) -> ApiResult<UnreadView> {
    let keys = if body.all {
        page(state, me, None, LIMIT)
            .await?
            .into_iter()
            .map(|m| m.key)
            .collect()
    } else {
        if body.keys.is_empty() {
            return Err(ApiError::BadRequest(
                "请写要标为已读的消息：keys（消息的 key 列表）或 all: true".into(),
            ));
        }
        body.keys
    };
    state.store.mark_messages_read(me.user.id, &keys).await?;
    let unread = unread_count(state, me).await?;
    Ok(UnreadView {
        unread: unread as i64,
    })
}

#[utoipa::path(
    post,
    path = "/messages/read",
    operation_id = "post_api_v1_messages_read",
    tag = "会话",
    summary = "标为已读",
    description = "把 keys 中的消息标为已读；all 为 true 时全部标为已读。",
    request_body(content = ref("#/components/schemas/ReadMessages"), content_type = "application/json"),
    responses(
        (status = 200, description = "剩余未读条数", body = crate::views::UnreadView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn read(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<ReadBody>,
) -> ApiResult<Json<UnreadView>> {
    Ok(Json(read_data(&state, &me, body).await?))
}
