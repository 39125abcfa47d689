//! Logging in and out, and who am I.

use crate::auth::{
    end_session, hash_password, new_token, set_cookie, token_hash, verify_password, Current,
    SESSION_COOKIE,
};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", get(me))
}

#[derive(Deserialize)]
struct Login {
    login: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Login>,
) -> ApiResult<impl IntoResponse> {
    let started = start(&state, &body.login, &body.password).await?;
    Ok((
        [(header::SET_COOKIE, started.cookie(&state))],
        Json(json!({ "user": started.user, "csrf": started.csrf, "expires_at": started.expires })),
    ))
}

/// A session just started.
pub(crate) struct Started {
    pub user: duban_domain::org::User,
    pub token: String,
    pub csrf: String,
    pub expires: chrono::DateTime<chrono::Utc>,
}

impl Started {
    /// The session cookie: HTTP only, same site, as long as the session.
    pub fn cookie(&self, state: &AppState) -> String {
        set_cookie(
            state,
            SESSION_COOKIE,
            &self.token,
            "/",
            "Lax",
            state.config.session_hours * 3600,
        )
    }
}

/// Checks a log-in and password and starts a session.
pub(crate) async fn start(state: &AppState, login: &str, password: &str) -> ApiResult<Started> {
    let found = state.store.user_by_login(login.trim()).await?;
    // Hash anyway when the user is unknown, so timing does not tell.
    let ok = match &found {
        Some((user, hash)) => user.active && verify_password(password, hash),
        None => {
            let _ = hash_password(password);
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        return Err(ApiError::BadRequest("登录名或密码不正确".into()));
    };
    let token = new_token();
    let csrf = new_token();
    let expires = chrono::Utc::now() + chrono::Duration::hours(state.config.session_hours);
    state
        .store
        .create_session(&token_hash(&token), user.id, &csrf, expires)
        .await?;
    Ok(Started {
        user,
        token,
        csrf,
        expires,
    })
}

async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    _me: Current,
) -> ApiResult<impl IntoResponse> {
    Ok((
        [end_session(&state, &headers).await?],
        Json(json!({ "ok": true })),
    ))
}

async fn me(State(state): State<AppState>, me: Current) -> ApiResult<impl IntoResponse> {
    let oversees = if me.user.role == duban_domain::org::Role::Leader {
        state.store.leader_units(me.user.id).await?
    } else {
        Vec::new()
    };
    Ok(Json(
        json!({ "user": me.user, "csrf": me.csrf, "oversees": oversees }),
    ))
}
