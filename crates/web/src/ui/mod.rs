//! The web pages: server-rendered HTML in Simplified Chinese for the office
//! (督查室), the units, the leaders and the public. Every core action is a
//! plain HTML form, so nothing needs a script; the pages render the very
//! values the JSON API returns (the `*_data` functions of the API modules),
//! so a page and the API never disagree. Templates are `maud` macros and the
//! stylesheet is compiled into the binary: nothing loads from elsewhere.
//!
//! Forms carry the session's CSRF token in a hidden field; a refused form
//! is shown again with what the user typed and a message saying what to
//! fix. Pages live outside `/api`, under paths of their own.

mod account;
mod admin;
mod appeals;
mod assets;
mod board;
mod calendar;
mod dashboard;
mod documents;
mod form;
mod imports;
mod indicators;
mod layout;
mod leader;
pub(crate) mod links;
mod login;
mod matter;
mod messages;
mod office;
mod owe;
mod reports;
mod review;
mod rules_form;
mod search;
mod tokens;
mod trust;

use crate::auth::{Current, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use duban_domain::org::{resolve_members, Group, Role, Unit, User};

pub use form::Fields;
pub(crate) use login::front;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(login::router())
        .merge(account::router())
        .merge(board::router())
        .merge(matter::router())
        .merge(office::router())
        .merge(owe::router())
        .merge(review::router())
        .merge(documents::router())
        .merge(imports::router())
        .merge(appeals::router())
        .merge(leader::router())
        .merge(dashboard::router())
        .merge(indicators::router())
        .merge(reports::router())
        .merge(messages::router())
        .merge(admin::router())
        .merge(calendar::router())
        .merge(search::router())
        .merge(trust::router())
        .merge(links::router())
        .method_not_allowed_fallback(form_only)
}

/// A page address that only takes a form (签发令牌, 催办, 全部已读…) opened
/// by typing or pasting it, or by reloading after the form: a page that
/// says what happened and where to go, not a bare 405 the browser shows as
/// a broken page.
async fn form_only(uri: axum::http::Uri) -> Response {
    let e = ApiError::BadRequest(format!(
        "地址 {} 只接受页面上的表单提交，不能直接打开：请返回上一页，用页面上的按钮操作",
        uri.path()
    ));
    let mut resp = PageError::Api(e).into_response();
    *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    resp
}

/// The signed-in user of a page. A request without a live session is sent
/// to the log-in page, which brings the user back afterwards.
pub(crate) struct Viewer {
    pub current: Current,
    /// Unread messages, shown in the navigation.
    pub unread: usize,
}

impl Viewer {
    pub fn user(&self) -> &User {
        &self.current.user
    }

    pub fn csrf(&self) -> &str {
        self.current.csrf.as_deref().unwrap_or_default()
    }

    /// Whether a submitted form carries this session's token: a form from
    /// another site, or from a page of an expired session, does not.
    pub fn check_csrf(&self, fields: &Fields) -> Result<(), ApiError> {
        if fields.get("_csrf") == self.csrf() && !self.csrf().is_empty() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "表单已过期（可能是在别处重新登录过）：请检查下面保留的内容后再提交一次".into(),
            ))
        }
    }

    pub fn is_office(&self) -> bool {
        crate::matters::is_office(self.user())
    }

    /// The page a user starts from.
    pub fn home(&self) -> &'static str {
        home_of(self.user().role)
    }
}

pub(crate) fn home_of(role: Role) -> &'static str {
    match role {
        Role::Office | Role::Admin => "/dashboard",
        Role::UnitHead | Role::Liaison | Role::Handler => "/owe",
        Role::Leader => "/leader",
        Role::Public => "/appeals",
        Role::Auditor => "/audit",
        Role::Security => "/security",
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(token) = crate::auth::cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(PageError::Login {
                next,
                expired: false,
            });
        };
        match crate::auth::live_session(state, &token).await {
            Ok(Some(s))
                if s.must_change
                    && !crate::auth::allowed_before_password_change(parts.uri.path()) =>
            {
                Err(PageError::ChangePassword)
            }
            Ok(Some(s)) => {
                if !crate::security::allowed_before_enrolment(parts.uri.path())
                    && crate::security::must_enrol(state, &s.user)
                        .await
                        .map_err(PageError::Api)?
                {
                    return Err(PageError::EnrolTotp);
                }
                if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
                    crate::security::count_write(state, s.user.id)
                        .await
                        .map_err(PageError::Api)?;
                }
                let current = Current {
                    user: s.user,
                    csrf: Some(s.csrf),
                    registry_version: Some(s.registry_version),
                };
                let unread = crate::messages::unread_count(state, &current)
                    .await
                    .map_err(PageError::Api)?;
                Ok(Viewer { current, unread })
            }
            Ok(None) => Err(PageError::Login {
                next,
                expired: true,
            }),
            Err(e) => Err(PageError::Api(e)),
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum PageError {
    /// Not signed in (or the session ended): go to the log-in page.
    Login { next: String, expired: bool },
    /// An initial or reset password: changed before any other page.
    ChangePassword,
    /// An admin the rules ask a second factor of, without one: enrols first.
    EnrolTotp,
    /// What the API would have answered, shown as a page.
    Api(ApiError),
}

impl From<duban_views::params::QueryError> for PageError {
    fn from(e: duban_views::params::QueryError) -> PageError {
        ApiError::from(e).into()
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        match e {
            ApiError::Unauthenticated => PageError::Login {
                next: "/".into(),
                expired: true,
            },
            e => PageError::Api(e),
        }
    }
}

impl From<duban_store::Error> for PageError {
    fn from(e: duban_store::Error) -> PageError {
        PageError::Api(e.into())
    }
}

pub(crate) type PageResult<T = Response> = Result<T, PageError>;

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login { next, expired } => {
                let mut to = format!("/login?next={}", form::encode(&next));
                if expired {
                    to.push_str("&expired=1");
                }
                Redirect::to(&to).into_response()
            }
            PageError::ChangePassword => Redirect::to(account::PASSWORD_PAGE).into_response(),
            PageError::EnrolTotp => Redirect::to(crate::security::TOTP_PAGE).into_response(),
            PageError::Api(e) => {
                if let ApiError::Internal(detail) | ApiError::DiskFull(detail) = &e {
                    tracing::error!(%detail, "page failed");
                }
                let (status, message) = e.status_and_message();
                let title = match status {
                    StatusCode::NOT_FOUND => "找不到页面",
                    StatusCode::FORBIDDEN => "无权访问",
                    s if s.is_server_error() => "出错了",
                    _ => "请求有误",
                };
                (status, layout::bare(title, message)).into_response()
            }
        }
    }
}

/// An error shown as a page (for middleware outside any page handler).
pub(crate) fn page_error(e: ApiError) -> Response {
    PageError::Api(e).into_response()
}

/// What answers a path nothing serves: the API's JSON error under `/api`,
/// a page saying so elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    let e = ApiError::NotFound(format!("没有这个地址：{}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        PageError::Api(e).into_response()
    }
}

/// A redirect after a form succeeded (post/redirect/get), with a notice
/// code the next page turns into a sentence.
pub(crate) fn done(to: &str, notice: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}ok={notice}")).into_response()
}

/// The sentence for a notice code of [`done`]; unknown codes say nothing,
/// so a crafted link cannot put words on a page.
pub(crate) fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "sign_for" => "已签收。",
        "report" => "反馈已提交。",
        "apply_to_close" => "办结申请已提交，等待督查室审核。",
        "request_extension" => "延期申请已提交，等待督查室审核。",
        "return" => "已退回，承办单位将继续办理。",
        "close" => "已办结并评定等次。",
        "grant_extension" => "已同意延期。",
        "refuse_extension" => "已不予延期。",
        "uploaded" => "文件已读入，请逐条确认拟办任务。",
        "confirmed" => "已确认立项并交办。",
        "confirmed_all" => "本文件中单位已匹配的任务已全部立项交办。",
        "rejected" => "已不予立项。",
        "merged" => "已合并到所选事项。",
        "raised" => "诉求已提交，督查室受理后可在此跟踪办理进度。",
        "accepted" => "诉求已受理，已生成督办事项。",
        "appeal_rejected" => "已告知诉求人不予受理及理由。",
        "created" => "已保存。",
        "units_merged" => "已合并单位：其任务、用户和分管关系已转到保留的单位，原名称已作为别名。",
        "unit_kind" => "已修改单位类别。",
        "token_revoked" => "已吊销 API 令牌，该令牌立即失效。",
        "calendar_applied" => {
            "放假通知已录入为正式安排，未办结事项的时限已重算，时限变动的单位将收到通知。"
        }
        "calendar_removed" => "已删除录入的安排，未办结事项的时限已重算。",
        "logged_out" => "已退出登录。",
        "office_urge" => "已催办：催办单已发给承办单位，并将按已配置的渠道通知。",
        "office_reassign" => "已改派，日志已记录改派理由。",
        "office_deadline" => "已调整完成时限，各单位的时限已重算。",
        "office_edit" => "已修改事项，日志已记录修改理由。",
        "office_withdraw" => "事项已撤销。",
        "office_instruct" => "批示已记录，督查室和承办单位可在事项中看到。",
        "office_handler" => "已交承办人办理，承办人可在“我的待办”中看到。",
        "password_changed" => "密码已修改。",
        "office_link" => "已关联：两个事项的页面都会显示对方。",
        "office_unlink" => "已取消关联，日志已记录。",
        _ => return None,
    })
}

/// The names of the matter types offered for new matters: the standard
/// ones and the office's own active types.
pub(crate) async fn type_names(state: &AppState) -> Result<Vec<String>, ApiError> {
    Ok(crate::types::list_data(state)
        .await?
        .matter_types
        .into_iter()
        .filter(|t| t.active)
        .map(|t| t.name)
        .collect())
}

/// A value of a JSON view as text ("" when absent).
pub(crate) fn text(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A JSON number or string as text, "—" when absent.
pub(crate) fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) if s.is_empty() => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Unit names as typed: separated by 、，,；; or spaces, blanks and repeats
/// left out (a repeated unit would be assigned twice).
pub(crate) fn split_unit_names(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in raw.split(|c: char| "、，,；;".contains(c) || c.is_whitespace()) {
        if !n.is_empty() && !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// The units `raw` names, or one sentence per name that matches none,
/// naming the closest units so the office can pick one.
pub(crate) fn resolve_units(units: &[Unit], raw: &str) -> Result<Vec<i64>, Vec<String>> {
    resolve_units_in(units, &[], raw)
}

/// As [`resolve_units`], a group's name (各乡镇办) naming its members.
pub(crate) fn resolve_units_in(
    units: &[Unit],
    groups: &[Group],
    raw: &str,
) -> Result<Vec<i64>, Vec<String>> {
    let (mut ids, mut problems) = (Vec::new(), Vec::new());
    for n in split_unit_names(raw) {
        match resolve_members(units, groups, &n) {
            Ok(found) => {
                for id in found {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            Err(why) => problems.push(why),
        }
    }
    if problems.is_empty() {
        Ok(ids)
    } else {
        Err(problems)
    }
}

/// The units named in a form field, or one message saying which names
/// match no unit and what they might be: never created, never dropped.
pub(crate) fn unit_ids(
    units: &[duban_domain::org::Unit],
    raw: &str,
    what: &str,
) -> Result<Vec<i64>, ApiError> {
    resolve_units(units, raw)
        .map_err(|problems| ApiError::Unprocessable(format!("{what}：{}", problems.join("\n"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::org::{Level, Unit, UnitKind};

    fn unit(id: i64, name: &str, aliases: &[&str]) -> Unit {
        Unit {
            id,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            parent: None,
            level: Level::County,
            kind: UnitKind::Department,
        }
    }

    #[test]
    fn a_group_in_a_unit_field_names_its_members() {
        let units = [
            unit(1, "解州镇", &["解州镇政府"]),
            unit(2, "北相镇", &[]),
            unit(3, "区水务局", &[]),
        ];
        let groups = [Group {
            id: 1,
            name: "各乡镇办".into(),
            members: vec![1, 2],
        }];
        assert_eq!(
            resolve_units_in(&units, &groups, "区水务局、各乡镇办、解州镇政府"),
            Ok(vec![3, 1, 2])
        );
        assert!(resolve_units_in(&units, &[], "各乡镇办").is_err());
    }

    #[test]
    fn unit_fields_resolve_names_and_aliases_and_refuse_the_rest() {
        let units = [
            unit(1, "区工业和信息化科技局", &["区工科局"]),
            unit(2, "区卫生健康和体育局", &["区卫健局", "区卫体局"]),
        ];
        assert_eq!(
            unit_ids(&units, "区工科局、区卫体局，区工科局", "牵头单位").unwrap(),
            vec![1, 2]
        );
        assert_eq!(
            unit_ids(&units, "  ", "牵头单位").unwrap(),
            Vec::<i64>::new()
        );
        let err = unit_ids(&units, "区卫健委", "牵头单位").unwrap_err();
        let msg = err.status_and_message().1.to_string();
        assert!(msg.contains("“区卫健委”不在单位名录中"), "{msg}");
        assert!(msg.contains("区卫生健康和体育局"), "{msg}");
    }

    #[test]
    fn notices_are_a_closed_set() {
        assert_eq!(notice_text("sign_for"), Some("已签收。"));
        assert_eq!(notice_text("<script>"), None);
    }
}
