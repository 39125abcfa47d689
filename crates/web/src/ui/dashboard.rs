//! The dashboard (工作台) of the office and the leaders: tiles with the
//! counts of matters and tracks by status, state and light, the three
//! on-time rates, a bar chart of the lights and a monthly trend drawn on
//! the server as inline SVG (each with its figures in words and in a
//! table), the units with their on-time rates, and the overdue list. A
//! GET form narrows it to a unit or, for the office, a leader's units.
//!
//! Every figure is read from [`stats_data`], the value `GET /api/v1/stats`
//! answers, so the page and the API never disagree. The pieces are shared
//! with the leader's page ([`super::leader`]).

use super::layout::{self, rate_bar};
use super::{PageResult, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::params::FromParams;
use crate::stats::stats_data;
use crate::views::{
    LightCode, RatioView, StateCounts, StatsParams, StatsView, TrackTotals, TrendView,
};
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use duban_domain::org::Role;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

/// The API's parameters among the page's query (the page's own, such as a
/// notice, are left out).
pub(super) fn api_params(q: &HashMap<String, String>, keys: &[&str]) -> HashMap<String, String> {
    q.iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The figures for a filter, or the message of a malformed one (the
/// refusal of reading it; shown on the page above an empty view rather
/// than as an error page).
pub(super) async fn figures(
    state: &AppState,
    viewer: &Viewer,
    filter: ApiResult<StatsParams>,
) -> PageResult<(Option<StatsView>, Option<String>)> {
    let read = async { stats_data(state, &viewer.current, &filter?).await };
    match read.await {
        Ok(v) => Ok((Some(v), None)),
        Err(e @ ApiError::BadRequest(_)) => Ok((None, Some(e.status_and_message().1.to_string()))),
        Err(e) => Err(e.into()),
    }
}

async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let role = viewer.user().role;
    if !matches!(role, Role::Office | Role::Admin | Role::Leader) {
        return Err(ApiError::Forbidden(
            "工作台供督查室和分管领导使用；本单位的任务请看“本单位待办”".into(),
        )
        .into());
    }
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let (data, error) = figures(
        &state,
        &viewer,
        StatsParams::from_query(api_params(&q, &["unit", "leader"])).map_err(ApiError::from),
    )
    .await?;

    // The choices of the filter: every unit for the office, a leader's own.
    let units = crate::units::units_data(&state, &viewer.current).await?;
    let mine: Option<Vec<i64>> = if viewer.is_office() {
        None
    } else {
        Some(
            crate::leaders::scope_data(&state, &viewer.current)
                .await?
                .units,
        )
    };
    let unit_options: Vec<(String, String)> = units
        .iter()
        .filter(|u| mine.as_ref().is_none_or(|m| m.contains(&u.id)))
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    let leaders: Vec<(String, String)> = if viewer.is_office() {
        crate::leaders::leaders_data(&state, &viewer.current)
            .await?
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect()
    } else {
        Vec::new()
    };
    let office = viewer.is_office();
    let scope_text = if !get("unit").is_empty() {
        let name = unit_options
            .iter()
            .find(|(id, _)| id == get("unit"))
            .map(|(_, n)| n.as_str())
            .unwrap_or("所选单位");
        format!("单位：{name}")
    } else if !get("leader").is_empty() {
        let name = leaders
            .iter()
            .find(|(id, _)| id == get("leader"))
            .map(|(_, n)| n.as_str())
            .unwrap_or("所选领导");
        format!("{name}分管的单位")
    } else if office {
        "全部单位".to_string()
    } else {
        "本人分管的单位".to_string()
    };
    let body = html! {
        h1 { "工作台" }
        (layout::notices(q.get("ok").map(String::as_str), error.as_deref()))
        form.filters method="get" action="/dashboard" {
            label {
                span { "单位" }
                select name="unit" {
                    option value="" { "全部" }
                    @for (v, l) in &unit_options {
                        option value=(v) selected[v == get("unit")] { (l) }
                    }
                }
            }
            @if office {
                label {
                    span { "分管领导" }
                    select name="leader" {
                        option value="" { "全部" }
                        @for (v, l) in &leaders {
                            option value=(v) selected[v == get("leader")] { (l) }
                        }
                    }
                }
            }
            button type="submit" { "查看" }
            a href="/dashboard" { "清除" }
        }
        @if let Some(data) = &data {
            p.muted { "统计范围：" (scope_text) "；统计日期：" (data.today) "。" }
            (tiles(data))
            div.split {
                div.card { h2 { "灯色分布" } (lights_chart(data)) }
                div.card { h2 { "月度趋势" } (trend_chart(data)) }
            }
            h2 { "各单位办理情况" }
            p.muted { "按逾期任务数从多到少排列。点击单位名称查看该单位的统计，点击“事项”查看其督办事项。" }
            (units_table(data, |id| format!("/dashboard?unit={id}"), |id| Some(format!("/board?unit={id}"))))
            h2 { "逾期清单" }
            (overdue_table(data))
            (definitions(data))
        }
    };
    Ok(layout::page(&viewer, "工作台", "/dashboard", body))
}

/// A rate as its bar, its two counts and what they mean.
pub(super) fn rate_cell(r: &RatioView) -> Markup {
    let (on_time, due) = (r.on_time, r.due);
    html! {
        (rate_bar(on_time, due))
        " " span.muted title="按时数/应办数" { (on_time) "/" (due) }
    }
}

/// The lights in the order the pages list them, with their colours.
const LIGHTS: [(LightCode, &str, &str); 5] = [
    (LightCode::Red, "红灯（逾期）", "#b91c1c"),
    (LightCode::Yellow, "黄灯（临期）", "#b45309"),
    (LightCode::Green, "绿灯（正常）", "#15803d"),
    (LightCode::Unknown, "无法计算", "#7c3aed"),
    (LightCode::Done, "已办结", "#475569"),
];

/// The states in the order the tiles show them.
fn states(c: &StateCounts) -> [(&'static str, i64); 6] {
    [
        ("待签收", c.assigned),
        ("办理中", c.signed_for),
        ("待审核", c.close_requested),
        ("已退回", c.returned),
        ("已办结", c.closed),
        ("已撤销", c.withdrawn),
    ]
}

/// The three on-time rates with their names.
fn rates(t: &TrackTotals) -> [(&'static str, &RatioView); 3] {
    [
        ("签收及时率", &t.sign_for),
        ("反馈及时率", &t.report),
        ("按期办结率", &t.close),
    ]
}

/// A rate as a percentage with one decimal, — when nothing was due.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0))
}

/// The tiles: matters, tracks, lights, rates and states.
pub(super) fn tiles(data: &StatsView) -> Markup {
    let t = &data.tracks;
    let m = &data.matters;
    html! {
        div.grid {
            div.stat {
                span { "督办事项" } b { (m.total) }
                span.muted { "办理中 " (m.by_status.open) " · 已销号 " (m.by_status.closed) " · 已撤销 " (m.by_status.withdrawn) }
            }
            div.stat {
                span { "办理任务" } b { (t.total) }
                span.muted { "在办 " (t.open) " · 退回 " (t.returns) " 次" }
            }
            @for (code, label, _) in LIGHTS {
                div.stat {
                    span { (layout::light(code.code(), label)) }
                    b class=(format!("count-{}", code.code())) { (t.by_light.of(code)) }
                }
            }
            @for (label, r) in rates(t) {
                div.stat {
                    span { (label) }
                    b { (percent(r.rate)) }
                    span.muted { (r.on_time) "/" (r.due) }
                }
            }
        }
        div.grid.gap-top {
            @for (label, n) in states(&t.by_state) {
                div.stat { span { (label) } b { (n) } }
            }
        }
    }
}

/// The bar chart of the lights, with its figures in words (title and
/// description) and in a table.
pub(super) fn lights_chart(data: &StatsView) -> Markup {
    let counts: Vec<(&str, &str, i64)> = LIGHTS
        .iter()
        .map(|(code, label, colour)| (*label, *colour, data.tracks.by_light.of(*code)))
        .collect();
    let max = counts.iter().map(|c| c.2).max().unwrap_or(0).max(1);
    let (w, h, top, bottom) = (420.0, 220.0, 24.0, 40.0);
    let slot = w / counts.len() as f64;
    let bar = layout::r1(slot * 0.56);
    let plot = h - top - bottom;
    let words = counts
        .iter()
        .map(|(l, _, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join("，");
    html! {
        svg.chart role="img" aria-labelledby="lights-title lights-desc"
            viewBox=(format!("0 0 {w} {h}")) width="100%" class="chart-36" {
            title #lights-title { "办理任务灯色分布" }
            desc #lights-desc { "各灯色的任务数：" (words) "。" }
            line x1="0" x2=(w) y1=(h - bottom) y2=(h - bottom) stroke="#cbd5e1" {}
            @for (i, (label, colour, n)) in counts.iter().enumerate() {
                @let bh = (*n as f64 / max as f64 * plot).round();
                @let x = layout::r1(i as f64 * slot + (slot - bar) / 2.0);
                rect x=(x) y=(h - bottom - bh) width=(bar) height=(bh) fill=(colour) {}
                text x=(layout::r1(x + bar / 2.0)) y=(h - bottom - bh - 6.0) text-anchor="middle" { (n) }
                text x=(layout::r1(x + bar / 2.0)) y=(h - bottom + 16.0) text-anchor="middle" { (short(label)) }
            }
        }
        details {
            summary { "以表格查看" }
            table {
                thead { tr { th { "灯色" } th.num { "任务数" } } }
                tbody {
                    @for (label, _, n) in &counts {
                        tr { td { (label) } td.num { (n) } }
                    }
                }
            }
        }
    }
}

/// A light's label without its explanation in brackets, for chart axes.
fn short(label: &str) -> &str {
    label.split('（').next().unwrap_or(label)
}

/// A rounded-up top for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(v: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= v.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// The monthly trend: bars for tracks assigned and closed each month, a
/// line for those closed on time; its figures in words and in a table.
pub(super) fn trend_chart(data: &StatsView) -> Markup {
    let months: Vec<&TrendView> = data.trend.iter().collect();
    let max = nice_max(
        months
            .iter()
            .flat_map(|m| [m.assigned, m.closed])
            .max()
            .unwrap_or(0),
    );
    let (w, h, left, top, bottom) = (560.0, 240.0, 44.0, 30.0, 36.0);
    let plot_w = w - left - 8.0;
    let plot_h = h - top - bottom;
    let slot = plot_w / months.len().max(1) as f64;
    let bar = layout::r1(slot * 0.34);
    let y = |v: i64| layout::r1(top + plot_h - v as f64 / max as f64 * plot_h);
    let points: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{:.1},{:.1}",
                left + (i as f64 + 0.5) * slot,
                y(m.closed_on_time)
            )
        })
        .collect();
    let words = months
        .iter()
        .map(|m| {
            format!(
                "{}：交办 {}，办结 {}，按期办结 {}",
                m.month, m.assigned, m.closed, m.closed_on_time
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let month_label = |m: &TrendView| {
        m.month
            .get(5..)
            .map(|mm| format!("{}月", mm.trim_start_matches('0')))
            .unwrap_or_default()
    };
    html! {
        svg.chart role="img" aria-labelledby="trend-title trend-desc"
            viewBox=(format!("0 0 {w} {h}")) width="100%" class="chart-48" {
            title #trend-title { "最近" (months.len()) "个月办理任务的交办与办结" }
            desc #trend-desc { (words) "。" }
            // The legend.
            rect x=(left) y="6" width="10" height="10" fill="#2563eb" {}
            text x=(left + 14.0) y="15" { "交办" }
            rect x=(left + 60.0) y="6" width="10" height="10" fill="#94a3b8" {}
            text x=(left + 74.0) y="15" { "办结" }
            line x1=(left + 120.0) x2=(left + 136.0) y1="11" y2="11" stroke="#15803d" stroke-width="2" {}
            text x=(left + 140.0) y="15" { "按期办结" }
            // The axis and its gridlines.
            @for frac in [0.0, 0.5, 1.0] {
                @let v = (max as f64 * frac).round() as i64;
                line x1=(left) x2=(w - 8.0) y1=(y(v)) y2=(y(v)) stroke="#e5e7eb" {}
                text x=(left - 6.0) y=(y(v) + 4.0) text-anchor="end" { (v) }
            }
            @for (i, m) in months.iter().enumerate() {
                @let x = layout::r1(left + i as f64 * slot + (slot - 2.0 * bar) / 2.0);
                @let (a, c) = (m.assigned, m.closed);
                rect x=(x) y=(y(a)) width=(bar) height=(layout::r1(y(0) - y(a))) fill="#2563eb" {
                    title { (m.month) " 交办 " (a) }
                }
                rect x=(layout::r1(x + bar)) y=(y(c)) width=(bar) height=(layout::r1(y(0) - y(c))) fill="#94a3b8" {
                    title { (m.month) " 办结 " (c) }
                }
                text x=(layout::r1(left + (i as f64 + 0.5) * slot)) y=(h - bottom + 16.0) text-anchor="middle" { (month_label(m)) }
            }
            polyline points=(points.join(" ")) fill="none" stroke="#15803d" stroke-width="2" {}
            @for (i, m) in months.iter().enumerate() {
                circle cx=(format!("{:.1}", left + (i as f64 + 0.5) * slot)) cy=(format!("{:.1}", y(m.closed_on_time))) r="3" fill="#15803d" {
                    title { (m.month) " 按期办结 " (m.closed_on_time) }
                }
            }
        }
        details {
            summary { "以表格查看" }
            table {
                thead { tr { th { "月份" } th.num { "交办" } th.num { "办结" } th.num { "按期办结" } } }
                tbody {
                    @for m in &months {
                        tr {
                            td { (m.month) }
                            td.num { (m.assigned) }
                            td.num { (m.closed) }
                            td.num { (m.closed_on_time) }
                        }
                    }
                }
            }
        }
    }
}

/// The units with their figures, in the API's order (most overdue first),
/// and a total row. `drill` links a unit's name, `board` its matters.
pub(super) fn units_table(
    data: &StatsView,
    drill: impl Fn(i64) -> String,
    board: impl Fn(i64) -> Option<String>,
) -> Markup {
    let units = &data.units;
    let t = &data.tracks;
    html! {
        table.wide {
            thead { tr {
                th { "单位" } th.num { "任务" } th.num { "在办" } th.num { "逾期" }
                th { "签收及时率" } th { "反馈及时率" } th { "按期办结率" } th.num { "退回" }
            } }
            tbody {
                @for u in units {
                    @let id = u.unit_id;
                    tr.late[u.overdue > 0] {
                        td data-label="单位" {
                            a href=(drill(id)) { (u.unit_name) }
                            @if let Some(b) = board(id) { " " a.muted href=(b) { "事项" } }
                        }
                        td.num data-label="任务" { (u.tracks) }
                        td.num data-label="在办" { (u.open) }
                        td.num data-label="逾期" {
                            @if u.overdue > 0 { span.overdue { (u.overdue) } } @else { "0" }
                        }
                        td data-label="签收及时率" { (rate_cell(&u.sign_for)) }
                        td data-label="反馈及时率" { (rate_cell(&u.report)) }
                        td data-label="按期办结率" { (rate_cell(&u.close)) }
                        td.num data-label="退回" { (u.returns) }
                    }
                }
                @if units.is_empty() {
                    tr { td colspan="8" .muted { "没有可统计的单位。" } }
                } @else {
                    tr {
                        th { "合计" }
                        th.num { (t.total) }
                        th.num { (t.open) }
                        th.num { (t.by_light.red) }
                        th { (rate_cell(&t.sign_for)) }
                        th { (rate_cell(&t.report)) }
                        th { (rate_cell(&t.close)) }
                        th.num { (t.returns) }
                    }
                }
            }
        }
    }
}

/// The most overdue open tracks, each linking to its matter.
pub(super) fn overdue_table(data: &StatsView) -> Markup {
    let rows = &data.overdue;
    let red = data.tracks.by_light.red;
    html! {
        @if rows.is_empty() {
            p.muted { "没有逾期的任务。" }
        } @else {
            p.muted { "共 " (red) " 项任务逾期" @if (rows.len() as i64) < red { "，列出逾期最久的 " (rows.len()) " 项" } "。" }
            table.wide {
                thead { tr {
                    th { "事项" } th { "责任单位" } th { "逾期环节" } th { "时限" } th.num { "逾期天数" }
                } }
                tbody {
                    @for o in rows {
                        tr.late {
                            td data-label="事项" { a href=(format!("/matters/{}", o.matter_id)) { (o.title) } }
                            td data-label="责任单位" { (o.unit_name) }
                            td data-label="逾期环节" { (o.limit_label) }
                            td data-label="时限" { (o.due) }
                            td.num data-label="逾期天数" {
                                @match o.days_late {
                                    Some(d) => span.overdue { (d) " 天" },
                                    None => span.muted { "无法计算" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the figures mean, as the API states it.
pub(super) fn definitions(data: &StatsView) -> Markup {
    html! {
        details.card {
            summary { "统计口径" }
            ul {
                @for v in data.definitions.values() { li { (v) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nice_max;

    #[test]
    fn axes_round_up_to_round_numbers() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(4321), 5000);
    }
}
