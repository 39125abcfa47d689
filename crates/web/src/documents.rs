//! Documents: upload a gazette or a document in any format Duban reads
//! (text, Word, PDF, OFD; the reader proposes tasks; the same file again
//! is refused with 409 unless `again=true`),
//! list what was uploaded, show a document's proposals beside its source
//! lines, and confirm, reject or merge proposals. Office and admins only.

use crate::auth::Current;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::views::{
    CitationView, ConfirmAllView, ConfirmedMatter, ConfirmedView, DocRefView, DocumentLinksView,
    DocumentSummary, DocumentView, IngestedView, LeftProposal, ProposalView, ProposalWrapper,
    SourceDetailView, SourceLine, SourceUploadView, SourceView, SourcesView, TaskView,
    UnitNameView,
};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use duban_domain::org::Role;
use duban_service::ingest::{self, Confirm};
use duban_store::ProposalState;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, upload))
        .routes(routes!(source))
        .routes(routes!(document))
        .routes(routes!(confirm_all))
        .routes(routes!(confirm))
        .routes(routes!(reject))
}

pub(crate) fn office_only(me: &Current) -> ApiResult<()> {
    if matches!(me.user.role, Role::Office | Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "只有督查室可以上传公文和处理拟办任务".into(),
        ))
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    /// The file's name, shown in lists.
    name: Option<String>,
    /// Read the file even though the same bytes were uploaded before.
    #[serde(default)]
    again: bool,
}

/// The body is the file's bytes: text (UTF-8, GB18030/GBK or UTF-16 with
/// BOM), .docx, .pdf, .ofd, or .doc/.wps where LibreOffice is installed;
/// the format is recognised from the bytes.
#[utoipa::path(
    post,
    path = "/sources",
    operation_id = "post_api_v1_sources",
    tag = "公文",
    summary = "上传公报或公文",
    description = "请求体为文件本身：文本（UTF-8、GB18030/GBK 或带 BOM 的 UTF-16）、Word（.docx；安装 LibreOffice 后也可读 .doc/.wps）、PDF（须有文字层）或 OFD，按内容识别格式。识别其中的公文和任务（任务分解表逐行成为任务），单位名称对应到单位名录，生成待确认的拟办任务。内容与已上传文件完全相同时返回 409，确认后以 again=true 再次上传。仅督查室。",
    params(
        ("name" = Option<String>, Query, description = "文件名，显示在列表中", max_length = 10000),
        ("again" = Option<bool>, Query, description = "内容与已上传的文件相同时仍再次读取"),
    ),
    request_body(content((ref("#/components/schemas/UploadedFile") = "text/plain"), (ref("#/components/schemas/UploadedFile") = "application/octet-stream"))),
    responses(
        (status = 200, description = "已识别：公文数、拟办任务数、任务表数、未匹配的单位名称", body = crate::views::SourceUploadView),
        (status = 400, description = "文件过大或请求有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 409, description = "与已上传的文件内容相同", body = crate::error::ErrorBody),
        (status = 422, description = "文件为空、损坏、加密、无文字层（扫描件）或格式不支持", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn upload(
    State(state): State<AppState>,
    me: Current,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<Json<SourceUploadView>> {
    let name = q.name.clone().unwrap_or_else(|| "上传文件".into());
    Ok(Json(upload_data(&state, &me, &name, &body, q.again).await?))
}

/// Stores an uploaded file and the reader's proposals for it.
pub(crate) async fn upload_data(
    state: &AppState,
    me: &Current,
    name: &str,
    body: &[u8],
    again: bool,
) -> ApiResult<SourceUploadView> {
    office_only(me)?;
    if body.len() > 64 * 1024 * 1024 {
        return Err(ApiError::BadRequest("文件超过 64 MB；请拆分后上传".into()));
    }
    let done = ingest::ingest(&state.store, Some(me.user.id), name, body, again).await?;
    Ok(SourceUploadView {
        ingested: IngestedView::of(done),
    })
}

#[utoipa::path(
    get,
    path = "/sources",
    operation_id = "get_api_v1_sources",
    tag = "公文",
    summary = "已上传的文件",
    description = "上传过的公报或公文文件，及其中识别出的公文数。仅督查室。",
    responses(
        (status = 200, description = "文件列表", body = crate::views::SourcesView),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn list(State(state): State<AppState>, me: Current) -> ApiResult<Json<SourcesView>> {
    Ok(Json(sources_data(&state, &me).await?))
}

/// The uploaded files, as the API lists them and the page shows them.
pub(crate) async fn sources_data(state: &AppState, me: &Current) -> ApiResult<SourcesView> {
    office_only(me)?;
    let clock = state.clock();
    let sources = state
        .store
        .sources()
        .await?
        .into_iter()
        .map(|s| source_view(&clock, s))
        .collect();
    Ok(SourcesView { sources })
}

/// A source as the API writes it: its stored fields and, for display, the
/// upload time in local time.
fn source_view(clock: &duban_domain::clock::LocalTime, s: duban_store::SourceInfo) -> SourceView {
    SourceView {
        created_at_local: clock.show(duban_store::from_micros(s.created_at)),
        id: s.id,
        name: s.name,
        sha256: s.sha256,
        encoding: s.encoding,
        // Each as the reader wrote it; one of another shape is left out.
        warnings: s
            .warnings
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| serde_json::from_value(w.clone()).ok())
            .collect(),
        created_at: s.created_at,
        documents: s.documents,
        pending: s.pending,
    }
}

#[utoipa::path(
    get,
    path = "/sources/{id}",
    operation_id = "get_api_v1_sources_id",
    tag = "公文",
    summary = "文件详情",
    description = "一个上传文件及其中的公文。仅督查室。",
    params(
        ("id" = i64, Path, description = "文件编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "文件及其公文", body = crate::views::SourceDetailView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "文件不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn source(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<SourceDetailView>> {
    let id = crate::matters::parse_id(&raw, "文件")?;
    Ok(Json(source_data(&state, &me, id).await?))
}

/// A file with the documents read from it; 404 for a file not uploaded.
pub(crate) async fn source_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<SourceDetailView> {
    office_only(me)?;
    let info = state
        .store
        .sources()
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("文件 {id} 不存在")))?;
    let documents = state
        .store
        .documents_of(id)
        .await?
        .into_iter()
        .map(document_summary)
        .collect();
    let text = state.store.source_text(id).await?;
    Ok(SourceDetailView {
        source: source_view(&state.clock(), info),
        documents,
        lines: text.lines().count() as i64,
    })
}

/// The text of uploaded file `id`, as it was read; the office only.
pub(crate) async fn source_text_data(state: &AppState, me: &Current, id: i64) -> ApiResult<String> {
    office_only(me)?;
    Ok(state.store.source_text(id).await?)
}

/// The earlier upload of the same bytes (by their SHA-256), if any: its id
/// and name. The office only.
pub(crate) async fn same_file_data(
    state: &AppState,
    me: &Current,
    sha256: &str,
) -> ApiResult<Option<(i64, String)>> {
    office_only(me)?;
    Ok(state
        .store
        .sources_with_sha256(sha256)
        .await?
        .into_iter()
        .next()
        .map(|s| (s.id, s.name)))
}

/// The proposals read from document `id`, in order; the office only.
pub(crate) async fn proposals_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<Vec<duban_store::Proposal>> {
    office_only(me)?;
    Ok(state.store.proposals_of(id).await?)
}

/// Proposal `id`; the office only, 404 for one that does not exist.
pub(crate) async fn proposal_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<duban_store::Proposal> {
    office_only(me)?;
    Ok(state.store.proposal(id).await?)
}

#[derive(Deserialize)]
struct DocumentQuery {
    /// Include the source lines of the document's spans.
    #[serde(default)]
    lines: bool,
}

#[utoipa::path(
    get,
    path = "/documents/{id}",
    operation_id = "get_api_v1_documents_id",
    tag = "公文",
    summary = "公文及其拟办任务",
    description = "公文的文号、标题、发文机关、日期，识别出的拟办任务；lines=true 时附原文行。仅督查室。",
    params(
        ("id" = i64, Path, description = "公文编号", minimum = 1),
        ("lines" = Option<bool>, Query, description = "附上公文的原文行"),
    ),
    responses(
        (status = 200, description = "公文和拟办任务", body = crate::views::DocumentView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "公文不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn document(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> ApiResult<Json<DocumentView>> {
    let id = crate::matters::parse_id(&raw, "公文")?;
    Ok(Json(document_data(&state, &me, id, q.lines).await?))
}

/// What a document cites, repeals and amends, what does so to it, and
/// whether it is in force today (local date).
pub(crate) async fn links_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<duban_store::DocumentLinks> {
    office_only(me)?;
    Ok(state.store.document_links(id, state.now().date()).await?)
}

/// A stored document as the API writes it (its issuers and spans as
/// stored; a stored value of another shape reads as none).
fn document_summary(d: duban_store::DocumentInfo) -> DocumentSummary {
    DocumentSummary {
        id: d.id,
        source_id: d.source_id,
        number: d.number,
        title: d.title,
        issuer: serde_json::from_value(d.issuer).unwrap_or_default(),
        date: d.date,
        kind: d.kind,
        spans: serde_json::from_value(d.spans).unwrap_or_default(),
    }
}

/// A proposal's state in words.
pub(crate) fn proposal_state_label(state: ProposalState) -> &'static str {
    match state {
        ProposalState::Pending => "待确认",
        ProposalState::Confirmed => "已立项",
        ProposalState::Rejected => "不予立项",
        ProposalState::Merged => "已合并",
    }
}

/// A stored proposal as the API writes it. The deadline and the targets
/// are stored as the reader wrote them; one of another shape is left out.
pub(crate) fn proposal_view(p: duban_store::Proposal) -> ProposalView {
    let units = |list: Vec<duban_store::ProposedUnit>| -> Vec<UnitNameView> {
        list.into_iter()
            .map(|u| UnitNameView {
                name: u.name,
                unit: u.unit,
                candidates: u.candidates,
                group: u.group,
            })
            .collect()
    };
    let t = p.task;
    ProposalView {
        id: p.id,
        document_id: p.document_id,
        state_label: proposal_state_label(p.state).to_string(),
        state: p.state,
        matter_id: p.matter_id,
        version: p.version,
        task: TaskView {
            path: t.path,
            text: t.text,
            spans: t.spans,
            lead: units(t.lead),
            co: units(t.co),
            owner_scope: t.owner_scope,
            deadline: t.deadline.and_then(|d| serde_json::from_value(d).ok()),
            targets: t
                .targets
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .collect(),
        },
    }
}

/// A document's citations and status as the API writes them.
fn links_view(l: duban_store::DocumentLinks) -> DocumentLinksView {
    let links = |list: Vec<duban_store::Link>| -> Vec<CitationView> {
        list.into_iter()
            .map(|k| CitationView {
                relation: k.relation,
                other: DocRefView {
                    id: k.other.id,
                    number: k.other.number,
                    title: k.other.title,
                    date: k.other.date,
                },
                spans: k.spans,
            })
            .collect()
    };
    DocumentLinksView {
        outgoing: links(l.outgoing),
        incoming: links(l.incoming),
        valid_from: l.valid_from,
        valid_until: l.valid_until,
        validity_text: l.validity_text,
        status_label: l.status.label().to_string(),
        status: l.status,
        reason: l.reason,
    }
}

/// A document with its proposals, its citations and status (`links`) and,
/// with `lines`, its source lines.
pub(crate) async fn document_data(
    state: &AppState,
    me: &Current,
    id: i64,
    lines: bool,
) -> ApiResult<DocumentView> {
    office_only(me)?;
    let doc = state.store.document(id).await?;
    let proposals = state.store.proposals_of(id).await?;
    let links = links_data(state, me, id).await?;
    let lines = if lines {
        let text = state.store.source_text(doc.source_id).await?;
        let all: Vec<&str> = text.lines().collect();
        let spans: Vec<[u32; 2]> = serde_json::from_value(doc.spans.clone()).unwrap_or_default();
        Some(
            spans
                .iter()
                .flat_map(|[a, b]| {
                    let all = &all;
                    (*a..=*b).filter_map(move |n| {
                        all.get((n as usize).wrapping_sub(1)).map(|t| SourceLine {
                            line: n,
                            text: t.to_string(),
                        })
                    })
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(DocumentView {
        document: document_summary(doc),
        proposals: proposals.into_iter().map(proposal_view).collect(),
        links: links_view(links),
        lines,
    })
}

#[utoipa::path(
    post,
    path = "/proposals/{id}/confirm",
    operation_id = "post_api_v1_proposals_id_confirm",
    tag = "公文",
    summary = "确认拟办任务",
    description = "把一条拟办任务确认为督办事项并交办，可修改标题、单位、截止日期和类型。仅督查室。",
    params(
        ("id" = i64, Path, description = "拟办任务编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/ConfirmProposal"), content_type = "application/json"),
    responses(
        (status = 200, description = "已确认，返回拟办任务和事项编号", body = crate::views::ConfirmedView),
        (status = 400, description = "请求体有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "拟办任务不存在", body = crate::error::ErrorBody),
        (status = 409, description = "已被他人处理", body = crate::error::ErrorBody),
        (status = 422, description = "单位未匹配、类型未知等", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn confirm(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(c): ApiJson<Confirm>,
) -> ApiResult<Json<ConfirmedView>> {
    let id = crate::matters::parse_id(&raw, "拟办任务")?;
    Ok(Json(confirm_data(&state, &me, id, c).await?))
}

/// Confirms proposal `id` (with the office's edits in `c`) as a matter.
pub(crate) async fn confirm_data(
    state: &AppState,
    me: &Current,
    id: i64,
    c: Confirm,
) -> ApiResult<ConfirmedView> {
    office_only(me)?;
    let cal = state.calendar().await?;
    let (proposal, matter) =
        ingest::confirm(&state.store, Some(me.user.id), id, c, state.now(), &cal).await?;
    // Matters that may be the same work, to link (not a refusal).
    let similar = crate::links::after_create(state, me, matter).await;
    Ok(ConfirmedView {
        proposal: proposal_view(proposal),
        matter,
        similar,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reject {
    pub version: i64,
    pub reason: String,
    /// Merged into this matter instead of rejected outright.
    pub merged_into: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/proposals/{id}/reject",
    operation_id = "post_api_v1_proposals_id_reject",
    tag = "公文",
    summary = "不予立项或合并",
    description = "不予立项须写明理由；填 merged_into 则合并到已有事项。仅督查室。",
    params(
        ("id" = i64, Path, description = "拟办任务编号", minimum = 1),
    ),
    request_body(content = ref("#/components/schemas/RejectProposal"), content_type = "application/json"),
    responses(
        (status = 200, description = "已处理", body = crate::views::ProposalWrapper),
        (status = 400, description = "请求体有误或缺少理由", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "拟办任务或事项不存在", body = crate::error::ErrorBody),
        (status = 409, description = "已被他人处理", body = crate::error::ErrorBody),
        (status = 422, description = "状态不允许", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn reject(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
    ApiJson(r): ApiJson<Reject>,
) -> ApiResult<Json<ProposalWrapper>> {
    let id = crate::matters::parse_id(&raw, "拟办任务")?;
    Ok(Json(reject_data(&state, &me, id, r).await?))
}

/// Rejects proposal `id`, or merges it into an existing matter.
pub(crate) async fn reject_data(
    state: &AppState,
    me: &Current,
    id: i64,
    r: Reject,
) -> ApiResult<ProposalWrapper> {
    office_only(me)?;
    if r.reason.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "请填写不予立项（或合并）的理由".into(),
        ));
    }
    let (state_to, into) = match r.merged_into {
        Some(m) => {
            state.store.matter(m).await?;
            (ProposalState::Merged, Some(m))
        }
        None => (ProposalState::Rejected, None),
    };
    let p = state
        .store
        .decide_proposal(Some(me.user.id), id, r.version, state_to, into, &r.reason)
        .await?;
    Ok(ProposalWrapper {
        proposal: proposal_view(p),
    })
}

/// Confirms every pending proposal of a document whose units all resolved;
/// reports the ones left for the office to complete by hand.
#[utoipa::path(
    post,
    path = "/documents/{id}/confirm-all",
    operation_id = "post_api_v1_documents_id_confirm_all",
    tag = "公文",
    summary = "一键确认拟办任务",
    description = "把公文中单位全部匹配的待确认任务确认为督办事项；其余列出原因，留待逐条处理。仅督查室。",
    params(
        ("id" = i64, Path, description = "公文编号", minimum = 1),
    ),
    responses(
        (status = 200, description = "已确认的和留待处理的", body = crate::views::ConfirmAllView),
        (status = 400, description = "编号有误", body = crate::error::ErrorBody),
        (status = 403, description = "不是督查室", body = crate::error::ErrorBody),
        (status = 404, description = "公文不存在", body = crate::error::ErrorBody),
    ),
    extensions(("x-roles" = json!(crate::openapi::OFFICE))),
)]
async fn confirm_all(
    State(state): State<AppState>,
    me: Current,
    Path(raw): Path<String>,
) -> ApiResult<Json<ConfirmAllView>> {
    let id = crate::matters::parse_id(&raw, "公文")?;
    Ok(Json(confirm_all_data(&state, &me, id).await?))
}

/// Confirms every pending proposal of document `id` whose units resolved.
pub(crate) async fn confirm_all_data(
    state: &AppState,
    me: &Current,
    id: i64,
) -> ApiResult<ConfirmAllView> {
    office_only(me)?;
    let cal = state.calendar().await?;
    let mut confirmed = Vec::new();
    let mut left = Vec::new();
    for p in state.store.proposals_of(id).await? {
        if p.state != ProposalState::Pending {
            continue;
        }
        if p.task
            .lead
            .iter()
            .chain(&p.task.co)
            .any(|u| u.unit.is_none())
        {
            left.push(LeftProposal {
                proposal: p.id,
                reason: "有单位未匹配到单位名录".into(),
            });
            continue;
        }
        let c = Confirm {
            version: p.version,
            ..Confirm::default()
        };
        match ingest::confirm(&state.store, Some(me.user.id), p.id, c, state.now(), &cal).await {
            Ok((_, matter)) => confirmed.push(ConfirmedMatter {
                proposal: p.id,
                matter,
            }),
            Err(e) => left.push(LeftProposal {
                proposal: p.id,
                reason: e.to_string(),
            }),
        }
    }
    Ok(ConfirmAllView { confirmed, left })
}
