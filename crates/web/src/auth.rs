//! Who is asking: password hashing (argon2id), browser sessions in a cookie
//! with a CSRF token for every unsafe request, and bearer tokens for
//! integrations. The [`Current`] extractor turns a request into a user or a
//! 401.

use crate::error::ApiError;
use crate::AppState;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use duban_domain::org::User;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "duban_session";
/// The log-in form's own CSRF cookie (there is no session yet).
pub const LOGIN_CSRF_COOKIE: &str = "duban_login_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens are stored hashed, so a copy of the database opens no session.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of the cookie `name` among `headers`.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                (k == name).then(|| v.to_string())
            })
        })
}

/// A `Set-Cookie` value: HTTP only, and `Secure` when served behind TLS,
/// so the browser never sends it over plain HTTP.
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    same_site: &str,
    max_age: i64,
) -> String {
    let secure = if state.config.behind_tls {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    )
}

/// The header that removes the session cookie from the browser.
pub(crate) fn clear_session_cookie(state: &AppState) -> (header::HeaderName, String) {
    (
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, "", "/", "Lax", 0),
    )
}

/// Ends the session whose cookie `headers` carry, and gives the header
/// that clears the cookie in the browser.
pub(crate) async fn end_session(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<(header::HeaderName, String), ApiError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    Ok(clear_session_cookie(state))
}

/// The live session of a session token: not past its absolute expiry (the
/// store's check), not idle longer than `idle_minutes` (an idle one is
/// ended here), its last use recorded at most once a minute.
pub(crate) async fn live_session(
    state: &AppState,
    token: &str,
) -> Result<Option<duban_store::Session>, ApiError> {
    let hash = token_hash(token);
    let Some(session) = state.store.session(&hash).await? else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let idle = now - session.last_seen;
    if idle > chrono::Duration::minutes(crate::security::rules(state).await?.idle_minutes) {
        state.store.delete_session(&hash).await?;
        return Ok(None);
    }
    if idle > chrono::Duration::seconds(60) {
        state.store.touch_session(&hash, now).await?;
    }
    Ok(Some(session))
}

/// Where a user who must change their password may still go: the change
/// itself, who am I, and logging out.
pub(crate) fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/me" | "/api/v1/me/password" | "/api/v1/session" | "/account/password" | "/logout"
    )
}

/// The refusal of everything else.
pub(crate) fn password_change_required() -> ApiError {
    ApiError::Forbidden(
        "请先修改初始密码或被重置的密码（页面：/account/password，接口：POST /api/v1/me/password）"
            .into(),
    )
}

/// The user behind a request.
#[derive(Debug, Clone)]
pub struct Current {
    pub user: User,
    /// The session's CSRF token; `None` for bearer tokens.
    pub csrf: Option<String>,
    /// The registry's version read with the session, if it was
    /// ([`AppState::registry_for`]).
    pub registry_version: Option<i64>,
}

impl FromRequestParts<AppState> for Current {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = auth
                .strip_prefix("Bearer ")
                .ok_or(ApiError::Unauthenticated)?;
            let user = state
                .store
                .user_by_api_token(&token_hash(token.trim()))
                .await?;
            let user = user.ok_or(ApiError::Unauthenticated)?;
            if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
                crate::security::count_write(state, user.id).await?;
            }
            return Ok(Current {
                user,
                csrf: None,
                registry_version: None,
            });
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(ApiError::Unauthenticated)?;
        let session = live_session(state, &token)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.path().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string());
        if session.must_change && !allowed_before_password_change(&path) {
            return Err(password_change_required());
        }
        if !crate::security::allowed_before_enrolment(&path)
            && crate::security::must_enrol(state, &session.user).await?
        {
            return Err(crate::security::enrolment_required());
        }
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if unsafe_method {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(session.csrf.as_str()) {
                return Err(ApiError::Forbidden(
                    "缺少或错误的 CSRF 令牌：请刷新页面后重试（API 调用请带 X-CSRF-Token 请求头）"
                        .into(),
                ));
            }
            crate::security::count_write(state, session.user.id).await?;
        }
        Ok(Current {
            user: session.user,
            csrf: Some(session.csrf),
            registry_version: Some(session.registry_version),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("督办2023!");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("督办2023!", &h));
        assert!(!verify_password("督办2024!", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(hash_password("a"), hash_password("a"), "salted");
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}
