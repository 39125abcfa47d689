//! Inside a unit: the first responsible person or the liaison passes a
//! track to a named 承办人 (a user of the unit with the handler role), who
//! finds it under 我的待办 (`GET /tracks?mine=true`) and reports on it as
//! any user of the unit may. The unit's other users keep seeing all of the
//! unit's tracks.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{parse_id, visible_track};
use crate::views::{HandlerView, PassedView, TrackView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::org::Role;
use duban_store::office::HandlerOf;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pass))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pass {
    /// The 承办人's user id.
    pub(crate) handler: Option<i64>,
    #[serde(default)]
    pub(crate) note: String,
}

#[utoipa::path(
    post,
    path = "/tracks/{id}/handler",
    operation_id = "post_api_v1_tracks_id_handler",
    tag = "办理任务",
    summary = "交承办人办理",
    description = "单位的第一责任人或联络员把本单位的任务交给本单位的承办人（角色为承办人的用户），可附说明；承办人在“我的待办”（GET /api/v1/tracks?mine=true）中看到并反馈。日志记录交办人、承办人和说明。",
    params(
        ("id" = i64, Path, description = "任务编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/PassToHandler"), content_type = "application/json"),
    responses(
        (status = 200, description = "已交承办人", body = crate::views::PassedView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是该单位的第一责任人或联络员", body = crate::error::ErrorBody),
        (status = 404, description = "任务不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 422, description = "未选承办人、不是本单位的承办人，或任务已办结", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["unit_head", "liaison"]))),
)]
async fn pass(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Pass>,
) -> ApiResult<Json<PassedView>> {
    let id = parse_id(&raw, "办理记录")?;
    Ok(Json(pass_data(&state, &me, id, body).await?))
}

/// Passes track `id` to a 承办人, as the API and the page do it.
pub(crate) async fn pass_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: Pass,
) -> ApiResult<PassedView> {
    let (t, _) = visible_track(state, me, id).await?;
    let may = matches!(me.user.role, Role::UnitHead | Role::Liaison)
        && me.user.unit_id == Some(t.track.unit_id);
    if !may {
        return Err(ApiError::Forbidden(
            "只有本单位的第一责任人或联络员可以把任务交给承办人".into(),
        ));
    }
    let Some(handler) = body.handler else {
        return Err(ApiError::Unprocessable(
            "请选择承办人 handler（本单位角色为“承办人”的用户编号）".into(),
        ));
    };
    let done = state
        .store
        .pass_to_handler(Some(me.user.id), id, handler, &body.note)
        .await?;
    Ok(PassedView {
        track_id: id,
        handler_id: done.handler_id,
        handler_name: done.handler_name,
    })
}

/// Names the 承办人 of track views (both null where none was named).
pub(crate) async fn attach(state: &AppState, tracks: &mut [TrackView]) -> ApiResult<()> {
    let ids: Vec<i64> = tracks.iter().map(|t| t.id).collect();
    let named = state.store.handlers_of(&ids).await?;
    attach_known(tracks, &named);
    Ok(())
}

/// [`attach`] with the 承办人 read already (with the matter:
/// [`duban_store::Store::matter_page`]).
pub(crate) fn attach_known(tracks: &mut [TrackView], named: &[HandlerOf]) {
    for t in tracks.iter_mut() {
        let h = named.iter().find(|h| t.id == h.track_id);
        t.handler = Some(HandlerView {
            handler_id: h.map(|h| h.handler_id),
            handler_name: h.map(|h| h.handler_name.clone()),
        });
    }
}

/// The 承办人 of a unit a track may be passed to: (id, name).
pub(crate) async fn handlers_of_unit(state: &AppState, unit: i64) -> ApiResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Handler && u.unit_id == Some(unit) && u.active)
        .map(|u| (u.id, u.name))
        .collect())
}
