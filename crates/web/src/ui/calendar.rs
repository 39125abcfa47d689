//! The holiday calendar's pages (设置 › 节假日日历): the years, official
//! (正式) and provisional (暂定); pasting the State Council's notice, the
//! parsed year beside the one in use with the differences, and applying it;
//! one year in full, edited whole or removed. The office may look; only an
//! admin changes anything, through the same functions the JSON API runs
//! (`calendar::notice_data`, `set_year_data`, `remove_year_data`).

use super::admin::{may_change, may_view};
use super::form::Fields;
use super::layout;
use super::{done, PageResult, Viewer};
use crate::calendar::{
    list_data, notice_data, parse_year, provenance_label, remove_year_data, set_year_data,
    year_data, NoticeBody,
};
use crate::error::ApiError;
use crate::views::{CalendarDifferences, CalendarNoticeView};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use duban_domain::calendar::{Provenance, Year};
use maud::{html, Markup};
use std::collections::{BTreeSet, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/calendar", get(page))
        .route("/admin/calendar/notice", post(notice))
        .route("/admin/calendar/{year}", get(year_page).post(year_save))
        .route("/admin/calendar/{year}/delete", post(year_delete))
}

fn crumbs(here: &[(&str, &str)]) -> Markup {
    html! {
        p.muted {
            a href="/admin" { "设置" }
            @for (href, label) in here {
                " › "
                @if href.is_empty() { (label) } @else { a href=(href) { (label) } }
            }
        }
    }
}

/// A provenance as a tag: 暂定 stands out.
fn provenance_tag(p: Provenance) -> Markup {
    let label = provenance_label(Some(p));
    html! {
        @if p == Provenance::Provisional { span.tag.provisional { (label) } }
        @else { span.tag { (label) } }
    }
}

/// Text, or — when there is none.
fn or_dash(v: Option<&str>) -> &str {
    v.filter(|s| !s.is_empty()).unwrap_or("—")
}

/// The message of a refused form, and the status the page answers with.
fn refusal(e: &ApiError) -> (StatusCode, String) {
    let (status, message) = e.status_and_message();
    let status = match status {
        StatusCode::FORBIDDEN | StatusCode::CONFLICT => status,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, message.to_string())
}

fn notice_form(viewer: &Viewer, typed: &str, error: Option<&str>) -> Markup {
    html! {
        form.stack.card method="post" action="/admin/calendar/notice" #notice {
            (layout::csrf(viewer))
            @if let Some(e) = error { p.error.full-row role="alert" { (e) } }
            label.wide {
                span { "粘贴国务院办公厅关于部分节假日安排的通知全文（含标题）" }
                textarea name="text" rows="10" required { (typed) }
            }
            button type="submit" { "识别并对照" }
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    typed: &str,
    error: Option<&str>,
) -> PageResult<Markup> {
    let data = list_data(state).await?;
    let body = html! {
        (crumbs(&[("", "节假日日历")]))
        h1 { "节假日日历" }
        (layout::notices(ok, None))
        p.muted {
            "工作日计的时限按此日历计算：周一至周五上班，放假日不上班，调休上班的周末上班。"
            "国务院办公厅尚未公布放假安排的年份按《全国年节及纪念日放假办法》和近年调休惯例推算，标为“暂定”；"
            "由暂定年份算出的时限处处标“暂定”，通知公布后在此粘贴录入，所有未办结事项的时限随即重算，时限变动的单位会收到通知。"
        }
        @if !may_change(viewer) { p.muted { "只有系统管理员可以修改设置；您可以查看。" } }
        table.wide {
            thead { tr { th.num { "年份" } th { "状态" } th { "放假日" } th { "调休上班日" } th { "来源" } } }
            tbody {
                @for y in &data.years {
                    tr {
                        td.num data-label="年份" { a href=(format!("/admin/calendar/{}", y.year)) { (y.year) } }
                        td data-label="状态" {
                            (provenance_tag(y.provenance))
                            @if y.entered { " " span.muted { "管理员录入" } }
                        }
                        td data-label="放假日" {
                            (y.holiday_runs) " " span.muted { "（共" (y.holidays) "天）" }
                        }
                        td data-label="调休上班日" {
                            @if y.workday_runs.is_empty() { span.muted { "无" } } @else { (y.workday_runs) }
                        }
                        td data-label="来源" { (or_dash(y.source.as_deref())) }
                    }
                }
            }
        }
        @if may_change(viewer) {
            h2 { "录入放假通知" }
            p.muted { "国务院办公厅每年发布下一年的放假安排通知。把通知全文粘贴在下面，系统识别每项放假和调休上班日，与正在使用的日历对照，确认后录入。" }
            (notice_form(viewer, typed, error))
            p.muted { "也可以通过接口 PUT /api/v1/calendar/{年份} 或命令 duban calendar import 通知.txt 录入。" }
        }
    };
    Ok(layout::page(viewer, "节假日日历", "/admin", body))
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    render(&state, &viewer, q.get("ok").map(String::as_str), "", None).await
}

/// Days as short text: `2月5日` each, joined by 、.
fn days_text(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|d| d.format("%-m月%-d日").to_string())
        .collect::<Vec<_>>()
        .join("、")
}

/// The differences of a parsed year from the one in use, as list items.
fn differences(d: &CalendarDifferences) -> Markup {
    let rows = [
        (&d.holidays_added, "新增放假日"),
        (&d.holidays_removed, "不再放假"),
        (&d.workdays_added, "新增调休上班日"),
        (&d.workdays_removed, "不再调休上班"),
    ];
    html! {
        @if d.same {
            p.notice { "与正在使用的日历完全一致。" }
        } @else {
            ul.differences {
                @for (days, label) in rows {
                    @if !days.is_empty() {
                        li { b { (label) "：" } (days_text(days)) }
                    }
                }
            }
        }
    }
}

/// The preview of a pasted notice, with the button that applies it.
fn preview(viewer: &Viewer, typed: &str, data: &CalendarNoticeView) -> Markup {
    html! {
        (crumbs(&[("/admin/calendar", "节假日日历"), ("", "核对放假通知")]))
        h1 { "核对：" (data.source) }
        h2 { "识别出的安排" }
        ol.spans {
            @for s in &data.spans { li { (s.text) } }
        }
        @for y in &data.years {
            section.card {
                h2 { (y.year) " 年：通知 与 正在使用的日历（" (provenance_label(y.current_provenance)) "）对照" }
                table.wide {
                    thead { tr { th { "" } th { "通知" } th { "正在使用（" (provenance_label(y.current_provenance)) "）" } } }
                    tbody {
                        tr { th { "放假日" } td data-label="通知" { (y.holiday_runs) } td data-label="正在使用" { (or_dash(y.current_holiday_runs.as_deref())) } }
                        tr { th { "调休上班日" } td data-label="通知" { (or_dash(Some(&y.workday_runs))) } td data-label="正在使用" { (or_dash(y.current_workday_runs.as_deref())) } }
                    }
                }
                h3 { "差异" }
                @if let Some(d) = &y.differences { (differences(d)) }
            }
        }
        form.stack method="post" action="/admin/calendar/notice" {
            (layout::csrf(viewer))
            input type="hidden" name="text" value=(typed);
            input type="hidden" name="apply" value="1";
            p.muted { "确认后录入为正式安排，所有未办结事项的时限按新日历重算；时限变动的单位会收到通知。" }
            button type="submit" { "确认录入" }
            " " a href="/admin/calendar" { "放弃" }
        }
    }
}

async fn notice(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let typed = fields.get("text").to_string();
    let apply = fields.get("apply") == "1";
    let outcome = async {
        viewer.check_csrf(&fields)?;
        notice_data(
            &state,
            &viewer.current,
            NoticeBody {
                text: typed.clone(),
                apply,
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(_) if apply => Ok(done("/admin/calendar", "calendar_applied")),
        Ok(data) => {
            let body = preview(&viewer, &typed, &data);
            Ok(layout::page(&viewer, "核对放假通知", "/admin", body).into_response())
        }
        Err(e @ (ApiError::Internal(_) | ApiError::Unauthenticated)) => Err(e.into()),
        Err(e) => {
            let (status, message) = refusal(&e);
            let page = render(&state, &viewer, None, &typed, Some(&message)).await?;
            Ok((status, page).into_response())
        }
    }
}

/// Dates as an admin types them, one list: `2027-02-05`, ranges
/// `2027-02-05..2027-02-11` or `2027-02-05至2027-02-11`, separated by
/// spaces, commas or new lines.
fn parse_days(raw: &str, what: &str) -> Result<BTreeSet<NaiveDate>, ApiError> {
    let mut out = BTreeSet::new();
    let day = |s: &str| {
        s.trim().parse::<NaiveDate>().map_err(|_| {
            ApiError::BadRequest(format!(
                "{what}中的“{s}”不是日期：请写成 2027-02-05，连续的日子写成 2027-02-05..2027-02-11"
            ))
        })
    };
    for item in raw
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|s| !s.is_empty())
    {
        let (a, b) = item
            .split_once("..")
            .or_else(|| item.split_once('至'))
            .unwrap_or((item, item));
        let (a, b) = (day(a)?, day(b)?);
        if b < a || (b - a).num_days() > 40 {
            return Err(ApiError::BadRequest(format!(
                "{what}中的“{item}”范围有误（结束不能早于开始，也不能超过 40 天）"
            )));
        }
        out.extend(a.iter_days().take_while(|d| *d <= b));
    }
    Ok(out)
}

fn lines(days: &[NaiveDate]) -> String {
    days.iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

async fn render_year(
    state: &AppState,
    viewer: &Viewer,
    year: i32,
    ok: Option<&str>,
    failed: Option<(&Fields, &str)>,
) -> PageResult<Markup> {
    let data = year_data(state, year).await?;
    let y = &data.data;
    let provisional = data.provenance == Provenance::Provisional;
    let (holidays, workdays, source) = match failed {
        Some((f, _)) => (
            f.get("holidays").to_string(),
            f.get("workdays").to_string(),
            f.get("source").to_string(),
        ),
        // A provisional year's days are a start; its source is not.
        None if provisional => (lines(&y.holidays), lines(&y.workdays), String::new()),
        None => (
            lines(&y.holidays),
            lines(&y.workdays),
            y.source.clone().unwrap_or_default(),
        ),
    };
    let body = html! {
        (crumbs(&[("/admin/calendar", "节假日日历"), ("", &format!("{year} 年"))]))
        h1 { (year) " 年 " (provenance_tag(data.provenance)) }
        (layout::notices(ok, None))
        @if provisional {
            p.notice { "国务院办公厅尚未公布 " (year) " 年放假安排（或尚未录入）。下列日期按放假办法和近年调休惯例推算，由此算出的时限均标“暂定”。" }
        }
        table {
            tr { th { "放假日" } td { (data.holiday_runs) } }
            tr { th { "调休上班日" } td { @if data.workday_runs.is_empty() { "无" } @else { (data.workday_runs) } } }
            tr { th { "来源" } td { (or_dash(y.source.as_deref())) } }
        }
        @if let (false, Some(d)) = (provisional, &data.differences) {
            h2 { "与按规则推算的暂定安排相比" }
            (differences(d))
        }
        @if may_change(viewer) {
            h2 { @if provisional { "整年录入为正式安排" } @else { "整年编辑" } }
            @if provisional {
                p.muted { "通知发布后，最好在" a href="/admin/calendar#notice" { "节假日日历页粘贴通知全文" } "，由系统识别并与暂定安排对照；也可以在下面逐日录入。" }
            }
            form.stack.card method="post" action=(format!("/admin/calendar/{year}")) {
                (layout::csrf(viewer))
                @if let Some((_, m)) = failed { p.error.full-row role="alert" { (m) } }
                label.wide { span { "放假日（每行一个日期，或 2027-02-05..2027-02-11）" } textarea name="holidays" rows="8" required { (holidays) } }
                label.wide { span { "调休上班日（周末）" } textarea name="workdays" rows="3" { (workdays) } }
                (layout::input("source", "来源（通知标题和文号）", &source, layout::Kind::Text, false))
                button type="submit" { "保存整年" }
            }
            @if data.entered {
                form method="post" action=(format!("/admin/calendar/{year}/delete")) {
                    (layout::csrf(viewer))
                    p.muted { "删除管理员录入的 " (year) " 年安排后，" @if data.shipped { "恢复系统自带的正式安排" } @else { "该年按暂定安排计算" } "，未办结事项的时限随即重算。" }
                    button.secondary type="submit" { "删除录入的 " (year) " 年安排" }
                }
            }
        }
    };
    Ok(layout::page(
        viewer,
        &format!("{year} 年节假日"),
        "/admin",
        body,
    ))
}

async fn year_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    let year = parse_year(&raw)?;
    render_year(&state, &viewer, year, q.get("ok").map(String::as_str), None).await
}

async fn year_save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let year = parse_year(&raw)?;
    let outcome = async {
        viewer.check_csrf(&fields)?;
        let data = Year {
            source: Some(fields.get("source").to_string()),
            holidays: parse_days(fields.get("holidays"), "放假日")?,
            workdays: parse_days(fields.get("workdays"), "调休上班日")?,
        };
        set_year_data(&state, &viewer.current, &raw, data).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(done(&format!("/admin/calendar/{year}"), "created")),
        Err(e @ (ApiError::Internal(_) | ApiError::Unauthenticated)) => Err(e.into()),
        Err(e) => {
            let (status, message) = refusal(&e);
            let f = fields.without(&["_csrf"]);
            let page = render_year(&state, &viewer, year, None, Some((&f, &message))).await?;
            Ok((status, page).into_response())
        }
    }
}

async fn year_delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let year = parse_year(&raw)?;
    viewer.check_csrf(&fields)?;
    remove_year_data(&state, &viewer.current, &raw).await?;
    Ok(done(&format!("/admin/calendar/{year}"), "calendar_removed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_as_typed() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let set = parse_days(
            "2027-01-01\n2027-02-05..2027-02-07，2027-10-01至2027-10-02",
            "x",
        )
        .unwrap();
        assert_eq!(set.len(), 6);
        assert!(set.contains(&d("2027-02-06")));
        assert!(parse_days("2027-13-01", "放假日").is_err());
        assert!(parse_days("2027-02-07..2027-02-05", "放假日").is_err());
        assert!(parse_days("  ", "x").unwrap().is_empty());
    }
}
