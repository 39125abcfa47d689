//! The office's documents pages (公文立项): upload a gazette or a document
//! (text, Word, PDF or OFD; the same file again only once the office ticks
//! 再次读取),
//! see what each upload held, and go through a document's proposed tasks
//! beside its source lines — confirming one (with the office's edits),
//! rejecting it, merging it into an existing matter, or confirming the whole
//! document at once. Office and admins only: the data functions of
//! `crate::documents` refuse everyone else with the API's 403. Unit names are
//! typed as text and resolved against the registry here, so a name that
//! matches no unit is refused with its closest candidates, never created or
//! dropped. A document's page and its forms are in [`proposals`].

mod proposals;

use super::form::Fields;
use super::layout::{self, Kind};
use super::{resolve_units_in, split_unit_names, PageResult, Viewer};
use crate::documents::{
    confirm_all_data, confirm_data, document_data, office_only, reject_data, source_data,
    sources_data, upload_data, Reject,
};
use crate::error::ApiError;
use crate::matters::parse_id;
use crate::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use duban_domain::org::{Group, Unit};
use duban_service::ingest::Confirm;
use maud::{html, Markup};
use proposals::{confirm_all, decide, document};
use std::collections::{BTreeSet, HashMap};

/// The largest file `upload_data` takes, plus room for the form's other
/// parts: axum's default limit of 2 MB would refuse a large gazette.
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024 + 64 * 1024;

/// The type a proposal is confirmed as unless the office picks another:
/// tasks of a work plan mostly run the year.
const DEFAULT_TYPE: &str = "持续推进事项";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/documents",
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/documents/source/{id}", get(source))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/confirm-all", post(confirm_all))
        .route("/documents/{id}/proposals/{pid}", post(decide))
}

/// A refused action, shown again next to its form with what was typed.
/// `proposal` 0 is the whole-document confirmation.
struct Failed {
    proposal: i64,
    action: String,
    fields: Fields,
    message: String,
}

/// The status a refused form is shown again with: the API's 403 and 409
/// stay, anything else the user can fix is a 422.
fn refused_status(e: &ApiError) -> StatusCode {
    match e.status_and_message().0 {
        s @ (StatusCode::FORBIDDEN | StatusCode::CONFLICT) => s,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The office's choices from a confirm form; every problem is reported at
/// once, so the form need not be sent again for each.
fn confirm_input(
    f: &Fields,
    units: &[Unit],
    groups: &[Group],
    version: i64,
) -> Result<Confirm, ApiError> {
    let mut problems = Vec::new();
    let title = f.get("title");
    if title.is_empty() {
        problems.push("请填写事项标题".to_string());
    }
    let mut names = |field: &str| match resolve_units_in(units, groups, f.get(field)) {
        Ok(ids) => ids,
        Err(p) => {
            problems.extend(p);
            Vec::new()
        }
    };
    let lead = names("lead");
    let co = names("co");
    if lead.is_empty() && split_unit_names(f.get("lead")).is_empty() {
        problems.push("请至少填写一个牵头单位".into());
    }
    for id in lead.iter().filter(|id| co.contains(id)) {
        let name = units
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        problems.push(format!("“{name}”同时列为牵头单位和配合单位；请只保留一处"));
    }
    let deadline = f
        .opt("deadline")
        .and_then(|s| match s.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(format!(
                    "完成时限“{s}”不是有效日期（应为 2024-12-31 这样的日期）"
                ));
                None
            }
        });
    let ty = f.get("matter_type");
    if ty.is_empty() {
        problems.push("请选择事项类型".into());
    }
    if !problems.is_empty() {
        return Err(ApiError::Unprocessable(problems.join("\n")));
    }
    Ok(Confirm {
        version,
        title: Some(title.to_string()),
        lead: Some(lead),
        co: Some(co),
        deadline,
        matter_type: Some(ty.to_string()),
    })
}

/// Every line the ranges cover, to highlight.
fn hit_lines(spans: &[[u32; 2]]) -> BTreeSet<u32> {
    spans.iter().flat_map(|[a, b]| *a..=*b).collect()
}

/// The ranges in words: "第 3–5、9 行".
fn lines_label(spans: &[[u32; 2]]) -> String {
    let parts: Vec<String> = spans
        .iter()
        .map(|[a, b]| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    if parts.is_empty() {
        "原文位置不明".into()
    } else {
        format!("第 {} 行", parts.join("、"))
    }
}

/// The first `n` characters of `s`, with an ellipsis when cut.
fn excerpt(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).chain(['…']).collect()
    } else {
        s.to_string()
    }
}

/// The proposal to show after one was decided: the next pending one after
/// it, else the first pending one; `proposals` are (id, pending).
fn next_pending(proposals: &[(i64, bool)], after: i64) -> Option<i64> {
    let pending = || proposals.iter().filter(|(_, p)| *p).map(|(id, _)| *id);
    pending()
        .find(|id| *id > after)
        .or_else(|| pending().next())
}

// ---------------------------------------------------------------- uploads

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    render_list(&state, &viewer, q.get("ok").map(String::as_str), None, None).await
}

/// What the file chooser offers; any file is still recognised by content.
const ACCEPT: &str = ".docx,.doc,.wps,.pdf,.ofd,.txt,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/msword";

async fn render_list(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
    error: Option<&str>,
    duplicate: Option<(i64, String)>,
) -> PageResult<Markup> {
    let sources = sources_data(state, &viewer.current).await?.sources;
    let body = html! {
        h1 { "公文立项" }
        (layout::notices(notice, error))
        section.card {
            h2 { "上传公报或公文" }
            @if let Some((id, name)) = &duplicate {
                p { "已上传过的文件：" a href=(format!("/documents/source/{id}")) { "文件 " (id) "《" (name) "》" } }
            }
            form.stack method="post" action="/documents" enctype="multipart/form-data" {
                (layout::csrf(viewer))
                label {
                    span { "公文文件：Word（.docx，装有 LibreOffice 时也可 .doc/.wps）、PDF、OFD 或文本（.txt），不超过 64 MB" }
                    input type="file" name="file" accept=(ACCEPT) required;
                }
                @if duplicate.is_some() {
                    label { span { "再次读取（内容相同，仍要重新读取）" } input type="checkbox" name="again" value="1"; }
                }
                button type="submit" { "上传并读取" }
            }
            p.muted { "按文件内容识别格式；任务分解表逐行列为拟办任务。扫描件（没有文字层的 PDF）需先做文字识别（OCR）。读取后逐份公文列出拟办任务，确认后立项交办。" }
        }
        h2 { "已上传的文件" }
        table.wide {
            thead { tr {
                th.num { "编号" } th { "文件名" } th { "格式" } th.num { "公文" } th.num { "待确认任务" } th { "上传时间" }
            } }
            tbody {
                @for s in &sources {
                    tr {
                        td.num data-label="编号" { (s.id) }
                        td data-label="文件名" { a href=(format!("/documents/source/{}", s.id)) { (s.name) } }
                        td data-label="格式" { (s.encoding) }
                        td.num data-label="公文" { (s.documents) }
                        td.num data-label="待确认任务" { @if s.pending > 0 { b { (s.pending) } } @else { "0" } }
                        td data-label="上传时间" { (s.created_at_local) }
                    }
                }
                @if sources.is_empty() {
                    tr { td colspan="6" .muted { "还没有上传过文件。" } }
                }
            }
        }
    };
    Ok(layout::page(viewer, "公文立项", "/documents", body))
}

fn read_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::BadRequest("文件超过 64 MB；请拆分后上传".into())
    } else {
        ApiError::BadRequest("上传中断或表单不完整；请重新选择文件上传".into())
    }
}

/// How a source was read: the text's encoding, or the document format.
fn format_label(encoding: &str) -> String {
    match encoding {
        "docx" => "Word 文档（.docx）".into(),
        "doc" => "旧版 Word 文档（经 LibreOffice 转换）".into(),
        "pdf" => "PDF（文字层）".into(),
        "ofd" => "OFD 版式文档".into(),
        e => format!("文本，编码 {e}"),
    }
}

/// The file's name without the folder some browsers send with it.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name).trim()
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult<Response> {
    office_only(&viewer.current)?;
    // The hash of the file read, to point at an earlier upload of it.
    let mut sha256 = String::new();
    let outcome = async {
        let mut mp =
            multipart.map_err(|_| ApiError::BadRequest("请通过本页的上传表单选择文件".into()))?;
        let (mut csrf, mut file, mut again) = (String::new(), None, false);
        while let Some(field) = mp.next_field().await.map_err(read_error)? {
            match field.name() {
                Some("_csrf") => csrf = field.text().await.map_err(read_error)?,
                Some("again") => again = !field.text().await.map_err(read_error)?.is_empty(),
                Some("file") => {
                    let name = base_name(field.file_name().unwrap_or_default()).to_string();
                    file = Some((name, field.bytes().await.map_err(read_error)?));
                }
                _ => {}
            }
        }
        viewer.check_csrf(&Fields(vec![("_csrf".into(), csrf)]))?;
        // A browser sends an empty, nameless part when no file was chosen.
        let (name, bytes) = file
            .filter(|(n, b)| !n.is_empty() || !b.is_empty())
            .ok_or_else(|| ApiError::BadRequest("请选择要上传的文件".into()))?;
        let name = if name.is_empty() {
            "上传文件".into()
        } else {
            name
        };
        sha256 = duban_service::intake::sha256_hex(&bytes);
        upload_data(&state, &viewer.current, &name, &bytes, again).await
    }
    .await;
    match outcome {
        Ok(v) => {
            let id = v.ingested.source_id;
            Ok(super::done(&format!("/documents/source/{id}"), "uploaded"))
        }
        Err(e @ ApiError::Internal(_)) => Err(e.into()),
        Err(e) => {
            // The same bytes again: the office is asked, with a box to tick
            // and the earlier upload to look at.
            let duplicate = match e {
                ApiError::Conflict(_) => {
                    crate::documents::same_file_data(&state, &viewer.current, &sha256).await?
                }
                _ => None,
            };
            let page = render_list(
                &state,
                &viewer,
                None,
                Some(e.status_and_message().1),
                duplicate,
            )
            .await?;
            Ok((refused_status(&e), page).into_response())
        }
    }
}

// ---------------------------------------------------------------- a source

async fn source(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "文件")?;
    let detail = source_data(&state, &viewer.current, id).await?;
    let (info, docs) = (detail.source, detail.documents);
    let text_all = crate::documents::source_text_data(&state, &viewer.current, id).await?;
    let all_lines: Vec<&str> = text_all.lines().collect();
    // Per document: its proposals, pending ones, and the unit names its
    // pending proposals print that match no unit.
    let mut rows = Vec::new();
    let mut unmatched: Vec<(String, usize)> = Vec::new();
    for d in &docs {
        let ps = crate::documents::proposals_data(&state, &viewer.current, d.id).await?;
        let pending: Vec<_> = ps
            .iter()
            .filter(|p| p.state == duban_store::ProposalState::Pending)
            .collect();
        for u in pending
            .iter()
            .flat_map(|p| p.task.lead.iter().chain(&p.task.co))
        {
            if u.unit.is_none() {
                match unmatched.iter_mut().find(|(n, _)| *n == u.name) {
                    Some((_, c)) => *c += 1,
                    None => unmatched.push((u.name.clone(), 1)),
                }
            }
        }
        rows.push((d, ps.len(), pending.len(), hit_lines(&d.spans)));
    }
    let warnings = &info.warnings;
    let body = html! {
        p.muted { a href="/documents" { "公文立项" } " › 文件 " (id) }
        h1 { (info.name) }
        (layout::notices(q.get("ok").map(String::as_str), None))
        p.muted { (format_label(&info.encoding)) " · 共 " (detail.lines) " 行 · 上传于 " (info.created_at_local) " · SHA-256 " code { (excerpt(&info.sha256, 16)) } }
        h2 { "公文（" (docs.len()) "）" }
        table.wide {
            thead { tr { th { "发文字号" } th { "标题" } th { "发文机关" } th { "成文日期" } th.num { "拟办任务" } th.num { "待确认" } th { "原文" } } }
            tbody {
                @for (d, total, pending, _) in &rows {
                    tr {
                        td data-label="发文字号" { (d.number.as_deref().unwrap_or("—")) }
                        td data-label="标题" { a href=(format!("/documents/{}", d.id)) { (d.title.as_deref().unwrap_or("（无标题）")) } }
                        td data-label="发文机关" { (d.issuer.join("、")) }
                        td data-label="成文日期" { (d.date.as_deref().unwrap_or("—")) }
                        td.num data-label="拟办任务" { (total) }
                        td.num data-label="待确认" { @if *pending > 0 { b { (pending) } } @else { "0" } }
                        td data-label="原文" { (lines_label(&d.spans)) }
                    }
                }
                @if docs.is_empty() { tr { td colspan="7" .muted { "没有读出公文。" } } }
            }
        }
        @if !unmatched.is_empty() {
            h2 { "未匹配单位名录的单位名称（" (unmatched.len()) "）" }
            p.muted { "这些名称出现在待确认的任务中，确认时需改为名录中的单位，或先在“设置”中加入名录。" }
            p { @for (i, (n, c)) in unmatched.iter().enumerate() { @if i > 0 { "、" } (n) span.muted { "（" (c) "）" } } }
        }
        h2 { "读取提示（" (warnings.len()) "）" }
        @if warnings.is_empty() { p.muted { "没有需要人工核对之处。" } }
        @else {
            table.wide {
                thead { tr { th.num { "行" } th { "提示" } th { "原文" } } }
                tbody {
                    @for w in warnings {
                        @let line = w.line;
                        tr {
                            td.num data-label="行" {
                                @match rows.iter().find(|r| r.3.contains(&line)) {
                                    Some((d, ..)) => a href=(format!("/documents/{}#L{line}", d.id)) { (line) },
                                    None => (line),
                                }
                            }
                            td data-label="提示" { (w.message) }
                            td data-label="原文" { (excerpt(all_lines.get((line as usize).wrapping_sub(1)).copied().unwrap_or(""), 60)) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&viewer, &info.name, "/documents", body))
}

// ---------------------------------------------------------------- a document

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::org::{Level, UnitKind};

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

    fn registry() -> Vec<Unit> {
        vec![
            unit(1, "区发展和改革局", &["区发改局"]),
            unit(2, "区财政局", &[]),
            unit(3, "区工业和信息化科技局", &["区工科局"]),
        ]
    }

    #[test]
    fn names_split_on_every_separator_without_blanks_or_repeats() {
        assert_eq!(
            split_unit_names("区发改局、区财政局，区工科局,区财政局； 区教育局;\n"),
            ["区发改局", "区财政局", "区工科局", "区教育局"]
        );
        assert_eq!(
            split_unit_names("区发改局　区财政局"),
            ["区发改局", "区财政局"]
        );
        assert!(split_unit_names(" 、，").is_empty());
    }

    #[test]
    fn names_resolve_to_units_or_name_the_candidates() {
        let units = registry();
        assert_eq!(
            resolve_units_in(&units, &[], "区发改局、区财政局、区发展和改革局"),
            Ok(vec![1, 2])
        );
        let err = resolve_units_in(&units, &[], "区财政局、区工信局").unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].starts_with("“区工信局”不在单位名录中；是否指："),
            "{}",
            err[0]
        );
        assert!(err[0].contains("区工业和信息化科技局") && err[0].ends_with('？'));
        let none = resolve_units_in(&units, &[], "国网供电公司").unwrap_err();
        assert!(none[0].contains("也没有相近的单位"));
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn confirm_forms_become_the_api_input_or_every_problem() {
        let units = registry();
        let f = fields(&[
            ("title", "任务"),
            ("lead", "区发改局"),
            ("co", ""),
            ("deadline", "2024-12-31"),
            ("matter_type", "普通"),
        ]);
        let c = confirm_input(&f, &units, &[], 4).unwrap();
        assert_eq!(
            (c.version, c.title.as_deref(), c.lead, c.co),
            (4, Some("任务"), Some(vec![1]), Some(vec![]))
        );
        assert_eq!(c.deadline, NaiveDate::from_ymd_opt(2024, 12, 31));
        assert_eq!(c.matter_type.as_deref(), Some("普通"));
        let bad = fields(&[
            ("title", ""),
            ("lead", "区财政局"),
            ("co", "区财政局"),
            ("deadline", "明年"),
            ("matter_type", ""),
        ]);
        let Err(ApiError::Unprocessable(m)) = confirm_input(&bad, &units, &[], 1) else {
            panic!("a form with four problems passed")
        };
        assert_eq!(m.lines().count(), 4, "{m}");
        let no_lead = fields(&[("title", "x"), ("matter_type", "持续")]);
        assert!(confirm_input(&no_lead, &units, &[], 1).is_err());
    }

    #[test]
    fn lines_to_highlight_and_their_labels() {
        let spans = [[3, 5], [9, 9]];
        assert_eq!(
            hit_lines(&spans).into_iter().collect::<Vec<_>>(),
            [3, 4, 5, 9]
        );
        assert_eq!(lines_label(&spans), "第 3–5、9 行");
        assert_eq!(lines_label(&[]), "原文位置不明");
    }

    #[test]
    fn the_next_proposal_is_the_next_pending_one() {
        let ps = [(1, false), (2, true), (3, false), (4, true)];
        assert_eq!(next_pending(&ps, 2), Some(4));
        assert_eq!(next_pending(&ps, 4), Some(2));
        assert_eq!(next_pending(&[(1, false)], 1), None);
    }

    #[test]
    fn small_helpers() {
        assert_eq!(excerpt("督查督办", 2), "督查…");
        assert_eq!(excerpt("督办", 2), "督办");
        assert_eq!(base_name("C:\\docs\\公报.txt"), "公报.txt");
        assert_eq!(format_label("pdf"), "PDF（文字层）");
        assert_eq!(format_label("gb18030"), "文本，编码 gb18030");
        assert_eq!(
            refused_status(&ApiError::Conflict("x".into())),
            StatusCode::CONFLICT
        );
        assert_eq!(
            refused_status(&ApiError::BadRequest("x".into())),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
