//! The matters board (督办事项): filter by unit, leader, source, type,
//! state, light and deadline, sort, page through thousands, and export the
//! view as a CSV file Excel opens. Everyone sees it within their scope, as
//! the API's board shows it.

use super::form;
use super::layout::{self, light};
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::matters::board_data;
use crate::params::{FromParams, Words};
use crate::views::{
    BoardParams, BoardSorts, LightCode, Lights, MatterKinds, MatterStatuses, MatterView,
    SourceKinds, TrackStates,
};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use duban_domain::matter::{MatterKind, MatterStatus, Role as UnitRole};
use duban_domain::org::Role;
use duban_store::matters::BoardCursor;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/board", get(board))
        .route("/board.csv", get(export))
}

/// The filters of the board, as the API names them.
const FILTERS: &[&str] = &[
    "q",
    "unit",
    "leader",
    "source",
    "type",
    "status",
    "state",
    "light",
    "role",
    "deadline_from",
    "deadline_to",
    "due_by",
    "sort",
];

/// The API's parameters among the page's query (the page's own, such as
/// the notice, are left out).
fn api_params(q: &HashMap<String, String>) -> HashMap<String, String> {
    q.iter()
        .filter(|(k, _)| {
            FILTERS.contains(&k.as_str()) || ["limit", "offset", "after"].contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

const SOURCES: &[(&str, &str)] = &[
    ("document", "公文"),
    ("meeting", "会议"),
    ("instruction", "领导批示"),
    ("list", "清单"),
    ("appeal", "企业群众诉求"),
];
const TYPES: &[(&str, &str)] = &[
    (MatterKind::Ordinary.code(), MatterKind::Ordinary.label()),
    (MatterKind::Major.code(), MatterKind::Major.label()),
    (
        MatterKind::Continuing.code(),
        MatterKind::Continuing.label(),
    ),
    (MatterKind::Custom.code(), MatterKind::Custom.label()),
];
const STATUSES: &[(&str, &str)] = &[
    (MatterStatus::Open.code(), MatterStatus::Open.label()),
    (MatterStatus::Closed.code(), MatterStatus::Closed.label()),
    (
        MatterStatus::Withdrawn.code(),
        MatterStatus::Withdrawn.label(),
    ),
];
const STATES: &[(&str, &str)] = &[
    ("assigned", "待签收"),
    ("signed_for", "办理中"),
    ("close_requested", "申请办结"),
    ("returned", "退回重办"),
    ("closed", "已办结"),
    ("withdrawn", "已撤销"),
];
const LIGHTS: &[(&str, &str)] = &[
    ("red", "红灯（逾期）"),
    ("yellow", "黄灯（临期）"),
    ("green", "绿灯（正常）"),
    ("done", "已办结"),
    ("unknown", "无法计算"),
];
const SORTS: &[(&str, &str)] = &[
    ("-created", "最新交办"),
    ("created", "最早交办"),
    ("due", "时限最近"),
    ("deadline", "完成时限升序"),
    ("-deadline", "完成时限降序"),
];

/// The option of the filter `k` the page's query chose: the code of the
/// word it names (红灯 chooses red), or the word as given.
fn chosen<'a, W: Words>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    let raw = q.get(k).map(String::as_str).unwrap_or_default();
    W::code_of(raw).unwrap_or(raw)
}

/// The units of a matter row with a role, as names joined by 、.
pub(crate) fn units_of(m: &MatterView, role: UnitRole) -> String {
    m.tracks
        .iter()
        .filter(|t| t.role == role)
        .map(|t| t.unit_name.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("、")
}

/// The soonest next limit of a matter's tracks in view, as the board shows
/// it: the date (with （暂定） when it rests on a provisional calendar
/// year), the step, and the days left or late.
pub(crate) fn next_due(m: &MatterView) -> (String, String, String) {
    let Some(n) = m.next.as_ref().and_then(Option::as_ref) else {
        // Nothing owed: either done, or the unit's close application waits
        // for the office.
        let waiting = m.fields.status == MatterStatus::Open
            && m.tracks.iter().any(|t| t.state == "close_requested");
        let step = if waiting {
            "已申请办结，待审核"
        } else {
            ""
        };
        return ("—".into(), step.to_string(), String::new());
    };
    let date = if n.provisional {
        format!("{}（暂定）", n.date)
    } else {
        n.date.to_string()
    };
    let step = match &n.unit_name {
        Some(u) if m.tracks.len() > 1 => format!("{}（{u}）", n.label),
        _ => n.label.clone(),
    };
    (date, step, n.text.clone())
}

/// The next limit in one cell: date, step, days.
fn next_cell(m: &MatterView) -> Markup {
    let (date, step, days) = next_due(m);
    let late = m
        .next
        .as_ref()
        .and_then(Option::as_ref)
        .is_some_and(|n| n.days < 0);
    html! {
        span.next-date { (date) }
        @if !step.is_empty() { " " span.next-step { (step) } }
        @if !days.is_empty() { " " span.next-days.overdue[late] { (days) } }
    }
}

/// 完成时限 as the board shows it.
fn completion(m: &MatterView) -> &str {
    m.completion.as_ref().map_or("", |c| c.text.as_str())
}

async fn board(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let read = async {
        let filter = BoardParams::from_query(api_params(&q))?;
        board_data(&state, &viewer.current, &filter).await
    };
    let (data, error) = match read.await {
        Ok(v) => (Some(v), None),
        Err(e @ ApiError::BadRequest(_)) => (None, Some(e.status_and_message().1.to_string())),
        Err(e) => return Err(e.into()),
    };
    let units = crate::units::units_data(&state, &viewer.current).await?;
    let leaders: Vec<_> = if viewer.is_office() {
        crate::leaders::leaders_data(&state, &viewer.current).await?
    } else {
        Vec::new()
    };
    let unit_options: Vec<(String, String)> = units
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    let unit_refs: Vec<(&str, &str)> = unit_options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let leader_options: Vec<(String, String)> = leaders
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    let leader_refs: Vec<(&str, &str)> = leader_options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let pairs: Vec<(&str, &str)> = FILTERS.iter().map(|k| (*k, get(k))).collect();
    let export = format!("/board.csv?{}", form::query(&pairs));
    let paged = !get("after").is_empty() || !get("offset").is_empty();
    let body = html! {
        h1 { "督办事项" }
        (layout::notices(q.get("ok").map(String::as_str), error.as_deref()))
        form.filters method="get" action="/board" {
            label { span { "关键词" } input name="q" value=(get("q")) placeholder="标题或内容"; }
            @if !matches!(viewer.user().role, Role::UnitHead | Role::Liaison | Role::Handler) {
                (layout::select("unit", "单位", get("unit"), &unit_refs, Some("全部"), false))
            }
            @if viewer.is_office() {
                (layout::select("leader", "分管领导", get("leader"), &leader_refs, Some("全部"), false))
            }
            (layout::select("source", "来源", chosen::<SourceKinds>(&q, "source"), SOURCES, Some("全部"), false))
            (layout::select("type", "类型", chosen::<MatterKinds>(&q, "type"), TYPES, Some("全部"), false))
            (layout::select("status", "事项状态", chosen::<MatterStatuses>(&q, "status"), STATUSES, Some("全部"), false))
            (layout::select("state", "办理状态", chosen::<TrackStates>(&q, "state"), STATES, Some("全部"), false))
            (layout::select("light", "灯色", chosen::<Lights>(&q, "light"), LIGHTS, Some("全部"), false))
            label { span { "完成时限起" } input type="date" name="deadline_from" value=(get("deadline_from")); }
            label { span { "完成时限止" } input type="date" name="deadline_to" value=(get("deadline_to")); }
            label {
                span { "排序" }
                select name="sort" {
                    @for (v, l) in SORTS {
                        option value=(v) selected[*v == chosen::<BoardSorts>(&q, "sort")] { (l) }
                    }
                }
            }
            button type="submit" { "筛选" }
            a href="/board" { "清除" }
            a href=(export) { "导出本视图（CSV）" }
        }
        @if let Some(data) = &data {
            (layout::keyset_pager("/board", &pairs, data.total, paged, data.next.as_deref()))
            table.wide {
                thead { tr {
                    th { "编号" } th { "事项" } th { "类型" } th { "来源" } th { "牵头单位" } th { "配合单位" }
                    th { "完成时限" } th { "下一时限" } th { "灯色" } th { "状态" }
                } }
                tbody {
                    @for m in &data.matters {
                        tr.late[m.light == LightCode::Red] {
                            td.num data-label="编号" { (m.fields.id) }
                            td data-label="事项" { a href=(format!("/matters/{}", m.fields.id)) { (m.fields.title) } }
                            td data-label="类型" { (m.fields.type_name) }
                            td data-label="来源" { (m.fields.source_label) }
                            td data-label="牵头单位" { (units_of(m, UnitRole::Lead)) }
                            td data-label="配合单位" { (units_of(m, UnitRole::Co)) }
                            td data-label="完成时限" { (completion(m)) }
                            td data-label="下一时限" { (next_cell(m)) }
                            td data-label="灯色" { (light(m.light.code(), &m.light_label)) }
                            td data-label="状态" { (m.fields.status_label) }
                        }
                    }
                    @if data.matters.is_empty() {
                        tr { td colspan="10" .muted { "没有符合条件的事项。" } }
                    }
                }
            }
            (layout::keyset_pager("/board", &pairs, data.total, paged, data.next.as_deref()))
        }
    };
    Ok(layout::page(&viewer, "督办事项", "/board", body))
}

/// The most rows one export holds; a larger view is narrowed first.
const EXPORT_MAX: i64 = 20_000;

fn csv_cell(out: &mut String, v: &str) {
    // A leading = + - @ would be read as a formula by a spreadsheet.
    let v = if v.starts_with(['=', '+', '-', '@']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&v);
    }
}

/// The board's view as CSV (UTF-8 with a BOM, so Excel reads the Chinese).
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Response> {
    // The export pages by itself, 200 at a time: the view's own paging is
    // not read (as before the query was typed, when it was overwritten).
    let mut params = api_params(&q);
    for own in ["limit", "offset", "after"] {
        params.remove(own);
    }
    let mut filter = BoardParams {
        limit: 200,
        ..BoardParams::from_query(params)?
    };
    let mut out = String::from(
        "\u{feff}编号,事项,类型,来源,牵头单位,配合单位,完成时限,下一时限,下一环节,剩余或逾期,灯色,状态\r\n",
    );
    let mut offset = 0;
    loop {
        let data = board_data(&state, &viewer.current, &filter).await?;
        let rows = data.matters;
        let total = data.total;
        if offset == 0 && total > EXPORT_MAX {
            return Err(ApiError::Unprocessable(format!(
                "本视图共 {total} 条，超过一次导出的上限 {EXPORT_MAX} 条；请先按单位、状态或时限筛选后再导出"
            ))
            .into());
        }
        for m in &rows {
            let next = next_due(m);
            let cells = [
                m.fields.id.to_string(),
                m.fields.title.clone(),
                m.fields.type_name.clone(),
                m.fields.source_label.clone(),
                units_of(m, UnitRole::Lead),
                units_of(m, UnitRole::Co),
                completion(m).to_string(),
                next.0,
                next.1,
                next.2,
                m.light_label.clone(),
                m.fields.status_label.clone(),
            ];
            for (i, c) in cells.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                csv_cell(&mut out, c);
            }
            out.push_str("\r\n");
        }
        offset += rows.len() as i64;
        match data.next {
            Some(next) => {
                let after = BoardCursor::parse(&next, filter.sort.unwrap_or_default())
                    .map_err(ApiError::Internal)?;
                filter.after = Some(after);
            }
            None => break,
        }
    }
    crate::matters::board_exported_data(&state, &viewer.current, &q, offset).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"duban-matters.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        let mut s = String::new();
        for v in ["普通", "a,b", "say \"x\"", "=SUM(A1)", "-1"] {
            csv_cell(&mut s, v);
            s.push('|');
        }
        assert_eq!(s, "普通|\"a,b\"|\"say \"\"x\"\"\"|'=SUM(A1)|'-1|");
    }
}
