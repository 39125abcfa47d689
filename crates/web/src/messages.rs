//! The message centre's API: what is new for the caller (see
//! `duban_store::messages`), with the unread count, and marking messages
//! read. Every logged-in role has a message centre; the public's holds the
//! events on their own account.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use duban_store::messages::Message;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(list))
        .route("/messages/read", post(read))
}

/// What a message is, in words; an event kind this does not know is still
/// shown, as 事项动态.
pub(crate) fn label(kind: &str) -> &'static str {
    match kind {
        "track.assign" => "交办",
        "track.return" => "退回",
        "track.close" => "办结",
        "track.grant_extension" => "同意延期",
        "track.refuse_extension" => "不予延期",
        "track.withdraw" | "matter.withdraw" => "撤销",
        "track.limits_moved" => "时限调整",
        "track.apply_to_close" => "申请办结",
        "track.request_extension" => "申请延期",
        "due_soon" => "临近时限",
        k if k.contains("urge") => "催办",
        k if k.contains("instruct") || k.contains("comment") => "批示",
        k if k.contains("reassign") => "改派",
        k if k.contains("deadline") => "调整时限",
        k if k.starts_with("user.") || k.starts_with("leader.") || k.starts_with("token.") => {
            "账号变动"
        }
        _ => "事项动态",
    }
}

/// The caller's messages and how many are unread.
pub(crate) async fn messages_data(
    state: &AppState,
    me: &Current,
) -> ApiResult<(Vec<Message>, usize)> {
    let today = state.now().date();
    let list = state.store.messages(&me.user, today).await?;
    let unread = list.iter().filter(|m| !m.read).count();
    Ok((list, unread))
}

async fn list(State(state): State<AppState>, me: Current) -> ApiResult<Json<Value>> {
    let (list, unread) = messages_data(&state, &me).await?;
    let messages: Vec<Value> = list
        .iter()
        .map(|m| {
            let mut v = json!(m);
            v["label"] = json!(label(&m.kind));
            v
        })
        .collect();
    Ok(Json(json!({ "unread": unread, "messages": messages })))
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
pub(crate) async fn read_data(state: &AppState, me: &Current, body: ReadBody) -> ApiResult<Value> {
    let keys = if body.all {
        messages_data(state, me)
            .await?
            .0
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
    let (_, unread) = messages_data(state, me).await?;
    Ok(json!({ "unread": unread }))
}

async fn read(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<ReadBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(read_data(&state, &me, body).await?))
}
