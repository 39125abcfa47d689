//! The pages of 三员分立 and the second factor: 审计日志 for the audit
//! admin (the trail, by kind, user and dates, a page at a time), 安全管理
//! for the security admin (the account rules; unlocking, resetting a
//! password or a lost authenticator), and 动态口令 where any user enrols
//! an authenticator. The forms post to the functions the API runs, so a
//! page refuses what the API refuses.

use super::form::Fields;
use super::layout;
use super::{PageError, PageResult, Viewer};
use crate::audit::{trail_data, Query as TrailQuery};
use crate::error::ApiError;
use crate::security::TOTP_PAGE;
use crate::views::ContentLine;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use duban_domain::events::{EventKind, KIND_GROUPS};
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit_page))
        .route("/security", get(security_page).post(security_rules))
        .route("/security/users/{id}/{what}", post(security_user))
        .route(TOTP_PAGE, get(totp_page).post(totp_submit))
}

/// The sentence of a finished action (these pages' own, already words)
/// and an error message.
fn notices(ok: Option<&str>, error: Option<&str>) -> Markup {
    html! {
        @if let Some(t) = ok { p.notice role="status" { (t) } }
        @if let Some(e) = error { p.error role="alert" { (e) } }
    }
}

// ---------------------------------------------------------------- audit

/// The kind filter: every group of kinds (all of a group) and every kind
/// under its group, named from the one table of kinds.
fn kind_select(current: &str) -> Markup {
    html! {
        label {
            span { "种类" }
            select name="kind" {
                option value="" { "全部" }
                @for (prefix, name) in KIND_GROUPS {
                    optgroup label=(name) {
                        option value=(prefix) selected[*prefix == current] { (name) "（全部）" }
                        @for k in EventKind::ALL.iter().filter(|k| k.group().0 == *prefix) {
                            option value=(k.code()) selected[k.code() == current] { (k.label()) }
                        }
                    }
                }
            }
        }
    }
}

/// An entry's content: a line per field, 名称：值.
fn content(lines: &[ContentLine]) -> Markup {
    html! {
        @if !lines.is_empty() {
            dl.fields {
                @for l in lines {
                    dt { (l.label) }
                    dd { (l.value) }
                }
            }
        }
    }
}

async fn audit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, ApiError> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| {
            ApiError::BadRequest(format!("日期“{v}”无法识别：请按 2024-03-01 的格式填写"))
        })
    };
    let query = TrailQuery {
        before: get("before").parse().ok(),
        limit: Some(50),
        kind: Some(get("kind")),
        user: Some(get("user")),
        from: date("from").map_err(PageError::Api)?,
        to: date("to").map_err(PageError::Api)?,
    };
    let data = trail_data(&state, &viewer.current, query)
        .await
        .map_err(PageError::Api)?;
    let kind = get("kind");
    let filters = [
        ("kind", kind.clone()),
        ("user", get("user")),
        ("from", get("from")),
        ("to", get("to")),
    ];
    let link = |before: Option<i64>| {
        let mut pairs: Vec<(&str, String)> = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        pairs.extend(before.map(|n| ("before", n.to_string())));
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("/audit?{}", super::form::query(&refs))
    };
    let paged = !get("before").is_empty();
    let body = html! {
        h1 { "审计日志" }
        p.muted { "全部操作和安全事件，新的在前；记录在哈希链中，任何修改都会被 duban verify 发现。" }
        form.filters method="get" action="/audit" {
            (kind_select(&kind))
            (layout::input("user", "用户登录名", &get("user"), layout::Kind::Text, false))
            (layout::input("from", "起始日期", &get("from"), layout::Kind::Date, false))
            (layout::input("to", "截止日期", &get("to"), layout::Kind::Date, false))
            button type="submit" { "筛选" }
        }
        @if data.entries.is_empty() {
            p.muted { "没有符合条件的记录。" }
        } @else {
            table.wide.audit {
                thead { tr { th { "序号" } th { "时间" } th { "用户" } th { "种类" } th { "对象" } th { "内容" } } }
                tbody {
                    @for e in &data.entries {
                        tr {
                            td data-label="序号" { (e.event.seq) }
                            td data-label="时间" { (e.event.at_local) }
                            td data-label="用户" {
                                @match (&e.event.actor_name, e.event.actor) {
                                    (Some(name), _) => (name),
                                    (None, Some(id)) => { "用户 " (id) }
                                    (None, None) => span.muted { "系统或未登录" },
                                }
                            }
                            td data-label="种类" { (e.action_label) }
                            td data-label="对象" {
                                @match &e.object.href {
                                    Some(href) => a href=(href) { (e.object.label) },
                                    None => (e.object.label),
                                }
                            }
                            td.content data-label="内容" { (content(&e.content)) }
                        }
                    }
                }
            }
        }
        @if paged || data.next_before.is_some() {
            nav.pager aria-label="分页" {
                @if paged { a href=(link(None)) { "第一页" } }
                @if let Some(n) = data.next_before { a href=(link(Some(n))) { "下一页（更早的记录）" } }
            }
        }
    };
    Ok(layout::page(&viewer, "审计日志", "/audit", body).into_response())
}

// ------------------------------------------------------------- security

fn security_only(viewer: &Viewer) -> PageResult<()> {
    crate::security::security_only(&viewer.current, "进入安全管理").map_err(PageError::Api)
}

async fn render_security(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    error: Option<&str>,
) -> PageResult<Markup> {
    let rules = crate::security::rules(state)
        .await
        .map_err(PageError::Api)?;
    let accounts = crate::security::accounts_data(state, &viewer.current)
        .await
        .map_err(PageError::Api)?;
    let now = chrono::Utc::now();
    let clock = state.clock();
    let num = |name: &str, label: &str, v: String| {
        html! { label { span { (label) } input name=(name) type="number" value=(v) required; } }
    };
    let body = html! {
        h1 { "安全管理" }
        (notices(ok, error))
        h2 { "账号安全策略" }
        form.grid method="post" action="/security" {
            (layout::csrf(viewer))
            (num("password_min_length", "密码最短长度", rules.password_min_length.to_string()))
            (num("password_min_classes", "密码至少包含的字符类别数（1–4）", rules.password_min_classes.to_string()))
            (num("password_history", "不得与最近几次密码相同", rules.password_history.to_string()))
            (num("max_failed_logins", "连续失败几次锁定", rules.max_failed_logins.to_string()))
            (num("lock_minutes", "锁定分钟数", rules.lock_minutes.to_string()))
            (num("idle_minutes", "空闲多少分钟退出", rules.idle_minutes.to_string()))
            (num("login_attempts_per_minute", "每个地址每分钟最多登录次数", rules.login_attempts_per_minute.to_string()))
            (num("writes_per_minute", "每人每分钟最多提交次数", rules.writes_per_minute.to_string()))
            label.check { input type="checkbox" name="totp_for_admins" checked[rules.totp_for_admins]; span { "三类管理员须使用动态口令" } }
            button.full-row type="submit" { "保存安全策略" }
        }
        h2 { "账号" }
        table.list {
            thead { tr { th { "用户" } th { "角色" } th { "锁定" } th { "动态口令" } th { "操作" } } }
            tbody {
                @for a in &accounts {
                    @let id = a.user.id;
                    tr {
                        td data-label="用户" { (a.user.name) "（" (a.user.login) "）" @if !a.user.active { span.muted { " 已停用" } } }
                        td data-label="角色" { (a.user.role.label()) }
                        td data-label="锁定" {
                            @match a.locked_until.filter(|u| *u > now) {
                                Some(u) => { "锁定至 " (clock.show(u)) }
                                None => { "正常" @if a.failed_logins > 0 { span.muted { "（已连续失败 " (a.failed_logins) " 次）" } } }
                            }
                        }
                        td data-label="动态口令" { @if a.totp { "已启用" } @else { span.muted { "未启用" } } }
                        td data-label="操作" {
                            @if a.locked_until.is_some_and(|u| u > now) || a.failed_logins > 0 {
                                form.inline method="post" action={ "/security/users/" (id) "/unlock" } {
                                    (layout::csrf(viewer))
                                    button type="submit" { "解除锁定" }
                                }
                            }
                            @if a.totp {
                                form.inline method="post" action={ "/security/users/" (id) "/totp" } {
                                    (layout::csrf(viewer))
                                    button type="submit" { "重置动态口令" }
                                }
                            }
                            form.inline method="post" action={ "/security/users/" (id) "/password" } {
                                (layout::csrf(viewer))
                                input type="password" name="password" placeholder="新密码" aria-label={ (a.user.login) " 的新密码" } autocomplete="new-password" required;
                                button type="submit" { "重置密码" }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(viewer, "安全管理", "/security", body))
}

fn security_notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "rules" => "安全策略已保存。",
        "unlock" => "已解除锁定。",
        "totp" => "已重置动态口令，该用户须重新绑定验证器。",
        "password" => "已重置密码，该用户下次登录须先修改。",
        _ => return None,
    })
}

async fn security_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    security_only(&viewer)?;
    let ok = q.get("ok").and_then(|c| security_notice(c));
    Ok(render_security(&state, &viewer, ok, None)
        .await?
        .into_response())
}

async fn refused(state: &AppState, viewer: &Viewer, e: ApiError) -> PageResult {
    let (status, message) = e.status_and_message();
    let status = if status.is_server_error() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render_security(state, viewer, None, Some(message)).await?;
    Ok((status, page).into_response())
}

async fn security_rules(
    State(state): State<AppState>,
    viewer: Viewer,
    fields: Fields,
) -> PageResult {
    security_only(&viewer)?;
    viewer.check_csrf(&fields)?;
    // Every rule is on the form; each box must hold an integer.
    let number = |name: &str| -> Result<Option<i64>, ApiError> {
        let raw = fields.get(name).trim();
        raw.parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("“{raw}”不是整数：请在 {name} 一栏填写数字")))
    };
    let changes = (|| {
        Ok::<_, ApiError>(crate::security::AccountChanges {
            password_min_length: number("password_min_length")?,
            password_min_classes: number("password_min_classes")?,
            password_history: number("password_history")?,
            max_failed_logins: number("max_failed_logins")?,
            lock_minutes: number("lock_minutes")?,
            idle_minutes: number("idle_minutes")?,
            login_attempts_per_minute: number("login_attempts_per_minute")?,
            totp_for_admins: Some(!fields.get("totp_for_admins").is_empty()),
            writes_per_minute: number("writes_per_minute")?,
        })
    })();
    let changes = match changes {
        Ok(c) => c,
        Err(e) => return refused(&state, &viewer, e).await,
    };
    let body = crate::security::SecuritySettingsBody {
        accounts: Some(changes),
    };
    match crate::security::change_settings_data(&state, &viewer.current, body).await {
        Ok(_) => Ok(super::done("/security", "rules")),
        Err(e) => refused(&state, &viewer, e).await,
    }
}

async fn security_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, what)): Path<(String, String)>,
    fields: Fields,
) -> PageResult {
    security_only(&viewer)?;
    viewer.check_csrf(&fields)?;
    let me = &viewer.current;
    let done = match what.as_str() {
        "unlock" => crate::security::unlock_data(&state, me, &raw).await,
        "totp" => crate::security::reset_totp_data(&state, me, &raw).await,
        "password" => {
            // The password as typed: spaces are part of it.
            let password = fields
                .0
                .iter()
                .find(|(k, _)| k == "password")
                .map(|(_, v)| v.to_string())
                .unwrap_or_default();
            crate::account::reset_data(&state, me, &raw, &password).await
        }
        _ => Err(ApiError::NotFound(format!("没有这个操作：{what}"))),
    };
    match done {
        Ok(()) => Ok(super::done("/security", &what)),
        Err(e) => refused(&state, &viewer, e).await,
    }
}

// ----------------------------------------------------------------- TOTP

async fn render_totp(
    state: &AppState,
    viewer: &Viewer,
    fresh: Option<&crate::views::TotpSecretView>,
    ok: Option<&str>,
    error: Option<&str>,
) -> PageResult<Markup> {
    let status = crate::security::totp_status_data(state, &viewer.current)
        .await
        .map_err(PageError::Api)?;
    let pending = crate::security::totp_pending_data(state, &viewer.current)
        .await
        .map_err(PageError::Api)?;
    let body = html! {
        h1 { "动态口令" }
        (notices(ok, error))
        @if status.enabled {
            p { "已启用动态口令：登录时在密码之后还须输入验证器上的 6 位数字。" }
            p.muted { "更换或丢失手机，请联系安全管理员重置。" }
        } @else {
            @if status.required {
                p.error role="alert" { "安全策略要求管理员使用动态口令：绑定后才能使用其他功能。" }
            }
            p { "用手机上的验证器（如“腾讯身份验证器”“Microsoft Authenticator”等支持 TOTP 的应用）添加本账号，登录时在密码之后输入其显示的 6 位数字。" }
            @if let Some(secret) = fresh.map(|f| f.secret.as_str()).or(pending.as_deref()) {
                @let uri = fresh.map(|f| f.uri.clone());
                p { "在验证器中选择“手动输入密钥”，输入下面的密钥（时间型，30 秒，6 位）：" }
                p { code.secret data-secret=(secret) { (secret) } }
                @if let Some(uri) = uri { p.muted { "或把此地址交给支持 otpauth 的应用：" code { (uri) } } }
                form.stack method="post" action=(TOTP_PAGE) {
                    (layout::csrf(viewer))
                    input type="hidden" name="action" value="confirm";
                    label.wide { span { "验证器上当前的 6 位数字" } input name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code"; }
                    button type="submit" { "确认绑定" }
                }
            } @else {
                form.stack method="post" action=(TOTP_PAGE) {
                    (layout::csrf(viewer))
                    input type="hidden" name="action" value="begin";
                    button type="submit" { "开始绑定" }
                }
            }
        }
    };
    Ok(layout::page(viewer, "动态口令", TOTP_PAGE, body))
}

async fn totp_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let ok = q
        .get("ok")
        .filter(|c| c.as_str() == "totp_on")
        .map(|_| "动态口令已启用。");
    Ok(render_totp(&state, &viewer, None, ok, None)
        .await?
        .into_response())
}

async fn totp_submit(State(state): State<AppState>, viewer: Viewer, fields: Fields) -> PageResult {
    viewer.check_csrf(&fields)?;
    let me = &viewer.current;
    let outcome = match fields.get("action") {
        "begin" => match crate::security::totp_begin_data(&state, me).await {
            Ok(fresh) => {
                return Ok(render_totp(&state, &viewer, Some(&fresh), None, None)
                    .await?
                    .into_response())
            }
            Err(e) => Err(e),
        },
        _ => {
            let body = crate::security::Confirm {
                code: fields.get("code").to_string(),
            };
            crate::security::totp_confirm_data(&state, me, body).await
        }
    };
    match outcome {
        Ok(()) => {
            let to = format!("{TOTP_PAGE}?ok=totp_on");
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let (status, message) = e.status_and_message();
            let page = render_totp(&state, &viewer, None, None, Some(message)).await?;
            Ok((status, page).into_response())
        }
    }
}
