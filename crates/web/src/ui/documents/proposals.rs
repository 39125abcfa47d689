//! A document's page: its proposed tasks beside its source lines, the
//! forms that confirm, reject or merge each, and the whole document
//! confirmed at once. A refused action shows the page again with the
//! message in that proposal's form and what was typed.

use super::*;
use crate::views::{DeadlineView, DocRefView, DocumentLinksView, ProposalView, UnitNameView};
use duban_store::ProposalState;

/// Units of a proposal as the registry names them; a printed name that
/// matched none is marked, with the units it may mean.
fn unit_list(units: &[UnitNameView], names: &HashMap<i64, String>) -> Markup {
    html! {
        @if units.is_empty() { span.muted { "—" } }
        @for (i, u) in units.iter().enumerate() {
            @if i > 0 { "、" }
            @match u.unit.and_then(|id| names.get(&id)) {
                Some(name) => {
                    (name)
                    @if *name != u.name { span.muted { "（原文：" (u.name) "）" } }
                }
                None => {
                    (u.name) " " span.light.unknown { "未匹配" }
                    @let cands: Vec<&str> = u.candidates.iter()
                        .filter_map(|(id, _)| names.get(id).map(String::as_str)).collect();
                    @if !cands.is_empty() { span.muted { "（可能是：" (cands.join("、")) "）" } }
                }
            }
        }
    }
}

/// The units of a proposal as the confirm form starts them: registry names,
/// or the printed name where none matched (so confirming unchanged names
/// the candidates instead of guessing).
fn unit_field(list: &[UnitNameView], names: &HashMap<i64, String>) -> String {
    list.iter()
        .map(|u| match u.unit.and_then(|id| names.get(&id)) {
            Some(n) => n.clone(),
            None => u.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn deadline_label(d: Option<&DeadlineView>) -> String {
    match d {
        None => "—".into(),
        Some(DeadlineView {
            date: Some(date),
            text,
            ..
        }) => format!("{text}（{date}）"),
        Some(d) => d.text.clone(),
    }
}

/// The forms of a pending proposal: confirm, reject, merge.
fn forms(
    viewer: &Viewer,
    doc: i64,
    p: &ProposalView,
    names: &HashMap<i64, String>,
    types: &[String],
    failed: Option<&Failed>,
    similar: &[crate::links::SimilarView],
) -> Markup {
    let id = p.id;
    let task = &p.task;
    let mine = |action: &str| failed.filter(|f| f.proposal == id && f.action == action);
    let val = |action: &str, name: &str, default: String| match mine(action) {
        Some(f) => f.fields.get(name).to_string(),
        None => default,
    };
    let error = |action: &str| html! { @if let Some(f) = mine(action) { p.error role="alert" { (f.message) } } };
    let action = format!("/documents/{doc}/proposals/{id}");
    let hidden = |code: &str| {
        html! {
            (layout::csrf(viewer))
            input type="hidden" name="version" value=(p.version);
            input type="hidden" name="action" value=(code);
        }
    };
    let ty = val("confirm", "matter_type", DEFAULT_TYPE.into());
    html! {
        h3 { "确认立项" }
        form.stack method="post" action=(action) {
            (hidden("confirm"))
            (error("confirm"))
            label.wide { span { "事项标题" } input name="title" required value=(val("confirm", "title", duban_service::title::proposed(&task.text))); }
            (layout::input("lead", "牵头单位（多个用、分隔）", &val("confirm", "lead", unit_field(&task.lead, names)), Kind::Units, true))
            (layout::input("co", "配合单位", &val("confirm", "co", unit_field(&task.co, names)), Kind::Units, false))
            (layout::input("deadline", "完成时限（留空按原文）", &val("confirm", "deadline", task.deadline.as_ref().and_then(|d| d.date).map(|d| d.to_string()).unwrap_or_default()), Kind::Date, false))
            (layout::type_select("matter_type", types, &ty))
            (crate::ui::links::on_confirm(similar))
            button type="submit" { "确认立项并交办" }
        }
        div.actions {
            details open[mine("reject").is_some()] {
                summary { "不予立项" }
                form.stack method="post" action=(action) {
                    (hidden("reject"))
                    (error("reject"))
                    (layout::textarea("reason", "理由", &val("reject", "reason", String::new()), true))
                    button.secondary type="submit" { "不予立项" }
                }
            }
            details open[mine("merge").is_some()] {
                summary { "合并到已有事项" }
                form.stack method="post" action=(action) {
                    (hidden("merge"))
                    (error("merge"))
                    (layout::input("merged_into", "事项编号（见“督办事项”）", &val("merge", "merged_into", String::new()), Kind::Text, true))
                    (layout::textarea("reason", "理由", &val("merge", "reason", String::new()), true))
                    button.secondary type="submit" { "合并" }
                }
            }
        }
    }
}

/// Why a proposal left by "confirm the whole document" is still pending.
fn left_reason(p: &ProposalView) -> String {
    let unmatched: Vec<String> = p
        .task
        .lead
        .iter()
        .chain(&p.task.co)
        .filter(|u| u.unit.is_none())
        .map(|u| u.name.clone())
        .collect();
    if unmatched.is_empty() {
        "立项未成功（可能已被他人处理）；请单独确认查看原因".into()
    } else {
        format!("单位未匹配单位名录：{}", unmatched.join("、"))
    }
}

/// One proposal in full: where it sits, its text, units, deadline, targets.
fn proposal_card(
    doc: i64,
    n: usize,
    p: &ProposalView,
    names: &HashMap<i64, String>,
    focus: bool,
) -> Markup {
    let id = p.id;
    let task = &p.task;
    let spans = &task.spans;
    let first = spans.first().map(|s| s[0]).unwrap_or(1);
    let targets = &task.targets;
    let path = &task.path;
    html! {
        h3 {
            "任务 " (n) " " span.tag { (p.state_label) } " "
            a href=(format!("/documents/{doc}?p={id}#L{first}")) { "原文" (lines_label(spans)) }
            @if let Some(m) = p.matter_id { " · " a href=(format!("/matters/{m}")) { "事项 " (m) } }
        }
        @if !path.is_empty() { p.muted { (path.join(" › ")) } }
        @if focus { p.pre { (task.text) } }
        @else { p { (excerpt(&task.text, 80)) } }
        p { "牵头单位：" (unit_list(&task.lead, names)) }
        p { "配合单位：" (unit_list(&task.co, names)) }
        p { "完成时限：" (deadline_label(task.deadline.as_ref())) }
        @if !targets.is_empty() {
            p { "量化目标：" @for (i, t) in targets.iter().enumerate() { @if i > 0 { "；" } (t.text) } }
        }
    }
}

/// 效力与引用: whether the document is in force and why, and the documents
/// it names and that name it, each linked where Duban holds it (the citing
/// lines of this document linked to its source view).
fn links_card(l: &DocumentLinksView) -> Markup {
    use duban_domain::archive::Status;
    let class = match l.status {
        Status::InForce => "tag in-force",
        Status::Amended => "tag amended",
        Status::Expired | Status::Repealed => "tag ended",
    };
    let other = |d: &DocRefView| {
        html! {
            @match d.id {
                Some(id) => a href=(format!("/documents/{id}")) { (d.name()) },
                None => span { (d.name()) " " span.muted { "（未收录）" } },
            }
        }
    };
    html! {
        section.card.links {
            h3 { "效力与引用" }
            p {
                span class=(class) { (l.status_label) }
                @if let Some(r) = &l.reason { " " (r) }
                @if let Some(t) = &l.validity_text { br; span.muted { "原文：" (t) } }
            }
            @if !l.incoming.is_empty() {
                h4 { "被以下公文引用、修改或废止" }
                ul { @for k in &l.incoming { li { (other(&k.other)) " " (k.relation.label()) "本件" } } }
            }
            @if !l.outgoing.is_empty() {
                h4 { "本件引用、修改或废止的公文" }
                ul { @for k in &l.outgoing {
                    li {
                        "本件" (k.relation.label()) " " (other(&k.other))
                        @if let Some([a, _]) = k.spans.first() { " " a.muted href=(format!("#L{a}")) { "第 " (a) " 行" } }
                    }
                } }
            }
        }
    }
}

async fn render_document(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    focus: Option<i64>,
    notice: Option<&str>,
    failed: Option<&Failed>,
) -> PageResult<Markup> {
    let data = document_data(state, &viewer.current, id, true).await?;
    let units = crate::units::units_data(state, &viewer.current).await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let types = crate::ui::type_names(state).await?;
    let unit_names: Vec<String> = units.iter().map(|u| u.name.clone()).collect();
    let (doc, proposals, links) = (&data.document, &data.proposals, &data.links);
    let source_id = doc.source_id;
    let is_pending = |p: &ProposalView| p.state == ProposalState::Pending;
    let pending: Vec<&ProposalView> = proposals.iter().filter(|p| is_pending(p)).collect();
    let lines = data.lines.as_deref().unwrap_or_default();
    let exists = |p: &i64| proposals.iter().any(|x| x.id == *p);
    let focus = failed
        .map(|f| f.proposal)
        .filter(exists)
        .or(focus.filter(exists))
        .or_else(|| pending.first().map(|p| p.id))
        .or_else(|| proposals.first().map(|p| p.id));
    let current = proposals.iter().position(|p| Some(p.id) == focus);
    // Matters that may already be this task's work, for the office to link.
    let similar = match current.map(|i| &proposals[i]) {
        Some(p) if is_pending(p) => {
            crate::links::similar_to_proposal(state, &viewer.current, p.id).await?
        }
        _ => Vec::new(),
    };
    let hits = current
        .map(|i| hit_lines(&proposals[i].task.spans))
        .unwrap_or_default();
    let title = doc
        .title
        .clone()
        .or(doc.number.clone())
        .unwrap_or_else(|| format!("公文 {id}"));
    let issuer = &doc.issuer;
    let all_failed = failed.filter(|f| f.proposal == 0);
    let body = html! {
        p.muted { a href="/documents" { "公文立项" } " › " a href=(format!("/documents/source/{source_id}")) { "文件 " (source_id) } " › 公文 " (id) }
        h1 { (title) }
        (layout::notices(notice, all_failed.map(|f| f.message.as_str())))
        table {
            tr { th { "发文字号" } td { (doc.number.as_deref().unwrap_or("—")) } th { "成文日期" } td { (doc.date.as_deref().unwrap_or("—")) } }
            tr { th { "发文机关" } td { (if issuer.is_empty() { "—".into() } else { issuer.join("、") }) } th { "拟办任务" } td { (proposals.len()) " 条，待确认 " (pending.len()) " 条" } }
        }
        (links_card(links))
        @if notice == Some("confirmed_all") && !pending.is_empty() {
            section.card {
                h3 { "以下 " (pending.len()) " 条任务未能一并立项，请逐条处理：" }
                ul { @for p in &pending {
                    @let n = proposals.iter().position(|x| x.id == p.id).unwrap_or(0) + 1;
                    li { a href=(format!("/documents/{id}?p={}", p.id)) { "任务 " (n) } "：" (left_reason(p)) }
                } }
            }
        }
        @if !pending.is_empty() {
            form method="post" action=(format!("/documents/{id}/confirm-all")) {
                (layout::csrf(viewer))
                button type="submit" { "整份公文确认立项" }
                " " span.muted { "单位均已匹配的待确认任务按原文立项交办；其余留待逐条处理。" }
            }
        }
        (layout::unit_datalist(&unit_names))
        div.split {
            div {
                @if let Some(i) = current {
                    section.card.warn-border id=(format!("p{}", proposals[i].id)) {
                        (proposal_card(id, i + 1, &proposals[i], &names, true))
                        // A refused action on a proposal decided meanwhile has no form to sit in.
                        @if let Some(f) = failed.filter(|f| proposals[i].id == f.proposal && !is_pending(&proposals[i])) {
                            p.error role="alert" { (f.message) }
                        }
                        @if is_pending(&proposals[i]) { (forms(viewer, id, &proposals[i], &names, &types, failed, &similar)) }
                    }
                }
                h2 { "全部拟办任务（" (proposals.len()) "）" }
                @if proposals.is_empty() { p.muted { "这份公文中没有读出拟办任务。" } }
                @for (i, p) in proposals.iter().enumerate() {
                    @if Some(i) != current {
                        section.card { (proposal_card(id, i + 1, p, &names, false)) }
                    }
                }
            }
            div.sticky {
                h2 { "原文" }
                div.source {
                    @for (k, l) in lines.iter().enumerate() {
                        @let n = l.line;
                        @if k > 0 && lines[k - 1].line + 1 != n { div.muted { "⋯" } }
                        div id=(format!("L{n}")) class=[hits.contains(&n).then_some("hit")] { span.no { (n) } (l.text) }
                    }
                }
            }
        }
    };
    Ok(layout::page(viewer, &title, "/documents", body))
}

pub(super) async fn document(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let id = parse_id(&raw, "公文")?;
    let focus = q.get("p").and_then(|p| p.parse().ok());
    render_document(
        &state,
        &viewer,
        id,
        focus,
        q.get("ok").map(String::as_str),
        None,
    )
    .await
}

/// Shows the document again with a refused action's message in its form.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    e: ApiError,
    proposal: i64,
    action: &str,
    fields: &Fields,
) -> PageResult<Response> {
    let failed = Failed {
        proposal,
        action: action.into(),
        fields: fields.without(&["_csrf"]),
        message: e.status_and_message().1.into(),
    };
    let page = render_document(state, viewer, id, None, None, Some(&failed)).await?;
    Ok((refused_status(&e), page).into_response())
}

/// Back to the document after an action, on the proposal to do next with
/// its lines in view (the fragment is why this is not `super::done`).
fn back_to(doc: i64, p: i64, first: u32, notice: &str) -> Response {
    Redirect::to(&format!("/documents/{doc}?p={p}&ok={notice}#L{first}")).into_response()
}

pub(super) async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, raw_p)): Path<(String, String)>,
    fields: Fields,
) -> PageResult<Response> {
    office_only(&viewer.current)?;
    let id = parse_id(&raw, "公文")?;
    let pid = parse_id(&raw_p, "拟办任务")?;
    if crate::documents::proposal_data(&state, &viewer.current, pid)
        .await?
        .document_id
        != id
    {
        return Err(ApiError::NotFound(format!("公文 {id} 中没有拟办任务 {pid}")).into());
    }
    let action = fields.get("action").to_string();
    let outcome = async {
        viewer.check_csrf(&fields)?;
        let version = fields.get("version").parse::<i64>().map_err(|_| {
            ApiError::BadRequest("页面数据不完整（缺少版本号）；请刷新页面后重试".into())
        })?;
        let reject = |merged_into| Reject {
            version,
            reason: fields.get("reason").to_string(),
            merged_into,
        };
        match action.as_str() {
            "confirm" => {
                let units = crate::units::units_data(&state, &viewer.current).await?;
                let groups = crate::units::groups_data(&state, &viewer.current).await?;
                let c = confirm_input(&fields, &units, &groups, version)?;
                let made = confirm_data(&state, &viewer.current, pid, c).await?;
                // The candidates the office ticked are linked to the new matter.
                let matter = made.matter;
                for (_, other) in fields.0.iter().filter(|(k, _)| k == "link_to") {
                    if let Ok(other) = other.parse::<i64>() {
                        let body = crate::links::LinkBody {
                            other,
                            reason: "立项时确认为相近事项".into(),
                        };
                        crate::links::link_data(&state, &viewer.current, matter, &body, true)
                            .await?;
                    }
                }
                Ok("confirmed")
            }
            "reject" => reject_data(&state, &viewer.current, pid, reject(None))
                .await
                .map(|_| "rejected"),
            "merge" => {
                let into = fields
                    .get("merged_into")
                    .trim_start_matches('#')
                    .parse::<i64>()
                    .map_err(|_| {
                        ApiError::Unprocessable(
                            "请填写要合并到的事项编号（数字，见督办事项列表）".into(),
                        )
                    })?;
                reject_data(&state, &viewer.current, pid, reject(Some(into)))
                    .await
                    .map(|_| "merged")
            }
            _ => Err(ApiError::BadRequest("未知的操作；请刷新页面后重试".into())),
        }
    }
    .await;
    match outcome {
        Ok(code) => {
            let ps = crate::documents::proposals_data(&state, &viewer.current, id).await?;
            let order: Vec<(i64, bool)> = ps
                .iter()
                .map(|p| (p.id, p.state == duban_store::ProposalState::Pending))
                .collect();
            let next = next_pending(&order, pid).unwrap_or(pid);
            let first = ps
                .iter()
                .find(|p| p.id == next)
                .and_then(|p| p.task.spans.first())
                .map(|s| s[0]);
            Ok(back_to(id, next, first.unwrap_or(1), code))
        }
        // Anything else, a missing merge target included, is the user's to fix.
        Err(e @ ApiError::Internal(_)) => Err(e.into()),
        Err(e) => refused(&state, &viewer, id, e, pid, &action, &fields).await,
    }
}

pub(super) async fn confirm_all(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    fields: Fields,
) -> PageResult<Response> {
    let id = parse_id(&raw, "公文")?;
    let outcome = async {
        viewer.check_csrf(&fields)?;
        confirm_all_data(&state, &viewer.current, id).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(crate::ui::done(
            &format!("/documents/{id}"),
            "confirmed_all",
        )),
        Err(e @ (ApiError::Internal(_) | ApiError::NotFound(_))) => Err(e.into()),
        Err(e) => refused(&state, &viewer, id, e, 0, "confirm_all", &fields).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmatched_units_are_marked_with_their_candidates() {
        let names = HashMap::from([
            (1, "区发展和改革局".to_string()),
            (2, "区财政局".to_string()),
        ]);
        let unit = |name: &str, unit: Option<i64>, candidates: Vec<(i64, f32)>| UnitNameView {
            name: name.into(),
            unit,
            candidates,
            group: None,
        };
        let list = vec![
            unit("区发改局", Some(1), vec![]),
            unit("财政局", None, vec![(2, 0.8)]),
        ];
        let html = unit_list(&list, &names).into_string();
        assert!(
            html.contains("区发展和改革局") && html.contains("（原文：区发改局）"),
            "{html}"
        );
        assert!(
            html.contains("财政局 <span class=\"light unknown\">未匹配</span>"),
            "{html}"
        );
        assert!(html.contains("可能是：区财政局"), "{html}");
        assert_eq!(unit_field(&list, &names), "区发展和改革局、财政局");
        let p = crate::documents::proposal_view(duban_store::Proposal {
            id: 1,
            document_id: 1,
            task: duban_store::ProposedTask {
                path: vec![],
                text: "任务".into(),
                spans: vec![[1, 1]],
                lead: list
                    .iter()
                    .map(|u| duban_store::ProposedUnit {
                        name: u.name.clone(),
                        unit: u.unit,
                        candidates: u.candidates.clone(),
                        group: None,
                    })
                    .collect(),
                co: vec![],
                owner_scope: String::new(),
                deadline: Some(serde_json::json!({ "text": "年底前", "date": "2026-12-31" })),
                targets: serde_json::json!([{ "text": "增长8%", "metric": "增长", "op": "=", "value": 8.0, "unit": "%", "by": null }]),
            },
            state: ProposalState::Pending,
            matter_id: None,
            version: 1,
        });
        assert_eq!(p.state_label, "待确认");
        assert_eq!(
            deadline_label(p.task.deadline.as_ref()),
            "年底前（2026-12-31）"
        );
        assert_eq!(p.task.targets[0].text, "增长8%");
        assert_eq!(left_reason(&p), "单位未匹配单位名录：财政局");
    }
}
