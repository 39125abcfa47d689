//! A matter: its text and source, its units and their tracks with the
//! 13710 timeline (what was due when, what happened when), the reports,
//! extension requests, the forms for the actions the viewer may take, and
//! the event log. Track actions post here and come back to the page they
//! came from; a refused action shows this page again with what was typed.

use super::form::{Fields, FormWithFiles};
use super::layout::{self, light};
use super::{show, PageError, PageResult, Viewer};
use crate::error::ApiError;
use crate::matters::{detail_data, parse_id};
use crate::tracks::{act_data, TrackActionBody};
use crate::views::{EventView, MatterView, NextLimit, TrackFull, TrackView};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::clock::LocalTime;
use duban_domain::events::EventKind;
use duban_domain::matter::{Grade, MatterStatus, Source};
use duban_domain::workflow::ActionKind;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/matters/{id}", get(page))
        .route(
            "/tracks/{id}/act",
            post(act).layer(axum::extract::DefaultBodyLimit::max(
                crate::tracks::ACTION_BODY_LIMIT,
            )),
        )
        .route("/attachments/{id}", get(download))
}

/// A file size in words.
fn size_label(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} 字节"),
    }
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "附件")?;
    let (info, bytes) = crate::tracks::attachment_data(&state, &viewer.current, id).await?;
    Ok(crate::tracks::file_response(&info, bytes))
}

/// A refused action, to show again in its form.
pub(crate) struct Failed {
    pub track: i64,
    pub action: String,
    pub fields: Fields,
    pub message: String,
}

/// The label of an action code (`sign_for` → 签收).
pub(crate) fn action_label(code: &str) -> &'static str {
    ActionKind::ALL
        .into_iter()
        .find(|k| {
            serde_json::to_value(k)
                .ok()
                .is_some_and(|v| v.as_str() == Some(code))
        })
        .map(ActionKind::label)
        .unwrap_or("操作")
}

/// What an event's entry says besides its action: the reason or text the
/// office gave, a new deadline, the urging's number.
fn event_note(e: &EventView) -> String {
    let a = &e.after;
    let mut parts = Vec::new();
    if let Some(n) = a["number"].as_object() {
        parts.push(format!(
            "{}〔{}〕{}号",
            crate::office::URGE_WORD,
            n.get("year").map(show).unwrap_or_default(),
            n.get("number").map(show).unwrap_or_default()
        ));
    }
    if e.entity == "matter" {
        if let Some(d) = a["deadline"]
            .as_str()
            .filter(|_| e.action == "matter.deadline")
        {
            parts.push(format!("新时限 {d}"));
        }
        if let Some(o) = a["other"].as_i64() {
            parts.push(format!("事项 {o}"));
        }
        for k in ["reason", "text"] {
            if let Some(t) = a[k].as_str().filter(|t| !t.is_empty()) {
                parts.push(t.to_string());
            }
        }
    } else if let Some(t) = a["text"].as_str().filter(|_| e.action == "track.urge") {
        parts.push(t.to_string());
    } else if e.action == "track.handler" {
        parts.push(format!(
            "交 {} 承办",
            a["handler_name"].as_str().unwrap_or_default()
        ));
        if let Some(n) = a["note"].as_str().filter(|n| !n.is_empty()) {
            parts.push(n.to_string());
        }
    }
    parts.join("；")
}

/// The form of one action on a track, keeping what was typed when it was
/// refused.
fn action_form(
    viewer: &Viewer,
    t: &TrackView,
    code: &str,
    back: &str,
    failed: Option<&Failed>,
) -> Markup {
    let id = t.id;
    let mine = failed.filter(|f| f.track == id && f.action == code);
    let val = |name: &str| {
        mine.map(|f| f.fields.get(name).to_string())
            .unwrap_or_default()
    };
    let label = action_label(code);
    let fields: Markup = match code {
        "report" => layout::textarea("text", "反馈内容（已采取的措施和进展）", &val("text"), true),
        "apply_to_close" => layout::textarea("text", "办理结果", &val("text"), true),
        "return" => layout::textarea("reason", "退回理由", &val("reason"), true),
        "refuse_extension" => layout::textarea("reason", "不予延期的理由", &val("reason"), true),
        "request_extension" => html! {
            (layout::input("until", "延期至", &val("until"), layout::Kind::Date, true))
            (layout::textarea("plan", "时间表和工作计划", &val("plan"), true))
        },
        "close" => html! {
            label {
                span { "评定等次" }
                select name="grade" required {
                    option value="" { "请选择" }
                    @for g in Grade::ALL {
                        option value=(g.label()) selected[val("grade") == g.label()] { (g.label()) }
                    }
                }
            }
            (layout::textarea("reason", "评价意见", &val("reason"), false))
        },
        _ => html! {},
    };
    let simple = matches!(code, "sign_for" | "grant_extension" | "withdraw");
    // What the unit writes may carry files (a photo, a test report).
    let files = matches!(code, "report" | "apply_to_close" | "request_extension");
    let form = html! {
        form.stack method="post" action=(format!("/tracks/{id}/act"))
            enctype=[files.then_some("multipart/form-data")] {
            (layout::csrf(viewer))
            input type="hidden" name="version" value=(t.full.as_ref().map(|f| f.version).unwrap_or_default());
            input type="hidden" name="action" value=(code);
            input type="hidden" name="back" value=(back);
            @if let Some(f) = mine { p.error role="alert" { (f.message) } }
            (fields)
            @if files {
                label.wide { span { "附件（可多选，单个不超过 20 MB）" } input type="file" name="files" multiple; }
                @if mine.is_some() { p.muted { "如需附件，请重新选择文件。" } }
            }
            button type="submit" .secondary[code == "withdraw"] { (label) }
        }
    };
    if simple && mine.is_none() {
        form
    } else {
        html! {
            details open[mine.is_some()] {
                summary { (label) }
                (form)
            }
        }
    }
}

/// The actions the viewer may take on a track, as forms.
pub(crate) fn track_actions(
    viewer: &Viewer,
    t: &TrackView,
    back: &str,
    failed: Option<&Failed>,
) -> Markup {
    let allowed: Vec<&str> = t
        .full
        .iter()
        .flat_map(|f| &f.allowed)
        .map(String::as_str)
        .filter(|c| *c != "withdraw")
        .collect();
    html! {
        @if !allowed.is_empty() {
            div.actions {
                @for code in allowed { (action_form(viewer, t, code, back, failed)) }
            }
        }
    }
}

/// A date a page shows for a limit: `2027-01-08`, with 暂定 when it rests
/// on a provisional calendar year.
pub(crate) fn limit_date(date: Option<NaiveDate>, provisional: bool) -> Markup {
    html! {
        @if let Some(d) = date { (d) } @else { "—" }
        @if provisional && date.is_some() { " " span.tag.provisional title="按暂定节假日安排推算" { "暂定" } }
    }
}

/// A local wall-clock time of the track as shown.
fn local(v: Option<NaiveDateTime>) -> Option<String> {
    v.map(LocalTime::show_local)
}

/// The 13710 dates of a track: each limit with its date, and what the
/// unit and the office did when, each by its own name (反馈, 申请办结,
/// 退回, 办结, 申请延期, …), in local time.
fn timeline(t: &TrackView, full: &TrackFull) -> Markup {
    // (when, what, is a limit, provisional)
    let mut rows: Vec<(String, String, bool, bool)> = Vec::new();
    if let Some(a) = local(Some(full.assigned_at)) {
        rows.push((a, "交办".into(), false, false));
    }
    if let Some(a) = local(full.signed_at) {
        rows.push((a, "签收".into(), false, false));
    }
    for r in t.reports.iter().flatten() {
        rows.push((r.at_local.clone(), r.kind_label.clone(), false, false));
    }
    for d in full.dues.iter().flatten() {
        rows.push((
            format!("{} 前", d.date),
            format!("时限：{}", d.label),
            true,
            d.provisional,
        ));
    }
    // Stable by time only: what happened in the same minute keeps its order.
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    html! {
        ul.timeline {
            @for (when, what, due, provisional) in &rows {
                li {
                    span.muted { (when) } " "
                    @if *due { span.tag { (what) } } @else { (what) }
                    @if *provisional { " " span.tag.provisional { "暂定" } }
                }
            }
        }
    }
}

/// A track's next limit: date, step, days left or late; — when nothing
/// more is owed.
fn next_limit(n: Option<&NextLimit>) -> Markup {
    let Some(n) = n else {
        return html! { "—" };
    };
    html! {
        (n.date)
        @if n.provisional { "（暂定）" }
        " " (n.label) " "
        span.overdue[n.days < 0] { (n.text) }
    }
}

fn limits_table(t: &TrackView, full: &TrackFull) -> Markup {
    let l = &full.limits;
    let p = &l.provisional;
    let next = t.due.as_ref().and_then(|d| d.next.as_ref());
    html! {
        table {
            tr { th { "签收部署" } td { (limit_date(l.deploy, p.deploy)) } th { "首次反馈" } td { (limit_date(l.first_report, p.first_report)) } }
            tr { th { "办结时限" } td { (limit_date(l.resolve, p.resolve)) } th { "下一节点" } td.next { (next_limit(next)) } }
            @if let Some(d) = full.overdue_days.filter(|d| *d > 0) {
                tr { th { "逾期" } td.overdue colspan="3" { (d) " 天" } }
            }
            @if let Some(e) = &t.limits_error {
                tr { th { "无法计算" } td colspan="3" { (e) } }
            }
        }
        @if let Some(n) = &t.provisional_note { p.muted.provisional-note { (n) "。" } }
    }
}

fn track_card(
    viewer: &Viewer,
    t: &TrackView,
    zone: &str,
    back: &str,
    failed: Option<&Failed>,
    handlers: &[(i64, String)],
) -> Markup {
    let open = !matches!(t.state.as_str(), "closed" | "withdrawn");
    let may_pass = open && !handlers.is_empty() && Some(t.unit_id) == viewer.user().unit_id;
    let handler = t.handler.as_ref();
    let full = t.full.as_ref();
    html! {
        section.card id=(format!("track-{}", t.id)) {
            h3 {
                (t.unit_name.as_deref().unwrap_or_default()) " "
                span.tag { (t.role_label) } " "
                (light(t.light.code(), &t.light_label)) " "
                span { (t.state_label) }
                @if let Some(g) = &t.grade_label { " · 等次：" b { (g) } }
            }
            @if let Some(h) = handler.and_then(|h| h.handler_name.as_ref()) { p.handler { "承办人：" b { (h) } } }
            @if may_pass {
                form.inline.pass-handler method="post" action=(format!("/tracks/{}/handler", t.id)) {
                    (layout::csrf(viewer))
                    label { span { "交承办人" }
                        select name="handler" required {
                            @for (id, name) in handlers {
                                option value=(id) selected[handler.and_then(|h| h.handler_id) == Some(*id)] { (name) }
                            }
                        }
                    }
                    label { span { "说明" } input name="note" placeholder="如：请于3日内反馈"; }
                    button type="submit" { "交其办理" }
                }
            }
            @if let Some(full) = full {
                div.split {
                    div { (limits_table(t, full)) }
                    div { (timeline(t, full)) }
                }
                @if let Some(ext) = &full.pending_extension {
                    p.notice { "申请延期至 " b { (ext.until) } "：" (ext.plan) }
                }
                @if let Some(plan) = &full.extension_plan {
                    p.muted { "已批准延期至 " (full.extended_until.map_or_else(|| "—".to_string(), |d| d.to_string())) "，计划：" (plan) }
                }
            }
            @if let Some(reports) = t.reports.as_ref().filter(|r| !r.is_empty()) {
                details open {
                    summary { "办理记录（" (reports.len()) "）" }
                    table {
                        thead { tr { th { "时间（" (zone) "）" } th { "类别" } th { "内容" } th { "填报人" } } }
                        tbody {
                            @for r in reports {
                                tr {
                                    td { (r.at_local) }
                                    td { (r.kind_label) }
                                    td {
                                        (r.body)
                                        @for f in &r.files {
                                            br;
                                            a href=(format!("/attachments/{}", f.id)) { "📎 " (f.name) }
                                            " " span.muted { (size_label(f.size)) }
                                        }
                                    }
                                    td { (r.author_name.as_deref().unwrap_or("—")) }
                                }
                            }
                        }
                    }
                }
            }
            (track_actions(viewer, t, back, failed))
        }
    }
}

/// The source of a matter as a line, with a link to the document's lines.
fn source_line(m: &MatterView) -> Markup {
    let date = |d: &Option<NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    html! {
        @match &m.fields.source {
            Source::Document { document_id, spans } => {
                @let (from, to) = spans.first().map_or(("—".to_string(), "—".to_string()), |s| (s[0].to_string(), s[1].to_string()));
                a href=(format!("/documents/{document_id}#L{from}")) {
                    "公文第 " (from) "–" (to) " 行"
                }
            }
            Source::Meeting { name, date: d } => { "会议：" (name) " " (date(d)) }
            Source::Instruction { leader, date: d } => { "领导批示：" (leader) " " (date(d)) }
            Source::List { list, item } => { "清单：" (list) " · " (item) }
            Source::Appeal { from, channel, .. } => { "企业群众诉求：" (from) "（" (channel) "）" }
        }
    }
}

pub(crate) async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    let data = detail_data(state, &viewer.current, id).await?;
    let m = &data.matter;
    let back = format!("/matters/{id}");
    let events = m.events.as_deref().unwrap_or_default();
    let zone = m.time_zone.as_deref().unwrap_or_default();
    // The 承办人 the unit's first responsible person or liaison may pass
    // its track to.
    let handlers = match (viewer.user().role, viewer.user().unit_id) {
        (duban_domain::org::Role::UnitHead | duban_domain::org::Role::Liaison, Some(u)) => {
            crate::handler::handlers_of_unit(state, u).await?
        }
        _ => Vec::new(),
    };
    let targets = m.fields.targets.as_array().filter(|t| !t.is_empty());
    let answer = m.answer.as_ref().and_then(Option::as_ref);
    let notice_number = m.notice_number.as_ref().and_then(Option::as_ref);
    let linked = super::links::section(
        state,
        viewer,
        id,
        m.fields.status == duban_domain::matter::MatterStatus::Open,
    )
    .await?;
    let body = html! {
        p.muted { a href="/board" { "督办事项" } " › 事项 " (id) }
        h1 { (m.fields.title) " " (light(m.light.code(), &m.light_label)) }
        (layout::notices(notice, None))
        @if let Some(f) = failed.filter(|f| f.track == 0) { p.error { (f.message) } }
        table {
            tr { th { "类型" } td { (m.fields.type_name) } th { "状态" } td { (m.fields.status_label) } }
            tr { th { "来源" } td { (source_line(m)) } th { "完成时限" } td { (m.completion.as_ref().map_or("", |c| c.text.as_str())) } }
        }
        @if !m.fields.detail.is_empty() {
            h2 { "事项内容" }
            div.card { p.pre { (m.fields.detail) } }
        }
        @if let Some(targets) = targets {
            h2 { "量化目标" }
            ul { @for t in targets { li { (t["text"].as_str().map(String::from).unwrap_or_else(|| t.to_string())) } } }
        }
        @if let Some(answer) = answer {
            h2 { "办理结果" }
            div.card { p.pre { (if answer.text.is_empty() { "—" } else { answer.text.as_str() }) } p.muted { "办结时间：" (local(answer.closed_at).unwrap_or_else(|| "—".into())) } }
        }
        @if let Some(n) = notice_number {
            p.muted { "督办通知单：" a href=(format!("/matters/{id}/notice")) { (n) } }
        }
        @if viewer.is_office() && m.fields.status == MatterStatus::Open {
            (super::office::panel(viewer, m, failed))
        }
        (super::office::instructions(viewer, m, failed))
        (super::office::urgings(m))
        (linked)
        h2 { "承办单位" }
        @if !m.tracks.is_empty() { p.muted { "时间均为" (zone) "。" } }
        @for t in &m.tracks { (track_card(viewer, t, zone, &back, failed, &handlers)) }
        @if !events.is_empty() {
            h2 { "操作日志" }
            table {
                thead { tr { th.num { "序号" } th { "时间（" (zone) "）" } th { "操作人" } th { "操作" } th { "说明" } } }
                tbody {
                    @for e in events {
                        tr {
                            td.num { (e.seq) }
                            td { (e.at_local) }
                            td { (e.actor_name.as_deref().unwrap_or("系统")) }
                            td { (EventKind::label_of(&e.action)) }
                            td { (event_note(e)) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(viewer, &m.fields.title, "/board", body))
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "事项")?;
    render(&state, &viewer, id, q.get("ok").map(String::as_str), None).await
}

/// The API body of an action form: its fields (a blank one left out,
/// but the reason, which an office action may leave empty), with the
/// version as a number.
fn action_body(fields: &Fields) -> Result<TrackActionBody, ApiError> {
    let given = |name: &str| -> Option<String> {
        let v = fields.get(name);
        (!v.is_empty() || (name == "reason" && fields.0.iter().any(|(k, _)| k == name)))
            .then(|| v.to_string())
    };
    let version = match given("version") {
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            ApiError::BadRequest("页面数据不完整（缺少版本号）；请刷新页面后重试".into())
        })?),
        None => None,
    };
    Ok(TrackActionBody {
        version,
        action: given("action"),
        text: given("text"),
        reason: given("reason"),
        grade: given("grade"),
        until: given("until"),
        plan: given("plan"),
        files: Vec::new(),
    })
}

async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    form: FormWithFiles,
) -> PageResult<Response> {
    let id = parse_id(&raw, "办理记录")?;
    let FormWithFiles { fields, files } = form;
    let action = fields.get("action").to_string();
    let outcome = async {
        viewer.check_csrf(&fields)?;
        act_data(&state, &viewer.current, id, action_body(&fields)?, files).await
    }
    .await;
    match outcome {
        Ok(v) => {
            let back = fields.get("back");
            let to = if super::login::safe_next(back) == back {
                back.to_string()
            } else {
                format!("/matters/{}", v.matter.id)
            };
            Ok(super::done(&to, &action))
        }
        Err(e @ (ApiError::NotFound(_) | ApiError::Internal(_))) => Err(PageError::Api(e)),
        Err(e) => {
            let (status, message) = e.status_and_message();
            let (track, _) = crate::matters::visible_track(&state, &viewer.current, id).await?;
            let failed = Failed {
                track: id,
                action,
                fields: fields.without(&["_csrf"]),
                message: message.to_string(),
            };
            let page = render(&state, &viewer, track.track.matter_id, None, Some(&failed)).await?;
            let status = if status == StatusCode::FORBIDDEN || status == StatusCode::CONFLICT {
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
    fn action_bodies_carry_the_fields_the_api_reads() {
        let f = Fields::parse(
            "_csrf=t&version=3&action=report&text=%E5%B7%B2%E5%8A%9E&back=%2Fowe".as_bytes(),
        );
        let body = action_body(&f).unwrap();
        assert_eq!(body.version, Some(3));
        assert_eq!(body.action.as_deref(), Some("report"));
        assert_eq!(body.text.as_deref(), Some("已办"));
        assert_eq!((body.reason, body.grade, body.plan), (None, None, None));
        let (_, action) = action_body(&f).unwrap().action().unwrap();
        assert_eq!(
            action,
            duban_domain::workflow::Action::Report {
                text: "已办".into()
            }
        );
        // An office action's reason may be left empty; other blanks are not sent.
        let f = Fields::parse(b"version=2&action=close&grade=%E8%89%AF%E5%A5%BD&reason=&text=");
        let body = action_body(&f).unwrap();
        assert_eq!((body.reason.as_deref(), body.text), (Some(""), None));
        let bad = Fields::parse(b"version=x&action=sign_for");
        assert!(action_body(&bad).is_err());
    }

    #[test]
    fn labels_of_actions() {
        assert_eq!(action_label("sign_for"), "签收");
        assert_eq!(action_label("nonsense"), "操作");
    }
}
