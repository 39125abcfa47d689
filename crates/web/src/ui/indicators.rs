//! The indicator pages (指标): a table of every indicator in the viewer's
//! scope with its progress, and a page per indicator with its values, a
//! chart drawn on the server as inline SVG (the reported values against the
//! pace line) and, for a lead unit's user or the office, a form to report a
//! period's value. A refused report is shown again with what was typed.
//!
//! Every figure comes from the API's data functions ([`list_data`],
//! [`detail_data`], [`record_data`]), so the pages and the API agree.

use super::dashboard::api_params;
use super::form::Fields;
use super::layout::{self, light};
use super::{PageError, PageResult, Viewer};
use crate::error::ApiError;
use crate::indicators::{
    detail_data, list_data, parse_path, record_data, IndicatorValueBody, ReportedValue,
};
use crate::params::FromParams;
use crate::views::{IndicatorDetailView, IndicatorParams, ProgressView, UnitRef};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use duban_domain::indicator::{Status, TargetKind};
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(list))
        .route("/indicators/{matter_id}/{index}", get(page).post(report))
}

/// The light class of a status: met is done with, on pace is green.
fn status_light(p: &ProgressView) -> Markup {
    let class = match p.status {
        Status::Met => "done",
        Status::OnPace => "green",
        Status::Behind => "red",
        Status::NoData => "unknown",
    };
    light(class, &p.status_label)
}

/// A number as people read it: at most two decimals, no trailing zeros.
fn num(v: Option<f64>) -> String {
    match v {
        Some(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        None => "—".into(),
    }
}

/// `≥ 13502台`.
fn target_text(op: &str, target: f64, unit: &str) -> String {
    let op = match op {
        ">=" => "≥",
        "<=" => "≤",
        ">" => "＞",
        "<" => "＜",
        _ => "",
    };
    format!("{op}{}{unit}", num(Some(target)))
}

fn leads(leads: &[UnitRef]) -> String {
    leads
        .iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The margin with its sign, in the target's unit.
fn margin(p: &ProgressView, unit: &str) -> String {
    match p.ahead_or_behind {
        Some(m) if m >= 0.0 => format!("超前 {}{unit}", num(Some(m))),
        Some(m) => format!("落后 {}{unit}", num(Some(-m))),
        None => "—".into(),
    }
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let read = async {
        let params = IndicatorParams::from_query(api_params(&q, &["unit"]))?;
        list_data(&state, &viewer.current, &params).await
    };
    let (data, error) = match read.await {
        Ok(v) => (Some(v), None),
        Err(e @ ApiError::BadRequest(_)) => (None, Some(e.status_and_message().1.to_string())),
        Err(e) => return Err(e.into()),
    };
    let unit_filter = q.get("unit").map(String::as_str).unwrap_or_default();
    // The lead units of the indicators in view, for the filter.
    let mut units: Vec<(String, String)> = Vec::new();
    if let Ok(all) = list_data(&state, &viewer.current, &IndicatorParams::default()).await {
        for u in all.indicators.iter().flat_map(|i| &i.leads) {
            let id = u.id.to_string();
            if !units.iter().any(|(x, _)| *x == id) {
                units.push((id, u.name.clone()));
            }
        }
    }
    let body = html! {
        h1 { "指标" }
        (layout::notices(None, error.as_deref()))
        form.filters method="get" action="/indicators" {
            label {
                span { "牵头单位" }
                select name="unit" {
                    option value="" { "全部" }
                    @for (v, l) in &units { option value=(v) selected[v == unit_filter] { (l) } }
                }
            }
            button type="submit" { "查看" }
            a href="/indicators" { "清除" }
        }
        @if let Some(data) = &data {
            @let items = &data.indicators;
            p.muted { "统计日期：" (data.today) "；共 " (items.len()) " 项指标。" }
            @if items.is_empty() {
                p { "没有量化指标。公文中的目标（如“地区生产总值增长8.5%”）在确认立项后出现在这里。" }
            } @else {
                table {
                    thead { tr {
                        th { "事项" } th { "牵头单位" } th { "指标" } th.num { "目标" }
                        th { "最近一期" } th.num { "完成比例" } th.num { "应达值" } th { "超前/落后" } th { "状态" }
                    } }
                    tbody {
                        @for i in items {
                            @let p = &i.progress;
                            tr {
                                td { a href=(format!("/matters/{}", i.matter_id)) { (i.title) } }
                                td { (leads(&i.leads)) }
                                td { a href=(format!("/indicators/{}/{}", i.matter_id, i.index)) { (i.text) } }
                                td.num { (target_text(&i.op, i.target, &i.unit)) }
                                td { @match &p.latest { None => { "—" } Some(l) => { (l.period) "：" (num(Some(l.value))) (i.unit) } } }
                                td.num { (layout::percent(p.ratio_of_target)) }
                                td.num { (num(Some(p.expected_by_now))) (i.unit) }
                                td { (margin(p, &i.unit)) }
                                td { (status_light(p)) }
                            }
                        }
                    }
                }
            }
            details { summary { "口径说明" } p { (data.definitions) } }
        }
    };
    Ok(layout::page(&viewer, "指标", "/indicators", body))
}

/// A refused report, to show again in the form.
struct Failed {
    fields: Fields,
    message: String,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let (id, index) = parse_path(&raw)?;
    let notice = (q.get("ok").map(String::as_str) == Some("indicator")).then_some("已填报。");
    render(&state, &viewer, id, index, notice, None).await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    index: usize,
    notice: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    let d = detail_data(state, &viewer.current, id, index).await?;
    let i = &d;
    let p = &i.progress;
    let unit = i.unit.as_str();
    let val = |name: &str| {
        failed
            .map(|f| f.fields.get(name).to_string())
            .unwrap_or_default()
    };
    let values = &d.values;
    let body = html! {
        h1 { (i.text) }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        p.muted {
            "事项：" a href=(format!("/matters/{id}")) { (i.title) }
            "；牵头单位：" (leads(&i.leads)) "；类型：" (i.kind_label)
            "；考核期：" (i.start) " 至 " (i.by) "。"
        }
        div.grid {
            div.stat { span { "目标" } b { (target_text(&i.op, i.target, &i.unit)) } }
            div.stat {
                span { "最近一期" }
                b { @match &p.latest { None => { "—" } Some(l) => { (num(Some(l.value))) (unit) } } }
                span.muted { @if let Some(l) = &p.latest { (l.period) } }
            }
            div.stat { span { "完成比例" } b { (layout::percent(p.ratio_of_target)) } }
            div.stat {
                span { "应达值" } b { (num(Some(p.expected_by_now))) (unit) }
                span.muted { "截至 " (p.as_of) "，时序进度 " (layout::percent(Some(p.pace))) }
            }
            div.stat { span { "状态" } b { (status_light(p)) } span.muted { (margin(p, unit)) } }
        }
        div.card { h2 { "完成情况与时序进度" } (chart(&d)) }
        @if d.can_report {
            div.card {
                h2 { "填报" }
                form.stack method="post" action=(format!("/indicators/{id}/{index}")) {
                    (layout::csrf(viewer))
                    @if let Some(f) = failed { p.error role="alert" { (f.message) } }
                    (layout::input("period", "期间（月如 2024-03，季度如 2024Q1）", &val("period"), layout::Kind::Text, true))
                    (layout::input("value", if i.kind == TargetKind::Amount { "截至期末的累计值" } else { "当期值" }, &val("value"), layout::Kind::Text, true))
                    (layout::input("note", "说明", &val("note"), layout::Kind::Text, false))
                    button type="submit" { "填报" }
                }
                p.muted { "同一期再次填报即为更正，原值保留在下表中。" }
            }
        }
        h2 { "历次填报" }
        @if values.is_empty() { p { "尚未填报。" } } @else {
            table {
                thead { tr { th { "期间" } th.num { "数值" } th.num { "应达值" } th { "说明" } th { "填报" } th { "时间" } th { "状态" } } }
                tbody {
                    @for v in values {
                        tr {
                            td { (v.period) }
                            td.num { (num(Some(v.value))) (unit) }
                            td.num { (num(v.expected)) (unit) }
                            td { (v.note) }
                            td { (v.unit_name.as_deref().unwrap_or_default()) " " (v.reporter.as_deref().unwrap_or_default()) }
                            td { (v.created_at_local) }
                            td { @if v.current { "有效" } @else { "已更正（第 " (v.version) " 版）" } }
                        }
                    }
                }
            }
        }
        details { summary { "口径说明" } p { (d.definitions) } }
    };
    Ok(layout::page(viewer, &i.text, "/indicators", body))
}

/// The day's position on the chart's time axis, 0 to 1.
fn x_of(day: NaiveDate, start: NaiveDate, by: NaiveDate) -> f64 {
    let total = (by - start).num_days().max(1) as f64;
    ((day - start).num_days() as f64 / total).clamp(0.0, 1.0)
}

/// A rounded-up top for an axis: 1, 2 or 5 times a power of ten.
fn nice(v: f64) -> f64 {
    let v = v.abs().max(1e-9);
    let mut step = 10f64.powf(v.log10().floor());
    loop {
        for m in [1.0, 2.0, 5.0, 10.0] {
            if m * step >= v {
                return m * step;
            }
        }
        step *= 10.0;
    }
}

/// The current values as points against the pace line, from the window's
/// start to the by-date; the figures again in words for screen readers.
fn chart(d: &IndicatorDetailView) -> Markup {
    let (start, by) = (d.start, d.by);
    let mut points: Vec<(NaiveDate, f64, String)> = d
        .values
        .iter()
        .filter(|v| v.current)
        .filter_map(|v| Some((v.period_end?, v.value, v.period.clone())))
        .collect();
    points.sort_by_key(|p| p.0);
    let pace: Vec<(NaiveDate, f64)> = d.pace_line.iter().map(|p| (p.date, p.expected)).collect();
    let all = points.iter().map(|p| p.1).chain(pace.iter().map(|p| p.1));
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let (lo, hi) = (if lo < 0.0 { -nice(lo) } else { 0.0 }, nice(hi * 1.05));
    let (w, h, left, top, bottom) = (560.0, 240.0, 56.0, 30.0, 36.0);
    let (plot_w, plot_h) = (w - left - 12.0, h - top - bottom);
    let x = |day: NaiveDate| layout::r1(left + x_of(day, start, by) * plot_w);
    let y = |v: f64| layout::r1(top + plot_h - (v - lo) / (hi - lo).max(1e-9) * plot_h);
    let line = |pts: Vec<(f64, f64)>| {
        pts.iter()
            .map(|(a, b)| format!("{a},{b}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let unit = d.unit.as_str();
    let words = points
        .iter()
        .map(|(_, v, p)| format!("{p}：{}{unit}", num(Some(*v))))
        .collect::<Vec<_>>()
        .join("；");
    html! {
        svg.chart role="img" aria-labelledby="ind-title ind-desc"
            viewBox=(format!("0 0 {w} {h}")) width="100%" class="chart-48" {
            title #ind-title { (d.text) "：填报值与时序进度" }
            desc #ind-desc { "目标 " (target_text(&d.op, d.target, &d.unit)) "，考核期 " (start) " 至 " (by) "。" (if words.is_empty() { "尚未填报".to_string() } else { words }) "。" }
            rect x=(left) y="6" width="10" height="10" fill="#2563eb" {}
            text x=(left + 14.0) y="15" { "填报值" }
            line x1=(left + 70.0) x2=(left + 86.0) y1="11" y2="11" stroke="#9ca3af" stroke-width="2" stroke-dasharray="4 3" {}
            text x=(left + 90.0) y="15" { "时序进度（应达值）" }
            @for frac in [0.0, 0.5, 1.0] {
                @let v = lo + (hi - lo) * frac;
                line x1=(left) x2=(w - 12.0) y1=(y(v)) y2=(y(v)) stroke="#e5e7eb" {}
                text x=(left - 6.0) y=(y(v) + 4.0) text-anchor="end" { (num(Some(v))) }
            }
            text x=(left) y=(h - bottom + 16.0) { (start) }
            text x=(w - 12.0) y=(h - bottom + 16.0) text-anchor="end" { (by) }
            polyline points=(line(pace.iter().map(|(dd, v)| (x(*dd), y(*v))).collect())) fill="none" stroke="#9ca3af" stroke-width="2" stroke-dasharray="4 3" {}
            @if points.len() > 1 {
                polyline points=(line(points.iter().map(|(dd, v, _)| (x(*dd), y(*v))).collect())) fill="none" stroke="#2563eb" stroke-width="2" {}
            }
            @for (dd, v, p) in &points {
                circle cx=(x(*dd)) cy=(y(*v)) r="4" fill="#2563eb" { title { (p) "：" (num(Some(*v))) (unit) } }
            }
        }
    }
}

async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<(String, String)>,
    fields: Fields,
) -> PageResult<Response> {
    let (id, index) = parse_path(&raw)?;
    let outcome = async {
        viewer.check_csrf(&fields)?;
        let body = IndicatorValueBody {
            period: Some(fields.get("period").to_string()),
            value: Some(ReportedValue::Text(fields.get("value").to_string())),
            note: Some(fields.get("note").to_string()),
        };
        record_data(&state, &viewer.current, id, index, body).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(super::done(
            &format!("/indicators/{id}/{index}"),
            "indicator",
        )),
        Err(e @ (ApiError::NotFound(_) | ApiError::Internal(_))) => Err(PageError::Api(e)),
        Err(e) => {
            let (status, message) = e.status_and_message();
            let failed = Failed {
                fields: fields.without(&["_csrf"]),
                message: message.to_string(),
            };
            let page = render(&state, &viewer, id, index, None, Some(&failed)).await?;
            let status = if status == StatusCode::FORBIDDEN {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, page).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_axes_read_well() {
        assert_eq!(num(Some(13502.0)), "13502");
        assert_eq!(num(Some(8.75)), "8.75");
        assert_eq!(num(Some(1.0 / 3.0)), "0.33");
        assert_eq!(num(None), "—");
        assert_eq!(nice(13502.0 * 1.05), 20000.0);
        assert_eq!(nice(8.5), 10.0);
        assert_eq!(nice(63.7), 100.0);
        assert_eq!(layout::percent(Some(0.2222)), "22.2%");
    }
}
