//! The user's own account: changing the password, which an initial or
//! reset password requires before any other page opens.

use super::form::Fields;
use super::layout;
use super::{PageResult, Viewer};
use crate::account::{change_own_data, ChangeOwn};
use crate::auth::{cookie, token_hash, SESSION_COOKIE};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;

/// The page where a password is changed.
pub const PASSWORD_PAGE: &str = "/account/password";

pub fn router() -> Router<AppState> {
    Router::new().route(PASSWORD_PAGE, get(form).post(submit))
}

async fn password_page(state: &AppState, viewer: &Viewer, error: Option<&str>, ok: bool) -> Markup {
    let rules = crate::security::rules(state)
        .await
        .unwrap_or_else(|_| state.config.accounts.clone())
        .password_policy()
        .describe();
    let body = html! {
        h1 { "修改密码" }
        @if ok { p.notice role="status" { "密码已修改。" } }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        p.muted { "新密码要求：" (rules) "。" }
        form.stack method="post" action=(PASSWORD_PAGE) {
            (layout::csrf(viewer))
            label.wide { span { "当前密码" } input name="current_password" type="password" required autocomplete="current-password"; }
            label.wide { span { "新密码" } input name="new_password" type="password" required autocomplete="new-password"; }
            label.wide { span { "再次输入新密码" } input name="repeat_password" type="password" required autocomplete="new-password"; }
            button type="submit" { "修改密码" }
        }
    };
    layout::page(viewer, "修改密码", PASSWORD_PAGE, body)
}

async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> Markup {
    password_page(&state, &viewer, None, q.contains_key("ok")).await
}

async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    fields: Fields,
) -> PageResult {
    let outcome = async {
        viewer.check_csrf(&fields)?;
        if fields.get("new_password") != fields.get("repeat_password") {
            return Err(crate::error::ApiError::BadRequest(
                "两次输入的新密码不一致".into(),
            ));
        }
        let keep = cookie(&headers, SESSION_COOKIE).map(|t| token_hash(&t));
        change_own_data(
            &state,
            &viewer.current,
            keep.as_deref(),
            ChangeOwn {
                current_password: fields.get("current_password").to_string(),
                new_password: fields.get("new_password").to_string(),
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(()) => Ok(super::done(viewer.home(), "password_changed")),
        Err(e) => {
            let (status, message) = e.status_and_message();
            let status = if status.is_server_error() {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((
                status,
                password_page(&state, &viewer, Some(message), false).await,
            )
                .into_response())
        }
    }
}
