//! Full-text search (`GET /api/v1/search`): a page of hits, each with the
//! page it opens.

use serde::Serialize;
use utoipa::ToSchema;

/// A page of results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchView {
    pub q: String,
    /// How many match; a lower bound when `capped`.
    pub total: usize,
    /// More match than are ranked (duban_search::WINDOW): the hits are the
    /// best of the strong matches and of the first that many.
    pub capped: bool,
    pub limit: i64,
    pub offset: i64,
    /// The index is being rebuilt: results may be incomplete.
    pub rebuilding: bool,
    pub hits: Vec<HitView>,
}

/// One hit as the API and the page show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitView {
    /// `document`, `matter`, `report`, `appeal`.
    pub kind: String,
    /// 公文, 督办事项, 反馈, 诉求.
    pub kind_label: &'static str,
    pub id: i64,
    pub title: String,
    pub snippet: Vec<SnippetPiece>,
    /// The page to open: a document at the source line of the match, the
    /// matter (for a report, its matter), the appeal.
    pub link: String,
    pub line: Option<u32>,
    pub matter_id: Option<i64>,
    pub number: Option<String>,
    pub issuer: Vec<String>,
    pub units: Vec<String>,
    pub state: Option<String>,
    pub date: Option<String>,
    pub deadline: Option<String>,
    /// A document's standing today: 有效, 已修改, 已失效, 已废止.
    pub in_force: Option<String>,
}

/// A piece of a hit's snippet; `hit` pieces are what matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnippetPiece {
    pub text: String,
    pub hit: bool,
}

impl From<duban_search::Piece> for SnippetPiece {
    fn from(p: duban_search::Piece) -> Self {
        SnippetPiece {
            text: p.text,
            hit: p.hit,
        }
    }
}
