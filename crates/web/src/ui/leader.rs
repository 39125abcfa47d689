//! The leader's page (分管单位): the units a leader oversees with their
//! on-time rates, who is behind (the units ranked by overdue tracks, as a
//! chart and a table), the overdue matters, and the monthly trend; each
//! unit opens the same view for that unit alone (`/leader?unit=…`), with a
//! link to its matters on the board. Figures are [`stats_data`]'s, as
//! `GET /api/v1/stats` answers them for the leader.
//!
//! [`stats_data`]: crate::stats::stats_data

use super::dashboard::{
    definitions, figures, lights_chart, overdue_table, tiles, trend_chart, units_table,
};
use super::layout;
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::views::{StatsParams, StatsView, UnitStatsView};
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use duban_domain::org::Role;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/leader", get(leader))
}

async fn leader(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    if viewer.user().role != Role::Leader {
        return Err(ApiError::Forbidden(
            "此页供分管领导查看分管单位；督查室请在“工作台”中按分管领导筛选".into(),
        )
        .into());
    }
    let scope = crate::leaders::scope_data(&state, &viewer.current).await?;
    let (overseen, principal) = (scope.units, scope.principal);
    let unit = match q.get("unit").map(|u| u.trim()).filter(|u| !u.is_empty()) {
        None => None,
        Some(raw) => {
            // A unit not overseen answers as one that does not exist.
            let id = raw.parse::<i64>().ok().filter(|id| overseen.contains(id));
            Some(id.ok_or_else(|| ApiError::NotFound(format!("单位 {raw} 不在您的分管范围内")))?)
        }
    };
    let filter = StatsParams {
        unit: unit.map(|u| vec![u]),
        ..StatsParams::default()
    };
    let (data, error) = figures(&state, &viewer, Ok(filter)).await?;
    let unit_name = data
        .as_ref()
        .and_then(|d| d.filter.unit.as_ref())
        .map(|u| u.name.clone());
    let title = match (&unit_name, principal) {
        (Some(n), _) => format!("单位：{n}"),
        (None, true) => "全区督办情况".to_string(),
        (None, false) => "分管单位".to_string(),
    };
    let body = html! {
        h1 { (title) }
        (layout::notices(q.get("ok").map(String::as_str), error.as_deref()))
        @if overseen.is_empty() {
            p.muted { "您还没有分管单位。请联系系统管理员按领导班子分工设置分管单位。" }
        } @else if let Some(data) = &data {
            @if let Some(u) = unit {
                p {
                    a href="/leader" { @if principal { "← 全区" } @else { "← 全部分管单位" } }
                    " · "
                    a href=(format!("/board?unit={u}")) { "查看该单位的全部督办事项" }
                }
            }
            p.muted { "统计日期：" (data.today) "。" }
            (tiles(data))
            @if unit.is_none() {
                h2 { "谁在拖后腿：各单位逾期任务" }
                div.split {
                    div.card { (behind_chart(data)) }
                    div.card { h3 { "灯色分布" } (lights_chart(data)) }
                }
                h2 { "分管单位办理情况" }
                p.muted { "按逾期任务数从多到少排列。点击单位名称查看该单位的情况。" }
                (units_table(data, |id| format!("/leader?unit={id}"), |id| Some(format!("/board?unit={id}"))))
            } @else {
                div.card { h2 { "灯色分布" } (lights_chart(data)) }
                h2 { "办理情况" }
                (units_table(data, |id| format!("/leader?unit={id}"), |_| None))
            }
            h2 { "逾期事项" }
            (overdue_table(data))
            h2 { "月度趋势" }
            div.card { (trend_chart(data)) }
            (definitions(data))
        }
    };
    Ok(layout::page(&viewer, &title, "/leader", body))
}

/// The units ranked by overdue tracks (the API's order) as horizontal
/// bars, with the figures in words and in a table.
fn behind_chart(data: &StatsView) -> Markup {
    let units: Vec<&UnitStatsView> = data.units.iter().collect();
    let n = |u: &UnitStatsView| u.overdue;
    let max = units.iter().map(|u| n(u)).max().unwrap_or(0).max(1);
    let (w, row, left, right) = (480.0, 24.0, 150.0, 40.0);
    let h = row * units.len().max(1) as f64 + 8.0;
    let words = units
        .iter()
        .map(|u| format!("{} {} 项", u.unit_name, n(u)))
        .collect::<Vec<_>>()
        .join("，");
    html! {
        svg.chart role="img" aria-labelledby="behind-title behind-desc"
            viewBox=(format!("0 0 {w} {h}")) width="100%" class="chart-40" {
            title #behind-title { "各分管单位逾期任务数" }
            desc #behind-desc { "逾期任务数从多到少：" (words) "。" }
            @for (i, u) in units.iter().enumerate() {
                @let y = 4.0 + i as f64 * row;
                @let bw = (n(u) as f64 / max as f64 * (w - left - right)).round();
                text x=(left - 6.0) y=(y + row * 0.65) text-anchor="end" {
                    title { (u.unit_name) }
                    (clip(&u.unit_name, 10))
                }
                rect x=(left) y=(y + 4.0) width=(bw) height=(row - 8.0) fill=(if n(u) > 0 { "#b91c1c" } else { "#cbd5e1" }) {}
                text x=(left + bw + 6.0) y=(y + row * 0.65) { (n(u)) }
            }
        }
        details {
            summary { "以表格查看" }
            table {
                thead { tr { th { "单位" } th.num { "逾期" } th.num { "在办" } } }
                tbody {
                    @for u in &units {
                        tr { td { (u.unit_name) } td.num { (n(u)) } td.num { (u.open) } }
                    }
                }
            }
        }
    }
}

/// A name cut to `n` characters with an ellipsis, so it fits the chart's
/// margin (the full name is in the title and the table).
fn clip(name: &str, n: usize) -> String {
    if name.chars().count() <= n {
        name.to_string()
    } else {
        let cut: String = name.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_names_are_clipped_in_the_chart() {
        assert_eq!(super::clip("区发改局", 10), "区发改局");
        assert_eq!(
            super::clip("盐湖区高新技术产业开发区管委会", 6),
            "盐湖区高新…"
        );
    }
}
