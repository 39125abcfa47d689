//! The supervision outputs page (通报考核): the bulletin of a period as a
//! printable page (the stylesheet's `@media print` leaves only the
//! bulletin) with a link to the Word file, the red and black lists, the
//! year's assessment with each unit's explanation in a `<details>`, forms
//! for the office to enter inspections and summons, and the year's rules
//! (a Chinese form, [`super::rules_form`]). The parts are tabs: sections
//! with anchors, one shown at a time (the stylesheet's `:target`), the
//! bulletin first; a refused form opens its own. Units with nothing due
//! are listed in one line, not ranked. Every figure is what the API's
//! `reports::*_data` returns for the same query.

use super::form::{query, Fields};
use super::layout;
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::params::Params;
use crate::reports::{
    assessment_data, bulletin_data, create_inspection_data, create_summons_data, redblack_data,
    rules_data, set_rules_data, NewInspectionBody, NewSummonsBody,
};
use crate::views::{
    AssessedView, AssessmentParams, BulletinParams, BulletinRate, BulletinView, LineRefKind,
    RedBlackParams, RedBlackView, UnassessedView,
};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::Datelike;
use duban_domain::assess::{Period, Rules};
use duban_store::assess::InspectionKind;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports/inspections", post(add_inspection))
        .route("/reports/summons", post(add_summons))
        .route("/reports/rules", post(save_rules))
}

/// A refused form: which one, what was typed, why.
struct Refused {
    form: &'static str,
    fields: Fields,
    error: String,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    Ok(render(&state, &viewer, q, None).await?.into_response())
}

fn pct(v: &BulletinRate) -> String {
    v.percent()
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    q: HashMap<String, String>,
    refused: Option<Refused>,
) -> PageResult<Markup> {
    let me = &viewer.current;
    let today = state.now().date();
    let period_raw = q
        .get("period")
        .cloned()
        .unwrap_or_else(|| Period::quarter_of(today).code);
    let mut error = None;
    let period = match Period::parse(&period_raw) {
        Ok(p) => p,
        Err(e) => {
            error = Some(e);
            Period::quarter_of(today)
        }
    };
    let leader_raw = q.get("leader").filter(|l| !l.trim().is_empty());
    let leader = match leader_raw {
        Some(l) => Params::new(HashMap::from([("leader".to_string(), l.clone())]))
            .i64("leader", "分管领导")?,
        None => None,
    };
    let bulletin = BulletinParams {
        period: Some(period.clone()),
        leader,
        ..BulletinParams::default()
    };
    let bulletin = bulletin_data(state, me, &bulletin).await?;
    let redblack = RedBlackParams {
        period: Some(period.clone()),
        leader,
        ..RedBlackParams::default()
    };
    let redblack = redblack_data(state, me, &redblack).await?;
    let year = period.from.year();
    let assessment = AssessmentParams {
        year: Some(year),
        leader,
        as_of: None,
    };
    let assessment = assessment_data(state, me, &assessment).await?;
    let rules = rules_data(state, me, &year.to_string()).await?;
    let units = crate::units::units_data(state, me).await?;
    let docx = format!(
        "/api/v1/reports/bulletin.docx?{}",
        query(&[
            ("period", &period.code),
            ("leader", leader_raw.map_or("", |s| s.as_str()))
        ])
    );
    let typed = |form: &str, name: &str| -> String {
        refused
            .as_ref()
            .filter(|r| r.form == form)
            .map(|r| r.fields.get(name).to_string())
            .unwrap_or_default()
    };
    let form_error = |form: &str| {
        refused
            .as_ref()
            .filter(|r| r.form == form)
            .map(|r| r.error.clone())
    };
    let office = viewer.is_office();
    let admin = viewer.user().role == duban_domain::org::Role::Admin;
    // The section a refused form belongs to is the one shown.
    let open = refused.as_ref().map(|r| match r.form {
        "rules" => "rules",
        _ => "records",
    });
    let section = |id: &str| if open == Some(id) { "tab open" } else { "tab" };
    let rules_now: &Rules = &rules.rules;
    let typed_rules = refused
        .as_ref()
        .filter(|r| r.form == "rules")
        .map(|r| &r.fields);
    let body = html! {
        h1 { "通报考核" }
        (layout::notices(q.get("ok").map(String::as_str), error.as_deref()))
        form.filters method="get" action="/reports" {
            label { span { "期间" } input name="period" value=(period.code) placeholder="2024Q3、2024-09 或 2024"; }
            @if let Some(l) = leader_raw { input type="hidden" name="leader" value=(l); }
            button type="submit" { "查看" }
            " "
            a href=(docx) { "下载通报（Word）" }
            span.muted { "（月：2024-09；季度：2024Q3；年：2024。打印本页即得通报。）" }
        }
        nav.tabs aria-label="通报考核各部分" {
            a href="#bulletin" { "通报" }
            a href="#redblack" { "红黑榜" }
            a href="#assessment" { "年度考核" }
            @if office { a href="#records" { "督查与约谈" } }
            a href="#rules" { "考核规则" }
        }
        div.tabs-body {
            section #bulletin class=(section("bulletin")) { (bulletin_view(&bulletin)) }
            section #redblack class=(section("redblack")) { (redblack_view(&redblack)) }
            section #assessment class=(section("assessment")) {
                h2 { (assessment.year) "年度考核（截至" (assessment.as_of) "，" (assessment.graded_units) "个单位参评）" }
                p.muted { "等次按名额在全部参评单位中确定：名额为上限，向下取整；同分同名次、同等次，并列跨越名额线时一同进入下一等次。全年无应办事项的单位不参评（无考核事项）。" }
                (assessment_view(&assessment.units))
                (unassessed_view(&assessment.unassessed))
            }
            @if office {
                section #records class=(section("records")) {
                    h2 { "督查与约谈记录" }
                    p.muted { "督查发现问题和约谈计入年度考核的扣分。" }
                    div.split {
                        div.card {
                            h3 { "录入督查记录" }
                            @if let Some(e) = form_error("inspection") { p.error role="alert" { (e) } }
                            form.stack method="post" action="/reports/inspections" {
                                (layout::csrf(viewer))
                                input type="hidden" name="period" value=(period.code);
                                (unit_select(&units, &typed("inspection", "unit_id")))
                                label { span { "督查方式" }
                                    select name="kind" {
                                        @for k in InspectionKind::ALL { option value=(k.code()) selected[typed("inspection", "kind") == k.code()] { (k.label()) } }
                                    }
                                }
                                (layout::input("date", "督查日期", &typed("inspection", "date"), layout::Kind::Date, true))
                                (layout::input("points", "扣分", &typed("inspection", "points"), layout::Kind::Text, false))
                                label { span { "重大问题（扣分不封顶）" } input type="checkbox" name="major" value="1" checked[typed("inspection", "major") == "1"]; }
                                (layout::input("matter_id", "相关事项编号（可不填）", &typed("inspection", "matter_id"), layout::Kind::Text, false))
                                label.wide { span { "发现的情况" } textarea name="finding" rows="3" required { (typed("inspection", "finding")) } }
                                button type="submit" { "保存督查记录" }
                            }
                        }
                        div.card {
                            h3 { "录入约谈记录" }
                            @if let Some(e) = form_error("summons") { p.error role="alert" { (e) } }
                            form.stack method="post" action="/reports/summons" {
                                (layout::csrf(viewer))
                                input type="hidden" name="period" value=(period.code);
                                (unit_select(&units, &typed("summons", "unit_id")))
                                (layout::input("date", "约谈日期", &typed("summons", "date"), layout::Kind::Date, true))
                                label.wide { span { "约谈事由" } textarea name="reason" rows="3" required { (typed("summons", "reason")) } }
                                button type="submit" { "保存约谈记录" }
                            }
                        }
                    }
                }
            }
            section #rules class=(section("rules")) {
                h2 { (year) "年度考核规则" @if !rules.set { "（默认规则）" } }
                @if let Some(e) = form_error("rules") { p.error role="alert" { (e) } }
                @if admin {
                    form.rules method="post" action="/reports/rules" {
                        (layout::csrf(viewer))
                        input type="hidden" name="year" value=(year);
                        input type="hidden" name="period" value=(period.code);
                        (super::rules_form::view(rules_now, typed_rules, true))
                        button type="submit" { "保存规则" }
                    }
                } @else {
                    p.muted { "只有系统管理员可以修改考核规则。" }
                    div.rules { (super::rules_form::view(rules_now, None, false)) }
                }
            }
        }
    };
    Ok(layout::page(viewer, "通报考核", "/reports", body))
}

fn unit_select(units: &[duban_domain::org::Unit], current: &str) -> Markup {
    html! {
        label { span { "单位" }
            select name="unit_id" required {
                @for u in units { option value=(u.id) selected[current == u.id.to_string()] { (u.name) } }
            }
        }
    }
}

fn bulletin_view(b: &BulletinView) -> Markup {
    let t = &b.total;
    html! {
        section.bulletin {
            h2 { (b.title) }
            @if let Some(s) = &b.scope { p.muted { (s) "分管单位" } }
            p { (b.period.label) "（" (b.period.span_label()) "）共交办督办事项 " (b.matters) " 项、任务 " (t.assigned) " 项。截至 " (b.as_of) "：按时签收率 " (pct(&t.sign_for)) "，按时反馈率 " (pct(&t.report)) "，按时办结率 " (pct(&t.close)) "；已办结 " (t.closed) " 项，逾期 " (t.overdue) " 项，退回 " (t.returns) " 次，延期 " (t.extended) " 项。" }
            table {
                thead { tr { th { "责任单位" } th { "交办" } th { "按时签收" } th { "按时反馈" } th { "按时办结" } th { "已办结" } th { "逾期" } th { "退回" } th { "延期" } } }
                tbody {
                    @for u in b.units.iter().filter(|u| !u.nothing_due).chain(std::iter::once(t)) {
                        tr {
                            td { (u.unit_name) }
                            td { (u.assigned) }
                            td { (u.sign_for.on_time) "/" (u.sign_for.due) "（" (pct(&u.sign_for)) "）" }
                            td { (u.report.on_time) "/" (u.report.due) "（" (pct(&u.report)) "）" }
                            td { (u.close.on_time) "/" (u.close.due) "（" (pct(&u.close)) "）" }
                            td { (u.closed) } td { (u.overdue) } td { (u.returns) } td { (u.extended) }
                        }
                    }
                }
            }
            h3 { "逾期未办任务" }
            @if b.overdue_total > b.overdue.len() { p.muted { "共 " (b.overdue_total) " 项，以下列出逾期最久的 " (b.overdue.len()) " 项。" } }
            @if b.overdue.is_empty() { p { "本期无逾期未办任务。" } } @else {
                table {
                    thead { tr { th { "事项" } th { "责任单位" } th { "未办环节" } th { "时限" } th { "逾期天数" } } }
                    tbody { @for o in &b.overdue {
                        tr { td { a href=(format!("/matters/{}", o.matter_id)) { (o.title) } } td { (o.unit_name) } td { (o.limit) } td { (o.due) } td { (o.days_late.map_or("—".to_string(), |d| d.to_string())) } }
                    } }
                }
            }
            @let idle: Vec<&str> = b.units.iter().filter(|u| u.nothing_due).map(|u| u.unit_name.as_str()).collect();
            @if !idle.is_empty() {
                p.muted { "无考核事项（本期无应办事项，不排名、不表扬、不批评）的单位 " (idle.len()) " 个：" (idle.join("、")) "。" }
            }
            p.rules-stated { "表扬：交办不少于 " (b.rules.commend_min_tracks) " 项且签收、反馈、办结全部按时，无逾期、无退回；批评：有任务逾期超过 " (b.rules.criticise_overdue_days) " 天，或按期办结率低于 " (b.rules.criticise_close_rate_below) "%；无考核事项的单位不表扬、不批评。" }
            h3 { "通报表扬" }
            @if b.commended.is_empty() { p.muted { "无" } }
            ul { @for n in &b.commended { li { (n.unit_name) "：" (n.reasons.join("；")) } } }
            h3 { "通报批评" }
            @if b.criticised.is_empty() { p.muted { "无" } }
            ul { @for n in &b.criticised { li { (n.unit_name) "：" (n.reasons.join("；")) } } }
        }
    }
}

fn lines_view(a: &AssessedView) -> Markup {
    html! {
        details {
            summary { "得分说明" }
            table {
                thead { tr { th { "指标" } th { "得分" } th { "满分/上限" } th { "计算" } th { "依据" } } }
                tbody { @for l in &a.lines {
                    tr {
                        td { (l.indicator) } td { (l.points) } td { (l.max) } td { (l.why) }
                        td { @for (i, r) in l.refs.iter().take(20).enumerate() {
                            @if i > 0 { "、" }
                            @match r.kind {
                                LineRefKind::Track => { "任务" (r.id) }
                                LineRefKind::Inspection => { "督查" (r.id) }
                                LineRefKind::Summons => { "约谈" (r.id) }
                            }
                        }
                        @if l.refs.len() > 20 { " 等 " (l.refs.len()) " 项" } }
                    }
                } }
            }
        }
    }
}

fn assessment_view(units: &[AssessedView]) -> Markup {
    html! {
        table {
            thead { tr { th { "名次" } th { "单位" } th { "得分" } th { "等次" } th { "说明" } } }
            tbody { @for a in units {
                tr { td { (a.rank) } td { (a.unit_name) } td { (format!("{:.2}", a.total)) } td { (a.grade) } td { (lines_view(a)) } }
            } }
        }
    }
}

fn redblack_view(r: &RedBlackView) -> Markup {
    html! {
        h2 { (r.period.label) "红黑榜（各不超过 " (r.n) " 名）" }
        p.muted { "在本期有应办事项的 " (r.ranked) " 个单位中按得分排名；同分同名次；并列的单位会使榜单超过名额时，并列者均不列入，并在下方说明。一个单位只上一个榜。" }
        div.split {
            div.card { h3 { "红榜" } @if r.red.is_empty() { p.muted { "无" } } @else { (assessment_view(&r.red)) } }
            div.card { h3 { "黑榜" } @if r.black.is_empty() { p.muted { "无" } } @else { (assessment_view(&r.black)) } }
        }
        @for n in &r.notes { p.notice { (n) "。" } }
        (unassessed_view(&r.unassessed))
    }
}

fn unassessed_view(list: &[UnassessedView]) -> Markup {
    html! {
        @if !list.is_empty() {
            p.muted { "无考核事项、不参加排名的单位 " (list.len()) " 个：" (list.iter().map(|u| u.unit_name.as_str()).collect::<Vec<_>>().join("、")) "。" }
        }
    }
}

/// The page's query to come back to after a form: the period.
fn back(fields: &Fields) -> HashMap<String, String> {
    fields
        .opt("period")
        .map(|p| HashMap::from([("period".to_string(), p)]))
        .unwrap_or_default()
}

async fn refuse(
    state: &AppState,
    viewer: &Viewer,
    form: &'static str,
    fields: Fields,
    e: ApiError,
) -> PageResult {
    let (status, message) = e.status_and_message();
    let refused = Refused {
        form,
        error: message.to_string(),
        fields: fields.clone(),
    };
    Ok((
        status,
        render(state, viewer, back(&fields), Some(refused)).await?,
    )
        .into_response())
}

fn number<T: std::str::FromStr>(raw: &str, what: &str) -> Result<Option<T>, ApiError> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| ApiError::BadRequest(format!("{what}应为数字，收到“{raw}”")))
}

fn date(raw: &str, what: &str) -> Result<chrono::NaiveDate, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::BadRequest(format!("请填写{what}（年-月-日）")))
}

async fn add_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult {
    let result = async {
        viewer.check_csrf(&fields)?;
        let body = NewInspectionBody {
            unit_id: number(fields.get("unit_id"), "单位")?.unwrap_or_default(),
            matter_id: number(fields.get("matter_id"), "事项编号")?,
            kind: fields.get("kind").to_string(),
            date: date(fields.get("date"), "督查日期")?,
            finding: fields.get("finding").to_string(),
            points: number(fields.get("points"), "扣分")?.unwrap_or(0.0),
            major: fields.get("major") == "1",
        };
        create_inspection_data(&state, &viewer.current, body).await
    }
    .await;
    match result {
        Ok(_) => Ok(back_to(&fields, "created", "records")),
        Err(e) => refuse(&state, &viewer, "inspection", fields, e).await,
    }
}

async fn add_summons(State(state): State<AppState>, viewer: Viewer, fields: Fields) -> PageResult {
    let result = async {
        viewer.check_csrf(&fields)?;
        let body = NewSummonsBody {
            unit_id: number(fields.get("unit_id"), "单位")?.unwrap_or_default(),
            date: date(fields.get("date"), "约谈日期")?,
            reason: fields.get("reason").to_string(),
        };
        create_summons_data(&state, &viewer.current, body).await
    }
    .await;
    match result {
        Ok(_) => Ok(back_to(&fields, "created", "records")),
        Err(e) => refuse(&state, &viewer, "summons", fields, e).await,
    }
}

async fn save_rules(State(state): State<AppState>, viewer: Viewer, fields: Fields) -> PageResult {
    let result = async {
        viewer.check_csrf(&fields)?;
        let shown = rules_data(&state, &viewer.current, fields.get("year")).await?;
        let rules = super::rules_form::read(&fields, &shown.rules)?;
        set_rules_data(&state, &viewer.current, fields.get("year"), rules).await
    }
    .await;
    match result {
        Ok(_) => Ok(back_to(&fields, "created", "rules")),
        Err(e) => refuse(&state, &viewer, "rules", fields, e).await,
    }
}

/// Back to the page's period and section after a form, with its notice.
fn back_to(fields: &Fields, notice: &str, section: &str) -> axum::response::Response {
    let q = query(&[("period", fields.get("period")), ("ok", notice)]);
    axum::response::Redirect::to(&format!("/reports?{q}#{section}")).into_response()
}
