//! Full-text search (`GET /api/v1/search`): the query and filters read
//! from the request, the caller's scope turned into the index's viewer (so
//! nothing out of scope is found, counted or quoted), and each hit with the
//! page it opens — a document at its source line, a matter, an appeal.
//! The index itself is `duban-search`; it is opened here when the server
//! starts and follows the event log from then on.

use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::Scope;
use crate::params::Filter;
use crate::views::{HitView, SearchQuery, SearchView, SnippetPiece};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::Datelike;
use duban_search::{Search, Viewer};
use std::sync::Arc;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// Opens the index of `config` and follows the event log; None outside a
/// Tokio runtime or when not even a temporary folder can hold it.
pub(crate) fn start(store: &duban_store::Store, config: &crate::Config) -> Option<Arc<Search>> {
    tokio::runtime::Handle::try_current().ok()?;
    let poll = Duration::from_secs(config.search_poll_secs.max(1));
    match Search::start(store.clone(), &config.search_path(), poll) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!("search index unavailable: {e:#}");
            None
        }
    }
}

fn kind_label(kind: &str) -> &'static str {
    duban_search::KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("其他", |(_, l)| l)
}

fn link(h: &duban_search::Hit) -> String {
    match h.kind.as_str() {
        "document" => match h.line {
            Some(l) => format!("/documents/{}#L{l}", h.id),
            None => format!("/documents/{}", h.id),
        },
        "report" => format!("/matters/{}", h.matter_id.unwrap_or(0)),
        "appeal" => format!("/appeals/{}", h.id),
        _ => format!("/matters/{}", h.id),
    }
}

fn yyyymmdd(d: chrono::NaiveDate) -> i64 {
    i64::from(d.year()) * 10000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// The server's index, caught up with this server's own changes (found
/// at once; the others' changes arrive with the poll).
pub(crate) async fn current_index(state: &AppState) -> ApiResult<Arc<Search>> {
    let index = state
        .search
        .clone()
        .ok_or_else(|| ApiError::Internal("search index unavailable".into()))?;
    if let Err(e) = index.refresh().await {
        tracing::warn!("search catch-up failed: {e:#}");
    }
    Ok(index)
}

#[utoipa::path(
    get,
    path = "/search",
    operation_id = "get_api_v1_search",
    tag = "搜索",
    summary = "全文搜索",
    description = "在公文（原文）、督办事项、反馈和企业群众诉求中搜索中文：单位名称、地名、发文字号按原样整体匹配，标题、发文字号和完整短语排在前面；每条结果带高亮摘要和链接（公文链接到命中的原文行）。只搜索调用者能打开的内容：督查室全部；单位用户本单位有任务的事项和本单位的反馈；分管领导分管单位的；企业群众自己提交的诉求和由其形成的事项。公文仅督查室可见。",
    params(SearchQuery),
    responses(
        (status = 200, description = "一页结果和总数", body = crate::views::SearchView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 422, description = "起始日期晚于截止日期", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn search(
    State(state): State<AppState>,
    me: Current,
    Filter(query): Filter<SearchQuery>,
) -> ApiResult<Json<SearchView>> {
    Ok(Json(search_data(&state, &me, &query).await?))
}

/// Runs the search `query` for the caller.
pub(crate) async fn search_data(
    state: &AppState,
    me: &Current,
    query: &SearchQuery,
) -> ApiResult<SearchView> {
    let SearchQuery {
        text,
        kind,
        unit,
        issuer,
        from,
        to,
        state: st,
        in_force,
        limit,
        offset,
    } = query.clone();
    let viewer = match Scope::of(state, &me.user).await? {
        Scope::All => Viewer::Office,
        Scope::Units(u) => Viewer::Units(u),
        Scope::RaisedBy(u) => Viewer::User(u),
    };
    let index = current_index(state).await?;
    let query = duban_search::Query {
        text: text.clone(),
        kind: kind.map(str::to_string),
        issuer,
        unit,
        from: from.map(yyyymmdd),
        to: to.map(yyyymmdd),
        state: st,
        in_force,
        today: yyyymmdd(state.now().date()),
        limit: limit as usize,
        offset: offset as usize,
        window: 0,
    };
    let idx = index.clone();
    let results = tokio::task::spawn_blocking(move || idx.query(&query, &viewer))
        .await
        .map_err(|e| ApiError::Internal(format!("search task: {e}")))?
        .map_err(|e| ApiError::Internal(format!("search: {e:#}")))?;
    Ok(SearchView {
        q: text,
        total: results.total,
        capped: results.capped,
        limit,
        offset,
        rebuilding: index.rebuilding(),
        hits: results
            .hits
            .into_iter()
            .map(|h| HitView {
                kind_label: kind_label(&h.kind),
                link: link(&h),
                kind: h.kind,
                id: h.id,
                title: h.title,
                snippet: h.snippet.into_iter().map(SnippetPiece::from).collect(),
                line: h.line,
                matter_id: h.matter_id,
                number: h.number,
                issuer: h.issuer,
                units: h.units,
                state: h.state,
                date: h.date,
                deadline: h.deadline,
                in_force: h.in_force,
            })
            .collect(),
    })
}
