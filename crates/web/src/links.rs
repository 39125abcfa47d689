//! Duplicate matters: existing matters that look like the same work as a
//! new one (`duban_search::similar`: shared words weighted by rarity, and
//! shared units), shown when a proposal is confirmed or a matter created,
//! so the office links instead of assigning twice; and the links between
//! matters, which both matters show.
//!
//! Only the office finds candidates and links or unlinks; creating a matter
//! after seeing its candidates is the office's choice and never refused.
//! A matter's links are listed to whoever may open it, each linked matter
//! only when they may open that one too.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{is_office, parse_id, visible_matter, Scope};
use crate::params::Filter;
use crate::views::SimilarParams;
use crate::views::{LinkListView, SimilarListView};
pub use crate::views::{LinkView, SimilarView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::matter::MatterStatus;
use duban_search::{Probe, Similar};
use serde::Deserialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check))
        .routes(routes!(of_matter))
        .routes(routes!(link))
        .routes(routes!(unlink))
        .routes(routes!(of_proposal))
}

/// How many candidates are shown.
const SHOWN: usize = 5;

fn state_label(code: Option<&str>) -> &'static str {
    [
        MatterStatus::Open,
        MatterStatus::Closed,
        MatterStatus::Withdrawn,
    ]
    .into_iter()
    .find(|s| {
        serde_json::to_value(s)
            .ok()
            .as_ref()
            .and_then(Value::as_str)
            == code
    })
    .map_or("—", MatterStatus::label)
}

fn office(me: &Current) -> ApiResult<()> {
    if is_office(&me.user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "只有督查室可以查看可能重复的事项和关联事项".into(),
        ))
    }
}

/// Matters like `p`, best first (the index caught up first, so a matter
/// made a moment ago is among them).
pub(crate) async fn similar_data(state: &AppState, p: Probe) -> ApiResult<Vec<SimilarView>> {
    let index = crate::search::current_index(state).await?;
    let found: Vec<Similar> = tokio::task::spawn_blocking(move || index.similar(&p))
        .await
        .map_err(|e| ApiError::Internal(format!("similar task: {e}")))?
        .map_err(|e| ApiError::Internal(format!("similar: {e:#}")))?;
    Ok(found
        .into_iter()
        .map(|s| SimilarView {
            state_label: state_label(s.state.as_deref()),
            link: format!("/matters/{}", s.id),
            id: s.id,
            title: s.title,
            units: s.units,
            state: s.state,
            deadline: s.deadline,
            // Widened as the JSON always had them.
            text: f64::from(s.text),
            unit_overlap: f64::from(s.unit_overlap),
            score: f64::from(s.score),
        })
        .collect())
}

/// Candidates for matter `id`: itself and the matters already linked left
/// out. Office only.
pub(crate) async fn similar_to_matter(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<Vec<SimilarView>> {
    office(me)?;
    let m = state.store.matter(id).await?;
    let mut exclude: Vec<i64> = state
        .store
        .matter_links(id)
        .await?
        .iter()
        .map(|l| l.matter_id)
        .collect();
    exclude.push(id);
    similar_data(
        state,
        Probe {
            title: m.matter.title.clone(),
            detail: m.matter.detail.clone(),
            units: m.tracks.iter().map(|t| t.track.unit_id).collect(),
            exclude,
            limit: SHOWN,
        },
    )
    .await
}

/// Candidates for the matter just made, for the answer that made it: the
/// matter exists whatever happens here, so a failure is logged, not
/// returned.
pub(crate) async fn after_create(state: &AppState, me: &Current, id: i64) -> Vec<SimilarView> {
    match similar_to_matter(state, me, id).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("similar matters of {id}: {e:?}");
            Vec::new()
        }
    }
}

/// Candidates for proposal `id` as the reader proposed it (its units as
/// resolved; the matter it became, if any, left out). Office only.
pub(crate) async fn similar_to_proposal(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<Vec<SimilarView>> {
    office(me)?;
    let p = state.store.proposal(id).await?;
    similar_data(
        state,
        Probe {
            title: duban_service::title::proposed(&p.task.text),
            detail: p.task.text.clone(),
            units: p
                .task
                .lead
                .iter()
                .chain(&p.task.co)
                .filter_map(|u| u.unit)
                .collect(),
            exclude: p.matter_id.into_iter().collect(),
            limit: SHOWN,
        },
    )
    .await
}

/// `GET /matters/similar?title=…&detail=…&lead=1,2&co=3`: the check
/// before creating a matter.
#[utoipa::path(
    get,
    path = "/matters/similar",
    operation_id = "get_api_v1_matters_similar",
    tag = "督办事项",
    summary = "查找可能重复的事项",
    description = "新建事项前，按标题、内容（按词的罕见程度加权的相同词）和承办单位（相同单位）查找相近的已有事项（已撤销的除外），最相近的在前；供督查室决定关联而不是重复交办，不阻止新建。仅督查室。",
    params(SimilarParams),
    responses(
        (status = 200, description = "相近的事项（similar）", body = crate::views::SimilarListView),
        (status = 400, description = "标题和内容都为空或参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn check(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<SimilarParams>,
) -> ApiResult<Json<SimilarListView>> {
    office(&me)?;
    let SimilarParams {
        title,
        detail,
        lead,
        co,
    } = params;
    let count = title.chars().count() + detail.chars().count();
    if count > crate::limits::MAX_TEXT_CHARS {
        return Err(ApiError::BadRequest(format!(
            "标题和内容共 {count} 字，过长；请缩短到 {} 字以内",
            crate::limits::MAX_TEXT_CHARS
        )));
    }
    let similar = similar_data(
        &state,
        Probe {
            title,
            detail,
            units: lead.into_iter().chain(co).collect(),
            exclude: Vec::new(),
            limit: SHOWN,
        },
    )
    .await?;
    Ok(Json(SimilarListView { similar }))
}

#[utoipa::path(
    get,
    path = "/matters/{id}/similar",
    operation_id = "get_api_v1_matters_id_similar",
    tag = "督办事项",
    summary = "事项的可能重复事项",
    description = "与该事项相近、尚未关联的已有事项（不含其本身），最相近的在前。仅督查室。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "相近的事项（similar）", body = crate::views::SimilarListView),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在", body = crate::error::ErrorBody),
        (status = 400, description = "参数或请求体的格式有误，说明应如何填写", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn of_matter(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<SimilarListView>> {
    let id = parse_id(&raw, "事项")?;
    visible_matter(&state, &me.user, id).await?;
    Ok(Json(SimilarListView {
        similar: similar_to_matter(&state, &me, id).await?,
    }))
}

#[utoipa::path(
    get,
    path = "/proposals/{id}/similar",
    operation_id = "get_api_v1_proposals_id_similar",
    tag = "公文",
    summary = "拟办任务的可能重复事项",
    description = "与该拟办任务（按原文和已匹配的单位）相近的已有事项，最相近的在前；确认立项后可关联。仅督查室。",
    params(
        ("id" = i64, Path, description = "拟办任务编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "相近的事项（similar）", body = crate::views::SimilarListView),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "拟办任务不存在", body = crate::error::ErrorBody),
        (status = 400, description = "参数或请求体的格式有误，说明应如何填写", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn of_proposal(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<SimilarListView>> {
    let id = parse_id(&raw, "拟办任务")?;
    Ok(Json(SimilarListView {
        similar: similar_to_proposal(&state, &me, id).await?,
    }))
}

/// The other matter and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkBody {
    pub other: i64,
    #[serde(default)]
    pub reason: String,
}

/// The matters linked to `id` that `me` may open.
pub(crate) async fn links_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<Vec<LinkView>> {
    let scope = Scope::of(state, &me.user).await?;
    let clock = state.clock();
    let mut out = Vec::new();
    for l in state.store.matter_links(id).await? {
        if !matches!(scope, Scope::All) && !scope.sees(&state.store.matter(l.matter_id).await?) {
            continue;
        }
        out.push(LinkView {
            id: l.matter_id,
            state_label: state_label(Some(&l.status)),
            title: l.title,
            state: l.status,
            reason: l.reason,
            linked_at_local: clock.show(l.linked_at),
            linked_at: l.linked_at,
            link: format!("/matters/{}", l.matter_id),
        });
    }
    Ok(out)
}

/// Links matter `id` to `b.other` (`keep`), or removes that link. Office
/// only.
pub(crate) async fn link_data(
    state: &AppState,
    me: &Current,
    id: i64,
    b: &LinkBody,
    keep: bool,
) -> ApiResult<Vec<LinkView>> {
    office(me)?;
    let actor = Some(me.user.id);
    if keep {
        state
            .store
            .link_matters(actor, id, b.other, &b.reason)
            .await?;
    } else {
        state
            .store
            .unlink_matters(actor, id, b.other, &b.reason)
            .await?;
    }
    links_data(state, me, id).await
}

async fn change(
    state: &AppState,
    me: &Current,
    raw: &str,
    b: &LinkBody,
    keep: bool,
) -> ApiResult<Json<LinkListView>> {
    let id = parse_id(raw, "事项")?;
    visible_matter(state, &me.user, id).await?;
    Ok(Json(LinkListView {
        links: link_data(state, me, id, b, keep).await?,
    }))
}

#[utoipa::path(
    post,
    path = "/matters/{id}/links",
    operation_id = "post_api_v1_matters_id_links",
    tag = "督办事项",
    summary = "关联事项",
    description = "督查室把两个事项关联为同一项工作（可填理由），两个事项的详情都显示对方；两个事项的日志各记一条。仅督查室。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/MatterLink"), content_type = "application/json"),
    responses(
        (status = 200, description = "该事项现有的关联（links）", body = crate::views::LinkListView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在", body = crate::error::ErrorBody),
        (status = 409, description = "已经关联", body = crate::error::ErrorBody),
        (status = 422, description = "与自己关联", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn link(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<LinkBody>,
) -> ApiResult<Json<LinkListView>> {
    change(&state, &me, &raw, &b, true).await
}

#[utoipa::path(
    post,
    path = "/matters/{id}/unlink",
    operation_id = "post_api_v1_matters_id_unlink",
    tag = "督办事项",
    summary = "取消关联",
    description = "取消两个事项的关联（记录保留并标记取消，日志各记一条）。仅督查室。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/MatterLink"), content_type = "application/json"),
    responses(
        (status = 200, description = "该事项现有的关联（links）", body = crate::views::LinkListView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "没有这个关联", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn unlink(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<LinkBody>,
) -> ApiResult<Json<LinkListView>> {
    change(&state, &me, &raw, &b, false).await
}
