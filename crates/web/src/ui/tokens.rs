//! The API tokens section of the users page (admins only): the tokens
//! with their owner, issue and last use, a form to issue one and a button
//! to revoke each. A token just issued is shown here once, with the note
//! that it cannot be seen again; the handlers are in `ui::admin`, posting
//! to the functions the API runs (`crate::tokens`).

use super::form::Fields;
use super::{layout, Viewer};
use crate::error::ApiError;
use crate::tokens::tokens_data;
use crate::views::{IssuedTokenView, UserRowView};
use crate::AppState;
use maud::{html, Markup};

/// The section: `users` are those of the users page (the active ones may
/// be issued a token), `issued` is the answer of a token just issued,
/// `failed` the form refused (`token`, or `revoke-{id}`) with its message
/// and what was typed.
pub(super) async fn section(
    state: &AppState,
    viewer: &Viewer,
    users: &[UserRowView],
    issued: Option<&IssuedTokenView>,
    failed: Option<(&str, &str, &Fields)>,
) -> Result<Markup, ApiError> {
    let tokens = tokens_data(state, &viewer.current).await?.tokens;
    let users: Vec<(String, String)> = users
        .iter()
        .filter(|u| u.active)
        .map(|u| (u.id.to_string(), format!("{}（{}）", u.name, u.login)))
        .collect();
    let user_refs: Vec<(&str, &str)> = users
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let clock = state.clock();
    let at = |t: chrono::DateTime<chrono::Utc>| clock.show(t);
    let empty = Fields::default();
    let (issue_error, typed) = match failed {
        Some(("token", m, f)) => (Some(m), f),
        _ => (None, &empty),
    };
    Ok(html! {
        h2 #tokens { "API 令牌" }
        p.muted { "供其他系统对接使用：调用接口时带请求头 Authorization: Bearer 令牌，以所属用户的身份和权限操作。令牌吊销后立即失效。" }
        @if let Some(done) = issued {
            div.card #issued-token role="status" {
                p { "已为 " (done.api_token.user_name) " 签发令牌“" (done.api_token.name) "”：" }
                p { code #new-token { (done.token) } }
                p.error { strong { "请立即复制，离开本页后无法再次查看。" } }
            }
        }
        @if tokens.is_empty() {
            p.muted { "还没有签发过 API 令牌。" }
        } @else {
            table.wide #token-list {
                thead { tr { th { "名称" } th { "所属用户" } th { "签发时间" } th { "最近使用" } th { "状态" } } }
                tbody {
                    @for t in &tokens {
                        tr {
                            td data-label="名称" { (t.name) }
                            td data-label="所属用户" { (t.user_name) "（" (t.user_login) "）" }
                            td data-label="签发时间" { (at(t.created_at)) }
                            td data-label="最近使用" { @match t.last_used_at { Some(u) => (at(u)), None => span.muted { "未使用" } } }
                            td data-label="状态" {
                                @if let Some(r) = t.revoked_at {
                                    span.muted { "已吊销（" (at(r)) "）" }
                                } @else {
                                    @let form = format!("revoke-{}", t.id);
                                    @if let Some((_, m, _)) = failed.filter(|(f, _, _)| *f == form) { p.error role="alert" { (m) } }
                                    form.inline method="post" action=(format!("/admin/tokens/{}/revoke", t.id)) {
                                        (layout::csrf(viewer))
                                        "有效 "
                                        button.link type="submit" { "吊销" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h3 { "签发令牌" }
        form.stack.card #issue-token method="post" action="/admin/tokens" {
            (layout::csrf(viewer))
            @if let Some(m) = issue_error { p.error.full-row role="alert" { (m) } }
            (layout::select("user_id", "所属用户", typed.get("user_id"), &user_refs, None, true))
            (layout::input("name", "令牌名称（写明用途，如“政务平台对接”）", typed.get("name"), layout::Kind::Text, true))
            button type="submit" { "签发令牌" }
        }
    })
}
