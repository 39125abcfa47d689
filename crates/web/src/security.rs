//! 三员分立 and the second factor. The security admin (安全管理员) owns
//! the account rules (password, lock-out, TOTP for admins, the write rate:
//! [`crate::config::Accounts`], stored once changed), unlocks accounts and
//! resets a lost second factor; the system admin and the audit admin
//! cannot. Every user may enrol a TOTP authenticator (RFC 6238: SHA-1, six
//! digits, 30-second steps; the secret shown as text and as an
//! `otpauth://` address, nothing fetched from elsewhere), confirmed by a
//! code before it is asked at log-in. A code is good once.

use crate::auth::Current;
use crate::config::Accounts;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::throttle::Throttle;
use crate::views::{
    AccountRulesView, OkView, SecuritySettingsView, TotpEnabledView, TotpSecretView, TotpStatusView,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::org::{Role, User, UserId};
use rand::RngCore;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};
use totp_rs::{Algorithm, Secret, TOTP};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Chooses the event chain's hash for a new database as configured
/// (`chain_hash`), or keeps the one the database was made with, saying so
/// when that is not the configured one. Run at start-up.
pub async fn install_chain_hash(
    store: &duban_store::Store,
    config: &crate::Config,
) -> Result<duban_domain::events::ChainHash, String> {
    let wanted = duban_domain::events::ChainHash::parse(&config.chain_hash).ok_or_else(|| {
        format!(
            "chain_hash 应为 sha256 或 sm3（收到“{}”）",
            config.chain_hash
        )
    })?;
    let alg = store
        .install_chain_hash(wanted)
        .await
        .map_err(|e| format!("无法确定操作日志的哈希算法：{e}"))?;
    if alg != wanted {
        tracing::warn!(
            stored = alg.name(),
            configured = wanted.name(),
            "the event chain keeps the hash it was made with; chain_hash applies to new databases only"
        );
    }
    Ok(alg)
}

/// The key of the account rules among the stored security settings.
const RULES: &str = "accounts";

/// How long the rules read from the database are used before reading again.
const RULES_TTL: Duration = Duration::from_secs(30);

/// How long the second step of a log-in may wait for its code.
const CHALLENGE_TTL: Duration = Duration::from_secs(300);

/// What the server keeps in memory for these rules.
#[derive(Default)]
pub struct Shared {
    /// The account rules in force, read from the database at most every
    /// [`RULES_TTL`] (another server on the database may change them).
    rules: RwLock<Option<(Accounts, Instant)>>,
    /// Writes per user.
    writes: Throttle<UserId>,
    /// Log-ins waiting for their TOTP code, by a random token's hash.
    challenges: Mutex<HashMap<String, (UserId, Instant)>>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings, change_settings))
        .routes(routes!(unlock))
        .routes(routes!(reset_totp))
        .routes(routes!(totp_status, totp_begin))
        .routes(routes!(totp_confirm))
}

/// The account rules in force: the configuration's until the security
/// admin changes them, then the database's.
pub(crate) async fn rules(state: &AppState) -> ApiResult<Accounts> {
    if let Some((r, _)) = state
        .security
        .rules
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .filter(|(_, at)| at.elapsed() < RULES_TTL)
    {
        return Ok(r);
    }
    let r = match state.store.security_setting(RULES).await? {
        Some(v) => serde_json::from_value(v)
            .map_err(|e| ApiError::Internal(format!("stored account rules do not read: {e}")))?,
        None => state.config.accounts.clone(),
    };
    *state
        .security
        .rules
        .write()
        .unwrap_or_else(|p| p.into_inner()) = Some((r.clone(), Instant::now()));
    Ok(r)
}

/// Counts a write by `user`; past the rule's number a minute, a 429.
pub(crate) async fn count_write(state: &AppState, user: UserId) -> ApiResult<()> {
    let per_minute = rules(state).await?.writes_per_minute;
    if state.security.writes.allow(user, per_minute) {
        Ok(())
    } else {
        tracing::warn!(user, "writes throttled");
        Err(ApiError::TooManyRequests(format!(
            "提交过于频繁（每人每分钟最多 {per_minute} 次）：请稍等一分钟后再试，已提交的内容不受影响"
        )))
    }
}

/// Where an admin who must enrol a second factor may still go.
pub(crate) fn allowed_before_enrolment(path: &str) -> bool {
    crate::auth::allowed_before_password_change(path)
        || matches!(
            path,
            "/api/v1/me/totp" | "/api/v1/me/totp/confirm" | TOTP_PAGE
        )
}

/// The page where a user enrols their authenticator.
pub const TOTP_PAGE: &str = "/account/totp";

/// Whether `user` must enrol before anything else: the rules ask TOTP of
/// the three admins and this one has none.
pub(crate) async fn must_enrol(state: &AppState, user: &User) -> ApiResult<bool> {
    if !user.role.is_one_of_three_admins() || !rules(state).await?.totp_for_admins {
        return Ok(false);
    }
    Ok(state.store.totp(user.id).await?.secret.is_none())
}

/// The refusal of everything else to an admin who must enrol.
pub(crate) fn enrolment_required() -> ApiError {
    ApiError::Forbidden(format!(
        "安全策略要求管理员使用动态口令：请先绑定验证器（页面：{TOTP_PAGE}，接口：POST /api/v1/me/totp）"
    ))
}

pub(crate) fn security_only(me: &Current, what: &str) -> ApiResult<()> {
    if me.user.role == Role::Security {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("只有安全管理员可以{what}")))
    }
}

/// Every account's state (locks, failed log-ins, second factor), for the
/// security admin.
pub(crate) async fn accounts_data(
    state: &AppState,
    me: &Current,
) -> ApiResult<Vec<duban_store::security::AccountState>> {
    security_only(me, "进入安全管理")?;
    Ok(state.store.account_states().await?)
}

/// The caller's own enrolment secret awaiting its confirming code, if any
/// (shown again until confirmed).
pub(crate) async fn totp_pending_data(state: &AppState, me: &Current) -> ApiResult<Option<String>> {
    Ok(state.store.totp(me.user.id).await?.pending)
}

/// A fresh secret of 160 bits, base32 without padding.
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp_of(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    Some(TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes))
}

/// The code of `secret` at `unix` seconds (tests compute theirs with it).
pub fn code_at(secret: &str, unix: u64) -> Option<String> {
    totp_of(secret).map(|t| t.generate(unix))
}

/// The time step of `code` for `secret` now (one step of clock drift
/// either way allowed), if it matches one later than `after`.
fn matching_step(secret: &str, code: &str, after: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp_of(secret)?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    [now.saturating_sub(30), now, now + 30]
        .into_iter()
        .filter(|t| totp.check(code, *t))
        .map(|t| (t / 30) as i64)
        .find(|step| *step > after)
}

/// Whether `code` is good for `user`'s enabled second factor now; a good
/// code's step is taken, so the same code fails a second time.
pub(crate) async fn accept_code(state: &AppState, user: UserId, code: &str) -> ApiResult<bool> {
    let totp = state.store.totp(user).await?;
    let Some(secret) = totp.secret else {
        return Ok(false);
    };
    match matching_step(&secret, code, totp.last_step) {
        Some(step) => Ok(state.store.use_totp_step(user, step).await?),
        None => Ok(false),
    }
}

/// The `otpauth://` address authenticator apps read (typed in or made
/// into a QR code by the user's own tools).
fn otpauth_uri(issuer: &str, login: &str, secret: &str) -> String {
    let enc = |s: &str| -> String {
        form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(login),
        enc(issuer)
    )
}

/// Starts the second step of a log-in for `user`: the token the code form
/// carries.
pub(crate) fn challenge(state: &AppState, user: UserId) -> String {
    let token = crate::auth::new_token();
    let mut c = state
        .security
        .challenges
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    c.retain(|_, (_, at)| at.elapsed() < CHALLENGE_TTL);
    c.insert(crate::auth::token_hash(&token), (user, Instant::now()));
    token
}

/// The user a log-in's second step is for, while it is fresh; the token
/// stays usable for another try until it expires or succeeds.
pub(crate) fn challenged(state: &AppState, token: &str) -> Option<UserId> {
    let c = state
        .security
        .challenges
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    c.get(&crate::auth::token_hash(token))
        .filter(|(_, at)| at.elapsed() < CHALLENGE_TTL)
        .map(|(u, _)| *u)
}

/// Ends a log-in's second step once it succeeded.
pub(crate) fn end_challenge(state: &AppState, token: &str) {
    state
        .security
        .challenges
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&crate::auth::token_hash(token));
}

#[utoipa::path(
    get,
    path = "/security/settings",
    operation_id = "get_api_v1_security_settings",
    tag = "管理",
    summary = "安全策略",
    description = "账号安全规则：密码长度和字符类别、不得重复的历史密码数、锁定前允许的连续失败次数和锁定分钟数、空闲超时、每个地址每分钟登录次数、管理员是否须用动态口令（totp_for_admins）、每人每分钟提交次数（writes_per_minute）。仅安全管理员（三员分立）。",
    responses(
        (status = 200, description = "安全策略", body = crate::views::SecuritySettingsView),
        (status = 403, description = "不是安全管理员", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["security"]))),
)]
async fn settings(
    State(state): State<AppState>,
    me: Current,
) -> ApiResult<Json<SecuritySettingsView>> {
    security_only(&me, "查看安全策略")?;
    Ok(Json(SecuritySettingsView {
        accounts: account_rules_view(&rules(&state).await?),
    }))
}

/// The numeric account rules: the field, what it is, and its bounds.
pub(crate) const BOUNDS: [(&str, &str, i64, i64); 8] = [
    ("password_min_length", "密码最短长度", 8, 64),
    ("password_min_classes", "密码字符类别数", 1, 4),
    ("password_history", "不得重复的历史密码数", 0, 24),
    ("max_failed_logins", "锁定前允许的连续失败次数", 3, 20),
    ("lock_minutes", "锁定分钟数", 1, 1440),
    ("idle_minutes", "空闲超时分钟数", 5, 480),
    (
        "login_attempts_per_minute",
        "每个地址每分钟登录次数",
        1,
        1000,
    ),
    ("writes_per_minute", "每人每分钟提交次数", 10, 100_000),
];

/// `value` for the rule `field` if within its bounds, or a refusal saying
/// them.
fn within(field: &str, value: i64) -> ApiResult<i64> {
    let Some((_, what, lo, hi)) = BOUNDS.iter().find(|(f, ..)| *f == field) else {
        return Err(ApiError::Internal(format!("no bounds for {field}")));
    };
    if (*lo..=*hi).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::BadRequest(format!(
            "{what} {field} 须在 {lo} 到 {hi} 之间（收到 {value}）"
        )))
    }
}

/// Checks rules against the bounds that keep them meaningful.
fn check_rules(r: &Accounts) -> ApiResult<()> {
    let values = [
        r.password_min_length as i64,
        r.password_min_classes as i64,
        r.password_history as i64,
        r.max_failed_logins,
        r.lock_minutes,
        r.idle_minutes,
        i64::from(r.login_attempts_per_minute),
        i64::from(r.writes_per_minute),
    ];
    for ((field, ..), value) in BOUNDS.iter().zip(values) {
        within(field, value)?;
    }
    Ok(())
}

/// `PUT /security/settings`: `{"accounts": {rule: value, …}}`, the rules
/// to change (the others stay as they are).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecuritySettingsBody {
    #[serde(default)]
    pub accounts: Option<AccountChanges>,
}

/// The account rules to change; a rule not given (or null) is kept.
/// Numbers are read as any integer and refused outside their bounds with
/// the bounds in words.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountChanges {
    pub password_min_length: Option<i64>,
    pub password_min_classes: Option<i64>,
    pub password_history: Option<i64>,
    pub max_failed_logins: Option<i64>,
    pub lock_minutes: Option<i64>,
    pub idle_minutes: Option<i64>,
    pub login_attempts_per_minute: Option<i64>,
    pub totp_for_admins: Option<bool>,
    pub writes_per_minute: Option<i64>,
}

impl AccountChanges {
    /// `rules` with these changes, each number within its bounds.
    fn apply(&self, mut rules: Accounts) -> ApiResult<Accounts> {
        // Within bounds, every number fits its field's type.
        let size = |field: &str, v: Option<i64>, old: usize| -> ApiResult<usize> {
            v.map_or(Ok(old), |v| within(field, v).map(|v| v as usize))
        };
        let int = |field: &str, v: Option<i64>, old: i64| -> ApiResult<i64> {
            v.map_or(Ok(old), |v| within(field, v))
        };
        let count = |field: &str, v: Option<i64>, old: u32| -> ApiResult<u32> {
            v.map_or(Ok(old), |v| within(field, v).map(|v| v as u32))
        };
        rules.password_min_length = size(
            "password_min_length",
            self.password_min_length,
            rules.password_min_length,
        )?;
        rules.password_min_classes = size(
            "password_min_classes",
            self.password_min_classes,
            rules.password_min_classes,
        )?;
        rules.password_history = size(
            "password_history",
            self.password_history,
            rules.password_history,
        )?;
        rules.max_failed_logins = int(
            "max_failed_logins",
            self.max_failed_logins,
            rules.max_failed_logins,
        )?;
        rules.lock_minutes = int("lock_minutes", self.lock_minutes, rules.lock_minutes)?;
        rules.idle_minutes = int("idle_minutes", self.idle_minutes, rules.idle_minutes)?;
        rules.login_attempts_per_minute = count(
            "login_attempts_per_minute",
            self.login_attempts_per_minute,
            rules.login_attempts_per_minute,
        )?;
        rules.writes_per_minute = count(
            "writes_per_minute",
            self.writes_per_minute,
            rules.writes_per_minute,
        )?;
        if let Some(on) = self.totp_for_admins {
            rules.totp_for_admins = on;
        }
        Ok(rules)
    }
}

#[utoipa::path(
    put,
    path = "/security/settings",
    operation_id = "put_api_v1_security_settings",
    tag = "管理",
    summary = "修改安全策略",
    description = "只修改给出的规则，例如 {\"accounts\": {\"lock_minutes\": 30, \"totp_for_admins\": true}}；超出范围的值被拒绝并说明范围。修改记入审计记录。仅安全管理员。",
    request_body(content = ref("#/components/schemas/SecuritySettings"), content_type = "application/json"),
    responses(
        (status = 200, description = "修改后的安全策略", body = crate::views::SecuritySettingsView),
        (status = 400, description = "规则名或取值有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是安全管理员", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["security"]))),
)]
async fn change_settings(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<SecuritySettingsBody>,
) -> ApiResult<Json<SecuritySettingsView>> {
    let new = change_settings_data(&state, &me, body).await?;
    Ok(Json(SecuritySettingsView {
        accounts: account_rules_view(&new),
    }))
}

/// Changes some of the rules (the fields given); the change is an event.
/// The security page posts here too.
pub(crate) async fn change_settings_data(
    state: &AppState,
    me: &Current,
    body: SecuritySettingsBody,
) -> ApiResult<Accounts> {
    security_only(me, "修改安全策略")?;
    let Some(changes) = body.accounts else {
        return Err(ApiError::BadRequest(
            "请求体应为 {\"accounts\": {要修改的规则: 值}}，例如 {\"accounts\": {\"lock_minutes\": 30}}"
                .into(),
        ));
    };
    let new = changes.apply(rules(state).await?)?;
    check_rules(&new)?;
    let stored = serde_json::to_value(&new).map_err(|e| ApiError::Internal(e.to_string()))?;
    state
        .store
        .set_security_setting(Some(me.user.id), RULES, stored)
        .await?;
    *state
        .security
        .rules
        .write()
        .unwrap_or_else(|p| p.into_inner()) = Some((new.clone(), Instant::now()));
    Ok(new)
}

/// A user of the path, as a 404 when there is none.
async fn target(state: &AppState, raw: &str) -> ApiResult<User> {
    let id = crate::matters::parse_id(raw, "用户")?;
    match state.store.user(id).await {
        Ok(u) => Ok(u),
        Err(duban_store::Error::NotFound(m)) => Err(ApiError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(
    post,
    path = "/users/{id}/unlock",
    operation_id = "post_api_v1_users_id_unlock",
    tag = "管理",
    summary = "解除账号锁定",
    description = "清除连续失败次数并解除锁定，记入审计记录。仅安全管理员。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "已解除", body = crate::views::OkView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是安全管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["security"]))),
)]
async fn unlock(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<OkView>> {
    unlock_data(&state, &me, &raw).await?;
    Ok(Json(OkView { ok: true }))
}

/// Lifts a lock (API and page).
pub(crate) async fn unlock_data(state: &AppState, me: &Current, raw: &str) -> ApiResult<()> {
    security_only(me, "解除账号锁定")?;
    let user = target(state, raw).await?;
    state.store.unlock_user(Some(me.user.id), user.id).await?;
    Ok(())
}

#[utoipa::path(
    delete,
    path = "/users/{id}/totp",
    operation_id = "delete_api_v1_users_id_totp",
    tag = "管理",
    summary = "重置动态口令",
    description = "删除用户已绑定（或正在绑定）的验证器（如手机丢失），该用户的会话全部结束，须重新绑定。记入审计记录。仅安全管理员。",
    params(
        ("id" = i64, Path, description = "用户编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "已重置", body = crate::views::OkView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是安全管理员", body = crate::error::ErrorBody),
        (status = 404, description = "用户不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(["security"]))),
)]
async fn reset_totp(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<OkView>> {
    reset_totp_data(&state, &me, &raw).await?;
    Ok(Json(OkView { ok: true }))
}

/// Removes a user's second factor and ends their sessions (API and page).
pub(crate) async fn reset_totp_data(state: &AppState, me: &Current, raw: &str) -> ApiResult<()> {
    security_only(me, "重置动态口令")?;
    let user = target(state, raw).await?;
    state.store.reset_totp(Some(me.user.id), user.id).await?;
    state.store.end_sessions(user.id, None).await?;
    Ok(())
}

/// Whether the caller's second factor is on, and whether the rules ask it.
pub(crate) async fn totp_status_data(state: &AppState, me: &Current) -> ApiResult<TotpStatusView> {
    let totp = state.store.totp(me.user.id).await?;
    Ok(TotpStatusView {
        enabled: totp.secret.is_some(),
        pending: totp.pending.is_some(),
        required: me.user.role.is_one_of_three_admins() && rules(state).await?.totp_for_admins,
    })
}

#[utoipa::path(
    get,
    path = "/me/totp",
    operation_id = "get_api_v1_me_totp",
    tag = "登录",
    summary = "我的动态口令",
    description = "enabled：已启用；pending：已开始绑定、尚待确认；required：安全策略要求本人使用。",
    responses(
        (status = 200, description = "状态", body = crate::views::TotpStatusView),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn totp_status(
    State(state): State<AppState>,
    me: Current,
) -> ApiResult<Json<TotpStatusView>> {
    Ok(Json(totp_status_data(&state, &me).await?))
}

/// Starts (or starts again) an enrolment: a new secret, shown once, that
/// a code must confirm.
pub(crate) async fn totp_begin_data(state: &AppState, me: &Current) -> ApiResult<TotpSecretView> {
    if state.store.totp(me.user.id).await?.secret.is_some() {
        return Err(ApiError::Conflict(
            "动态口令已启用：更换验证器请联系安全管理员重置".into(),
        ));
    }
    let secret = new_secret();
    state.store.set_totp_pending(me.user.id, &secret).await?;
    Ok(TotpSecretView {
        uri: otpauth_uri("督办", &me.user.login, &secret),
        secret,
    })
}

#[utoipa::path(
    post,
    path = "/me/totp",
    operation_id = "post_api_v1_me_totp",
    tag = "登录",
    summary = "开始绑定动态口令",
    description = "生成新的密钥（RFC 6238，SHA-1，6 位，30 秒），返回密钥文本 secret 和 otpauth:// 地址 uri，供手机验证器添加；用 POST /api/v1/me/totp/confirm 提交一个验证码后才启用。",
    responses(
        (status = 200, description = "密钥和地址", body = crate::views::TotpSecretView),
        (status = 409, description = "已启用，更换须由安全管理员重置", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn totp_begin(State(state): State<AppState>, me: Current) -> ApiResult<Json<TotpSecretView>> {
    Ok(Json(totp_begin_data(&state, &me).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Confirm {
    pub code: String,
}

/// Confirms an enrolment with a code of the pending secret.
pub(crate) async fn totp_confirm_data(
    state: &AppState,
    me: &Current,
    body: Confirm,
) -> ApiResult<()> {
    let totp = state.store.totp(me.user.id).await?;
    let Some(pending) = totp.pending else {
        return Err(ApiError::Conflict(
            "没有待确认的绑定：请先开始绑定（POST /api/v1/me/totp）".into(),
        ));
    };
    let Some(step) = matching_step(&pending, &body.code, totp.last_step) else {
        return Err(ApiError::BadRequest(
            "验证码不正确：请输入验证器上当前显示的 6 位数字（并确认手机时间准确）".into(),
        ));
    };
    state.store.enable_totp(me.user.id, step).await?;
    Ok(())
}

#[utoipa::path(
    post,
    path = "/me/totp/confirm",
    operation_id = "post_api_v1_me_totp_confirm",
    tag = "登录",
    summary = "确认绑定动态口令",
    description = "提交验证器上当前的 6 位数字；正确则启用，此后登录须提供动态口令。",
    request_body(content = ref("#/components/schemas/TotpCode"), content_type = "application/json"),
    responses(
        (status = 200, description = "已启用", body = crate::views::TotpEnabledView),
        (status = 400, description = "验证码不正确或请求体有误", body = crate::error::ErrorBody),
        (status = 409, description = "没有待确认的绑定", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn totp_confirm(
    State(state): State<AppState>,
    me: Current,
    ApiJson(body): ApiJson<Confirm>,
) -> ApiResult<Json<TotpEnabledView>> {
    totp_confirm_data(&state, &me, body).await?;
    Ok(Json(TotpEnabledView { enabled: true }))
}

/// The account rules as the security admin reads them.
pub(crate) fn account_rules_view(a: &crate::config::Accounts) -> AccountRulesView {
    AccountRulesView {
        password_min_length: a.password_min_length as u64,
        password_min_classes: a.password_min_classes as u64,
        password_history: a.password_history as u64,
        max_failed_logins: a.max_failed_logins,
        lock_minutes: a.lock_minutes,
        idle_minutes: a.idle_minutes,
        login_attempts_per_minute: a.login_attempts_per_minute,
        totp_for_admins: a.totp_for_admins,
        writes_per_minute: a.writes_per_minute,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (the last six digits of its eight).
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(code_at(&secret, t).unwrap(), code, "at {t}");
        }
    }

    #[test]
    fn a_code_matches_once_per_step_and_never_garbage() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let now = chrono::Utc::now().timestamp() as u64;
        let code = code_at(&secret, now).unwrap();
        let step = matching_step(&secret, &code, 0).expect("matches");
        assert!(matching_step(&secret, &code, step).is_none(), "used");
        assert!(matching_step(&secret, "12345", 0).is_none());
        assert!(matching_step(&secret, "abcdef", 0).is_none());
        let old = code_at(&secret, now - 300).unwrap();
        assert!(old == code || matching_step(&secret, &old, 0).is_none());
    }

    #[test]
    fn the_address_names_issuer_and_login() {
        let u = otpauth_uri("督办", "zhang san", "ABC");
        assert!(u.starts_with("otpauth://totp/%E7%9D%A3%E5%8A%9E:zhang%20san?secret=ABC"));
    }
}
