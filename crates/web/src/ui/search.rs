//! The search page: the navigation's search box lands here. It renders
//! what `GET /api/v1/search` returns for the same query (hits with marked
//! snippets, each linking to a document's source line, the matter or the
//! appeal), with filters by kind, a document's standing (有效, 已修改, 已失效,
//! 已废止) and date.

use super::layout::{self, Kind};
use super::{PageResult, Viewer};
use crate::error::ApiError;
use crate::params::FromParams;
use crate::search::search_data;
use crate::views::SearchQuery;
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(page))
}

/// The parameters the page passes on (empty fields are left out).
const PARAMS: [&str; 6] = ["q", "kind", "in_force", "from", "to", "offset"];

/// A document's standing, as the filter offers it.
const IN_FORCE: [(&str, &str); 4] = [
    ("有效", "有效"),
    ("已修改", "已修改"),
    ("已失效", "已失效"),
    ("已废止", "已废止"),
];

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let params: HashMap<String, String> = PARAMS
        .iter()
        .filter_map(|k| {
            let v = q.get(*k)?.trim();
            (!v.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect();
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let text = get("q");
    let (results, error) = if text.is_empty() {
        (None, None)
    } else {
        let read = async {
            let query = SearchQuery::from_query(params.clone())?;
            search_data(&state, &viewer.current, &query).await
        };
        match read.await {
            Ok(r) => (Some(r), None),
            Err(ApiError::BadRequest(m)) => (None, Some(m)),
            Err(e) => return Err(e.into()),
        }
    };
    let kinds: Vec<(&str, &str)> = duban_search::KINDS.to_vec();
    let body = html! {
        h1 { "搜索" }
        form.filters method="get" action="/search" role="search" {
            label { span { "搜索内容" }
                input type="search" name="q" value=(text) maxlength="100" required;
            }
            (layout::select("kind", "类别", &get("kind"), &kinds, Some("全部"), false))
            (layout::select("in_force", "效力（公文）", &get("in_force"), &IN_FORCE, Some("不限"), false))
            (layout::input("from", "起始日期", &get("from"), Kind::Date, false))
            (layout::input("to", "截止日期", &get("to"), Kind::Date, false))
            button type="submit" { "搜索" }
        }
        (layout::notices(None, error.as_deref()))
        @if let Some(r) = &results {
            @if r.rebuilding {
                p.notice { "搜索索引正在重建，结果可能不全，请稍后再试。" }
            }
            @if r.hits.is_empty() {
                p { "没有找到与“" (r.q) "”相关的内容。可换用单位全称、发文字号或更短的词。" }
            } @else {
                @if r.capped {
                    p.notice { "找到超过 " (r.total) " 条，以下按相关度列出其中最相关的；可加上类别、日期等条件缩小范围。" }
                }
                ol.hits start=(r.offset + 1) {
                    @for h in &r.hits {
                        li {
                            span.kind { (h.kind_label) }
                            a href=(h.link) { (if h.title.is_empty() { "（无标题）" } else { h.title.as_str() }) }
                            @if let Some(n) = &h.number { " " span.number { (n) } }
                            @if let Some(st) = &h.in_force { " " span.status { (st) } }
                            p.snippet {
                                @for p in &h.snippet {
                                    @if p.hit { mark { (p.text) } } @else { (p.text) }
                                }
                            }
                            @let meta: Vec<String> = [
                                h.line.map(|l| format!("原文第 {l} 行")),
                                Some(h.issuer.join("、")).filter(|s| !s.is_empty()),
                                Some(h.units.join("、")).filter(|s| !s.is_empty()),
                                h.date.clone(),
                            ].into_iter().flatten().collect();
                            p.meta { (meta.join(" · ")) }
                        }
                    }
                }
                @let query: Vec<(&str, &str)> = PARAMS.iter().filter_map(|k| params.get(*k).map(|v| (*k, v.as_str()))).collect();
                (layout::pager("/search", &query, r.total as i64, r.limit, r.offset))
            }
        }
    };
    Ok(layout::page(&viewer, "搜索", "/search", body))
}
