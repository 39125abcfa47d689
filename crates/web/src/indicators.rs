//! Indicators (指标): the quantitative targets of matters (from documents:
//! `地区生产总值增长8.5%`, `公共充电桩13502台`) with the values their lead
//! units report per month or quarter and the progress the domain computes
//! ([`duban_domain::indicator::progress`]).
//!
//! Scope as the matters board: the office and admins see every indicator, a
//! leader those of the units they oversee, a unit's users those of matters
//! their unit has a track on; the public has none (403). An indicator out of
//! scope answers 404. Values are reported by a user of one of the matter's
//! lead units or by the office; anyone else who may see it gets 403.
//!
//! The list, the page of one indicator and the CLI all render the value of
//! [`table`] / [`detail_data`], so they cannot disagree.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::matters::{is_office, visible_matter, Scope};
use crate::params::Filter;
use crate::views::IndicatorParams;
use crate::views::{
    IndicatorDetailView, IndicatorItem, IndicatorListView, IndicatorRecordView, IndicatorValueRow,
    PacePoint, PeriodValue, ProgressView, UnitRef,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use duban_domain::indicator::{progress, Actual, Indicator, Period, TargetKind};
use duban_domain::matter::UnitId;
use duban_domain::org::Role;
use duban_store::indicators::{IndicatorMatter, IndicatorValue, NewIndicatorValue};
use duban_store::Store;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(record))
}

/// How progress is judged, in the words the pages and the API show.
pub const DEFINITIONS: &str = "总量指标（如建成13502台）填报截至期末的累计值，时序进度从考核期起点按天线性推进到目标；累计值达到目标即为达标。\
增长率、比率指标（如增长8.5%）填报当期的累计增速或比率，控制上限指标（如控制在63.7微克/立方米以内）填报当期值，两者应达值始终为目标值，以考核期末的数值判定是否达标，此前符合目标为进度正常。\
考核期：当年到期的目标从1月1日起算，跨年目标从交办之日起算，无完成时限的目标至交办当年年底。\
进度按最近一期数据判断（该期期末与今天中较早的一天）；超前（+）/落后（−）为最近一期数值与应达值之差，控制上限指标低于上限为超前。";

/// One target of a matter as an indicator, when it has a number to reach
/// (milestones and texts without a value are not indicators).
pub fn indicator_of(m: &IndicatorMatter, t: &Value) -> Option<Indicator> {
    if t["kind"].as_str() == Some("milestone") {
        return None;
    }
    let value = t["value"].as_f64().filter(|v| v.is_finite())?;
    let op = t["op"].as_str().unwrap_or("=");
    let metric = t["metric"].as_str().unwrap_or_default();
    let unit = t["unit"].as_str().unwrap_or_default();
    let by = t["by"]
        .as_str()
        .and_then(|s| s.parse::<NaiveDate>().ok())
        .or(m.deadline);
    let kind = TargetKind::classify(op, metric, unit);
    Some(Indicator::new(kind, op, value, unit, by, m.assigned))
}

fn target_at(m: &IndicatorMatter, index: usize) -> Option<(&Value, Indicator)> {
    let t = m.targets.as_array()?.get(index)?;
    indicator_of(m, t).map(|i| (t, i))
}

/// The current values of one target, as the domain reads them.
fn actuals(values: &[IndicatorValue], matter: i64, index: usize) -> Vec<Actual> {
    values
        .iter()
        .filter(|v| v.matter_id == matter && v.target_index == index as i64)
        .filter(|v| v.superseded_by.is_none())
        .filter_map(|v| {
            Period::parse(&v.period).ok().map(|period| Actual {
                period,
                value: v.value,
            })
        })
        .collect()
}

/// One indicator with its progress, as the list shows it.
fn item(
    m: &IndicatorMatter,
    index: usize,
    values: &[IndicatorValue],
    today: NaiveDate,
) -> Option<IndicatorItem> {
    let (t, ind) = target_at(m, index)?;
    let p = progress(&ind, &actuals(values, m.matter_id, index), today);
    Some(IndicatorItem {
        matter_id: m.matter_id,
        index,
        title: m.title.clone(),
        matter_status: m.status,
        matter_status_label: m.status.label().to_string(),
        leads: m
            .leads
            .iter()
            .map(|(id, name)| UnitRef {
                id: *id,
                name: name.clone(),
            })
            .collect(),
        text: t["text"].as_str().unwrap_or_default().to_string(),
        metric: t["metric"].as_str().unwrap_or_default().to_string(),
        op: ind.op.clone(),
        target: ind.target,
        unit: ind.unit.clone(),
        kind: ind.kind,
        kind_label: ind.kind.label().to_string(),
        start: ind.start,
        by: ind.by,
        progress: ProgressView {
            latest: p.latest.map(|l| PeriodValue {
                period: l.period.to_string(),
                value: l.value,
            }),
            as_of: p.as_of,
            pace: p.pace,
            ratio_of_target: p.ratio_of_target,
            expected_by_now: p.expected_by_now,
            ahead_or_behind: p.ahead_or_behind,
            status: p.status,
            status_label: p.status.label().to_string(),
        },
    })
}

/// The indicators of the matters in `scope` (any track; `None`: all) led
/// by one of `lead` (`None`: any), with progress as of `today`.
pub async fn table(
    store: &Store,
    scope: Option<&[UnitId]>,
    lead: Option<&[UnitId]>,
    today: NaiveDate,
) -> ApiResult<IndicatorListView> {
    let matters = store.indicator_matters(scope, lead).await?;
    let ids: Vec<i64> = matters.iter().map(|m| m.matter_id).collect();
    let values = store.current_indicator_values(&ids).await?;
    let mut items = Vec::new();
    for m in &matters {
        let n = m.targets.as_array().map_or(0, Vec::len);
        items.extend((0..n).filter_map(|i| item(m, i, &values, today)));
    }
    Ok(IndicatorListView {
        today,
        total: items.len(),
        indicators: items,
        definitions: DEFINITIONS.to_string(),
    })
}

/// The units whose matters the user may see; the public gets none.
async fn scope_units(state: &AppState, me: &Current) -> ApiResult<Option<Vec<UnitId>>> {
    match Scope::of(state, &me.user).await? {
        Scope::All => Ok(None),
        Scope::Units(u) => Ok(Some(u)),
        Scope::RaisedBy(_) => Err(ApiError::Forbidden(
            "企业和群众账号没有指标数据；请在“我的诉求”中查看办理进度".into(),
        )),
    }
}

#[utoipa::path(
    get,
    path = "/indicators",
    operation_id = "get_api_v1_indicators",
    tag = "指标",
    summary = "量化指标及进度",
    description = "各事项的量化指标（公文中的目标，如地区生产总值增长8.5%、公共充电桩13502台），最近一期填报值、完成目标的比例、按时序进度的应达值、超前或落后的差额和状态（达标、进度正常、滞后、无数据）。范围同看板；企业群众无权查看（403）。unit 限定牵头单位。",
    params(IndicatorParams),
    responses(
        (status = 200, description = "指标列表", body = crate::views::IndicatorListView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn list(
    State(state): State<AppState>,
    me: Current,
    Filter(params): Filter<IndicatorParams>,
) -> ApiResult<Json<IndicatorListView>> {
    Ok(Json(list_data(&state, &me, &params).await?))
}

/// The list as the API answers it for `params` (`unit`: lead units).
pub(crate) async fn list_data(
    state: &AppState,
    me: &Current,
    params: &IndicatorParams,
) -> ApiResult<IndicatorListView> {
    crate::matters::business_only(&me.user)?;
    let scope = scope_units(state, me).await?;
    let lead = params.unit.clone();
    table(
        &state.store,
        scope.as_deref(),
        lead.as_deref(),
        state.now().date(),
    )
    .await
}

/// The path's matter id and target index.
pub(crate) fn parse_path(raw: &(String, String)) -> ApiResult<(i64, usize)> {
    let id = crate::matters::parse_id(&raw.0, "事项")?;
    let index = raw.1.trim().parse::<usize>().map_err(|_| {
        ApiError::BadRequest(format!("指标序号“{}”无效，应为从 0 开始的整数", raw.1))
    })?;
    Ok((id, index))
}

/// The indicator if the user may see it: 404 as for one that does not
/// exist otherwise.
async fn visible(
    state: &AppState,
    me: &Current,
    id: i64,
    index: usize,
) -> ApiResult<(IndicatorMatter, Indicator)> {
    scope_units(state, me).await?;
    visible_matter(state, &me.user, id).await?;
    let none = || ApiError::NotFound(format!("事项 {id} 没有第 {index} 项量化指标"));
    let m = match state.store.indicator_matter(id).await {
        Ok(m) => m,
        Err(duban_store::Error::NotFound(_)) => return Err(none()),
        Err(e) => return Err(e.into()),
    };
    let ind = target_at(&m, index).ok_or_else(none)?.1;
    Ok((m, ind))
}

/// The unit the user reports for on this matter: `Ok(None)` for the
/// office, the user's unit when it leads the matter, 403 otherwise.
fn reporter_unit(me: &Current, m: &IndicatorMatter) -> ApiResult<Option<UnitId>> {
    if is_office(&me.user) {
        return Ok(None);
    }
    let unit_role = matches!(me.user.role, Role::UnitHead | Role::Liaison | Role::Handler);
    match me.user.unit_id {
        Some(u) if unit_role && m.leads.iter().any(|(id, _)| *id == u) => Ok(Some(u)),
        _ => Err(ApiError::Forbidden(
            "只有本事项牵头单位的人员或督查室可以填报指标数据".into(),
        )),
    }
}

#[utoipa::path(
    get,
    path = "/indicators/{matter_id}/{index}",
    operation_id = "get_api_v1_indicators_matter_id_index",
    tag = "指标",
    summary = "指标详情",
    description = "一项指标的进度、历次填报（含更正前的数值）及每期的应达值、时序进度线。范围外的事项返回 404。",
    params(
        ("matter_id" = i64, Path, description = "事项编号", minimum = 1),
        ("index" = i64, Path, description = "指标序号：事项量化指标中的位置，从 0 开始", minimum = 0, maximum = 1000),
    ),
    responses(
        (status = 200, description = "指标详情", body = crate::views::IndicatorDetailView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号", body = crate::error::ErrorBody),
        (status = 404, description = "事项或指标不存在，或不在查看范围内", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn detail(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<(String, String)>,
) -> ApiResult<Json<IndicatorDetailView>> {
    let (id, index) = parse_path(&raw)?;
    Ok(Json(detail_data(&state, &me, id, index).await?))
}

/// One indicator with its progress, every value reported (corrections
/// kept, the current ones marked, each with what the pace expected at its
/// period's end) and the pace line from the window's start to the by-date.
pub(crate) async fn detail_data(
    state: &AppState,
    me: &Current,
    id: i64,
    index: usize,
) -> ApiResult<IndicatorDetailView> {
    crate::matters::business_only(&me.user)?;
    let (m, ind) = visible(state, me, id, index).await?;
    let values = state.store.indicator_values(id, index as i64).await?;
    let today = state.now().date();
    let none = || ApiError::NotFound(format!("事项 {id} 没有第 {index} 项量化指标"));
    let item = item(&m, index, &values, today).ok_or_else(none)?;
    let clock = state.clock();
    let rows = values
        .iter()
        .rev()
        .map(|v| {
            let end = Period::parse(&v.period).ok().map(Period::end);
            IndicatorValueRow {
                id: v.id,
                period: v.period.clone(),
                period_end: end,
                value: v.value,
                expected: end.map(|e| ind.expected_at(e)),
                note: v.note.clone(),
                reporter: v.reporter.clone(),
                unit_name: v.unit_name.clone(),
                version: v.version,
                current: v.superseded_by.is_none(),
                superseded_by: v.superseded_by,
                created_at: v.created_at,
                created_at_local: clock.show(v.created_at),
            }
        })
        .collect();
    let pace_line = vec![
        PacePoint {
            date: ind.start,
            expected: ind.expected_at(ind.start.pred_opt().unwrap_or(ind.start)),
        },
        PacePoint {
            date: ind.by,
            expected: ind.expected_at(ind.by),
        },
    ];
    Ok(IndicatorDetailView::of(
        item,
        rows,
        pace_line,
        reporter_unit(me, &m).is_ok(),
        DEFINITIONS.to_string(),
    ))
}

#[utoipa::path(
    post,
    path = "/indicators/{matter_id}/{index}/values",
    operation_id = "post_api_v1_indicators_matter_id_index_values",
    tag = "指标",
    summary = "填报指标数据",
    description = "本事项牵头单位的人员或督查室填报某月（2024-03）或某季度（2024Q1）的数值：总量指标填截至期末的累计值，增长率、比率和控制上限指标填当期值。同一期再次填报为更正，保留原值。",
    params(
        ("matter_id" = i64, Path, description = "事项编号", minimum = 1),
        ("index" = i64, Path, description = "指标序号：事项量化指标中的位置，从 0 开始", minimum = 0, maximum = 1000),
    ),
    request_body(content = ref("#/components/schemas/IndicatorValue"), content_type = "application/json"),
    responses(
        (status = 201, description = "已填报，返回填报值、被更正的原值和更新后的指标", body = crate::views::IndicatorRecordView),
        (status = 400, description = "期间格式有误、数值不是数字或请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是本事项的牵头单位或督查室", body = crate::error::ErrorBody),
        (status = 404, description = "事项或指标不存在，或不在查看范围内", body = crate::error::ErrorBody),
        (status = 422, description = "期间不在考核期内或尚未开始", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::TRACK_ACTORS))),
)]
async fn record(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<(String, String)>,
    ApiJson(body): ApiJson<IndicatorValueBody>,
) -> ApiResult<(StatusCode, Json<IndicatorRecordView>)> {
    let (id, index) = parse_path(&raw)?;
    let v = record_data(&state, &me, id, index, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A value to record (`POST /indicators/{matter_id}/{index}/values`, and
/// the indicator page's form). A missing field is refused by
/// [`record_data`] saying what to fill in; an unknown one by the reading
/// of the body, naming it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndicatorValueBody {
    /// 按月如 2024-03，按季度如 2024Q1.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub value: Option<ReportedValue>,
    /// 说明，不超过500字.
    #[serde(default)]
    pub note: Option<String>,
}

/// A value as typed: a JSON number, or text holding one (a form's field;
/// thousands separators allowed).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReportedValue {
    Number(f64),
    Text(String),
}

impl ReportedValue {
    /// The number, or a refusal saying what to type.
    pub(crate) fn number(&self) -> ApiResult<f64> {
        let bad = |s: &str| {
            ApiError::BadRequest(format!("填报值“{s}”不是数字：请填写数字，如 1250 或 8.5"))
        };
        let n = match self {
            ReportedValue::Number(n) => *n,
            ReportedValue::Text(s) => {
                let t: String = s
                    .trim()
                    .chars()
                    .filter(|c| *c != ',' && *c != '，')
                    .collect();
                if t.is_empty() {
                    return Err(ApiError::BadRequest("请填写填报值".into()));
                }
                t.parse::<f64>().map_err(|_| bad(s))?
            }
        };
        if n.is_finite() {
            Ok(n)
        } else {
            Err(bad(&n.to_string()))
        }
    }
}

impl<'de> Deserialize<'de> for ReportedValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ReportedValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("数字（或写成数字的文字，如 \"1,250\"）")
            }
            fn visit_i64<E>(self, v: i64) -> Result<ReportedValue, E> {
                Ok(ReportedValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<ReportedValue, E> {
                Ok(ReportedValue::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<ReportedValue, E> {
                Ok(ReportedValue::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<ReportedValue, E> {
                Ok(ReportedValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl utoipa::PartialSchema for ReportedValue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .into()
    }
}

impl ToSchema for ReportedValue {}

/// Records a value (a correction when the period has one) for a lead
/// unit's user or the office; answers the value, the one it replaced and
/// the indicator afterwards.
pub(crate) async fn record_data(
    state: &AppState,
    me: &Current,
    id: i64,
    index: usize,
    body: IndicatorValueBody,
) -> ApiResult<IndicatorRecordView> {
    crate::matters::business_only(&me.user)?;
    let (m, ind) = visible(state, me, id, index).await?;
    let unit = reporter_unit(me, &m)?;
    let raw_period = body.period.as_deref().unwrap_or_default();
    if raw_period.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "请填写期间：按月如 2024-03，按季度如 2024Q1".into(),
        ));
    }
    let period = Period::parse(raw_period).map_err(ApiError::BadRequest)?;
    let value = body
        .value
        .as_ref()
        .ok_or_else(|| ApiError::BadRequest("请填写填报值".into()))?
        .number()?;
    let note = match body.note {
        None => String::new(),
        Some(s) if s.chars().count() <= 500 => s.trim().to_string(),
        Some(_) => return Err(ApiError::BadRequest("说明不超过500字".into())),
    };
    ind.check_period(period).map_err(ApiError::Unprocessable)?;
    let today = state.now().date();
    if period.start() > today {
        return Err(ApiError::Unprocessable(format!(
            "期间 {period} 尚未开始，不能填报；请填写已开始的月份或季度"
        )));
    }
    let (created, replaced) = state
        .store
        .record_indicator_value(
            Some(me.user.id),
            NewIndicatorValue {
                matter_id: id,
                target_index: index as i64,
                period: period.to_string(),
                value,
                note,
                unit_id: unit,
            },
        )
        .await?;
    Ok(IndicatorRecordView {
        value: created.into(),
        replaced: replaced.map(Into::into),
        indicator: detail_data(state, me, id, index).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_numbers_or_are_refused_in_chinese() {
        let read = |v: serde_json::Value| -> ApiResult<f64> {
            let body = serde_json::to_vec(&json!({ "value": v })).unwrap();
            crate::error::read_json::<IndicatorValueBody>(&body)?
                .value
                .ok_or_else(|| ApiError::BadRequest("请填写填报值".into()))?
                .number()
        };
        assert_eq!(read(json!(12.5)).unwrap(), 12.5);
        assert_eq!(read(json!(1250)).unwrap(), 1250.0);
        assert_eq!(read(json!(" 13,502 ")).unwrap(), 13502.0);
        assert_eq!(read(json!("1,250")).unwrap(), 1250.0);
        assert_eq!(read(json!("1，250")).unwrap(), 1250.0);
        assert_eq!(read(json!("-2.1")).unwrap(), -2.1);
        for bad in [
            json!("十二"),
            json!(""),
            json!(null),
            json!([1]),
            json!(true),
            json!("NaN"),
        ] {
            let e = read(bad.clone()).unwrap_err();
            let message = e.status_and_message().1.to_string();
            assert!(
                message.contains("填报值") || message.contains("value 应为数字"),
                "{bad}: {message}"
            );
        }
    }
}
