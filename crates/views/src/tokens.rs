//! API tokens (API 令牌) as the system admin reads them: never the hash,
//! the token itself only in the answer that issued it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// An API token as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: i64,
    /// What it is for (政务平台对接).
    pub name: String,
    /// The user it acts as.
    pub user_id: i64,
    pub user_login: String,
    pub user_name: String,
    pub created_at: DateTime<Utc>,
    /// Its last use, kept to the minute or so; none if never used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; none while it is valid.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiTokenView {
    pub fn of(t: duban_store::tokens::ApiToken) -> ApiTokenView {
        ApiTokenView {
            id: t.id,
            name: t.name,
            user_id: t.user_id,
            user_login: t.user_login,
            user_name: t.user_name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// Every token, revoked ones too.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokensView {
    pub tokens: Vec<ApiTokenView>,
}

/// A token just issued: the token, here once and never again, and its
/// record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedTokenView {
    /// The token to send as `Authorization: Bearer …`.
    pub token: String,
    pub api_token: ApiTokenView,
}

/// `{"api_token": …}`: what revoking a token answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokenWrapper {
    pub api_token: ApiTokenView,
}
