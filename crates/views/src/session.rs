//! Logging in and out, and who am I.

use super::UserView;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A session just started (`POST /api/v1/session`): who logged in, the
/// CSRF token to send with every write, and when the session ends.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    /// Sent back in the `X-CSRF-Token` header of every write.
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
    /// An initial or reset password: to be changed before anything else.
    pub must_change_password: bool,
}

/// The password was right and the account has a second factor: the
/// log-in is answered 401 with this, and the code is asked next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpRequiredView {
    /// What to do, in one sentence.
    pub error: String,
    /// Always true.
    pub totp_required: bool,
}

/// The caller (`GET /api/v1/me`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeView {
    pub user: UserView,
    /// The session's CSRF token; none for an API token.
    pub csrf: Option<String>,
    /// A leader's units in view (every unit for a principal leader); empty
    /// for any other role.
    pub oversees: Vec<i64>,
}
