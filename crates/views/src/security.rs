//! The account rules as the security admin (安全管理员) reads them, a
//! user's second factor (动态口令) as its owner reads it, and the small
//! answers of the actions on accounts.

use serde::Serialize;
use utoipa::ToSchema;

/// `{"accounts": …}`: the account rules in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecuritySettingsView {
    pub accounts: AccountRulesView,
}

/// The account rules (等保 level 3 身份鉴别): the configuration's until the
/// security admin changes them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountRulesView {
    pub password_min_length: u64,
    /// Of lower-case, upper-case, digits and other characters.
    pub password_min_classes: u64,
    /// Earlier passwords a new one may not repeat.
    pub password_history: u64,
    /// Failed log-ins in a row that lock an account.
    pub max_failed_logins: i64,
    pub lock_minutes: i64,
    /// A session unused this long ends, whatever its absolute expiry.
    pub idle_minutes: i64,
    /// Log-in attempts one address may make in a minute.
    pub login_attempts_per_minute: u32,
    /// The three admin roles must log in with a TOTP code as well.
    pub totp_for_admins: bool,
    /// Writes (unsafe requests) one user may make in a minute.
    pub writes_per_minute: u32,
}

/// `{"ok": true}`: an action done that has nothing else to say.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OkView {
    /// Always true.
    pub ok: bool,
}

/// The caller's second factor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpStatusView {
    /// A confirmed authenticator is asked at log-in.
    pub enabled: bool,
    /// An enrolment waits for its confirming code.
    pub pending: bool,
    /// The rules ask it of this user (the three admins).
    pub required: bool,
}

/// A new secret to enrol, shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpSecretView {
    /// Base32, without padding.
    pub secret: String,
    /// The `otpauth://` address authenticator apps read.
    pub uri: String,
}

/// `{"enabled": true}`: an enrolment confirmed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpEnabledView {
    /// Always true.
    pub enabled: bool,
}

/// What resetting a user's password answers: done, and to be changed at
/// their next log-in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasswordResetView {
    /// Always true.
    pub ok: bool,
    /// Always true: the user must choose their own at the next log-in.
    pub must_change_password: bool,
}
