//! Full-text search (`GET /api/v1/search`): the query and filters read
//! from the request, the caller's scope turned into the index's viewer (so
//! nothing out of scope is found, counted or quoted), and each hit with the
//! page it opens — a document at its source line, a matter, an appeal.
//! The index itself is `duban-search`; it is opened here when the server
//! starts and follows the event log from then on.

use crate::auth::Current;
use crate::error::{ApiError, ApiResult};
use crate::matters::{Params, Scope};
use crate::views::{HitView, SearchView, SnippetPiece};
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use chrono::Datelike;
use duban_domain::archive::Status;
use duban_search::{Search, Viewer};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How deep results can be paged: ranking collects `offset + limit` hits,
/// so an unbounded offset would ask for unbounded memory.
pub const MAX_OFFSET: i64 = 10_000;

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

/// The `in_force` filter's values: a document's standing today, by its
/// label or code.
const IN_FORCE: [(&[&str], Status); 4] = [
    (&["有效", "in_force", "true"], Status::InForce),
    (&["已修改", "amended"], Status::Amended),
    (&["已失效", "expired"], Status::Expired),
    (&["已废止", "repealed"], Status::Repealed),
];

/// The longest query taken, in characters.
const MAX_QUERY: usize = 100;

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
    params(
        ("q" = String, Query, description = "要搜索的内容（必填，最多 100 字）；空格分隔的几部分须同时出现", min_length = 1, max_length = 100, pattern = "\\S"),
        ("kind" = inline(Option<crate::openapi::words::SearchKind>), Query, description = "类别：document（公文）、matter（督办事项）、report（反馈）、appeal（诉求）"),
        ("unit" = Option<i64>, Query, description = "单位编号：只看该单位承办的事项和反馈"),
        ("issuer" = Option<String>, Query, description = "发文机关全称（公文）", max_length = 10000),
        ("from" = Option<chrono::NaiveDate>, Query, description = "起始日期（含）：公文的成文日期，其他为创建日期"),
        ("to" = Option<chrono::NaiveDate>, Query, description = "截止日期（含）"),
        ("state" = Option<String>, Query, description = "状态：事项 open、closed、withdrawn；诉求 pending、accepted、rejected；反馈为其种类", max_length = 10000),
        ("in_force" = inline(Option<crate::openapi::words::InForce>), Query, description = "公文效力（按今天）：有效（或 true）、已修改、已失效、已废止；只返回该效力的公文"),
        ("limit" = Option<i64>, Query, description = "每页条数，1–200，默认 50", minimum = 1, maximum = 200),
        ("offset" = Option<i64>, Query, description = "起始位置，0–10000，默认 0", minimum = 0, maximum = 10000),
    ),
    responses(
        (status = 200, description = "一页结果和总数", body = crate::views::SearchView),
        (status = 400, description = "查询参数有误", body = crate::error::ErrorBody),
        (status = 401, description = "未登录", body = crate::error::ErrorBody),
        (status = 414, description = "请求地址过长"),
        (status = 422, description = "起始日期晚于截止日期", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::LOGGED_IN))),
)]
async fn search(
    State(state): State<AppState>,
    me: Current,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<SearchView>> {
    Ok(Json(search_data(&state, &me, q).await?))
}

/// Reads the request's parameters and runs the search for the caller.
pub(crate) async fn search_data(
    state: &AppState,
    me: &Current,
    q: HashMap<String, String>,
) -> ApiResult<SearchView> {
    let mut p = Params::new(q);
    let text = p.str("q").unwrap_or_default().trim().to_string();
    if text.is_empty() {
        return Err(ApiError::BadRequest(
            "请输入要搜索的内容（参数 q），例如单位名称、发文字号或关键词".into(),
        ));
    }
    if text.chars().count() > MAX_QUERY {
        return Err(ApiError::BadRequest(format!(
            "搜索内容过长（{} 字），请缩短到 {MAX_QUERY} 字以内",
            text.chars().count()
        )));
    }
    let kinds: Vec<(&[&str], &str)> = duban_search::KINDS
        .iter()
        .map(|(k, _)| (std::slice::from_ref(k), *k))
        .collect();
    let kind = p.choice("kind", "类别", &kinds)?.map(str::to_string);
    let unit = p.i64("unit", "单位编号")?;
    let issuer = p.str("issuer").filter(|s| !s.trim().is_empty());
    let from = p.date("from", "起始日期")?;
    let to = p.date("to", "截止日期")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::Unprocessable(format!(
                "起始日期 {f} 晚于截止日期 {t}；请调换或更正"
            )));
        }
    }
    let st = p.str("state").filter(|s| !s.trim().is_empty());
    let in_force = p.choice("in_force", "效力", &IN_FORCE)?;
    let (limit, offset) = p.page()?;
    let limit = limit.min(100);
    if offset > MAX_OFFSET {
        return Err(ApiError::BadRequest(format!(
            "起始位置 offset 最多 {MAX_OFFSET}，收到 {offset}；请缩小搜索范围或加上筛选条件"
        )));
    }
    p.finish()?;
    let viewer = match Scope::of(state, &me.user).await? {
        Scope::All => Viewer::Office,
        Scope::Units(u) => Viewer::Units(u),
        Scope::RaisedBy(u) => Viewer::User(u),
    };
    let index = current_index(state).await?;
    let query = duban_search::Query {
        text: text.clone(),
        kind,
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
