//! Tracks, one unit's part in a matter: the list (for a unit, what it owes,
//! soonest due first; for a leader, their units'; for the office, all, with
//! filters), each with its 13710 limits and light on today, and the
//! workflow actions. A unit's action is taken by a user of that unit with a
//! unit role, an office action by the office; who may see a track is who
//! may see its matter ([`crate::matters::Scope`]).

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{is_office, parse_id, unit_names, visible_matter, Scope};
use crate::params::Filter;
use crate::views::{
    ActedMatter, ActedView, DueView, LightCode, LimitsView, MatterSummary, NextLimit, NodeView,
    ProvisionalMarks, TrackDue, TrackFull, TrackListQuery, TrackListView, TrackView,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use duban_domain::calendar::{Calendar, CalendarError};
use duban_domain::events::EventKind;
use duban_domain::limits::{self, Limit};
use duban_domain::matter::{Grade, MatterType};
use duban_domain::org::User;
use duban_domain::workflow::{self, Action, ActionKind, Actor};
use duban_store::attachments::{AttachmentInfo, NewAttachment};
use duban_store::matters::TrackQuery;
use duban_store::TrackRecord;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(act).layer(axum::extract::DefaultBodyLimit::max(ACTION_BODY_LIMIT)))
        .routes(routes!(download))
}

/// An action's body may carry its files (base64 in JSON, a third larger
/// than the files themselves).
pub(crate) const ACTION_BODY_LIMIT: usize =
    duban_store::attachments::MAX_ACTION_BYTES / 3 * 4 + 1024 * 1024;

/// What a track's view needs besides the track.
pub(crate) struct TrackContext<'a> {
    pub cal: &'a Calendar,
    pub today: NaiveDate,
    pub units: &'a HashMap<i64, String>,
    /// Who is looking: decides the actions offered.
    pub me: &'a User,
    /// Everything (the government's view) or the state and light only (the
    /// raiser of an appeal).
    pub full: bool,
}

/// The code of an action kind (`sign_for`, …).
pub(crate) fn action_code(k: ActionKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Whether `me` may take an action of `actor` on a track of `unit`.
fn may_act(me: &User, unit: i64, actor: Actor) -> bool {
    match actor {
        Actor::Unit => me.role.is_unit_role() && me.unit_id == Some(unit),
        Actor::Office => is_office(me),
    }
}

fn limit_code(l: Limit) -> &'static str {
    match l {
        Limit::Deploy => "deploy",
        Limit::FirstReport => "first_report",
        Limit::Node { .. } => "node",
        Limit::Resolve => "resolve",
    }
}

/// The value of a limit computation; the first error is kept in `error`.
fn keep<T>(error: &mut Option<CalendarError>, r: Result<T, CalendarError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            error.get_or_insert(e);
            None
        }
    }
}

/// A track as the API shows it: its state, its 13710 limits (deploy, first
/// report, resolve, the next reporting node), the limits still unmet, its
/// light and lateness on today, and the actions the viewer may take. A limit
/// computed through a provisional (暂定) calendar year is flagged
/// (`limits.provisional`, `dues[].provisional`) and `provisional_note` says
/// so in words. Where the calendar cannot give a year at all the light is
/// `unknown` and `limits_error` says why.
pub(crate) fn track_view(t: &TrackRecord, ty: &MatterType, ctx: &TrackContext<'_>) -> TrackView {
    let track = &t.track;
    let (cal, today) = (ctx.cal, ctx.today);
    let mut error: Option<CalendarError> = None;
    // The unmet limits, computed once: the light, the days overdue, the
    // next limit and the 暂定 marks all read them.
    let all_dues = limits::dues(track, ty, cal, today);
    let light = keep(
        &mut error,
        limits::light_given(track, ty, cal, today, &all_dues),
    )
    .map(LightCode::of)
    .unwrap_or(LightCode::Unknown);
    let overdue = keep(
        &mut error,
        limits::overdue_days_given(track, ty, cal, today, &all_dues),
    );
    let dues = keep(&mut error, all_dues.clone()).map(|ds| {
        ds.iter()
            .map(|d| DueView {
                limit: limit_code(d.limit).into(),
                label: d.limit.label(),
                date: d.date,
                provisional: d.provisional,
                node_day: match d.limit {
                    Limit::Node { day } => Some(day),
                    _ => None,
                },
            })
            .collect::<Vec<_>>()
    });
    let owed: &[limits::Due] = all_dues.as_deref().unwrap_or_default();
    // Each limit and whether it rests on a provisional (暂定) year.
    let deploy = limits::deploy_due(track, ty, cal);
    let first_report = limits::first_report_due(track, ty, cal);
    let resolve = limits::resolve_due(track, ty, cal);
    let resolve_date = resolve.as_ref().ok().copied().flatten();
    let next_node = limits::next_node_due(ty, cal, today);
    let on = |limit: Limit, d: Option<NaiveDate>| {
        d.filter(|d| limits::provisional(track, ty, cal, limit, *d))
    };
    let node = next_node.as_ref().ok().copied().flatten();
    let marked = [
        on(Limit::Deploy, deploy.as_ref().ok().copied()),
        on(Limit::FirstReport, first_report.as_ref().ok().copied()),
        on(Limit::Resolve, resolve_date),
        node.filter(|n| limits::node_provisional(ty, cal, *n))
            .map(|n| n.due),
    ];
    let provisional = ProvisionalMarks {
        deploy: marked[0].is_some(),
        first_report: marked[1].is_some(),
        resolve: marked[2].is_some(),
        next_node: marked[3].is_some(),
    };
    let provisional_years: std::collections::BTreeSet<i32> = marked
        .into_iter()
        .flatten()
        .chain(owed.iter().filter(|d| d.provisional).map(|d| d.date))
        .map(|d| chrono::Datelike::year(&d))
        .filter(|y| cal.is_provisional(*y))
        .collect();
    let provisional_note = (!provisional_years.is_empty()).then(|| {
        let years: Vec<String> = provisional_years.iter().map(|y| format!("{y}年")).collect();
        format!(
            "标“暂定”的时限按暂定节假日安排推算（国务院办公厅{}放假安排尚未公布或尚未录入），录入后自动重算并通知",
            years.join("、")
        )
    });
    let limits = LimitsView {
        deploy: keep(&mut error, deploy),
        first_report: keep(&mut error, first_report),
        resolve: keep(&mut error, resolve).flatten(),
        next_node: keep(&mut error, next_node).flatten().map(|n| NodeView {
            day: n.day,
            due: n.due,
        }),
        provisional,
    };
    // The next limit (the stored copy the board sorts by), for everyone in
    // government; a member of the public sees states and lights only.
    let due = (ctx.full || ctx.me.role != duban_domain::org::Role::Public).then(|| {
        let provisional = t
            .next_due
            .is_some_and(|d| owed.iter().any(|x| x.date == d && x.provisional));
        TrackDue {
            next_due: t.next_due,
            next_due_provisional: provisional,
            next: next_view(track, ty, cal, today, &all_dues),
            resolve_due: resolve_date,
        }
    });
    let full = ctx.full.then(|| TrackFull {
        version: t.version,
        overdue_days: overdue,
        limits,
        dues,
        allowed: workflow::allowed(track)
            .into_iter()
            .filter(|k| may_act(ctx.me, track.unit_id, k.actor()))
            .map(action_code)
            .collect(),
        deadline: track.deadline,
        assigned_at: track.assigned_at,
        signed_at: track.signed_at,
        report_times: track.report_times.clone(),
        close_requested_at: track.close_requested_at,
        returned_at: track.returned_at,
        returns: track.returns,
        withdrawn_at: track.withdrawn_at,
        pending_extension: track.pending_extension.clone(),
        extended_until: track.extended_until,
        extension_plan: track.extension_plan.clone(),
        extensions_granted: track.extensions_granted,
        extensions_refused: track.extensions_refused,
        updated_at: track.updated_at,
    });
    TrackView {
        id: track.id,
        matter_id: track.matter_id,
        unit_id: track.unit_id,
        unit_name: ctx.units.get(&track.unit_id).cloned(),
        role: track.role,
        role_label: track.role.label().into(),
        state: track.state.code().into(),
        state_label: track.state.label().into(),
        grade: track.grade(),
        grade_label: track.grade().map(|g| g.label().to_string()),
        light,
        light_label: light.label().into(),
        limits_error: error.map(|e| e.to_string()),
        provisional_note,
        closed_at: track.closed_at,
        due,
        full,
        handler: None,
        reports: None,
        matter: None,
    }
}

/// The track's next limit as people read it: the date, which step
/// (`limit`, `label`), the days left (`days`, negative when late) and the
/// same in words (`text`: 剩3个工作日, 逾期21天); none when nothing more is
/// owed or the calendar cannot give it. `dues` are the track's unmet limits
/// on `today` ([`limits::dues`]).
fn next_view(
    track: &workflow::Track,
    ty: &MatterType,
    cal: &Calendar,
    today: NaiveDate,
    dues: &Result<Vec<limits::Due>, CalendarError>,
) -> Option<NextLimit> {
    let due = limits::next_due_given(track, ty, cal, today, dues).ok()??;
    let days = limits::days_to(ty, cal, today, due.date).ok()?;
    Some(NextLimit {
        date: due.date,
        limit: limit_code(due.limit).into(),
        label: due.limit.label(),
        provisional: due.provisional,
        days,
        text: limits::days_text(ty.counting, days),
        unit_name: None,
    })
}

#[utoipa::path(
    get,
    path = "/tracks",
    operation_id = "get_api_v1_tracks",
    tag = "办理任务",
    summary = "办理任务列表",
    description = "单位用户：本单位待办的任务，时限最近的在前；分管领导：分管单位的任务；督查室：全部，可筛选。默认只列未办结的任务（open=false 列全部）。",
    params(TrackListQuery),
    responses(
        (status = 200, description = "一页任务和总数", body = crate::views::TrackListView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
        (status = 422, description = "after 与 offset 同用，或翻页位置与排序不符", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn list(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<TrackListQuery>,
) -> ApiResult<Json<TrackListView>> {
    Ok(Json(list_data(&state, &me, &query).await?))
}

/// Tracks as the API lists them (a unit's "what we owe") for `query`.
pub(crate) async fn list_data(
    state: &AppState,
    me: &Current,
    query: &TrackListQuery,
) -> ApiResult<TrackListView> {
    crate::matters::business_only(&me.user)?;
    let scope = Scope::of(state, &me.user).await?;
    if let Scope::RaisedBy(_) = scope {
        return Err(ApiError::Forbidden(
            "企业和群众账号请在“我的诉求”中查看办理进度".into(),
        ));
    }
    let TrackListQuery {
        units,
        matter,
        open_only,
        state: state_filter,
        light,
        role,
        due_by,
        extension_pending,
        mine,
        limit,
        offset,
        after,
    } = query.clone();
    let units = match scope {
        Scope::All => units,
        Scope::Units(mine) => Some(match units {
            Some(u) => u.into_iter().filter(|x| mine.contains(x)).collect(),
            None => mine,
        }),
        Scope::RaisedBy(_) => Some(Vec::new()),
    };
    let today = state.now().date();
    let (rows, total, next) = state
        .store
        .track_rows(&TrackQuery {
            units,
            matter,
            open_only,
            state: state_filter,
            role,
            light,
            due_by,
            extension_pending,
            handler: mine.then_some(me.user.id),
            today,
            limit,
            offset,
            after,
        })
        .await?;
    let cal = state.calendar().await?;
    let names = unit_names(state).await?;
    let ctx = TrackContext {
        cal: &cal,
        today,
        units: &names,
        me: &me.user,
        full: true,
    };
    let mut tracks: Vec<TrackView> = rows
        .iter()
        .map(|r| {
            let mut v = track_view(&r.record, &r.matter_type, &ctx);
            v.matter = Some(MatterSummary {
                id: r.record.track.matter_id,
                title: r.matter_title.clone(),
                type_name: r.matter_type.name.clone(),
                status: r.matter_status,
                status_label: r.matter_status.label().into(),
            });
            v.unit_name = Some(r.unit_name.clone());
            v
        })
        .collect();
    crate::handler::attach(state, &mut tracks).await?;
    Ok(TrackListView {
        tracks,
        total,
        limit,
        offset,
        next: next.map(|c| c.to_string()),
        today,
    })
}

/// The fields each action needs besides `version` and `action`, with what
/// they are, for the messages.
pub(crate) fn required_fields(kind: ActionKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ActionKind::Report => &[("text", "反馈内容（已采取的措施和进展）")],
        ActionKind::ApplyToClose => &[("text", "办理结果")],
        ActionKind::Return => &[("reason", "退回理由")],
        ActionKind::Close => &[("grade", "评定等次（优秀、良好、合格、不合格）")],
        ActionKind::RequestExtension => &[
            ("until", "延期至的日期（YYYY-MM-DD）"),
            ("plan", "时间表和工作计划"),
        ],
        ActionKind::RefuseExtension => &[("reason", "不予延期的理由")],
        ActionKind::SignFor | ActionKind::GrantExtension | ActionKind::Withdraw => &[],
    }
}

/// The body of a track action (`POST /tracks/{id}/actions`, and the
/// matter page's action forms): `version`, `action` and the fields that
/// action needs, with the files a unit's report may carry. Kept flat, as
/// clients send it; [`TrackActionBody::action`] makes the domain's
/// [`Action`] of it, refusing a missing field, an unknown action, a grade
/// or a date that does not read with a message saying what to send. A
/// field no action has is refused when the body is read, naming it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrackActionBody {
    /// The version read with the track (a stale one answers 409).
    #[serde(default)]
    pub version: Option<i64>,
    /// `sign_for`, `report`, … ([`ActionKind`]'s codes).
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// 优秀、良好、合格、不合格, or excellent, good, pass, fail.
    #[serde(default)]
    pub grade: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub plan: Option<String>,
    /// Files (base64 in JSON; the page's form sends them as a multipart).
    #[serde(default, deserialize_with = "file_list")]
    pub files: Vec<FileUpload>,
}

/// A file of an action's JSON body. `name` and `base64` are needed; their
/// absence is refused with an example of the form.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub(crate) struct FileUpload {
    #[serde(default)]
    pub name: Option<String>,
    /// application/pdf, …; application/octet-stream when not given.
    #[serde(default)]
    pub mime: Option<String>,
    #[serde(default)]
    pub base64: Option<String>,
}

/// How the files of an action are written in JSON.
const FILES_FORM: &str =
    "数组，每项形如 {\"name\": \"检测报告.pdf\", \"mime\": \"application/pdf\", \"base64\": \"…\"}";

/// `files` as a list of [`FileUpload`], refused with an example when it is
/// not a list.
fn file_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<FileUpload>, D::Error> {
    struct Files;
    impl<'de> serde::de::Visitor<'de> for Files {
        type Value = Vec<FileUpload>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(FILES_FORM)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<FileUpload>, A::Error> {
            let mut out = Vec::new();
            while let Some(f) = seq.next_element::<FileUpload>()? {
                out.push(f);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Files)
}

impl TrackActionBody {
    /// The version and the domain's action, each missing or unreadable
    /// field refused with a message saying what to send.
    pub(crate) fn action(&self) -> ApiResult<(i64, Action)> {
        let Some(version) = self.version else {
            return Err(ApiError::BadRequest(
                "缺少版本号 version：请先读取办理记录，提交时带上它的 version，以免覆盖他人的操作"
                    .into(),
            ));
        };
        let known: Vec<String> = ActionKind::ALL
            .iter()
            .map(|k| format!("{}（{}）", action_code(*k), k.label()))
            .collect();
        let Some(code) = self.action.as_deref() else {
            return Err(ApiError::BadRequest(format!(
                "缺少操作 action；可用的操作：{}",
                known.join("、")
            )));
        };
        let Some(kind) = ActionKind::ALL
            .into_iter()
            .find(|k| action_code(*k) == code)
        else {
            return Err(ApiError::BadRequest(format!(
                "未知的操作“{code}”；可用的操作：{}",
                known.join("、")
            )));
        };
        // Each field the action needs, by its name in the body.
        let field = |name: &str| -> ApiResult<String> {
            let value = match name {
                "text" => &self.text,
                "reason" => &self.reason,
                "grade" => &self.grade,
                "until" => &self.until,
                "plan" => &self.plan,
                _ => &None,
            };
            value.clone().ok_or_else(|| {
                let what = required_fields(kind)
                    .iter()
                    .find(|(f, _)| *f == name)
                    .map_or("", |(_, w)| *w);
                ApiError::BadRequest(format!("操作“{}”缺少字段 {name}（{what}）", kind.label()))
            })
        };
        let action = match kind {
            ActionKind::SignFor => Action::SignFor,
            ActionKind::Report => Action::Report {
                text: field("text")?,
            },
            ActionKind::ApplyToClose => Action::ApplyToClose {
                text: field("text")?,
            },
            ActionKind::Return => Action::Return {
                reason: field("reason")?,
            },
            ActionKind::Close => {
                let grade: Grade = field("grade")?.parse().map_err(
                    |e: duban_domain::matter::ParseGradeError| ApiError::BadRequest(e.to_string()),
                )?;
                Action::Close {
                    grade,
                    reason: self.reason.clone().unwrap_or_default(),
                }
            }
            ActionKind::RequestExtension => {
                let until = field("until")?;
                let until = crate::params::parse_date(&until, "until", "延期至的日期")?;
                Action::RequestExtension {
                    until,
                    plan: field("plan")?,
                }
            }
            ActionKind::GrantExtension => Action::GrantExtension,
            ActionKind::RefuseExtension => Action::RefuseExtension {
                reason: field("reason")?,
            },
            ActionKind::Withdraw => Action::Withdraw,
        };
        Ok((version, action))
    }
}

#[utoipa::path(
    post,
    path = "/tracks/{id}/actions",
    operation_id = "post_api_v1_tracks_id_actions",
    tag = "办理任务",
    summary = "办理操作",
    description = "单位操作（sign_for 签收、report 反馈、apply_to_close 申请办结、request_extension 申请延期）由该任务所属单位的第一责任人、联络员或承办人办理；督查室操作（return 退回、close 办结、grant_extension 批准延期、refuse_extension 不予延期、withdraw 撤销）由督查室或管理员办理。须带读取时的 version。反馈、申请办结和申请延期可带附件 files：[{\"name\", \"mime\", \"base64\"}]，单个不超过 20 MB，合计不超过 50 MB。",
    params(
        ("id" = i64, Path, description = "任务编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/TrackAction"), content_type = "application/json"),
    responses(
        (status = 200, description = "已办理，返回更新后的任务", body = crate::views::ActedView),
        (status = 400, description = "请求体有误或未知的操作", body = crate::error::ErrorBody),
        (status = 403, description = "无权办理该操作", body = crate::error::ErrorBody),
        (status = 404, description = "任务不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 409, description = "版本已过期，请刷新后重试", body = crate::error::ErrorBody),
        (status = 422, description = "当前状态不允许该操作，或日历缺少年份须管理员补录", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::TRACK_ACTORS))),
)]
async fn act(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(mut body): ApiJson<TrackActionBody>,
) -> ApiResult<Json<ActedView>> {
    let id = parse_id(&raw, "办理记录")?;
    let files = decode_files(std::mem::take(&mut body.files))?;
    Ok(Json(act_data(&state, &me, id, body, files).await?))
}

/// The files of an action's JSON body, decoded.
fn decode_files(list: Vec<FileUpload>) -> ApiResult<Vec<NewAttachment>> {
    use base64::Engine as _;
    let mut out = Vec::with_capacity(list.len());
    for (i, f) in list.into_iter().enumerate() {
        let name = f.name.ok_or_else(|| {
            ApiError::BadRequest(format!(
                "第 {} 个附件缺少 name；附件 files 应为{FILES_FORM}",
                i + 1
            ))
        })?;
        let data = f.base64.ok_or_else(|| {
            ApiError::BadRequest(format!(
                "附件“{name}”缺少 base64；附件 files 应为{FILES_FORM}"
            ))
        })?;
        // Padding and unused trailing bits as any encoder writes them: a
        // client's base64 is read, not judged.
        let lenient = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_allow_trailing_bits(true)
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let bytes = lenient.decode(data.trim()).map_err(|e| {
            ApiError::BadRequest(format!("附件“{name}”的 base64 内容无法解码（{e}）"))
        })?;
        out.push(NewAttachment {
            name,
            mime: f
                .mime
                .unwrap_or_else(|| "application/octet-stream".to_string()),
            bytes,
        });
    }
    Ok(out)
}

/// Takes the action in `body` on track `id`, with `files` attached to what
/// the unit writes (the body's own `files` are the caller's to decode:
/// [`decode_files`] for the API's base64, the page's multipart).
pub(crate) async fn act_data(
    state: &AppState,
    me: &Current,
    id: i64,
    body: TrackActionBody,
    files: Vec<NewAttachment>,
) -> ApiResult<ActedView> {
    let (version, action) = body.action()?;
    let not_found = || ApiError::NotFound(format!("办理记录 {id} 不存在"));
    let track = match state.store.track(id).await {
        Ok(t) => t,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let matter = match visible_matter(state, &me.user, track.track.matter_id).await {
        Ok((m, _)) => m,
        Err(ApiError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e),
    };
    let kind = action.kind();
    if !may_act(&me.user, track.track.unit_id, kind.actor()) {
        let names = unit_names(state).await?;
        let unit = names
            .get(&track.track.unit_id)
            .cloned()
            .unwrap_or_else(|| format!("单位 {}", track.track.unit_id));
        return Err(ApiError::Forbidden(match kind.actor() {
            Actor::Unit => format!(
                "“{}”须由{unit}的第一责任人、联络员或承办人办理",
                kind.label()
            ),
            Actor::Office => format!("“{}”须由督查室办理", kind.label()),
        }));
    }
    let cal = state.calendar().await?;
    let now = state.now();
    let updated = state
        .store
        .act_checked_with_files(Some(me.user.id), id, version, &action, &files, now, &cal)
        .await?;
    let status = state.store.matter(matter.matter.id).await?.matter.status;
    let names = unit_names(state).await?;
    let ctx = TrackContext {
        cal: &cal,
        today: now.date(),
        units: &names,
        me: &me.user,
        full: true,
    };
    Ok(ActedView {
        track: track_view(&updated, &matter.matter.matter_type, &ctx),
        matter: ActedMatter {
            id: matter.matter.id,
            status,
            status_label: status.label().to_string(),
        },
    })
}

/// A stored file and its bytes, if the caller may see its matter; 404 as
/// for a file that does not exist otherwise.
pub(crate) async fn attachment_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<(AttachmentInfo, Vec<u8>)> {
    let not_found = || ApiError::NotFound(format!("附件 {id} 不存在"));
    let (info, track, bytes) = match state.store.attachment(id).await {
        Ok(a) => a,
        Err(duban_store::Error::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let matter = state.store.track(track).await?.track.matter_id;
    match visible_matter(state, &me.user, matter).await {
        Ok((_, Scope::RaisedBy(_))) | Err(ApiError::NotFound(_)) => Err(not_found()),
        Ok(_) => {
            state
                .store
                .audit(
                    Some(me.user.id),
                    EventKind::AuditDownload,
                    "attachment",
                    id,
                    json!({ "name": info.name, "size": info.size }),
                )
                .await?;
            Ok((info, bytes))
        }
        Err(e) => Err(e),
    }
}

/// A file as a download, under its own name.
pub(crate) fn file_response(info: &AttachmentInfo, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let name: String = form_urlencoded::byte_serialize(info.name.as_bytes()).collect();
    (
        [
            // Cleaned again: a row stored before types were cleaned must
            // not break its download.
            (
                axum::http::header::CONTENT_TYPE,
                duban_store::attachments::clean_mime(&info.mime),
            ),
            // Never rendered by the browser as a page of this site.
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{name}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/attachments/{id}",
    operation_id = "get_api_v1_attachments_id",
    tag = "办理任务",
    summary = "下载附件",
    description = "单位随反馈、申请办结或申请延期上传的文件，按原文件名下载。能查看该事项的用户可下载；企业群众只看办理结果，不能下载单位附件。",
    params(
        ("id" = i64, Path, description = "附件编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "文件内容", body = inline(crate::openapi::Binary), content_type = "*/*"),
        (status = 404, description = "附件不存在或不在查看范围内", body = crate::error::ErrorBody),
        (status = 400, description = "参数或请求体的格式有误，说明应如何填写", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn download(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<axum::response::Response> {
    let id = parse_id(&raw, "附件")?;
    let (info, bytes) = attachment_data(&state, &me, id).await?;
    Ok(file_response(&info, bytes))
}
