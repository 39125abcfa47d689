//! Logging in and out in the browser, and the front page that sends each
//! user to where they start.

use super::form::Fields;
use super::layout;
use super::{PageResult, Viewer};
use crate::auth::{clear_session_cookie, end_session, new_token, set_cookie, LOGIN_CSRF_COOKIE};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(form).post(submit))
        .route("/login/code", post(submit_code))
        .route("/logout", post(logout))
}

/// Signed in: the user's start page; otherwise the log-in page. Mounted
/// at `/` by the application's router, beside `/healthz`.
pub(crate) async fn front(viewer: Result<Viewer, super::PageError>) -> Response {
    match viewer {
        Ok(v) => Redirect::to(v.home()).into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

/// Only a path on this site may follow a log-in: it starts with one `/`,
/// and holds only visible ASCII without `\\`. Browsers drop tabs and line
/// breaks inside a URL and read `\\` as `/`, so `/\t/evil.example` or
/// `/\\evil.example` would otherwise lead to another host.
pub(crate) fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next[1..].starts_with(['/', '\\'])
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if local {
        next
    } else {
        "/"
    }
}

/// The log-in form's CSRF token: before a session exists there is no
/// session token, so the form carries a random value that must match a
/// cookie set with it (double submit). A page of another site can neither
/// read nor set the cookie, so it cannot log a browser into an account.
fn login_token(
    state: &AppState,
    headers: &HeaderMap,
) -> (String, Option<(header::HeaderName, String)>) {
    match crate::auth::cookie(headers, LOGIN_CSRF_COOKIE).filter(|t| t.len() == 64) {
        Some(token) => (token, None),
        None => {
            let token = new_token();
            let cookie = set_cookie(state, LOGIN_CSRF_COOKIE, &token, "/login", "Strict", 3600);
            (token, Some((header::SET_COOKIE, cookie)))
        }
    }
}

fn login_page(
    login: &str,
    next: &str,
    token: &str,
    message: Option<&str>,
    notice: Option<&str>,
) -> Markup {
    signed_out_page(
        "登录",
        html! {
            (layout::notices(notice, message))
            form.stack method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                input type="hidden" name="_csrf" value=(token);
                label.wide { span { "登录名" } input name="login" value=(login) required autofocus autocomplete="username"; }
                label.wide { span { "密码" } input name="password" type="password" required autocomplete="current-password"; }
                button type="submit" { "登录" }
            }
            p.muted { "企业和群众反映问题，请使用督查室发放的账号登录后提交诉求。" }
        },
    )
}

/// A page for someone not signed in yet: the header without navigation.
fn signed_out_page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (layout::head(title))
            body {
                header.top { a.brand href="/" { "督办" } span { "督查督办系统" } }
                main.narrow {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let next = q.get("next").map(String::as_str).unwrap_or("/");
    let message = q
        .contains_key("expired")
        .then_some("会话已过期或已在别处退出，请重新登录。");
    let (token, set) = login_token(&state, &headers);
    let page = login_page(
        "",
        safe_next(next),
        &token,
        message,
        q.get("ok").map(String::as_str),
    );
    (AppendHeaders(set), page).into_response()
}

async fn submit(
    State(state): State<AppState>,
    client: crate::headers::Client,
    headers: HeaderMap,
    fields: Fields,
) -> Response {
    let login = fields.get("login");
    let next = safe_next(fields.get("next"));
    let (token, set) = login_token(&state, &headers);
    if set.is_some() || fields.get("_csrf") != token {
        let message = "登录页面已过期或来自其他网站：请在本页重新输入密码后登录。";
        let page = login_page(login, next, &token, Some(message), None);
        return (StatusCode::FORBIDDEN, AppendHeaders(set), page).into_response();
    }
    let step = crate::session::start(&state, &client, login, fields.get("password"), None).await;
    stepped(&state, step, next, |message| {
        login_page(login, next, &token, Some(message), None)
    })
}

/// Where a log-in step leads: the session and the page to go to, the code
/// form, or the form again with the refusal (`again`).
fn stepped(
    state: &AppState,
    step: crate::error::ApiResult<crate::session::Step>,
    next: &str,
    again: impl FnOnce(&str) -> Markup,
) -> Response {
    match step {
        Ok(crate::session::Step::Started(started)) => {
            let to = if started.must_change {
                super::account::PASSWORD_PAGE
            } else if next == "/" {
                super::home_of(started.user.role)
            } else {
                next
            };
            (
                [(header::SET_COOKIE, started.cookie(state))],
                Redirect::to(to),
            )
                .into_response()
        }
        Ok(crate::session::Step::NeedsCode(user)) => {
            let challenge = crate::security::challenge(state, user);
            code_page(next, &challenge, None).into_response()
        }
        Err(e) => {
            let (status, message) = e.status_and_message();
            let status = if status.is_server_error()
                || status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::FORBIDDEN
            {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, again(message)).into_response()
        }
    }
}

/// The second step for a user with a second factor: the code. The
/// challenge token stands for the right password (and, being random and
/// known only to this browser, for the log-in form's CSRF token).
fn code_page(next: &str, challenge: &str, message: Option<&str>) -> Markup {
    signed_out_page(
        "输入动态口令",
        html! {
            (layout::notices(None, message))
            p.muted { "请打开手机上的验证器，输入“督办”当前显示的 6 位数字。" }
            form.stack method="post" action="/login/code" {
                input type="hidden" name="next" value=(next);
                input type="hidden" name="challenge" value=(challenge);
                label.wide { span { "动态口令" } input name="code" required autofocus autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6"; }
                button type="submit" { "登录" }
            }
            p.muted { a href="/login" { "返回重新输入密码" } }
        },
    )
}

async fn submit_code(
    State(state): State<AppState>,
    client: crate::headers::Client,
    fields: Fields,
) -> Response {
    let next = safe_next(fields.get("next"));
    let challenge = fields.get("challenge");
    let Some(user) = crate::security::challenged(&state, challenge) else {
        return Redirect::to("/login?expired").into_response();
    };
    let step = crate::session::second_step(&state, &client, user, fields.get("code")).await;
    if matches!(step, Ok(crate::session::Step::Started(_))) {
        crate::security::end_challenge(&state, challenge);
    }
    stepped(&state, step, next, |message| {
        code_page(next, challenge, Some(message))
    })
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    fields: Fields,
) -> PageResult {
    // A form from elsewhere does not end the session; the cookie is
    // cleared in this browser either way.
    let clear = if viewer.check_csrf(&fields).is_ok() {
        end_session(&state, &headers).await?
    } else {
        clear_session_cookie(&state)
    };
    Ok(([clear], Redirect::to("/login?ok=logged_out")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_follow_a_login() {
        assert_eq!(safe_next("/matters/3"), "/matters/3");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/ /evil.example"), "/");
        assert_eq!(safe_next("\\\\evil.example"), "/");
        assert_eq!(safe_next("/\\/evil.example"), "/");
        assert_eq!(safe_next("/matters?q=%E6%B2%B3"), "/matters?q=%E6%B2%B3");
        assert_eq!(safe_next("/事项"), "/");
    }
}
