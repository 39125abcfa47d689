//! Matters (督办事项): the board (filters, sorting, paging with a total),
//! creating a matter with its lead and co-operating units, a matter's
//! detail with its tracks, their 13710 limits and lights, reports and event
//! log, and withdrawing a matter.
//!
//! Who sees what is decided here for every resource that hangs off a matter
//! ([`Scope`]): the office and admins see everything, a unit's users the
//! matters their unit has a track on, a leader those of the units they
//! oversee, the public those raised from their own appeals. A matter out of
//! scope answers 404, exactly as one that does not exist, so ids cannot be
//! probed.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::tracks::{track_view, TrackContext};
use crate::views::{
    AnswerView, BoardView, Completion, CompletionFrom, CreatedMatterView, EventView, FileView,
    LightCode, MatterFields, MatterView, MatterWrapper, NextLimit, ReportView,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterKind, MatterStatus, MatterType, Role as UnitRole, Source};
use duban_domain::org::{Role, User};
use duban_domain::workflow::TrackState;
use duban_store::matters::{BoardCursor, BoardQuery, BoardSort, LightFilter};
use duban_store::{MatterRecord, NewMatter};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board, create))
        .routes(routes!(detail))
        .routes(routes!(withdraw))
}

/// What a user may see of the matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The office and admins.
    All,
    /// Matters with a track of one of these units (a unit's users, a
    /// leader's overseen units).
    Units(Vec<i64>),
    /// Matters raised from this user's appeals (the public).
    RaisedBy(i64),
}

impl Scope {
    pub(crate) async fn of(state: &AppState, user: &User) -> ApiResult<Scope> {
        Ok(match user.role {
            Role::Office | Role::Admin => Scope::All,
            Role::UnitHead | Role::Liaison | Role::Handler => {
                Scope::Units(user.unit_id.into_iter().collect())
            }
            // A principal leader (区长, 常务副区长, or marked so) sees the
            // whole district.
            Role::Leader if state.store.is_principal(user.id).await? => Scope::All,
            Role::Leader => Scope::Units(state.store.leader_units(user.id).await?),
            Role::Public => Scope::RaisedBy(user.id),
            // The audit and security admins see no matter: the trail
            // names what happened; accounts are not business.
            Role::Auditor | Role::Security => Scope::Units(Vec::new()),
        })
    }

    pub(crate) fn sees(&self, m: &MatterRecord) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => m.tracks.iter().any(|t| units.contains(&t.track.unit_id)),
            Scope::RaisedBy(u) => m.raised_by == Some(*u),
        }
    }
}

/// Refuses the audit and security admins anything of the business
/// (三员分立: they keep the trail and the accounts, not the work).
pub(crate) fn business_only(user: &User) -> ApiResult<()> {
    if matches!(user.role, Role::Auditor | Role::Security) {
        return Err(ApiError::Forbidden(format!(
            "{}不查看或处理督办业务（三员分立）",
            user.role.label()
        )));
    }
    Ok(())
}

/// Whether the user is the office (督查室 staff or an admin).
pub(crate) fn is_office(user: &User) -> bool {
    matches!(user.role, Role::Office | Role::Admin)
}

/// The matter `id` if the user may see it; 404 otherwise, as for a matter
/// that does not exist.
pub(crate) async fn visible_matter(
    state: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(MatterRecord, Scope)> {
    let (page, scope) = visible_matter_page(state, user, id).await?;
    Ok((page.record, scope))
}

/// [`visible_matter`] with what only the matter's page shows (its notice's
/// number, its tracks' 承办人), read in the same statement.
pub(crate) async fn visible_matter_page(
    state: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(duban_store::MatterPage, Scope)> {
    let scope = Scope::of(state, user).await?;
    let not_found = || ApiError::NotFound(format!("事项 {id} 不存在"));
    let page = match state.store.matter_page(id).await {
        Ok(p) => p,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    if scope.sees(&page.record) {
        Ok((page, scope))
    } else {
        Err(not_found())
    }
}

/// Track `id` and its matter if the user may see the matter; 404 "办理记录
/// 不存在" otherwise, as for a track that does not exist.
pub(crate) async fn visible_track(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<(duban_store::TrackRecord, MatterRecord)> {
    let not_found = || ApiError::NotFound(format!("办理记录 {id} 不存在"));
    let t = match state.store.track(id).await {
        Ok(t) => t,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    match visible_matter(state, &me.user, t.track.matter_id).await {
        Ok((m, _)) => Ok((t, m)),
        Err(ApiError::NotFound(_)) => Err(not_found()),
        Err(e) => Err(e),
    }
}

/// A numeric id from the path; anything else is a 400 naming what was
/// expected.
pub(crate) fn parse_id(raw: &str, what: &str) -> ApiResult<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::BadRequest(format!("{what}编号“{raw}”无效，应为正整数")))
}

/// Query parameters read one by one, each with a Chinese message when it
/// is malformed; a parameter nobody reads is refused, so a typo does not
/// silently widen a list.
pub(crate) struct Params(BTreeMap<String, String>);

impl Params {
    pub(crate) fn new(q: HashMap<String, String>) -> Params {
        Params(q.into_iter().collect())
    }

    pub(crate) fn str(&mut self, name: &str) -> Option<String> {
        self.0
            .remove(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub(crate) fn i64(&mut self, name: &str, what: &str) -> ApiResult<Option<i64>> {
        self.str(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    ApiError::BadRequest(format!("参数 {name}（{what}）应为整数，收到“{v}”"))
                })
            })
            .transpose()
    }

    pub(crate) fn ids(&mut self, name: &str, what: &str) -> ApiResult<Option<Vec<i64>>> {
        self.str(name)
            .map(|v| {
                v.split([',', '，'])
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse::<i64>().map_err(|_| {
                            ApiError::BadRequest(format!(
                                "参数 {name}（{what}）应为编号，多个用逗号分隔，收到“{v}”"
                            ))
                        })
                    })
                    .collect()
            })
            .transpose()
    }

    pub(crate) fn date(&mut self, name: &str, what: &str) -> ApiResult<Option<NaiveDate>> {
        self.str(name)
            .map(|v| parse_date(&v, name, what))
            .transpose()
    }

    pub(crate) fn bool(&mut self, name: &str, default: bool) -> ApiResult<bool> {
        match self.str(name).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "是") => Ok(true),
            Some("false" | "0" | "no" | "否") => Ok(false),
            Some(v) => Err(ApiError::BadRequest(format!(
                "参数 {name} 应为 true 或 false，收到“{v}”"
            ))),
        }
    }

    pub(crate) fn choice<T: Copy>(
        &mut self,
        name: &str,
        what: &str,
        options: &[(&[&str], T)],
    ) -> ApiResult<Option<T>> {
        let Some(v) = self.str(name) else {
            return Ok(None);
        };
        options
            .iter()
            .find(|(names, _)| names.contains(&v.as_str()))
            .map(|(_, t)| Some(*t))
            .ok_or_else(|| {
                let all: Vec<&str> = options.iter().map(|(names, _)| names[0]).collect();
                ApiError::BadRequest(format!(
                    "参数 {name}（{what}）无法识别“{v}”；可选：{}",
                    all.join("、")
                ))
            })
    }

    /// `limit` (1–200, default 50) and `offset`.
    pub(crate) fn page(&mut self) -> ApiResult<(i64, i64)> {
        let limit = self.i64("limit", "每页条数")?.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            return Err(ApiError::BadRequest(format!(
                "每页条数 limit 应在 1 到 200 之间，收到 {limit}"
            )));
        }
        let offset = self.i64("offset", "起始位置")?.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::BadRequest("起始位置 offset 不能为负数".into()));
        }
        Ok((limit, offset))
    }

    pub(crate) fn finish(self) -> ApiResult<()> {
        match self.0.keys().next() {
            Some(k) => Err(ApiError::BadRequest(format!(
                "未知的查询参数“{k}”；请检查参数名"
            ))),
            None => Ok(()),
        }
    }
}

/// The start of a page a page's link passes on in `name` (`offset`, or a
/// queue's own name), checked as the API checks `offset`; 0 when absent.
pub(crate) fn offset_param(q: &HashMap<String, String>, name: &str) -> ApiResult<i64> {
    let given = q.get(name).map(|v| ("offset".to_string(), v.clone()));
    Ok(Params::new(given.into_iter().collect()).page()?.1)
}

pub(crate) fn parse_date(v: &str, name: &str, what: &str) -> ApiResult<NaiveDate> {
    v.trim().parse::<NaiveDate>().map_err(|_| {
        ApiError::BadRequest(format!(
            "{name}（{what}）“{v}”不是有效日期，应写作 YYYY-MM-DD，例如 2024-12-31"
        ))
    })
}

/// The board's orders, by the names `sort=` takes.
const SORTS: [(&[&str], BoardSort); 5] = [
    (&["-created", "newest"], BoardSort::Newest),
    (&["created", "oldest"], BoardSort::Oldest),
    (&["deadline"], BoardSort::Deadline),
    (&["-deadline"], BoardSort::DeadlineDesc),
    (&["due"], BoardSort::Due),
];

/// The matter statuses by the names `status=` takes: the code or the
/// Chinese name the pages show.
pub(crate) const MATTER_STATUSES: [(&[&str], MatterStatus); 3] = [
    (
        &[MatterStatus::Open.code(), MatterStatus::Open.label()],
        MatterStatus::Open,
    ),
    (
        &[MatterStatus::Closed.code(), MatterStatus::Closed.label()],
        MatterStatus::Closed,
    ),
    (
        &[
            MatterStatus::Withdrawn.code(),
            MatterStatus::Withdrawn.label(),
        ],
        MatterStatus::Withdrawn,
    ),
];

/// The light filter's options.
pub(crate) const LIGHTS: [(&[&str], LightFilter); 5] = [
    (&["green", "绿灯", "绿"], LightFilter::Green),
    (&["yellow", "黄灯", "黄"], LightFilter::Yellow),
    (&["red", "红灯", "红"], LightFilter::Red),
    (&["done", "已办结"], LightFilter::Done),
    (&["unknown", "无法计算"], LightFilter::Unknown),
];

pub(crate) const UNIT_ROLES: [(&[&str], UnitRole); 2] = [
    (&["lead", "牵头", "牵头单位", "责任单位"], UnitRole::Lead),
    (&["co", "配合", "配合单位"], UnitRole::Co),
];

/// A track state code, checked.
pub(crate) fn track_state(params: &mut Params, name: &str) -> ApiResult<Option<String>> {
    match params.str(name) {
        Some(s) if TrackState::CODES.contains(&s.as_str()) => Ok(Some(s)),
        Some(s) => Err(ApiError::BadRequest(format!(
            "参数 {name}（办理状态）无法识别“{s}”；可选：{}",
            TrackState::CODES.join("、")
        ))),
        None => Ok(None),
    }
}

/// The type a new matter gets, by name: a standard type by any of its
/// names (普通, 重大事项, ordinary, …) or an active custom type an admin set
/// up; refused with the names there are to choose from.
pub(crate) async fn matter_type_named(state: &AppState, name: &str) -> ApiResult<MatterType> {
    Ok(state.store.matter_type_named(name).await?)
}

/// A deadline given in a request: empty means none; a day before `today`
/// is refused.
pub(crate) fn future_deadline(
    raw: Option<&str>,
    today: chrono::NaiveDate,
) -> ApiResult<Option<chrono::NaiveDate>> {
    let deadline = raw
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_date(d, "deadline", "截止日期"))
        .transpose()?;
    if let Some(d) = deadline {
        if d < today {
            return Err(ApiError::Unprocessable(format!(
                "截止日期 {d} 早于今天（{today}）；请填写今后的日期"
            )));
        }
    }
    Ok(deadline)
}

/// Unit names by id, for the views.
pub(crate) async fn unit_names(state: &AppState) -> ApiResult<Arc<HashMap<i64, String>>> {
    Ok(state.store.unit_names().await?)
}

/// The matter's own fields as the API shows them.
fn matter_fields(m: &MatterRecord) -> MatterFields {
    let mm = &m.matter;
    MatterFields {
        id: mm.id,
        title: mm.title.clone(),
        detail: mm.detail.clone(),
        type_name: mm.matter_type.name.clone(),
        kind: mm.matter_type.kind,
        matter_type: mm.matter_type.clone(),
        source: mm.source.clone(),
        source_label: mm.source.label().into(),
        deadline: mm.deadline,
        status: mm.status,
        status_label: mm.status.label().into(),
        created_at: mm.created_at,
        version: m.version,
        targets: m.targets.clone(),
        raised_by: m.raised_by,
    }
}

/// A matter with its tracks' views; its light is the worst light of the
/// tracks in view (`in_view`), done when none of them is open.
pub(crate) fn matter_view(
    m: &MatterRecord,
    ctx: &TrackContext<'_>,
    in_view: impl Fn(&duban_store::TrackRecord) -> bool,
) -> MatterView {
    let mut worst = LightCode::Done;
    let mut tracks = Vec::new();
    // The soonest next limit of the tracks in view, and their completion
    // limits (the open tracks' when any is open).
    let mut next: Option<NextLimit> = None;
    let mut completion: Vec<(bool, NaiveDate)> = Vec::new();
    for t in &m.tracks {
        let v = track_view(t, &m.matter.matter_type, ctx);
        if in_view(t) {
            if v.light.severity() > worst.severity() {
                worst = v.light;
            }
            if let Some(due) = &v.due {
                if let Some(n) = &due.next {
                    if next.as_ref().is_none_or(|x| x.date > n.date) {
                        next = Some(NextLimit {
                            unit_name: v.unit_name.clone(),
                            ..n.clone()
                        });
                    }
                }
                if let Some(d) = due.resolve_due {
                    completion.push((t.track.is_open(), d));
                }
            }
        }
        tracks.push(v);
    }
    let government = ctx.full || ctx.me.role != Role::Public;
    MatterView {
        fields: matter_fields(m),
        light: worst,
        light_label: worst.label().into(),
        tracks,
        next: government.then_some(next),
        completion: government.then(|| completion_view(m, &completion)),
        answer: None,
        instructions: None,
        events: None,
        links: None,
        time_zone: None,
        notice_number: None,
        urgings: None,
    }
}

/// The matter's completion limit (完成时限): its own deadline, else the
/// 13710 term of its tracks in view (the soonest of the open ones, else the
/// latest), else 持续推进 for a continuing matter without one.
fn completion_view(m: &MatterRecord, resolve: &[(bool, NaiveDate)]) -> Completion {
    let dated = |d: NaiveDate, from| Completion {
        date: Some(d),
        text: d.to_string(),
        from: Some(from),
    };
    if let Some(d) = m.matter.deadline {
        return dated(d, CompletionFrom::Deadline);
    }
    let open = resolve.iter().filter(|(o, _)| *o).map(|(_, d)| *d).min();
    let any = resolve.iter().map(|(_, d)| *d).max();
    match open.or(any) {
        Some(d) => dated(d, CompletionFrom::Term),
        None if m.matter.matter_type.kind == MatterKind::Continuing => Completion {
            date: None,
            text: "持续推进".into(),
            from: Some(CompletionFrom::Continuing),
        },
        None => Completion {
            date: None,
            text: "—".into(),
            from: None,
        },
    }
}

#[utoipa::path(
    get,
    path = "/matters",
    operation_id = "get_api_v1_matters",
    tag = "督办事项",
    summary = "督办事项看板",
    description = "按角色限定范围：督查室和管理员看全部；单位用户看本单位有任务的事项；分管领导看分管单位的事项；企业群众只看由自己的诉求生成的事项。单位、承办角色、办理状态、灯色、时限等条件作用于范围内的任务，事项灯色取这些任务中最差的（红、无法计算、黄、绿；都已办结为已办结）。",
    params(
        ("unit" = Option<String>, Query, description = "单位编号，多个用逗号分隔", pattern = "^[0-9]{1,18}(,[0-9]{1,18})*$"),
        ("leader" = Option<i64>, Query, description = "分管领导的用户编号：只看其分管单位", minimum = 1),
        ("source" = inline(Option<crate::openapi::words::SourceKind>), Query, description = "来源：document、meeting、instruction、list、appeal"),
        ("type" = inline(Option<crate::openapi::words::MatterKind>), Query, description = "事项类型：ordinary、major、continuing、custom（或 普通、重大、持续）"),
        ("status" = inline(Option<crate::openapi::words::MatterStatus>), Query, description = "事项状态：open、closed、withdrawn"),
        ("state" = inline(Option<crate::openapi::words::TrackState>), Query, description = "任务办理状态：assigned、signed_for、close_requested、returned、closed、withdrawn"),
        ("light" = inline(Option<crate::openapi::words::Light>), Query, description = "灯色：green、yellow、red、done、unknown（日历缺年份无法计算）"),
        ("role" = inline(Option<crate::openapi::words::UnitRole>), Query, description = "承办角色：lead（牵头）、co（配合）"),
        ("deadline_from" = Option<chrono::NaiveDate>, Query, description = "事项截止日期不早于"),
        ("deadline_to" = Option<chrono::NaiveDate>, Query, description = "事项截止日期不晚于"),
        ("due_by" = Option<chrono::NaiveDate>, Query, description = "有未办时限在该日或之前"),
        ("q" = Option<String>, Query, description = "标题包含的文字", max_length = 10000),
        ("sort" = inline(Option<crate::openapi::words::BoardSort>), Query, description = "排序：-created（默认，新的在前）、created、deadline、-deadline、due（时限最近的在前）"),
        ("limit" = Option<i64>, Query, description = "每页条数，1–200，默认 50", minimum = 1, maximum = 200),
        ("offset" = Option<i64>, Query, description = "起始位置，默认 0", minimum = 0),
        ("after" = Option<String>, Query, description = "按游标翻页：上一页返回的 next（排序不变）；不能与 offset 同用", pattern = "^([1-9][0-9]{0,17}|(deadline|-deadline|due)\\.([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|none)\\.[1-9][0-9]{0,17})$"),
    ),
    responses(
        (status = 200, description = "一页事项和符合条件的总数", body = crate::views::BoardView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 401, description = "未登录", body = crate::error::ErrorBody),
        (status = 414, description = "请求地址过长"),
        (status = 422, description = "after 与 offset 同用，或翻页位置与排序不符；leader 所指的用户不是分管领导", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn board(
    State(state): State<AppState>,
    me: Current,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<BoardView>> {
    Ok(Json(board_data(&state, &me, q).await?))
}

/// The matters board as the API shows it, for the query parameters `q`;
/// the web pages render the same value.
pub(crate) async fn board_data(
    state: &AppState,
    me: &Current,
    q: HashMap<String, String>,
) -> ApiResult<BoardView> {
    let mut p = Params::new(q);
    let units = p.ids("unit", "单位")?;
    let leader = p.i64("leader", "分管领导")?;
    let source_kind = p.choice(
        "source",
        "事项来源",
        &[
            (&["document", "公文"], "document"),
            (&["meeting", "会议"], "meeting"),
            (&["instruction", "领导批示", "批示"], "instruction"),
            (&["list", "清单"], "list"),
            (&["appeal", "诉求", "企业群众诉求"], "appeal"),
        ],
    )?;
    let kind = p.choice(
        "type",
        "事项类型",
        &[
            (&["ordinary", "普通", "普通事项"], MatterKind::Ordinary),
            (&["major", "重大", "重大事项"], MatterKind::Major),
            (
                &["continuing", "持续", "持续推进", "持续推进事项"],
                MatterKind::Continuing,
            ),
            (&["custom", "自定义", "自定义事项"], MatterKind::Custom),
        ],
    )?;
    let status = p.choice("status", "事项状态", &MATTER_STATUSES)?;
    let track_state = track_state(&mut p, "state")?;
    let light = p.choice("light", "灯色", &LIGHTS)?;
    let role = p.choice("role", "承办角色", &UNIT_ROLES)?;
    let deadline_from = p.date("deadline_from", "截止日期起")?;
    let deadline_to = p.date("deadline_to", "截止日期止")?;
    let due_by = p.date("due_by", "时限截至")?;
    let text = p.str("q");
    let sort = p.choice("sort", "排序", &SORTS)?.unwrap_or_default();
    let (limit, offset) = p.page()?;
    // Keyset paging: `after` is the previous page's `next`.
    let after = match p.str("after") {
        None => None,
        Some(a) => Some(BoardCursor::parse(&a, sort).map_err(|e| {
            // Well formed for another order: 422, not a malformed request.
            if SORTS
                .iter()
                .any(|(_, s)| BoardCursor::parse(&a, *s).is_ok())
            {
                ApiError::Unprocessable(e)
            } else {
                ApiError::BadRequest(e)
            }
        })?),
    };
    if after.is_some() && offset > 0 {
        return Err(ApiError::Unprocessable(
            "after 与 offset 不能同时使用：按上一页返回的 next 翻页时请去掉 offset".into(),
        ));
    }
    p.finish()?;

    // The units in view: the caller's scope, the unit filter and the
    // leader filter, intersected.
    let mut view: Option<Vec<i64>> = units;
    if let Some(l) = leader {
        let (_, overseen) = crate::leaders::overseen_by(state, l).await?;
        view = Some(intersect(view, overseen));
    }
    let scope = Scope::of(state, &me.user).await?;
    let mut raised_by = None;
    match &scope {
        Scope::All => {}
        Scope::Units(mine) => view = Some(intersect(view, mine.clone())),
        Scope::RaisedBy(u) => raised_by = Some(*u),
    }
    let today = state.now().date();
    let page = state
        .store
        .board(&BoardQuery {
            raised_by,
            units: view.clone(),
            role,
            track_state,
            status,
            source_kind: source_kind.map(String::from),
            kind,
            deadline_from,
            deadline_to,
            due_by,
            light,
            text,
            today,
            sort,
            limit,
            offset,
            after,
        })
        .await?;
    let duban_store::Registry {
        names,
        calendar: cal,
        ..
    } = state.registry_for(me).await?;
    let ctx = TrackContext {
        cal: &cal,
        today,
        units: &names,
        me: &me.user,
        full: false,
    };
    let rows: Vec<MatterView> = page
        .matters
        .iter()
        .map(|m| {
            matter_view(m, &ctx, |t| {
                view.as_ref().is_none_or(|v| v.contains(&t.track.unit_id))
                    && role.is_none_or(|r| t.track.role == r)
            })
        })
        .collect();
    Ok(BoardView {
        matters: rows,
        total: page.total,
        limit,
        offset,
        next: page.next.map(|c| c.to_string()),
        today,
    })
}

fn intersect(a: Option<Vec<i64>>, b: Vec<i64>) -> Vec<i64> {
    match a {
        Some(a) => a.into_iter().filter(|u| b.contains(u)).collect(),
        None => b,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateMatter {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default, rename = "type")]
    type_name: String,
    source: Option<Value>,
    deadline: Option<String>,
    #[serde(default)]
    lead: Vec<i64>,
    #[serde(default)]
    co: Vec<i64>,
    targets: Option<Value>,
}

/// The source of a matter the office enters; appeals become matters only
/// through accepting them.
fn parse_source(v: Option<Value>) -> ApiResult<Source> {
    let Some(v) = v else {
        return Err(ApiError::Unprocessable(
            "请填写事项来源 source，例如 {\"type\": \"meeting\", \"name\": \"第18次常务会议\", \"date\": \"2024-09-26\"}".into(),
        ));
    };
    let hint = "来源类型 type 可选 document（公文，须带 document_id）、meeting（会议，须带 name）、instruction（领导批示，须带 leader）、list（清单，须带 list 和 item）";
    let source: Source = serde_json::from_value(v)
        .map_err(|e| ApiError::BadRequest(format!("事项来源 source 有误（{e}）；{hint}")))?;
    if let Source::Appeal { .. } = source {
        return Err(ApiError::Unprocessable(
            "来源为企业群众诉求的事项须通过“受理诉求”生成，以便诉求人跟踪办理结果".into(),
        ));
    }
    Ok(source)
}

#[utoipa::path(
    post,
    path = "/matters",
    operation_id = "post_api_v1_matters",
    tag = "督办事项",
    summary = "新建督办事项",
    description = "督查室录入并交办：标题、内容、类型（普通/重大/持续）、来源、截止日期、牵头单位和配合单位。每个单位生成一条任务，按13710时限计算。",
    request_body(content = ref("#/components/schemas/CreateMatter"), content_type = "application/json"),
    responses(
        (status = 201, description = "已交办", body = crate::views::CreatedMatterView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 401, description = "未登录", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 422, description = "内容不符合要求（如单位不存在、缺牵头单位、日历缺少年份）", body = crate::error::ErrorBody),
        (status = 429, description = "提交过于频繁，请稍等一分钟后再试", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn create(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<CreateMatter>,
) -> ApiResult<(StatusCode, Json<CreatedMatterView>)> {
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以新建督办事项".into()));
    }
    let title = body.title.trim().to_string();
    if title.chars().count() > 200 {
        return Err(ApiError::Unprocessable(
            "事项标题不超过200字；详细内容请写在 detail 中".into(),
        ));
    }
    let matter_type = matter_type_named(&state, &body.type_name).await?;
    let source = parse_source(body.source)?;
    // The matter's view promises a list of targets.
    if body.targets.as_ref().is_some_and(|t| !t.is_array()) {
        return Err(ApiError::BadRequest(
            "量化指标 targets 应为数组，例如 [{\"text\": \"总投资100万元\"}]；没有指标可不填"
                .into(),
        ));
    }
    let now = state.now();
    let deadline = future_deadline(body.deadline.as_deref(), now.date())?;
    let cal = state.calendar().await?;
    let m = state
        .store
        .create_matter_checked(
            Some(me.user.id),
            NewMatter {
                title,
                detail: body.detail.trim().to_string(),
                matter_type,
                source,
                deadline,
                targets: body.targets.unwrap_or_else(|| json!([])),
                lead: body.lead,
                co: body.co,
                raised_by: None,
            },
            now,
            &cal,
        )
        .await?;
    let names = unit_names(&state).await?;
    let ctx = TrackContext {
        cal: &cal,
        today: now.date(),
        units: &names,
        me: &me.user,
        full: true,
    };
    let id = m.matter.id;
    Ok((
        StatusCode::CREATED,
        Json(CreatedMatterView {
            matter: matter_view(&m, &ctx, |_| true),
            // Matters that may be the same work, to link (not a refusal).
            similar: crate::links::after_create(&state, &me, id).await,
        }),
    ))
}

/// The kind of a report as shown.
pub(crate) fn report_label(kind: &str) -> &'static str {
    match kind {
        "report" => "反馈",
        "close_application" => "申请办结",
        "return" => "退回",
        "close" => "办结",
        "extension_request" => "申请延期",
        "extension_refused" => "不予延期",
        "withdraw" => "撤销",
        _ => "其他",
    }
}

#[utoipa::path(
    get,
    path = "/matters/{id}",
    operation_id = "get_api_v1_matters_id",
    tag = "督办事项",
    summary = "事项详情",
    description = "事项、各单位任务（灯色、13710 各项时限、未办时限）、反馈记录和日志。范围同看板，范围外的事项返回 404；企业群众只看到办理状态和办结答复。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "事项详情", body = crate::views::MatterWrapper),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 401, description = "未登录", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn detail(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<MatterWrapper>> {
    let id = parse_id(&raw, "事项")?;
    Ok(Json(detail_data(&state, &me, id).await?))
}

/// Records in the audit trail that the caller exported `rows` matters of
/// the board filtered by `filter` (the page's CSV export, read through
/// [`board_data`]).
pub(crate) async fn board_exported_data(
    state: &AppState,
    me: &Current,
    filter: &HashMap<String, String>,
    rows: i64,
) -> ApiResult<()> {
    state
        .store
        .audit(
            Some(me.user.id),
            duban_domain::events::EventKind::AuditExport,
            "board",
            0,
            json!({ "what": "board.csv", "filter": filter, "rows": rows }),
        )
        .await?;
    Ok(())
}

/// A matter with its tracks, reports and log as the API shows it; the
/// public raiser sees the states and the answer only.
pub(crate) async fn detail_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<MatterWrapper> {
    let (
        duban_store::MatterPage {
            record: m,
            notice,
            handlers,
        },
        scope,
    ) = visible_matter_page(state, &me.user, id).await?;
    let duban_store::Registry {
        names,
        calendar: cal,
        ..
    } = state.registry_for(me).await?;
    let today = state.now().date();
    let public = matches!(scope, Scope::RaisedBy(_));
    let ctx = TrackContext {
        cal: &cal,
        today,
        units: &names,
        me: &me.user,
        full: !public,
    };
    let in_scope = |t: &duban_store::TrackRecord| match &scope {
        Scope::Units(units) => units.contains(&t.track.unit_id),
        _ => true,
    };
    let mut out = matter_view(&m, &ctx, in_scope);
    if public {
        // The raiser follows the matter to its answer; the units' internal
        // exchanges and the log stay inside the government.
        out.answer = Some(answer(state, &m).await?);
        return Ok(MatterWrapper { matter: out });
    }
    // Stored instants are UTC; `*_local` are the same in the configured
    // local time, for people to read.
    let clock = state.clock();
    // The tracks' reports and the log in a few statements, whatever the
    // number of tracks; then the names of only the people they mention.
    let track_ids: Vec<i64> = m.tracks.iter().map(|t| t.track.id).collect();
    let reports = state.store.report_entries_of(&track_ids).await?;
    let events = state.store.events_of_matter(id, &track_ids).await?;
    let mut people: Vec<i64> = reports
        .iter()
        .filter_map(|(_, r)| r.author_id)
        .chain(events.iter().filter_map(|e| e.actor))
        .collect();
    people.sort_unstable();
    people.dedup();
    let users = state.store.user_names(&people).await?;
    let mut by_track: HashMap<i64, Vec<duban_store::attachments::ReportEntry>> = HashMap::new();
    for (track, r) in reports {
        by_track.entry(track).or_default().push(r);
    }
    for view in out.tracks.iter_mut() {
        view.reports = Some(
            by_track
                .remove(&view.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    let at = duban_store::from_micros(r.created_at);
                    ReportView {
                        id: r.id,
                        kind_label: report_label(&r.kind).into(),
                        kind: r.kind,
                        body: r.body,
                        author_id: r.author_id,
                        author_name: r.author_id.and_then(|a| users.get(&a).cloned()),
                        at,
                        at_local: clock.show(at),
                        files: r
                            .files
                            .into_iter()
                            .map(|f| FileView {
                                id: f.id,
                                report_id: f.report_id,
                                name: f.name,
                                mime: f.mime,
                                size: f.size,
                            })
                            .collect(),
                    }
                })
                .collect(),
        );
    }
    crate::handler::attach_known(&mut out.tracks, &handlers);
    let actor_name = |a: Option<i64>| a.and_then(|a| users.get(&a).cloned());
    // Leaders' 批示, from the log, for everyone in government.
    out.instructions = Some(
        events
            .iter()
            .filter(|e| e.action == "matter.instruction")
            .map(|e| {
                crate::leaders::instruction_view(
                    e,
                    &actor_name(e.actor).unwrap_or_default(),
                    &clock,
                )
            })
            .collect(),
    );
    out.events = Some(
        events
            .into_iter()
            .map(|e| {
                let name = actor_name(e.actor);
                EventView::of(e, name, &clock)
            })
            .collect(),
    );
    out.links = Some(crate::links::links_data(state, me, id).await?);
    out.time_zone = Some(clock.zone().to_string());
    if me.user.role != Role::Public {
        out.notice_number = Some(notice.map(|n| n.text(crate::office::NOTICE_WORD)));
        out.urgings = Some(crate::office::urgings_data(state, &me.user, &m).await?);
    }
    Ok(MatterWrapper { matter: out })
}

/// What the unit last wrote of `kind` (`close_application`, …) on track
/// `track`, as (kind, text): what the office's review queue shows next to
/// the decision. The office only, as the queue is theirs.
pub(crate) async fn last_report_data(
    state: &AppState,
    me: &Current,
    track: i64,
    kind: &str,
) -> ApiResult<Option<(String, String)>> {
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("审核由督查室办理".into()));
    }
    Ok(state
        .store
        .reports_of(track)
        .await?
        .into_iter()
        .rev()
        .find(|(k, ..)| k == kind)
        .map(|(k, body, _, _)| (k, body)))
}

/// What the raiser of an appeal reads once the matter is closed: the lead
/// units' results (their last close applications) and when it was closed.
pub(crate) async fn answer(state: &AppState, m: &MatterRecord) -> ApiResult<Option<AnswerView>> {
    if m.matter.status != MatterStatus::Closed {
        return Ok(None);
    }
    let mut texts = Vec::new();
    let mut closed_at = None;
    for t in m.tracks.iter().filter(|t| t.track.role == UnitRole::Lead) {
        if t.track.grade().is_none() {
            continue;
        }
        let reports = state.store.reports_of(t.track.id).await?;
        if let Some((_, body, _, _)) = reports
            .iter()
            .rev()
            .find(|(kind, ..)| kind == "close_application")
        {
            texts.push(body.clone());
        }
        closed_at = closed_at.max(t.track.closed_at);
    }
    Ok(Some(AnswerView {
        text: texts.join("\n"),
        texts,
        closed_at,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Withdraw {
    #[serde(default)]
    reason: String,
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/matters/{id}/withdraw",
    operation_id = "post_api_v1_matters_id_withdraw",
    tag = "督办事项",
    summary = "撤销事项",
    description = "督查室撤销事项：未办结的任务全部撤销，记录理由；不删除任何记录。",
    params(
        ("id" = i64, Path, description = "事项编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/Withdraw"), content_type = "application/json"),
    responses(
        (status = 200, description = "已撤销", body = crate::views::MatterWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 401, description = "未登录", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销，或缺少理由", body = crate::error::ErrorBody),
        (status = 429, description = "提交过于频繁，请稍等一分钟后再试", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn withdraw(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Withdraw>,
) -> ApiResult<Json<MatterWrapper>> {
    let id = parse_id(&raw, "事项")?;
    Ok(Json(
        withdraw_data(&state, &me, id, &body.reason, body.version).await?,
    ))
}

/// Withdraws a matter, as the API and the page do it.
pub(crate) async fn withdraw_data(
    state: &AppState,
    me: &Current,
    id: i64,
    reason: &str,
    version: Option<i64>,
) -> ApiResult<MatterWrapper> {
    visible_matter(state, &me.user, id).await?;
    if !is_office(&me.user) {
        return Err(ApiError::Forbidden("只有督查室可以撤销督办事项".into()));
    }
    let now = state.now();
    let m = state
        .store
        .withdraw_matter(Some(me.user.id), id, version, reason, now)
        .await?;
    let cal: Calendar = state.calendar().await?;
    let names = unit_names(state).await?;
    let ctx = TrackContext {
        cal: &cal,
        today: now.date(),
        units: &names,
        me: &me.user,
        full: true,
    };
    Ok(MatterWrapper {
        matter: matter_view(&m, &ctx, |_| true),
    })
}
