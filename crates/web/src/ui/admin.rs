//! The settings pages (设置): an index, the matter types and their 13710
//! limits, the unit registry, the users, and the working-day calendar. The
//! office (督查室) may look at every page; only an admin changes anything,
//! and the forms post to the same functions the JSON API runs
//! (`types::create_data`, `units::create_data`, `admin::create_user_data`;
//! the calendar's pages are in `ui::calendar`), so a page refuses exactly what the API
//! refuses. A refused form is shown again with what was typed (never the
//! password) and the message saying what to fix. Other roles get 403.

use super::form::Fields;
use super::layout;
use super::{done, PageError, PageResult, Viewer};
use crate::admin::{create_user_data, users_data, CreateUser};
use crate::error::ApiError;
use crate::types::{create_data as create_type, list_data, update_data, TypeBody};
use crate::units::{
    create_data as create_unit, edit_data, groups_data, merge_data, units_data, CreateUnit,
    EditUnit, MergeUnit,
};
use crate::views::IssuedTokenView;
use crate::views::{MatterTypeView, TypeSchedule, TypeTerm};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use duban_domain::matter::Counting;
use duban_domain::org::Role;
use maud::{html, Markup};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/types", get(types_page).post(types_create))
        .route("/admin/types/{name}", axum::routing::post(types_update))
        .route("/admin/units", get(units_page).post(units_create))
        .route("/admin/units/merge", axum::routing::post(units_merge))
        .route("/admin/units/{id}/kind", axum::routing::post(units_kind))
        .route("/admin/users", get(users_page).post(users_create))
        .route(
            "/admin/users/{id}/oversees",
            axum::routing::post(oversees_set),
        )
        .route(
            "/admin/users/{id}/principal",
            axum::routing::post(principal_set),
        )
        .route("/admin/tokens", axum::routing::post(token_issue))
        .route(
            "/admin/tokens/{id}/revoke",
            axum::routing::post(token_revoke),
        )
}

/// The office may look; everyone else is refused.
pub(super) fn may_view(viewer: &Viewer) -> PageResult<()> {
    if viewer.is_office() {
        Ok(())
    } else {
        Err(PageError::Api(ApiError::Forbidden(
            "只有督查室和系统管理员可以查看设置".into(),
        )))
    }
}

/// Whether the viewer may change settings (and so sees the forms).
pub(super) fn may_change(viewer: &Viewer) -> bool {
    viewer.user().role == Role::Admin
}

/// A refused form, to show again: which form (`new`, or the name of the
/// type being edited), what was typed, why it was refused, and the status
/// the page answers with.
struct Failed {
    form: String,
    fields: Fields,
    message: String,
    status: StatusCode,
}

impl Failed {
    fn new(form: &str, fields: &Fields, e: &ApiError) -> Failed {
        let (status, message) = e.status_and_message();
        Failed {
            form: form.to_string(),
            fields: fields.without(&["_csrf", "password"]),
            message: message.to_string(),
            // A refusal of the caller or a clash keeps its code; anything
            // else the form got wrong is 422.
            status: match status {
                StatusCode::FORBIDDEN | StatusCode::CONFLICT => status,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
        }
    }

    /// The page shown again, with this refusal's status.
    fn again(&self, page: Markup) -> PageResult<Response> {
        Ok((self.status, page).into_response())
    }
}

/// Runs a form's action, its CSRF token checked first. A refusal comes
/// back as `Err(Failed)` for the page to show again; a fault or a missing
/// thing is the error page.
async fn attempt<A, T>(
    viewer: &Viewer,
    fields: &Fields,
    form: &str,
    act: A,
) -> PageResult<Result<(), Failed>>
where
    A: std::future::Future<Output = Result<T, ApiError>>,
{
    let outcome = match viewer.check_csrf(fields) {
        Ok(()) => act.await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Ok(())),
        Err(e @ (ApiError::NotFound(_) | ApiError::Internal(_) | ApiError::Unauthenticated)) => {
            Err(e.into())
        }
        Err(e) => Ok(Err(Failed::new(form, fields, &e))),
    }
}

/// A labelled whole-number input keeping `value`.
fn number(name: &str, label: &str, value: &str, min: u32) -> Markup {
    html! {
        label {
            span { (label) }
            input type="number" name=(name) value=(value) min=(min) step="1" class="narrow-num";
        }
    }
}

/// A note for the office, who sees the settings but cannot change them.
fn read_only_note(viewer: &Viewer) -> Markup {
    html! {
        @if !may_change(viewer) {
            p.muted { "只有系统管理员可以修改设置；您可以查看。" }
        }
    }
}

// ---------------------------------------------------------------- index

async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    let units = units_data(&state, &viewer.current).await?.len();
    let users = users_data(&state, &viewer.current).await?.users.len();
    let types = list_data(&state).await?.matter_types;
    let cal = state.calendar().await?;
    let years: Vec<i32> = cal.years().collect();
    let sections = [
        (
            "/admin/units",
            "单位",
            format!("{units} 个单位；名称、别名、上级单位"),
        ),
        (
            "/admin/users",
            "用户",
            format!("{users} 个账号；角色和所属单位"),
        ),
        (
            "/admin/calendar",
            "节假日日历",
            match (years.first(), years.last()) {
                (Some(a), Some(b)) => {
                    format!(
                        "正式安排 {a}–{b} 年；{} 年起为暂定安排，待放假通知公布后录入",
                        b + 1
                    )
                }
                _ => "尚未录入正式安排，各年按暂定安排计算".to_string(),
            },
        ),
        (
            "/admin/types",
            "事项类型",
            format!(
                "{} 个类型（其中自定义 {} 个）；计日方式和 13710 时限",
                types.len(),
                types.iter().filter(|t| !t.standard).count()
            ),
        ),
    ];
    let body = html! {
        h1 { "设置" }
        (layout::notices(q.get("ok").map(String::as_str), None))
        (read_only_note(&viewer))
        div.grid {
            @for (path, label, what) in &sections {
                a.stat href=(path) {
                    b { (label) }
                    span.muted { (what) }
                }
            }
        }
    };
    Ok(layout::page(&viewer, "设置", "/admin", body))
}

fn crumbs(here: &str) -> Markup {
    html! { p.muted { a href="/admin" { "设置" } " › " (here) } }
}

// ---------------------------------------------------------------- types

const COUNTINGS: &[(&str, &str)] = &[("working", "工作日"), ("calendar", "自然日")];
const RESOLVES: &[(&str, &str)] = &[
    ("days", "按天数"),
    ("months", "按月数"),
    ("none", "不设（持续推进至完成时限）"),
];
const SCHEDULES: &[(&str, &str)] = &[
    ("none", "不设"),
    ("quarterly", "每季度（季后第一个工作周内）"),
    ("monthly", "每月（某日前）"),
];

/// The form fields of a type as the API shows it, for an edit form.
fn type_fields(t: &MatterTypeView) -> Fields {
    let (resolve, resolve_n) = match t.resolve {
        Some(TypeTerm::Days(d)) => ("days", d.to_string()),
        Some(TypeTerm::Months(m)) => ("months", m.to_string()),
        None => ("none", String::new()),
    };
    let (schedule, day) = match t.schedule {
        Some(TypeSchedule::Quarterly) => ("quarterly", String::new()),
        Some(TypeSchedule::Monthly { day }) => ("monthly", day.to_string()),
        None => ("none", String::new()),
    };
    let counting = match t.counting {
        Counting::Calendar => "calendar",
        Counting::Working => "working",
    };
    let pairs = [
        ("name", t.name.clone()),
        ("counting", counting.to_string()),
        ("deploy_days", t.deploy_days.to_string()),
        ("report_days", t.report_days.to_string()),
        ("resolve", resolve.to_string()),
        ("resolve_n", resolve_n),
        ("schedule", schedule.to_string()),
        ("monthly_day", day),
        ("near_days", t.near_days.to_string()),
        ("active", if t.active { "on".into() } else { String::new() }),
    ];
    Fields(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// A number typed into a form, for the API: a number when it reads as one,
/// else the text itself, so the API's message names what was typed.
fn typed_number(v: &str) -> Value {
    v.trim()
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| json!(v.trim()))
}

/// The API body of a type form. Every term is sent, so an edit replaces
/// the terms with what the form shows.
fn type_body(f: &Fields, editing: bool) -> Result<TypeBody, ApiError> {
    let mut o = Map::new();
    if !editing {
        o.insert("name".into(), json!(f.get("name")));
    }
    if let Some(c) = f.opt("counting") {
        o.insert("counting".into(), json!(c));
    }
    for k in ["deploy_days", "report_days", "near_days"] {
        if let Some(v) = f.opt(k) {
            o.insert(k.into(), typed_number(&v));
        }
    }
    let resolve = match f.get("resolve") {
        "days" => json!({ "days": typed_number(f.get("resolve_n")) }),
        "months" => json!({ "months": typed_number(f.get("resolve_n")) }),
        _ => Value::Null,
    };
    o.insert("resolve".into(), resolve);
    let schedule = match f.get("schedule") {
        "quarterly" => json!("quarterly"),
        "monthly" => json!({ "monthly": { "day": typed_number(f.get("monthly_day")) } }),
        _ => Value::Null,
    };
    o.insert("schedule".into(), schedule);
    if editing {
        o.insert("active".into(), json!(!f.get("active").is_empty()));
    }
    serde_json::from_value(Value::Object(o))
        .map_err(|e| ApiError::BadRequest(format!("表单内容有误（{e}）；请检查后重新提交")))
}

/// The form to add a type (`editing` None) or to change one.
fn type_form(viewer: &Viewer, editing: Option<&str>, f: &Fields, error: Option<&str>) -> Markup {
    let action = match editing {
        // A path segment: a space is %20 there, not the `+` of a query
        // (a `+` in the name itself is already %2B).
        Some(name) => format!(
            "/admin/types/{}",
            super::form::encode(name).replace('+', "%20")
        ),
        None => "/admin/types".to_string(),
    };
    let or = |k: &str, d: &str| f.opt(k).unwrap_or_else(|| d.to_string());
    html! {
        form.stack.card method="post" action=(action) {
            (layout::csrf(viewer))
            @if let Some(e) = error { p.error.full-row role="alert" { (e) } }
            @match editing {
                Some(name) => { p.full-row { "类型名称：" b { (name) } "（名称不能修改）" } }
                None => { (layout::input("name", "类型名称", f.get("name"), layout::Kind::Text, true)) }
            }
            (layout::select("counting", "计日方式", &or("counting", "working"), COUNTINGS, None, true))
            (number("deploy_days", "签收部署（天，0为当天）", &or("deploy_days", "0"), 0))
            (number("report_days", "首次反馈（天）", &or("report_days", "3"), 0))
            (layout::select("resolve", "办结时限", &or("resolve", "days"), RESOLVES, None, true))
            (number("resolve_n", "办结天数或月数", &or("resolve_n", "7"), 0))
            (layout::select("schedule", "报送节点", &or("schedule", "none"), SCHEDULES, None, true))
            (number("monthly_day", "每月报送日", f.get("monthly_day"), 1))
            (number("near_days", "到期前几天亮黄灯", &or("near_days", "1"), 0))
            @if editing.is_some() {
                label { span { "启用" } input type="checkbox" name="active" checked[!f.get("active").is_empty()]; }
            }
            button type="submit" { @if editing.is_some() { "保存修改" } @else { "新建类型" } }
        }
    }
}

async fn render_types(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
    edit: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    let data = list_data(state).await?;
    let types = &data.matter_types;
    let change = may_change(viewer);
    // The type whose edit form is open: the one asked for, or the one a
    // refused edit was for.
    let editing = failed
        .map(|f| f.form.as_str())
        .filter(|f| *f != "new")
        .or(edit)
        .and_then(|name| types.iter().find(|t| t.name == name && !t.standard));
    let body = html! {
        (crumbs("事项类型"))
        h1 { "事项类型" }
        (layout::notices(notice, failed.filter(|_| !change).map(|f| f.message.as_str())))
        p.muted {
            "标准类型按13710规则设定，不能修改；自定义类型不能删除或改名，不再使用时可停用。"
            "修改时限只影响此后新建的事项，已有事项保留立项时的时限。"
        }
        (read_only_note(viewer))
        table.wide {
            thead { tr {
                th { "名称" } th { "类别" } th { "时限" } th { "临期提醒" } th { "状态" }
                @if change { th { "操作" } }
            } }
            tbody {
                @for t in types {
                    tr {
                        td data-label="名称" { b { (t.name) } }
                        td data-label="类别" { @if t.standard { "标准" } @else { "自定义" } }
                        td data-label="时限" { (t.description) }
                        td data-label="临期提醒" {
                            @match t.near_days {
                                0 => { "到期当天亮黄灯" }
                                n => { "到期前" (n) (if t.counting == Counting::Working { "个工作日" } else { "天" }) "亮黄灯" }
                            }
                        }
                        td data-label="状态" { @if t.active { "启用" } @else { span.muted { "已停用" } } }
                        @if change {
                            td data-label="操作" {
                                @if !t.standard {
                                    a href=(format!("/admin/types?edit={}#edit", super::form::encode(&t.name))) { "修改" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if change {
            @if let Some(t) = editing {
                h2 #edit { "修改“" (t.name) "”" }
                @let mine = failed.filter(|f| f.form == t.name);
                @let fields = mine.map(|f| f.fields.clone()).unwrap_or_else(|| type_fields(t));
                (type_form(viewer, Some(&t.name), &fields, mine.map(|f| f.message.as_str())))
                p { a href="/admin/types" { "取消修改" } }
            }
            h2 #new { "新建自定义类型" }
            @let mine = failed.filter(|f| f.form == "new");
            (type_form(viewer, None, &mine.map(|f| f.fields.clone()).unwrap_or_default(), mine.map(|f| f.message.as_str())))
        }
    };
    Ok(layout::page(viewer, "事项类型", "/admin", body))
}

async fn types_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    let get = |k: &str| q.get(k).map(String::as_str);
    render_types(&state, &viewer, get("ok"), get("edit"), None).await
}

async fn types_create(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = async { create_type(&state, &viewer.current, type_body(&fields, false)?).await };
    match attempt(&viewer, &fields, "new", act).await? {
        Ok(()) => Ok(done("/admin/types", "created")),
        Err(f) => f.again(render_types(&state, &viewer, None, None, Some(&f)).await?),
    }
}

async fn types_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(name): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act =
        async { update_data(&state, &viewer.current, &name, type_body(&fields, true)?).await };
    match attempt(&viewer, &fields, &name, act).await? {
        Ok(()) => Ok(done("/admin/types", "created")),
        Err(f) => f.again(render_types(&state, &viewer, None, None, Some(&f)).await?),
    }
}

// ---------------------------------------------------------------- units

const LEVELS: &[(&str, &str)] = &[
    ("county", "县（区）级"),
    ("city", "市级"),
    ("township", "乡镇（街道）级"),
    ("province", "省级"),
];
const KINDS: &[(&str, &str)] = &[
    ("department", "部门"),
    ("township", "乡镇、街道"),
    ("government", "政府及其办公室"),
    ("zone", "开发区管委会"),
    ("company", "国有企业"),
    ("outside", "驻地及其他单位"),
];

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn label_of(options: &[(&str, &'static str)], code: &str) -> &'static str {
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("—")
}

/// Aliases typed into one field: separated by 、 (or a comma, or a new
/// line, as people paste them).
fn split_aliases(v: &str) -> Vec<String> {
    v.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn unit_body(f: &Fields) -> Result<CreateUnit, ApiError> {
    let choice = |name: &str, what: &str, options: &[(&str, &str)]| -> Result<Value, ApiError> {
        let v = f.get(name);
        if options.iter().any(|(c, _)| *c == v) {
            Ok(json!(v))
        } else {
            Err(ApiError::BadRequest(format!("请选择{what}")))
        }
    };
    let parent = match f.opt("parent") {
        None => None,
        Some(p) => Some(
            p.parse::<i64>()
                .map_err(|_| ApiError::BadRequest(format!("上级单位“{p}”无效；请从列表中选择")))?,
        ),
    };
    Ok(CreateUnit {
        name: f.get("name").to_string(),
        aliases: split_aliases(f.get("aliases")),
        parent,
        level: serde_json::from_value(choice("level", "层级", LEVELS)?)
            .map_err(|_| ApiError::BadRequest("请选择层级".into()))?,
        kind: serde_json::from_value(choice("kind", "单位类别", KINDS)?)
            .map_err(|_| ApiError::BadRequest("请选择单位类别".into()))?,
    })
}

async fn render_units(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    let units = units_data(state, &viewer.current).await?;
    let names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let f = failed.map(|f| f.fields.clone()).unwrap_or_default();
    let parents: Vec<(String, String)> = std::iter::once((String::new(), "（无）".to_string()))
        .chain(units.iter().map(|u| (u.id.to_string(), u.name.clone())))
        .collect();
    let parent_refs: Vec<(&str, &str)> = parents
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let unit_refs: Vec<(&str, &str)> = parent_refs[1..].to_vec();
    let groups = groups_data(state, &viewer.current).await?;
    let change = may_change(viewer);
    let body = html! {
        (crumbs("单位"))
        h1 { "单位" }
        (layout::notices(notice, failed.filter(|f| !change || f.form == "kind").map(|f| f.message.as_str())))
        @if change { p { a href="#merge" { "合并单位" } " · " a href="#groups" { "单位分组" } " · " a href="#new" { "添加单位" } } }
        (read_only_note(viewer))
        table.wide #units {
            thead { tr { th.num { "编号" } th { "名称" } th { "别名、简称" } th { "上级单位" } th { "层级" } th { "类别" } } }
            tbody {
                @for u in &units {
                    tr {
                        td.num data-label="编号" { (u.id) }
                        td data-label="名称" { (u.name) }
                        td data-label="别名" { @if u.aliases.is_empty() { span.muted { "—" } } @else { (u.aliases.join("、")) } }
                        td data-label="上级单位" { (u.parent.and_then(|p| names.get(&p).copied()).unwrap_or("—")) }
                        td data-label="层级" { (label_of(LEVELS, &code(&u.level))) }
                        td data-label="类别" {
                            @if change {
                                form.inline method="post" action=(format!("/admin/units/{}/kind", u.id)) {
                                    (layout::csrf(viewer))
                                    select name="kind" aria-label=(format!("{}的类别", u.name)) {
                                        @for (c, l) in KINDS {
                                            option value=(c) selected[*c == code(&u.kind)] { (l) }
                                        }
                                    }
                                    button type="submit" { "改类别" }
                                }
                            } @else {
                                (label_of(KINDS, &code(&u.kind)))
                            }
                        }
                    }
                }
                @if units.is_empty() { tr { td colspan="6" .muted { "还没有单位。" } } }
            }
        }
        h2 #groups { "单位分组" }
        p.muted { "公文中写“各乡镇办”“区安委会各成员单位”等分组名称时，交办给分组的全部成员单位；分组本身不是单位。" }
        table.wide {
            thead { tr { th { "分组名称" } th { "成员单位" } } }
            tbody {
                @for g in &groups {
                    tr {
                        td data-label="分组名称" { (g.name) }
                        td data-label="成员单位" {
                            @if g.members.is_empty() { span.muted { "（无成员）" } }
                            @else { (g.members.iter().filter_map(|m| names.get(m).copied()).collect::<Vec<_>>().join("、")) }
                        }
                    }
                }
                @if groups.is_empty() { tr { td colspan="2" .muted { "还没有分组。" } } }
            }
        }
        @if change {
            h2 #merge { "合并单位" }
            p.muted { "同一个单位在名录中出现两次（如简称和全称）时合并：被合并单位的任务、用户、分管领导、督查记录和统计转到保留的单位，其名称成为别名，事件日志记录此次合并。" }
            form.stack.card method="post" action="/admin/units/merge" {
                (layout::csrf(viewer))
                @if let Some(fl) = failed.filter(|fl| fl.form == "merge") { p.error.full-row role="alert" { (fl.message) } }
                (layout::select("from", "被合并的单位（将删除）", f.get("from"), &unit_refs, Some("请选择"), true))
                (layout::select("into", "保留的单位", f.get("into"), &unit_refs, Some("请选择"), true))
                button type="submit" { "合并" }
            }
        }
        @if change {
            h2 #new { "添加单位" }
            form.stack.card method="post" action="/admin/units" {
                (layout::csrf(viewer))
                @if let Some(fl) = failed.filter(|fl| fl.form == "new") { p.error.full-row role="alert" { (fl.message) } }
                (layout::input("name", "单位名称（全称）", f.get("name"), layout::Kind::Text, true))
                (layout::input("aliases", "别名、简称（用“、”分隔）", f.get("aliases"), layout::Kind::Text, false))
                (layout::select("parent", "上级单位", f.get("parent"), &parent_refs, None, false))
                (layout::select("level", "层级", f.opt("level").as_deref().unwrap_or("county"), LEVELS, None, true))
                (layout::select("kind", "类别", f.opt("kind").as_deref().unwrap_or("department"), KINDS, None, true))
                button type="submit" { "添加单位" }
            }
        }
    };
    Ok(layout::page(viewer, "单位", "/admin", body))
}

async fn units_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    render_units(&state, &viewer, q.get("ok").map(String::as_str), None).await
}

async fn units_merge(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = async {
        let id = |name: &str, what: &str| {
            fields
                .get(name)
                .parse::<i64>()
                .map_err(|_| ApiError::BadRequest(format!("请选择{what}")))
        };
        let (from, into) = (id("from", "被合并的单位")?, id("into", "保留的单位")?);
        merge_data(&state, &viewer.current, from, MergeUnit { into }).await
    };
    match attempt(&viewer, &fields, "merge", act).await? {
        Ok(()) => Ok(done("/admin/units", "units_merged")),
        Err(f) => f.again(render_units(&state, &viewer, None, Some(&f)).await?),
    }
}

async fn units_kind(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(id): axum::extract::Path<i64>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = async {
        let kind = serde_json::from_value(json!(fields.get("kind")))
            .map_err(|_| ApiError::BadRequest("请选择单位类别".into()))?;
        edit_data(
            &state,
            &viewer.current,
            id,
            EditUnit {
                kind: Some(kind),
                aliases: None,
            },
        )
        .await
    };
    match attempt(&viewer, &fields, "kind", act).await? {
        Ok(()) => Ok(done("/admin/units", "unit_kind")),
        Err(f) => f.again(render_units(&state, &viewer, None, Some(&f)).await?),
    }
}

async fn units_create(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = async { create_unit(&state, &viewer.current, unit_body(&fields)?).await };
    match attempt(&viewer, &fields, "new", act).await? {
        Ok(()) => Ok(done("/admin/units", "created")),
        Err(f) => f.again(render_units(&state, &viewer, None, Some(&f)).await?),
    }
}

// ---------------------------------------------------------------- users

const ROLES: [Role; 9] = [
    Role::Liaison,
    Role::UnitHead,
    Role::Handler,
    Role::Office,
    Role::Leader,
    Role::Admin,
    Role::Security,
    Role::Auditor,
    Role::Public,
];

fn user_body(f: &Fields) -> Result<CreateUser, ApiError> {
    let role = ROLES
        .into_iter()
        .find(|r| code(r) == f.get("role"))
        .ok_or_else(|| ApiError::BadRequest("请选择角色".into()))?;
    let unit_id = match f.opt("unit_id") {
        None => None,
        Some(u) => Some(
            u.parse::<i64>()
                .map_err(|_| ApiError::BadRequest(format!("所属单位“{u}”无效；请从列表中选择")))?,
        ),
    };
    Ok(CreateUser {
        login: f.get("login").to_string(),
        name: f.get("name").to_string(),
        role,
        unit_id,
        email: f.opt("email"),
        // The password as typed: leading or trailing spaces are part of it.
        password: f
            .0
            .iter()
            .find(|(k, _)| k == "password")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    })
}

async fn render_users(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    render_users_with(state, viewer, notice, failed, None).await
}

/// The users page, with the answer of a token just issued (`issued`),
/// shown this once.
async fn render_users_with(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
    failed: Option<&Failed>,
    issued: Option<&IssuedTokenView>,
) -> PageResult<Markup> {
    let users = users_data(state, &viewer.current).await?.users;
    let units = units_data(state, &viewer.current).await?;
    let names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let unit_options: Vec<(String, String)> =
        std::iter::once((String::new(), "（不属于单位）".to_string()))
            .chain(units.iter().map(|u| (u.id.to_string(), u.name.clone())))
            .collect();
    let unit_refs: Vec<(&str, &str)> = unit_options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let role_options: Vec<(String, &str)> = ROLES.iter().map(|r| (code(r), r.label())).collect();
    let role_refs: Vec<(&str, &str)> = role_options.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    let f = failed
        .filter(|f| f.form == "new")
        .map(|f| f.fields.clone())
        .unwrap_or_default();
    let change = may_change(viewer);
    let tokens = if change {
        let failed = failed.map(|f| (f.form.as_str(), f.message.as_str(), &f.fields));
        Some(super::tokens::section(state, viewer, &users, issued, failed).await?)
    } else {
        None
    };
    let body = html! {
        (crumbs("用户"))
        h1 { "用户" }
        (layout::notices(notice, failed.filter(|_| !change).map(|f| f.message.as_str())))
        (read_only_note(viewer))
        table.wide {
            thead { tr { th { "登录名" } th { "姓名" } th { "角色" } th { "所属单位" } th { "分管单位" } th { "邮箱" } th { "状态" } } }
            tbody {
                @for u in &users {
                    tr {
                        td data-label="登录名" { (u.login) }
                        td data-label="姓名" { (u.name) }
                        td data-label="角色" { (u.role_label) }
                        td data-label="所属单位" { (u.unit_name.as_deref().filter(|n| !n.is_empty()).unwrap_or("—")) }
                        td data-label="分管单位" {
                            @let oversees: Vec<&str> = u.oversees.iter()
                                .filter_map(|id| names.get(id).copied()).collect();
                            @let form = format!("oversees-{}", u.id);
                            @let mine = failed.filter(|fl| fl.form == form);
                            @if change && u.role == Role::Leader {
                                form.stack method="post" action=(format!("/admin/users/{}/oversees", u.id)) {
                                    (layout::csrf(viewer))
                                    @if let Some(fl) = mine { p.error role="alert" { (fl.message) } }
                                    input name="units" list="unit-names" size="40"
                                        value=(mine.map(|fl| fl.fields.get("units").to_string()).unwrap_or_else(|| oversees.join("、")));
                                    button.secondary type="submit" { "保存分管" }
                                }
                            } @else if oversees.is_empty() { span.muted { "—" } } @else { (oversees.join("、")) }
                            @if u.role == Role::Leader {
                                @if change {
                                    form.inline method="post" action=(format!("/admin/users/{}/principal", u.id)) {
                                        (layout::csrf(viewer))
                                        @if u.principal {
                                            span.tag { "主要领导（查看全区）" } " "
                                            input type="hidden" name="principal" value="false";
                                            button.link type="submit" { "取消" }
                                        } @else {
                                            input type="hidden" name="principal" value="true";
                                            button.link type="submit" { "设为主要领导（查看全区）" }
                                        }
                                    }
                                } @else if u.principal {
                                    span.tag { "主要领导（查看全区）" }
                                }
                            }
                        }
                        td data-label="邮箱" { (u.email.as_deref().filter(|e| !e.is_empty()).unwrap_or("—")) }
                        td data-label="状态" { @if u.active { "启用" } @else { span.muted { "已停用" } } }
                    }
                }
            }
        }
        @if change {
            (layout::unit_datalist(&units.iter().map(|u| u.name.clone()).collect::<Vec<_>>()))
            h2 #new { "添加用户" }
            form.stack.card method="post" action="/admin/users" {
                (layout::csrf(viewer))
                @if let Some(fl) = failed.filter(|fl| fl.form == "new") { p.error.full-row role="alert" { (fl.message) } }
                (layout::input("login", "登录名（不含空格）", f.get("login"), layout::Kind::Text, true))
                (layout::input("name", "姓名", f.get("name"), layout::Kind::Text, true))
                (layout::select("role", "角色", f.opt("role").as_deref().unwrap_or("liaison"), &role_refs, None, true))
                (layout::select("unit_id", "所属单位（单位角色必选）", f.get("unit_id"), &unit_refs, None, false))
                (layout::input("email", "邮箱（用于提醒）", f.get("email"), layout::Kind::Text, false))
                label {
                    span { "初始密码（至少8个字符）" }
                    input type="password" name="password" required minlength="8" autocomplete="new-password";
                }
                button type="submit" { "添加用户" }
            }
        }
        @if let Some(t) = tokens { (t) }
    };
    Ok(layout::page(viewer, "用户", "/admin", body))
}

async fn users_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    may_view(&viewer)?;
    render_users(&state, &viewer, q.get("ok").map(String::as_str), None).await
}

async fn users_create(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = async { create_user_data(&state, &viewer.current, user_body(&fields)?).await };
    match attempt(&viewer, &fields, "new", act).await? {
        Ok(()) => Ok(done("/admin/users", "created")),
        Err(f) => f.again(render_users(&state, &viewer, None, Some(&f)).await?),
    }
}

/// Sets the units a leader oversees (分管), named as text and resolved
/// against the registry; a name that matches no unit is refused with its
/// closest candidates. Admins only, like every other change of settings.
async fn oversees_set(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let id = crate::matters::parse_id(&raw, "用户")?;
    let act = async {
        if !may_change(&viewer) {
            return Err(ApiError::Forbidden("只有系统管理员可以设置分管单位".into()));
        }
        let units = units_data(&state, &viewer.current).await?;
        let ids = super::unit_ids(&units, fields.get("units"), "分管单位")?;
        let ids = crate::leaders::oversees_data(&state, &viewer.current, id, &ids).await?;
        Ok(json!({ "oversees": ids }))
    };
    match attempt(&viewer, &fields, &format!("oversees-{id}"), act).await? {
        Ok(()) => Ok(done("/admin/users", "created")),
        Err(f) => f.again(render_users(&state, &viewer, None, Some(&f)).await?),
    }
}

/// Marks a leader principal (sees the whole district) or not. Admins only.
async fn principal_set(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let id = crate::matters::parse_id(&raw, "用户")?;
    let act = async {
        if !may_change(&viewer) {
            return Err(ApiError::Forbidden("只有系统管理员可以设置主要领导".into()));
        }
        let principal = fields.get("principal") == "true";
        crate::leaders::principal_data(&state, &viewer.current, id, principal).await?;
        Ok(json!({ "principal": principal }))
    };
    match attempt(&viewer, &fields, &format!("oversees-{id}"), act).await? {
        Ok(()) => Ok(done("/admin/users", "created")),
        Err(f) => f.again(render_users(&state, &viewer, None, Some(&f)).await?),
    }
}

/// Issues an API token to the chosen user and shows the page with the
/// token, this once (no redirect: the token is in no URL and no later
/// page). Admins only, as in the API.
async fn token_issue(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let mut issued = None;
    let act = async {
        let body = crate::tokens::Issue {
            name: fields.get("name").to_string(),
        };
        let user = fields.get("user_id");
        if user.is_empty() {
            return Err(ApiError::BadRequest("请选择令牌所属的用户".into()));
        }
        issued = Some(crate::tokens::issue_data(&state, &viewer.current, user, body).await?);
        Ok(())
    };
    match attempt(&viewer, &fields, "token", act).await? {
        Ok(()) => {
            let page = render_users_with(&state, &viewer, None, None, issued.as_ref()).await?;
            Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
        }
        Err(f) => f.again(render_users(&state, &viewer, None, Some(&f)).await?),
    }
}

/// Revokes an API token. Admins only, as in the API.
async fn token_revoke(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    may_view(&viewer)?;
    let act = crate::tokens::revoke_data(&state, &viewer.current, &raw);
    match attempt(&viewer, &fields, &format!("revoke-{raw}"), act).await? {
        Ok(()) => Ok(done("/admin/users", "token_revoked")),
        Err(f) => f.again(render_users(&state, &viewer, None, Some(&f)).await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_forms_become_api_bodies() {
        let f = Fields::parse(
            "_csrf=t&name=%E4%B8%93%E9%A1%B9&counting=working&deploy_days=0&report_days=3&resolve=days&resolve_n=5&schedule=none&near_days=1"
                .as_bytes(),
        );
        let b = type_body(&f, false).unwrap();
        assert_eq!(b.name.as_deref(), Some("专项"));
        assert_eq!(b.resolve, Some(json!({ "days": 5 })));
        assert_eq!(b.schedule, Some(Value::Null));
        assert_eq!(b.active, None);
        // What was typed reaches the API as typed, for its message.
        let f = Fields::parse(b"counting=working&deploy_days=abc&resolve=months&resolve_n=1&schedule=monthly&monthly_day=23");
        let b = type_body(&f, true).unwrap();
        assert_eq!(b.deploy_days, Some(json!("abc")));
        assert_eq!(b.schedule, Some(json!({ "monthly": { "day": 23 } })));
        assert_eq!(b.active, Some(false));
        assert_eq!(b.name, None);
        // An edit form shows the type's terms.
        let t = MatterTypeView {
            name: "专项".into(),
            kind: duban_domain::matter::MatterKind::Custom,
            kind_label: String::new(),
            counting: Counting::Calendar,
            counting_label: String::new(),
            deploy_days: 1,
            report_days: 3,
            resolve: Some(TypeTerm::Months(2)),
            schedule: Some(TypeSchedule::Monthly { day: 5 }),
            near_days: 0,
            standard: false,
            active: true,
            description: String::new(),
        };
        let f = type_fields(&t);
        assert_eq!(f.get("counting"), "calendar");
        assert_eq!(f.get("resolve"), "months");
        assert_eq!(f.get("resolve_n"), "2");
        assert_eq!(f.get("monthly_day"), "5");
        assert_eq!(f.get("active"), "on");
    }

    #[test]
    fn aliases_split_on_the_marks_people_use() {
        assert_eq!(
            split_aliases("区工科局、 工科局，区工信局"),
            ["区工科局", "工科局", "区工信局"]
        );
        assert!(split_aliases("  ").is_empty());
    }
}
