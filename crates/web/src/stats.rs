//! Statistics (督查督办统计): tracks by state and by light, matters by
//! status, each unit's on-time sign-for, report and close rates and its
//! returns, the most overdue open tracks, and a monthly trend, within the
//! caller's scope: the office and admins see every unit, a leader the units
//! they oversee, a unit's users their unit; the public has no statistics.
//! `unit` narrows to some units and `leader` (the office only) to a
//! leader's units.
//!
//! The figures are SQL aggregates the store keeps cheap
//! ([`duban_store::stats`]): sums over per-unit, per-month rows for the
//! finished work and one pass over the open tracks' index for the rest, so
//! their cost follows the work in hand and the number of units, not years
//! of closed matters. The dashboard and the leader's page render
//! [`stats_data`] itself, so a page shows exactly what the API answers. The definitions are stated once here ([`DEFINITIONS`]) and in
//! the OpenAPI description ([`API_DESCRIPTION`]), in the same words.

use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::{is_office, Scope};
use crate::params::Filter;
use crate::views::{
    LightCounts, MatterCounts, MatterTotals, OverdueView, RatioView, StateCounts, StatsFilter,
    StatsParams, StatsView, TrackTotals, TrendView, UnitRef, UnitStatsView,
};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use duban_store::stats::{MissedLimit, MonthTrend, OverdueTrack, Ratio, UnitStats};
use duban_store::StatsQuery;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stats))
}

// The definitions as literals, so the OpenAPI description can be put
// together from the very same words at compile time.
macro_rules! light_def {
    () => {
        "灯色：未办结的任务，最早未办时限已过为红灯（逾期）；否则日历缺少所需年份为无法计算；否则进入临近提醒期为黄灯；其余为绿灯。已办结和已撤销的任务为已办结。"
    };
}
macro_rules! sign_for_def {
    () => {
        "签收及时率 = 在签收时限当天或之前签收的任务数 ÷（已签收的任务数 + 未签收且签收时限已过的任务数）。"
    };
}
macro_rules! report_def {
    () => {
        "反馈及时率 = 首次反馈（进展反馈或申请办结）不晚于首次反馈时限的任务数 ÷（已反馈的任务数 + 未反馈且首次反馈时限已过的任务数）；持续推进事项此后各节点的报送不计入。"
    };
}
macro_rules! close_def {
    () => {
        "按期办结率 = 申请办结成立（待审核或已办结）且申请不晚于办结时限（批准的延期、任务的截止日期或事项类型的期限）的任务数 ÷（申请办结成立的任务数 + 未申请或申请被退回且办结时限已过的任务数）；没有办结时限的任务（如无截止日期的持续推进事项）不计入。"
    };
}
macro_rules! common_def {
    () => {
        "三项比率都不计已撤销的任务，也不计因日历缺少年份而无法计算时限的任务；时限当天办理为按时，次日起为超时；分母为 0 时比率为 null。"
    };
}
macro_rules! overdue_def {
    () => {
        "逾期清单：最早未办时限已过的未办结任务（即红灯任务），时限最早的在前；逾期天数按事项类型的计日方式（工作日或自然日）计算，至少 1 天。"
    };
}
macro_rules! trend_def {
    () => {
        "月度趋势：含本月在内最近若干个月，每月交办的任务数、办结（销号）的任务数，及其中按期办结（有办结时限且被采纳的办结申请不晚于时限）的任务数。"
    };
}

/// What each figure means, in the words the pages and the API show.
pub(crate) const DEFINITIONS: [(&str, &str); 7] = [
    ("light", light_def!()),
    ("sign_for", sign_for_def!()),
    ("report", report_def!()),
    ("close", close_def!()),
    ("rates", common_def!()),
    ("overdue", overdue_def!()),
    ("trend", trend_def!()),
];

/// The description of `GET /api/v1/stats` in the OpenAPI document.
pub(crate) const API_DESCRIPTION: &str = concat!(
    "督查督办统计。范围：督查室和管理员看全部单位；分管领导看分管单位；单位用户看本单位；企业群众无权查看（403）。",
    "unit 限定单位（与范围取交集），leader 限定某位分管领导的分管单位（仅督查室）。",
    "返回：任务按办理状态和灯色的计数，事项按状态的计数，各单位的任务数、在办数、逾期（红灯）数、退回次数和三项及时率（分子 on_time、分母 due、比率 rate），",
    "逾期清单和月度趋势。各单位按逾期数从多到少排列。",
    light_def!(),
    sign_for_def!(),
    report_def!(),
    close_def!(),
    common_def!(),
    overdue_def!(),
    trend_def!(),
);

#[utoipa::path(
    get,
    path = "/stats",
    operation_id = "get_api_v1_stats",
    tag = "统计",
    summary = "督查督办统计",
    description = API_DESCRIPTION,
    params(StatsParams),
    responses(
        (status = 200, description = "统计数据", body = crate::views::StatsView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 403, description = "企业群众账号，或非督查室按分管领导筛选", body = crate::error::ErrorBody),
        (status = 422, description = "leader 所指的用户不是分管领导", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::GOVERNMENT))),
)]
async fn stats(
    State(state): State<AppState>,
    me: Current,
    Filter(filter): Filter<StatsParams>,
) -> ApiResult<Json<StatsView>> {
    Ok(Json(stats_data(&state, &me, &filter).await?))
}

/// The statistics as the API shows them for `filter`; the dashboard and
/// the leader's page render the same value.
pub(crate) async fn stats_data(
    state: &AppState,
    me: &Current,
    filter: &StatsParams,
) -> ApiResult<StatsView> {
    crate::matters::business_only(&me.user)?;
    let mine = match Scope::of(state, &me.user).await? {
        Scope::All => None,
        Scope::Units(units) => Some(units),
        Scope::RaisedBy(_) => {
            return Err(ApiError::Forbidden(
                "企业和群众账号没有统计数据；请在“我的诉求”中查看办理进度".into(),
            ))
        }
    };
    let StatsParams {
        unit: units,
        leader,
        overdue,
        months,
    } = filter.clone();

    // The units in view: the caller's scope, the unit filter and the
    // leader filter, intersected.
    let mut view = units.clone();
    if let Some(l) = leader {
        if !is_office(&me.user) {
            return Err(ApiError::Forbidden(
                "只有督查室可以按分管领导查看统计；分管领导请直接查看本人分管单位".into(),
            ));
        }
        let (_, overseen) = crate::leaders::overseen_by(state, l).await?;
        view = Some(intersect(view, overseen));
    }
    if let Some(mine) = mine {
        view = Some(intersect(view, mine));
    }

    let today = state.now().date();
    let cal = state.calendar().await?;
    let s = state
        .store
        .stats(
            &StatsQuery {
                units: view.clone(),
                today,
                overdue_limit: overdue,
                months: months as u32,
            },
            &cal,
        )
        .await?;

    // Who is behind first: most overdue, then most open, then by id.
    let mut units: Vec<&UnitStats> = s.units.iter().collect();
    units.sort_by_key(|u| (-u.lights.red, -u.open, u.unit_id));
    let t = &s.total;
    let m = s.matters;
    Ok(StatsView {
        today: s.today,
        filter: StatsFilter {
            unit: unit_in_view(&view, &units),
            units: view,
            leader,
        },
        tracks: TrackTotals {
            total: t.tracks,
            open: t.open,
            by_state: states(&t.states),
            by_light: lights(&t.lights),
            returns: t.returns,
            sign_for: ratio(t.sign_for),
            report: ratio(t.report),
            close: ratio(t.close),
        },
        matters: MatterTotals {
            total: m.open + m.closed + m.withdrawn,
            by_status: MatterCounts {
                open: m.open,
                closed: m.closed,
                withdrawn: m.withdrawn,
            },
        },
        units: units.iter().map(|u| unit_view(u)).collect(),
        overdue: s.overdue.iter().map(overdue_view).collect(),
        trend: s.trend.iter().map(trend_view).collect(),
        definitions: DEFINITIONS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

fn intersect(a: Option<Vec<i64>>, b: Vec<i64>) -> Vec<i64> {
    match a {
        Some(a) => a.into_iter().filter(|u| b.contains(u)).collect(),
        None => b,
    }
}

/// The unit in view when it is one (a drill-down), for a heading.
fn unit_in_view(view: &Option<Vec<i64>>, units: &[&UnitStats]) -> Option<UnitRef> {
    match view {
        Some(v) if v.len() == 1 => units.iter().find(|u| u.unit_id == v[0]).map(|u| UnitRef {
            id: u.unit_id,
            name: u.unit_name.clone(),
        }),
        _ => None,
    }
}

fn ratio(r: Ratio) -> RatioView {
    RatioView {
        on_time: r.on_time,
        due: r.due,
        rate: r.rate(),
    }
}

fn states(c: &duban_store::stats::StateCounts) -> StateCounts {
    StateCounts {
        assigned: c.assigned,
        signed_for: c.signed_for,
        close_requested: c.close_requested,
        returned: c.returned,
        closed: c.closed,
        withdrawn: c.withdrawn,
    }
}

fn lights(c: &duban_store::stats::LightCounts) -> LightCounts {
    LightCounts {
        green: c.green,
        yellow: c.yellow,
        red: c.red,
        done: c.done,
        unknown: c.unknown,
    }
}

fn unit_view(u: &UnitStats) -> UnitStatsView {
    UnitStatsView {
        unit_id: u.unit_id,
        unit_name: u.unit_name.clone(),
        tracks: u.tracks,
        open: u.open,
        overdue: u.lights.red,
        returns: u.returns,
        by_state: states(&u.states),
        by_light: lights(&u.lights),
        sign_for: ratio(u.sign_for),
        report: ratio(u.report),
        close: ratio(u.close),
    }
}

fn overdue_view(o: &OverdueTrack) -> OverdueView {
    OverdueView {
        track_id: o.track_id,
        matter_id: o.matter_id,
        title: o.title.clone(),
        unit_id: o.unit_id,
        unit_name: o.unit_name.clone(),
        limit: missed_code(o.limit).into(),
        limit_label: o.limit.label().into(),
        due: o.due,
        days_late: o.days_late,
    }
}

/// The code of a missed limit, as the API writes it.
fn missed_code(l: MissedLimit) -> &'static str {
    match l {
        MissedLimit::Deploy => "deploy",
        MissedLimit::FirstReport => "first_report",
        MissedLimit::Node => "node",
        MissedLimit::Resolve => "resolve",
    }
}

fn trend_view(m: &MonthTrend) -> TrendView {
    TrendView {
        month: m.month.clone(),
        assigned: m.assigned,
        closed: m.closed,
        closed_on_time: m.closed_on_time,
    }
}
