//! The office's actions on a matter besides the track workflow: urging
//! units (催办), reassigning the lead and co-operating units (改派), setting
//! a new deadline (调整时限) and editing the title and content, each with
//! its reason in the event log; and the urgings as the units read them.
//! Only the office takes them; whoever may see the matter but is not the
//! office gets 403, anyone else 404 ([`crate::matters::Scope`]).

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{is_office, matter_view, parse_id, unit_names, visible_matter, Scope};
use crate::params::parse_date;
use crate::tracks::TrackContext;
use crate::views::{MatterWrapper, UrgingView, UrgingsView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::org::{Role, User};
use duban_store::office::Urging;
use duban_store::MatterRecord;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(urge))
        .routes(routes!(urgings))
        .routes(routes!(reassign))
        .routes(routes!(deadline))
        .routes(routes!(edit))
}

/// The word of an urging notice's number (催字〔2026〕3号).
pub(crate) const URGE_WORD: &str = "催字";
/// The word of an assignment notice's number (督字〔2026〕12号).
pub(crate) const NOTICE_WORD: &str = "督字";

/// The matter `raw` names, if the caller may see it and is the office.
async fn office_matter(
    state: &AppState,
    me: &Current,
    raw: &str,
    what: &str,
) -> ApiResult<MatterRecord> {
    let id = parse_id(raw, "事项")?;
    let (m, _) = visible_matter(state, &me.user, id).await?;
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden(format!("只有督查室可以{what}")));
    }
    Ok(m)
}

/// The matter as the API shows it after an office action.
async fn matter_json(state: &AppState, me: &Current, m: &MatterRecord) -> ApiResult<MatterWrapper> {
    let cal = state.calendar().await?;
    let names = unit_names(state).await?;
    let ctx = TrackContext {
        cal: &cal,
        today: state.now().date(),
        units: &names,
        me: &me.user,
        full: true,
    };
    Ok(MatterWrapper {
        matter: matter_view(m, &ctx, |_| true),
    })
}

/// An urging as the API shows it.
pub(crate) fn urging_view(u: &Urging, units: &HashMap<i64, String>) -> UrgingView {
    UrgingView {
        id: u.id,
        matter_id: u.matter_id,
        track_id: u.track_id,
        unit_id: u.unit_id,
        unit_name: units.get(&u.unit_id).cloned(),
        number: u.number.text(URGE_WORD),
        text: u.body.clone(),
        due: u.due.clone(),
        author_id: u.author_id,
        at: u.created_at,
        at_local: u.created_local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The urgings of a matter the user may read: the office, admins and
/// leaders all of them, a unit's users those to their unit, the public
/// none.
pub(crate) async fn urgings_data(
    state: &AppState,
    user: &User,
    m: &MatterRecord,
) -> ApiResult<Vec<UrgingView>> {
    let all = state.store.urgings_of(m.matter.id).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let units = unit_names(state).await?;
    Ok(all
        .iter()
        .filter(|u| may_see_urging(user, u.unit_id))
        .map(|u| urging_view(u, &units))
        .collect())
}

/// Urging `id` (a 催办单) and its matter, for those who may read it (see
/// [`may_see_urging`]); 404 for anyone else, as for one that does not
/// exist.
pub(crate) async fn urging_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<(Urging, MatterRecord)> {
    let not_found = || ApiError::NotFound(format!("催办单 {id} 不存在"));
    let u = match state.store.urging(id).await {
        Ok(u) => u,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let (m, _) = visible_matter(state, &me.user, u.matter_id).await?;
    if !may_see_urging(&me.user, u.unit_id) {
        return Err(not_found());
    }
    Ok((u, m))
}

/// Who reads an urging: the office, leaders, and the urged unit's people;
/// not the public, not the audit admin.
pub(crate) fn may_see_urging(user: &User, unit: i64) -> bool {
    match user.role {
        Role::Office | Role::Admin | Role::Leader => true,
        Role::UnitHead | Role::Liaison | Role::Handler => user.unit_id == Some(unit),
        Role::Public | Role::Auditor | Role::Security => false,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Urge {
    #[serde(default)]
    pub(crate) text: String,
    /// The units to urge; all open tracks when empty.
    #[serde(default)]
    pub(crate) units: Vec<i64>,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/urge",
    operation_id = "post_api_v1_matters_id_urge",
    tag = "督办事项",
    summary = "催办",
    description = "督查室催办事项：向所列单位（units，缺省为全部未办结的承办单位）各发一份催办单，按年编号（催字〔2026〕3号），记入日志，并由巡检按已配置的渠道（邮件、Webhook）通知单位。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Urge"), content_type = "application/json"),
    responses(
        (status = 200, description = "已催办", body = crate::views::UrgingsView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销、缺少催办内容，或所列单位没有正在办理的任务", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn urge(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Urge>,
) -> ApiResult<Json<UrgingsView>> {
    Ok(Json(urge_data(&state, &me, &raw, body).await?))
}

/// Urges a matter's units, as the API and the page do it.
pub(crate) async fn urge_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Urge,
) -> ApiResult<UrgingsView> {
    let m = office_matter(state, me, raw, "催办").await?;
    let cal = state.calendar().await?;
    let units = unit_names(state).await?;
    let title = m.matter.title.clone();
    let done = state
        .store
        .urge_matter(
            Some(me.user.id),
            m.matter.id,
            &body.units,
            &body.text,
            state.now(),
            &cal,
            |u| {
                let unit = units.get(&u.unit_id).cloned().unwrap_or_default();
                let due = u
                    .due
                    .as_ref()
                    .map(|d| {
                        format!(
                            "下一时限：{} {}（{}）。",
                            d["date"].as_str().unwrap_or_default(),
                            d["label"].as_str().unwrap_or_default(),
                            d["text"].as_str().unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                (
                    format!("【催办】{title}"),
                    format!(
                        "{unit}：\n督查室对“{title}”（事项 {}）催办（{}）：{}\n{due}请抓紧办理并及时反馈，催办单可在督办系统中查看和打印。",
                        u.matter_id,
                        u.number.text(URGE_WORD),
                        u.body
                    ),
                )
            },
        )
        .await?;
    Ok(UrgingsView {
        urgings: done.iter().map(|u| urging_view(u, &units)).collect(),
    })
}

#[utoipa::path(
    get,
    path = "/matters/{id}/urgings",
    operation_id = "get_api_v1_matters_id_urgings",
    tag = "督办事项",
    summary = "催办记录",
    description = "事项的催办单：督查室和分管领导看全部，承办单位只看发给本单位的。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "催办记录", body = crate::views::UrgingsView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众不能查看", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn urgings(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<UrgingsView>> {
    let id = parse_id(&raw, "事项")?;
    let (m, scope) = visible_matter(&state, &me.user, id).await?;
    if matches!(scope, Scope::RaisedBy(_)) {
        return Err(ApiError::Forbidden(
            "催办记录只供督查室、承办单位和分管领导查看".into(),
        ));
    }
    Ok(Json(UrgingsView {
        urgings: urgings_data(&state, &me.user, &m).await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reassign {
    #[serde(default)]
    pub(crate) lead: Vec<i64>,
    #[serde(default)]
    pub(crate) co: Vec<i64>,
    #[serde(default)]
    pub(crate) reason: String,
    pub(crate) version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/reassign",
    operation_id = "post_api_v1_matters_id_reassign",
    tag = "督办事项",
    summary = "改派",
    description = "督查室改派事项的牵头单位和配合单位：不再列出的单位的任务撤销（记录理由），角色改变的单位改为新角色，新列出的单位即日交办；日志记录改派前后的单位和理由。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Reassign"), content_type = "application/json"),
    responses(
        (status = 200, description = "已改派", body = crate::views::MatterWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销、缺少理由、缺牵头单位、单位不存在或重复，或单位没有变化", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn reassign(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Reassign>,
) -> ApiResult<Json<MatterWrapper>> {
    Ok(Json(reassign_data(&state, &me, &raw, body).await?))
}

/// 改派, as the API and the page do it.
pub(crate) async fn reassign_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Reassign,
) -> ApiResult<MatterWrapper> {
    let m = office_matter(state, me, raw, "改派").await?;
    let cal = state.calendar().await?;
    let m = state
        .store
        .reassign_matter(
            Some(me.user.id),
            m.matter.id,
            body.version,
            &body.lead,
            &body.co,
            &body.reason,
            state.now(),
            &cal,
        )
        .await?;
    matter_json(state, me, &m).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Deadline {
    #[serde(default)]
    pub(crate) deadline: String,
    #[serde(default)]
    pub(crate) reason: String,
    pub(crate) version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/deadline",
    operation_id = "post_api_v1_matters_id_deadline",
    tag = "督办事项",
    summary = "调整时限",
    description = "督查室为事项设定新的完成时限，取代原时限和已批准的延期；各未办结任务的时限和灯色随之重算，日志记录原时限、新时限和理由。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Deadline"), content_type = "application/json"),
    responses(
        (status = 200, description = "已调整", body = crate::views::MatterWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销、缺少理由，或新时限早于今天", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn deadline(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Deadline>,
) -> ApiResult<Json<MatterWrapper>> {
    Ok(Json(deadline_data(&state, &me, &raw, body).await?))
}

/// 调整时限, as the API and the page do it.
pub(crate) async fn deadline_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Deadline,
) -> ApiResult<MatterWrapper> {
    let m = office_matter(state, me, raw, "调整时限").await?;
    if body.deadline.trim().is_empty() {
        return Err(ApiError::Unprocessable(
            "请填写新的完成时限 deadline（如 2026-12-31）".into(),
        ));
    }
    let d = parse_date(body.deadline.trim(), "deadline", "完成时限")?;
    let cal = state.calendar().await?;
    let m = state
        .store
        .adjust_deadline(
            Some(me.user.id),
            m.matter.id,
            body.version,
            d,
            &body.reason,
            state.now(),
            &cal,
        )
        .await?;
    matter_json(state, me, &m).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Edit {
    pub(crate) title: Option<String>,
    pub(crate) detail: Option<String>,
    #[serde(default)]
    pub(crate) reason: String,
    pub(crate) version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/edit",
    operation_id = "post_api_v1_matters_id_edit",
    tag = "督办事项",
    summary = "修改事项",
    description = "督查室修改事项标题和内容，日志记录修改前后的内容和理由。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/EditMatter"), content_type = "application/json"),
    responses(
        (status = 200, description = "已修改", body = crate::views::MatterWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销、缺少理由，或标题为空或过长", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn edit(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Edit>,
) -> ApiResult<Json<MatterWrapper>> {
    Ok(Json(edit_data(&state, &me, &raw, body).await?))
}

/// 修改事项, as the API and the page do it.
pub(crate) async fn edit_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Edit,
) -> ApiResult<MatterWrapper> {
    let m = office_matter(state, me, raw, "修改事项").await?;
    let title = body.title.unwrap_or_else(|| m.matter.title.clone());
    let detail = body.detail.unwrap_or_else(|| m.matter.detail.clone());
    let m = state
        .store
        .edit_matter(
            Some(me.user.id),
            m.matter.id,
            body.version,
            &title,
            &detail,
            &body.reason,
        )
        .await?;
    matter_json(state, me, &m).await
}
