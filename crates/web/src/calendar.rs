//! The working-day calendar: read by everyone logged in, changed by admins.
//! A year is official (shipped, or entered by an admin) or provisional
//! (暂定, derived from the holiday law until the notice is entered).
//!
//! - `GET /calendar`: the years, official and provisional, with counts.
//! - `GET /calendar/{year}`: one year's days, where they come from, and the
//!   provisional year beside it.
//! - `PUT /calendar/{year}`: a whole year entered or replaced (an empty
//!   year is refused: remove the year instead).
//! - `DELETE /calendar/{year}`: what an admin entered for the year removed;
//!   the shipped data, or else the provisional year, applies again.
//! - `POST /calendar/notice`: the State Council's notice as pasted, read
//!   into its years and shown beside the years in use with the differences;
//!   with `"apply": true`, entered.
//!
//! Every change recomputes the open limits in the store's transaction and
//! answers with what it did (`recomputed`).

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::views::{
    CalendarDifferences, CalendarListView, CalendarNoticeSpan, CalendarNoticeView,
    CalendarNoticeYear, CalendarRemoveView, CalendarSetView, CalendarYearSummary, CalendarYearView,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use duban_domain::calendar::{notice, provisional_year, Calendar, Provenance, Year};
use duban_domain::org::Role;
use serde::Deserialize;
use std::collections::BTreeSet;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one, set_year, remove_year))
        .routes(routes!(read_notice))
}

fn admin_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("只有系统管理员可以{what}")))
    }
}

/// A year from the path: 2000–2099.
pub(crate) fn parse_year(raw: &str) -> ApiResult<i32> {
    raw.trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2099).contains(y))
        .ok_or_else(|| {
            ApiError::BadRequest(format!("年份“{raw}”无效，应为 2000 至 2099 之间的整数"))
        })
}

/// The years a person looks at: every official year, and the provisional
/// years up to the year after next.
fn years_in_view(cal: &Calendar, today: NaiveDate) -> Vec<i32> {
    let mut years: BTreeSet<i32> = cal.years().collect();
    let first = years.first().copied().unwrap_or(today.year());
    years.extend(first..=today.year() + 1);
    years.into_iter().rev().collect()
}

/// One year in the list.
fn year_summary(cal: &Calendar, year: i32, entered: &BTreeSet<i32>) -> Option<CalendarYearSummary> {
    let (data, p) = cal.year_in_use(year)?;
    Some(CalendarYearSummary {
        year,
        provenance: p,
        provenance_label: p.label().to_string(),
        entered: entered.contains(&year),
        shipped: Calendar::official().year(year).is_some(),
        source: data.source.clone(),
        holidays: data.holidays.len(),
        workdays: data.workdays.len(),
        holiday_runs: runs(&data.holidays),
        workday_runs: runs(&data.workdays),
    })
}

#[utoipa::path(
    get,
    path = "/calendar",
    operation_id = "get_api_v1_calendar",
    tag = "管理",
    summary = "节假日日历",
    description = "各年份的日历：正式（系统自带或管理员按通知录入，provenance=official）或暂定（国务院办公厅尚未公布、按放假办法和近年调休惯例推算，provenance=provisional），每年的来源、放假日和调休上班日。",
    responses(
        (status = 200, description = "日历年份", body = crate::views::CalendarListView),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn list(State(state): State<AppState>, _me: Current) -> ApiResult<Json<CalendarListView>> {
    Ok(Json(list_data(&state).await?))
}

/// The years as the API lists them; the settings page renders the same.
pub(crate) async fn list_data(state: &AppState) -> ApiResult<CalendarListView> {
    let cal = state.calendar().await?;
    let entered: BTreeSet<i32> = state.store.entered_calendar_years().await?;
    let today = state.now().date();
    let years = years_in_view(&cal, today)
        .into_iter()
        .filter_map(|y| year_summary(&cal, y, &entered))
        .collect();
    Ok(CalendarListView { years, today })
}

#[utoipa::path(
    get,
    path = "/calendar/{year}",
    operation_id = "get_api_v1_calendar_year",
    tag = "管理",
    summary = "一年的日历",
    description = "该年的放假日和调休上班日、来源（正式或暂定），以及按规则推算的暂定安排和两者的差异。",
    params(
        ("year" = i64, Path, description = "年份，2000–2099", minimum = 2000, maximum = 2099),
    ),
    responses(
        (status = 200, description = "该年日历", body = crate::views::CalendarYearView),
        (status = 400, description = "年份有误", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn one(
    State(state): State<AppState>,
    _me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<CalendarYearView>> {
    let year = parse_year(&raw)?;
    Ok(Json(year_data(&state, year).await?))
}

/// One year's days, where they come from, and the provisional year beside.
pub(crate) async fn year_data(state: &AppState, year: i32) -> ApiResult<CalendarYearView> {
    let cal = state.calendar().await?;
    let entered = state.store.entered_calendar_years().await?;
    let Some((data, p)) = cal.year_in_use(year) else {
        return Err(ApiError::NotFound(format!("没有 {year} 年的日历")));
    };
    let derived = provisional_year(year);
    Ok(CalendarYearView {
        year,
        provenance: p,
        provenance_label: p.label().to_string(),
        entered: entered.contains(&year),
        shipped: Calendar::official().year(year).is_some(),
        data: data.into(),
        holiday_runs: runs(&data.holidays),
        workday_runs: runs(&data.workdays),
        provisional: derived.map(Into::into),
        differences: derived.map(|d| differences(d, data)),
    })
}

fn differences(from: &Year, to: &Year) -> CalendarDifferences {
    notice::differences(from, to).into()
}

#[utoipa::path(
    put,
    path = "/calendar/{year}",
    operation_id = "put_api_v1_calendar_year",
    tag = "管理",
    summary = "录入或替换一年的日历",
    description = "按国务院办公厅放假通知录入一整年的放假日和调休上班日，替换该年原有数据；所有未办结事项的时限随即在同一事务中重算，时限变动的单位由提醒渠道收到通知。日期须属于该年，调休上班日须为周末，同一天不能既放假又上班，不能为空（要撤销请删除该年）。仅系统管理员。",
    params(
        ("year" = i64, Path, description = "年份，2000–2099", minimum = 2000, maximum = 2099),
    ),
    request_body(content = ref("#/components/schemas/CalendarYear"), content_type = "application/json"),
    responses(
        (status = 200, description = "已保存，recomputed 为重算结果", body = crate::views::CalendarSetView),
        (status = 400, description = "年份或请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 422, description = "日历数据不合规，说明原因", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn set_year(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Year>,
) -> ApiResult<Json<CalendarSetView>> {
    Ok(Json(set_year_data(&state, &me, &raw, body).await?))
}

/// Enters or replaces one whole year as the API does; the settings page
/// posts here too.
pub(crate) async fn set_year_data(
    state: &AppState,
    me: &Current,
    raw: &str,
    body: Year,
) -> ApiResult<CalendarSetView> {
    admin_only(me, "修改节假日日历")?;
    let year = parse_year(raw)?;
    let body = Year {
        source: body
            .source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        ..body
    };
    body.validate(year)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let done = state
        .store
        .set_calendar_year(Some(me.user.id), year, body.clone(), state.now().date())
        .await?;
    Ok(CalendarSetView {
        year,
        data: (&body).into(),
        recomputed: done.into(),
    })
}

#[utoipa::path(
    delete,
    path = "/calendar/{year}",
    operation_id = "delete_api_v1_calendar_year",
    tag = "管理",
    summary = "删除录入的一年",
    description = "删除管理员录入的该年安排：系统自带该年时恢复自带数据，否则该年按暂定安排计算；未办结事项的时限随即重算。仅系统管理员。",
    params(
        ("year" = i64, Path, description = "年份，2000–2099", minimum = 2000, maximum = 2099),
    ),
    responses(
        (status = 200, description = "已删除，recomputed 为重算结果", body = crate::views::CalendarRemoveView),
        (status = 400, description = "年份有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 404, description = "该年没有管理员录入的安排", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn remove_year(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<CalendarRemoveView>> {
    Ok(Json(remove_year_data(&state, &me, &raw).await?))
}

/// Removes what an admin entered for a year, as the API does.
pub(crate) async fn remove_year_data(
    state: &AppState,
    me: &Current,
    raw: &str,
) -> ApiResult<CalendarRemoveView> {
    admin_only(me, "删除节假日日历的年份")?;
    let year = parse_year(raw)?;
    let reason = format!("管理员删除了录入的{year}年节假日安排");
    let done = state
        .store
        .change_calendar(
            Some(me.user.id),
            &[(year, None)],
            &reason,
            state.now().date(),
        )
        .await?;
    let cal = state.calendar().await?;
    let p = cal.year_in_use(year).map(|(_, p)| p);
    Ok(CalendarRemoveView {
        year,
        provenance: p,
        recomputed: done.into(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeBody {
    pub text: String,
    #[serde(default)]
    pub apply: bool,
}

#[utoipa::path(
    post,
    path = "/calendar/notice",
    operation_id = "post_api_v1_calendar_notice",
    tag = "管理",
    summary = "识别并录入国务院办公厅放假通知",
    description = "text 为通知全文（含标题）：识别每项放假起止和调休上班日，与正在使用的日历逐年对照并列出差异；apply 为 true 时录入为正式安排（通知涉及上一年 12 月的日期并入上一年），重算所有未办结事项的时限。通知中的星期、天数与日期不符时拒绝并说明。仅系统管理员。",
    request_body(content = ref("#/components/schemas/CalendarNotice"), content_type = "application/json"),
    responses(
        (status = 200, description = "识别结果（applied 表示是否已录入）", body = crate::views::CalendarNoticeView),
        (status = 400, description = "请求体有误或 text 为空", body = crate::error::ErrorBody),
        (status = 403, description = "不是系统管理员", body = crate::error::ErrorBody),
        (status = 422, description = "不是可识别的放假通知，或通知自相矛盾，说明原因", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["admin"]))),
)]
async fn read_notice(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<NoticeBody>,
) -> ApiResult<Json<CalendarNoticeView>> {
    Ok(Json(notice_data(&state, &me, body).await?))
}

/// Reads a notice, shows it beside the years in use, and enters it when
/// asked (admins only), as the API does; the settings page posts here too.
pub(crate) async fn notice_data(
    state: &AppState,
    me: &Current,
    body: NoticeBody,
) -> ApiResult<CalendarNoticeView> {
    admin_only(me, "录入国务院办公厅放假通知")?;
    if body.text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "text 不能为空：请粘贴国务院办公厅关于部分节假日安排的通知全文".into(),
        ));
    }
    let n = notice::parse(&body.text).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let cal = state.calendar().await?;
    let changes = n.changes(&cal);
    let years = changes
        .iter()
        .map(|(year, data)| {
            let current = cal.year_in_use(*year);
            CalendarNoticeYear {
                year: *year,
                parsed: data.into(),
                holiday_runs: runs(&data.holidays),
                workday_runs: runs(&data.workdays),
                current_provenance: current.map(|(_, p)| p),
                current_provenance_label: current.map(|(_, p)| p.label().to_string()),
                current_holiday_runs: current.map(|(y, _)| runs(&y.holidays)),
                current_workday_runs: current.map(|(y, _)| runs(&y.workdays)),
                differences: current.map(|(y, _)| differences(y, data)),
            }
        })
        .collect();
    let spans = n
        .spans
        .iter()
        .map(|s| CalendarNoticeSpan {
            name: s.name.clone(),
            first: s.first,
            last: s.last,
            days: (s.last - s.first).num_days() + 1,
            workdays: s.workdays.clone(),
            text: format!(
                "{}：{}{}",
                if s.name.is_empty() { "放假" } else { &s.name },
                span_text(s.first, s.last),
                workdays_text(&s.workdays)
            ),
        })
        .collect();
    let mut out = CalendarNoticeView {
        year: n.year,
        source: n.source.clone(),
        spans,
        years,
        applied: false,
        recomputed: None,
    };
    if body.apply {
        let reason = format!("国务院办公厅公布了{}年部分节假日安排", n.year);
        let list: Vec<(i32, Option<Year>)> =
            changes.into_iter().map(|(y, d)| (y, Some(d))).collect();
        let done = state
            .store
            .change_calendar(Some(me.user.id), &list, &reason, state.now().date())
            .await?;
        out.applied = true;
        out.recomputed = Some(done.into());
    }
    Ok(out)
}

fn md(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

fn span_text(a: NaiveDate, b: NaiveDate) -> String {
    if a == b {
        format!("{}放假", md(a))
    } else {
        format!("{}至{}放假，共{}天", md(a), md(b), (b - a).num_days() + 1)
    }
}

fn workdays_text(days: &[NaiveDate]) -> String {
    if days.is_empty() {
        String::new()
    } else {
        format!(
            "；{}上班",
            days.iter().map(|d| md(*d)).collect::<Vec<_>>().join("、")
        )
    }
}

/// Dates as runs of consecutive days: "1月1日；2月10日–17日".
pub(crate) fn runs(dates: &BTreeSet<NaiveDate>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    let show_run = |(a, b): (NaiveDate, NaiveDate)| {
        let prefix = |d: NaiveDate| {
            if d.year() == a.year() && d.year() == b.year() {
                String::new()
            } else {
                format!("{}年", d.year())
            }
        };
        if a == b {
            format!("{}{}", prefix(a), md(a))
        } else if a.month() == b.month() && a.year() == b.year() {
            format!("{}{}–{}日", prefix(a), md(a), b.day())
        } else {
            format!("{}{}–{}{}", prefix(a), md(a), prefix(b), md(b))
        }
    };
    for &d in dates {
        run = match run {
            Some((a, b)) if b.succ_opt() == Some(d) => Some((a, d)),
            Some(r) => {
                out.push(show_run(r));
                Some((d, d))
            }
            None => Some((d, d)),
        };
    }
    if let Some(r) = run {
        out.push(show_run(r));
    }
    out.join("；")
}

/// The label of a provenance, for pages; — where there is none.
pub(crate) fn provenance_label(p: Option<Provenance>) -> &'static str {
    p.map_or("—", Provenance::label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_runs() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let set: BTreeSet<NaiveDate> = [
            "2024-01-01",
            "2024-02-10",
            "2024-02-11",
            "2024-02-12",
            "2024-04-30",
            "2024-05-01",
        ]
        .into_iter()
        .map(d)
        .collect();
        assert_eq!(runs(&set), "1月1日；2月10日–12日；4月30日–5月1日");
        assert_eq!(runs(&BTreeSet::new()), "");
    }

    #[test]
    fn a_notice_adds_its_december_days_to_the_year_before() {
        let cal = Calendar::official();
        let text = "国务院办公厅关于2024年部分节假日安排的通知\n一、元旦：1月1日放假，与周末连休。";
        let n = notice::parse(text).unwrap();
        let changes = n.changes(&cal);
        assert_eq!(changes.len(), 2);
        let (y, data) = &changes[0];
        assert_eq!(*y, 2023);
        // 2023 keeps its own days and gains nothing new (already shipped).
        assert_eq!(data.holidays, cal.year(2023).unwrap().holidays);
        assert_eq!(changes[1].0, 2024);
        assert_eq!(changes[1].1.holidays.len(), 1);
    }
}
