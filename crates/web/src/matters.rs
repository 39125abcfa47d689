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
use crate::params::{parse_date, Filter, Words};
use crate::tracks::{track_view, TrackContext};
use crate::views::SourceKinds;
use crate::views::{
    AnswerView, BoardParams, BoardView, Completion, CompletionFrom, CreatedMatterView, EventView,
    FileView, LightCode, MatterFields, MatterView, MatterWrapper, NextLimit, ReportView,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterKind, MatterStatus, MatterType, Role as UnitRole, Source};
use duban_domain::org::{Role, User};
use duban_store::matters::BoardQuery;
use duban_store::{MatterRecord, NewMatter};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
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
    params(BoardParams),
    responses(
        (status = 200, description = "一页事项和符合条件的总数", body = crate::views::BoardView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 422, description = "after 与 offset 同用，或翻页位置与排序不符；leader 所指的用户不是分管领导", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn board(
    State(state): State<AppState>,
    me: Current,
    Filter(filter): Filter<BoardParams>,
) -> ApiResult<Json<BoardView>> {
    Ok(Json(board_data(&state, &me, &filter).await?))
}

/// The matters board as the API shows it for `filter`; the web pages
/// render the same value.
pub(crate) async fn board_data(
    state: &AppState,
    me: &Current,
    filter: &BoardParams,
) -> ApiResult<BoardView> {
    let BoardParams {
        unit: units,
        leader,
        source,
        kind,
        status,
        state: track_state,
        light,
        role,
        deadline_from,
        deadline_to,
        due_by,
        text,
        sort,
        limit,
        offset,
        after,
    } = filter.clone();
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
            track_state: track_state.map(|s| s.0.to_string()),
            status,
            source_kind: source.map(|s| SourceKinds::code(s).to_string()),
            kind,
            deadline_from,
            deadline_to,
            due_by,
            light,
            text,
            today,
            sort: sort.unwrap_or_default(),
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
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 422, description = "内容不符合要求（如单位不存在、缺牵头单位、日历缺少年份）", body = crate::error::ErrorBody),
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
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "事项已被他人更新", body = crate::error::ErrorBody),
        (status = 422, description = "已办结或已撤销，或缺少理由", body = crate::error::ErrorBody),
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
