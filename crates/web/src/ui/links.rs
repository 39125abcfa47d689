//! Linked and possibly duplicate matters on the pages: the matter page's
//! 关联事项 (both ways, to whoever may open the other matter) and, for the
//! office, 可能重复的事项 with a 关联 form each; the same candidates on a
//! proposal's confirm form, ticked to link the new matter when it is made.
//! The data is `crate::links`'s, as the API returns it.

use super::form::Fields;
use super::layout;
use super::{PageResult, Viewer};
use crate::links::{link_data, links_data, similar_to_matter, LinkBody, SimilarView};
use crate::matters::parse_id;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use maud::{html, Markup};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/matters/{id}/links", post(link))
        .route("/matters/{id}/unlink", post(unlink))
}

/// One candidate's line: its title (to open it), units and state.
fn candidate(s: &SimilarView) -> Markup {
    html! {
        a href=(s.link) { "事项 " (s.id) "：" (s.title) }
        span.muted {
            " · " (if s.units.is_empty() { "—".to_string() } else { s.units.join("、") })
            " · " (s.state_label)
            @if let Some(d) = &s.deadline { " · 时限 " (d) }
        }
    }
}

/// The candidates inside a proposal's confirm form: ticking one links the
/// matter the form makes to it.
pub(crate) fn on_confirm(list: &[SimilarView]) -> Markup {
    html! {
        @if !list.is_empty() {
            fieldset.similar {
                legend { "可能重复的事项" }
                p.muted { "以下已有事项与本任务相近（相同单位、相近内容）。可勾选“关联”，立项后两个事项互相显示；若确属同一工作，也可改用下方“合并到已有事项”。" }
                ul {
                    @for s in list {
                        li {
                            label.inline {
                                input type="checkbox" name="link_to" value=(s.id);
                                " 关联 "
                            }
                            (candidate(s))
                        }
                    }
                }
            }
        }
    }
}

/// The matter page's sections: linked matters, and for the office the
/// possible duplicates with a 关联 form each.
pub(crate) async fn section(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    open: bool,
) -> PageResult<Markup> {
    let links = links_data(state, &viewer.current, id).await?;
    let similar = if viewer.is_office() && open {
        similar_to_matter(state, &viewer.current, id).await?
    } else {
        Vec::new()
    };
    Ok(html! {
        @if !links.is_empty() {
            h2 { "关联事项" }
            ul.links {
                @for l in &links {
                    li {
                        a href=(l.link) { "事项 " (l.id) "：" (l.title) }
                        span.muted { " · " (l.state_label) " · " (l.linked_at_local) "关联" }
                        @if !l.reason.is_empty() { span.muted { " · " (l.reason) } }
                        @if viewer.is_office() {
                            form.inline method="post" action=(format!("/matters/{id}/unlink")) {
                                (layout::csrf(viewer))
                                input type="hidden" name="other" value=(l.id);
                                button.secondary type="submit" { "取消关联" }
                            }
                        }
                    }
                }
            }
        }
        @if !similar.is_empty() {
            h2 { "可能重复的事项" }
            p.muted { "以下已有事项与本事项相近（相同单位、相近内容）。如属同一项工作，请关联，避免重复交办。" }
            ul.similar {
                @for s in &similar {
                    li {
                        (candidate(s))
                        form.inline method="post" action=(format!("/matters/{id}/links")) {
                            (layout::csrf(viewer))
                            input type="hidden" name="other" value=(s.id);
                            input type="text" name="reason" placeholder="关联理由（可不填）" maxlength="200";
                            button type="submit" { "关联" }
                        }
                    }
                }
            }
        }
    })
}

/// The form's other matter and reason.
fn body(f: &Fields) -> Result<LinkBody, crate::error::ApiError> {
    let other = f
        .get("other")
        .trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| {
            crate::error::ApiError::Unprocessable("请填写要关联的事项编号（数字）".into())
        })?;
    Ok(LinkBody {
        other,
        reason: f.get("reason").to_string(),
    })
}

async fn change(
    state: &AppState,
    viewer: &Viewer,
    raw: &str,
    f: &Fields,
    keep: bool,
) -> PageResult<Response> {
    let id = parse_id(raw, "事项")?;
    let done = async {
        viewer.check_csrf(f)?;
        link_data(state, &viewer.current, id, &body(f)?, keep)
            .await
            .map(|l| json!(l))
    }
    .await;
    let action = if keep { "link" } else { "unlink" };
    super::office::outcome(state, viewer, id, action, f, done).await
}

async fn link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    change(&state, &viewer, &raw, &f, true).await
}

async fn unlink(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    f: Fields,
) -> PageResult<Response> {
    change(&state, &viewer, &raw, &f, false).await
}
