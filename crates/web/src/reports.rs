//! Supervision outputs (通报考核): the bulletin of a period as JSON and as
//! a Word file, the red and black lists, the year-end assessment with each
//! unit's explanation, the assessment rules of a year, and the inspection
//! (督查记录) and summons (约谈) records the assessment counts.
//!
//! Who sees what: the office and admins every unit (`leader` narrows to a
//! leader's units); a leader the units they oversee; a unit's users their
//! own unit's assessment line and records, but no bulletin or ranking of
//! other units; the public nothing (403). Only the office enters records;
//! only an admin changes the rules. The pages (`ui::reports`) render the
//! values the `*_data` functions here return.

mod records;

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::is_office;
use crate::params::Filter;
use crate::views::{
    AssessmentParams, AssessmentView, BulletinParams, BulletinView, InspectionListView,
    InspectionWrapper, RecordParams, RedBlackParams, RedBlackView, RulesView, SummonsListView,
    SummonsWrapper,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use duban_domain::assess::{Period, Rules};
use duban_domain::org::Role;
use duban_service::report::{self, docx::Letterhead};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) use records::{
    create_inspection_data, create_summons_data, inspections_data, summons_data, NewInspectionBody,
    NewSummonsBody,
};

pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(bulletin))
        .routes(routes!(bulletin_docx))
        .routes(routes!(redblack))
        .routes(routes!(assessment))
        .routes(routes!(rules, set_rules))
        .routes(routes!(inspections, create_inspection))
        .routes(routes!(summons, create_summons))
}

/// The units a caller sees in an output, and whose they are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct View {
    /// `None`: every unit.
    pub units: Option<Vec<i64>>,
    /// A leader's name, when the view is a leader's units.
    pub scope: Option<String>,
}

/// The caller's view, narrowed to `leader`'s units when asked (the office
/// only). Unit users get their own unit when `units_allowed`, else 403.
pub(crate) async fn view_of(
    state: &AppState,
    me: &Current,
    leader: Option<i64>,
    units_allowed: bool,
) -> ApiResult<View> {
    let u = &me.user;
    if let Some(l) = leader {
        let own = u.role == Role::Leader && u.id == l;
        if !(is_office(u) || own) {
            return Err(ApiError::Forbidden(
                "只有督查室可以按分管领导查看；分管领导请直接查看本人分管单位".into(),
            ));
        }
    }
    match u.role {
        Role::Office | Role::Admin | Role::Leader => {
            let who = match (u.role, leader) {
                (Role::Leader, _) => Some(u.id),
                (_, l) => l,
            };
            let Some(l) = who else {
                return Ok(View {
                    units: None,
                    scope: None,
                });
            };
            let (leader, units) = crate::leaders::overseen_by(state, l).await?;
            Ok(View {
                units: Some(units),
                scope: Some(leader.name),
            })
        }
        Role::UnitHead | Role::Liaison | Role::Handler if units_allowed => Ok(View {
            units: Some(u.unit_id.into_iter().collect()),
            scope: None,
        }),
        Role::UnitHead | Role::Liaison | Role::Handler => Err(ApiError::Forbidden(
            "通报和红黑榜由督查室和分管领导查看；本单位的考核结果请在“考核”中查看".into(),
        )),
        Role::Public => Err(ApiError::Forbidden(
            "企业和群众账号不能查看通报和考核".into(),
        )),
        Role::Auditor => Err(ApiError::Forbidden("审计管理员只能查看审计记录".into())),
        Role::Security => Err(ApiError::Forbidden(
            "安全管理员只管理安全策略和账号安全，不查看通报和考核".into(),
        )),
    }
}

/// The day to judge on: `as_of` when given, else the period's default
/// (its end, or today while it runs); never after today (a 422: well
/// formed, but the figures of a future day are unknown).
fn judged_on(as_of: Option<NaiveDate>, today: NaiveDate, period: &Period) -> ApiResult<NaiveDate> {
    match as_of {
        Some(d) if d > today => Err(ApiError::Unprocessable(format!(
            "判定日 as_of 不能晚于今天（{today}），收到 {d}"
        ))),
        Some(d) => Ok(d),
        None => Ok(report::default_as_of(period, today)),
    }
}

/// The bulletin `query` asks for.
pub(crate) async fn bulletin_data(
    state: &AppState,
    me: &Current,
    query: &BulletinParams,
) -> ApiResult<BulletinView> {
    let (b, _) = bulletin_with(state, me, query).await?;
    Ok(b.into())
}

/// The bulletin and its letterhead (`number`, `issuer`).
async fn bulletin_with(
    state: &AppState,
    me: &Current,
    query: &BulletinParams,
) -> ApiResult<(report::Bulletin, Letterhead)> {
    let today = state.now().date();
    let period = query
        .period
        .clone()
        .unwrap_or_else(|| Period::quarter_of(today));
    let as_of = judged_on(query.as_of, today, &period)?;
    let (leader, overdue) = (query.leader, query.overdue);
    let mut head = Letterhead::default();
    if let Some(n) = &query.number {
        head.number = Some(n.clone());
    }
    if let Some(i) = &query.issuer {
        head.issuer = i.clone();
    }
    let view = view_of(state, me, leader, false).await?;
    let cal = state.calendar().await?;
    let b = report::bulletin(
        &state.store,
        &report::BulletinQuery {
            period,
            as_of,
            units: view.units,
            scope: view.scope,
            overdue_limit: overdue as usize,
        },
        &cal,
    )
    .await?;
    Ok((b, head))
}

#[utoipa::path(
    get,
    path = "/reports/bulletin",
    operation_id = "get_api_v1_reports_bulletin",
    tag = "通报考核",
    summary = "督办情况通报",
    description = "某期间（月、季度、年）交办的任务的办理情况：交办、按时签收、按时反馈、按时办结、逾期、退回、延期，分单位和合计；逾期清单及逾期天数；按规则表扬和批评的单位。按判定日计算，判定日之后的办理不计。督查室看全部单位，分管领导看分管单位。",
    params(BulletinParams),
    responses(
        (status = 200, description = "通报：合计、各单位、逾期清单、表扬和批评单位", body = crate::views::BulletinView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "单位用户或企业群众账号，或非督查室按分管领导筛选", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导，或判定日晚于今天", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OVERSIGHT))),
)]
async fn bulletin(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<BulletinParams>,
) -> ApiResult<Json<BulletinView>> {
    Ok(Json(bulletin_data(&state, &me, &query).await?))
}

/// The bulletin as a Word file (with the letterhead's `number` 文号 and
/// `issuer`).
pub(crate) async fn bulletin_docx_data(
    state: &AppState,
    me: &Current,
    query: &BulletinParams,
) -> ApiResult<(Vec<u8>, String)> {
    let (b, head) = bulletin_with(state, me, query).await?;
    let bytes = report::docx::bulletin_bytes(&b, &head);
    Ok((bytes, format!("{}.docx", b.title)))
}

#[utoipa::path(
    get,
    path = "/reports/bulletin.docx",
    operation_id = "get_api_v1_reports_bulletin_docx",
    tag = "通报考核",
    summary = "督办情况通报（Word）",
    description = "与 /api/v1/reports/bulletin 相同的通报，排成公文格式（GB/T 9704）的 .docx 文件。",
    params(BulletinParams),
    responses(
        (status = 200, description = "Word 文件", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "单位用户或企业群众账号，或非督查室按分管领导筛选", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导，或判定日晚于今天", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OVERSIGHT))),
)]
async fn bulletin_docx(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<BulletinParams>,
) -> ApiResult<Response> {
    let (bytes, name) = bulletin_docx_data(&state, &me, &query).await?;
    Ok(docx_response(bytes, &name))
}

/// A Word file as a download named `file`.
pub(crate) fn docx_response(bytes: Vec<u8>, file: &str) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(file.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, DOCX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"duban-report.docx\"; filename*=UTF-8''{}",
                    encoded.replace('+', "%20")
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The red and black lists `query` asks for: `period` (default: this
/// year), `n` (default 5), `leader`, `as_of`.
pub(crate) async fn redblack_data(
    state: &AppState,
    me: &Current,
    query: &RedBlackParams,
) -> ApiResult<RedBlackView> {
    let today = state.now().date();
    let period = match &query.period {
        Some(p) => p.clone(),
        None => Period::year(today.year()).expect("the current year"),
    };
    let as_of = judged_on(query.as_of, today, &period)?;
    let (n, leader) = (query.n, query.leader);
    let view = view_of(state, me, leader, false).await?;
    let cal = state.calendar().await?;
    Ok(report::redblack(
        &state.store,
        &period,
        as_of,
        n as usize,
        view.units.as_deref(),
        &cal,
    )
    .await?
    .into())
}

#[utoipa::path(
    get,
    path = "/reports/redblack",
    operation_id = "get_api_v1_reports_redblack",
    tag = "通报考核",
    summary = "红黑榜",
    description = "按考核规则计算期间得分，在查看范围内取前 n 名（红榜）和后 n 名（黑榜，不含已上红榜的单位）；同分同名次，第 n 名并列的都上榜。",
    params(RedBlackParams),
    responses(
        (status = 200, description = "红榜和黑榜，含各单位得分说明", body = crate::views::RedBlackView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "单位用户或企业群众账号，或非督查室按分管领导筛选", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导，或判定日晚于今天", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OVERSIGHT))),
)]
async fn redblack(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<RedBlackParams>,
) -> ApiResult<Json<RedBlackView>> {
    Ok(Json(redblack_data(&state, &me, &query).await?))
}

/// The assessment of `year` (default: this year) on `as_of`, for the
/// caller's view (`leader` narrows it for the office).
pub(crate) async fn assessment_data(
    state: &AppState,
    me: &Current,
    query: &AssessmentParams,
) -> ApiResult<AssessmentView> {
    let today = state.now().date();
    let year = query.year.unwrap_or(today.year());
    let period = Period::year(year).expect("a checked year");
    let as_of = judged_on(query.as_of, today, &period)?;
    let leader = query.leader;
    let view = view_of(state, me, leader, true).await?;
    let cal = state.calendar().await?;
    Ok(
        report::assessment(&state.store, year, as_of, view.units.as_deref(), &cal)
            .await?
            .into(),
    )
}

#[utoipa::path(
    get,
    path = "/reports/assessment",
    operation_id = "get_api_v1_reports_assessment",
    tag = "通报考核",
    summary = "年终考核",
    description = "各单位得分、名次、等次和逐项得分说明（每项列出所依据的任务、督查和约谈记录）。等次在全部单位中按名额确定（名额为上限、向下取整，同分同等次）。督查室看全部，分管领导看分管单位，单位用户看本单位。",
    params(AssessmentParams),
    responses(
        (status = 200, description = "考核结果", body = crate::views::AssessmentView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号，或非督查室按分管领导筛选", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导，或判定日晚于今天", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn assessment(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<AssessmentParams>,
) -> ApiResult<Json<AssessmentView>> {
    Ok(Json(assessment_data(&state, &me, &query).await?))
}

/// The rules of a year, and whether they were set.
pub(crate) async fn rules_data(state: &AppState, me: &Current, year: &str) -> ApiResult<RulesView> {
    crate::matters::business_only(&me.user)?;
    if me.user.role == Role::Public {
        return Err(ApiError::Forbidden("企业和群众账号不能查看考核规则".into()));
    }
    let year = crate::views::assessment_year(year)?;
    let (rules, set) = state.store.assessment_rules(year).await?;
    Ok(RulesView { year, rules, set })
}

#[utoipa::path(
    get,
    path = "/assessment/rules/{year}",
    operation_id = "get_api_v1_assessment_rules_year",
    tag = "通报考核",
    summary = "考核规则",
    description = "某年度的考核规则（指标、权重、扣分封顶、加分、等次名额、通报表扬批评条件）；未设置时为默认规则（set 为 false）。",
    params(
        ("year" = i64, Path, description = "考核年度，如 2024", minimum = 2000, maximum = 2100),
    ),
    responses(
        (status = 200, description = "考核规则", body = crate::views::RulesView),
        (status = 400, description = "年份有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn rules(
    State(state): State<AppState>,
    me: Current,
    Path(year): Path<String>,
) -> ApiResult<Json<RulesView>> {
    Ok(Json(rules_data(&state, &me, &year).await?))
}

/// Replaces the rules of a year (admins only); refused with every reason
/// when they do not hold together.
pub(crate) async fn set_rules_data(
    state: &AppState,
    me: &Current,
    year: &str,
    rules: Rules,
) -> ApiResult<RulesView> {
    if me.user.role != Role::Admin {
        return Err(ApiError::Forbidden("只有管理员可以修改考核规则".into()));
    }
    let year = crate::views::assessment_year(year)?;
    let rules = state
        .store
        .set_assessment_rules(Some(me.user.id), year, &rules)
        .await?;
    Ok(RulesView {
        year,
        rules,
        set: true,
    })
}

#[utoipa::path(
    put,
    path = "/assessment/rules/{year}",
    operation_id = "put_api_v1_assessment_rules_year",
    tag = "通报考核",
    summary = "修改考核规则",
    description = "管理员设置某年度的考核规则；权重之和须等于总分，封顶和加分不能为负，等次比例之和不超过 100%，不符合时逐条说明原因（422）。",
    params(
        ("year" = i64, Path, description = "考核年度，如 2024", minimum = 2000, maximum = 2100),
    ),
    request_body(content = ref("#/components/schemas/AssessmentRules"), content_type = "application/json"),
    responses(
        (status = 200, description = "已保存", body = crate::views::RulesView),
        (status = 400, description = "请求体或年份有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是管理员", body = crate::error::ErrorBody),
        (status = 422, description = "规则不成立，附原因", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn set_rules(
    State(state): State<AppState>,
    me: Current,
    Path(year): Path<String>,
    ApiJson(rules): ApiJson<Rules>,
) -> ApiResult<Json<RulesView>> {
    Ok(Json(set_rules_data(&state, &me, &year, rules).await?))
}

#[utoipa::path(
    get,
    path = "/inspections",
    operation_id = "get_api_v1_inspections",
    tag = "通报考核",
    summary = "督查记录",
    description = "现场督查、电话督查、明查暗访的记录，新的在前。督查室看全部，分管领导看分管单位，单位用户看本单位。",
    params(RecordParams),
    responses(
        (status = 200, description = "督查记录", body = crate::views::InspectionListView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn inspections(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<RecordParams>,
) -> ApiResult<Json<InspectionListView>> {
    Ok(Json(inspections_data(&state, &me, &params).await?))
}

#[utoipa::path(
    post,
    path = "/inspections",
    operation_id = "post_api_v1_inspections",
    tag = "通报考核",
    summary = "录入督查记录",
    description = "督查室录入一次督查：单位、方式、日期、发现的问题、扣分，是否重大问题（扣分不受本项权重封顶）。",
    request_body(content = ref("#/components/schemas/CreateInspection"), content_type = "application/json"),
    responses(
        (status = 201, description = "已录入", body = crate::views::InspectionWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 422, description = "单位或事项不存在、缺少情况说明、扣分或日期有误", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn create_inspection(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<NewInspectionBody>,
) -> ApiResult<(StatusCode, Json<InspectionWrapper>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_inspection_data(&state, &me, body).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/summons",
    operation_id = "get_api_v1_summons",
    tag = "通报考核",
    summary = "约谈记录",
    description = "约谈记录，新的在前。督查室看全部，分管领导看分管单位，单位用户看本单位。",
    params(RecordParams),
    responses(
        (status = 200, description = "约谈记录", body = crate::views::SummonsListView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn summons(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<RecordParams>,
) -> ApiResult<Json<SummonsListView>> {
    Ok(Json(summons_data(&state, &me, &params).await?))
}

#[utoipa::path(
    post,
    path = "/summons",
    operation_id = "post_api_v1_summons",
    tag = "通报考核",
    summary = "录入约谈记录",
    description = "督查室录入一次约谈：单位、日期、事由；年终考核按次扣分。",
    request_body(content = ref("#/components/schemas/CreateSummons"), content_type = "application/json"),
    responses(
        (status = 201, description = "已录入", body = crate::views::SummonsWrapper),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 422, description = "单位不存在、缺少事由或日期有误", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn create_summons(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<NewSummonsBody>,
) -> ApiResult<(StatusCode, Json<SummonsWrapper>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_summons_data(&state, &me, body).await?),
    ))
}
