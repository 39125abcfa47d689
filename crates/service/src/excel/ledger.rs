//! The 台账 as an Excel workbook: one row per matter and unit (each lead
//! and co-operating unit's track), with the columns offices keep — 序号,
//! 任务内容, 牵头单位, 配合单位, the unit and its role, 完成时限, the next
//! limit (下一时限, 下一环节, 剩余或逾期), 进展情况
//! (the unit's latest report), 状态, 灯色, 签收时间, 最近反馈, 办结等次,
//! 来源 — dates as real Excel dates, the header styled, frozen and
//! filterable. Which matters and tracks are in it is the caller's scope.

use chrono::NaiveDate;
use duban_domain::calendar::Calendar;
use duban_domain::limits;
use duban_domain::matter::{MatterKind, MatterStatus, Role, Source, UnitId};
use duban_office::xlsx::{self, Cell, Column, SheetSpec};
use duban_store::matters::{BoardQuery, BoardSort};
use duban_store::{Error, Store};
use std::collections::HashMap;

/// Which rows the ledger holds.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// Only these units' rows (a unit's or a leader's scope, or a chosen
    /// unit); `None` for every unit.
    pub units: Option<Vec<UnitId>>,
    pub status: Option<MatterStatus>,
}

/// The workbook and what it holds.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub bytes: Vec<u8>,
    pub matters: usize,
    pub rows: usize,
}

/// The most matters one export takes; beyond it the office filters first.
pub const EXPORT_MAX: i64 = 50_000;

/// The columns, in order.
fn columns() -> Vec<Column> {
    vec![
        Column::new("序号", 6.0),
        Column::new("事项编号", 9.0),
        Column::wrapped("任务内容", 48.0),
        Column::wrapped("牵头单位", 20.0),
        Column::wrapped("配合单位", 20.0),
        Column::wrapped("承办单位", 20.0),
        Column::new("角色", 9.0),
        Column::new("完成时限", 12.0),
        Column::new("下一时限", 12.0),
        Column::new("下一环节", 14.0),
        Column::new("剩余或逾期", 12.0),
        Column::wrapped("进展情况", 40.0),
        Column::new("状态", 9.0),
        Column::new("灯色", 9.0),
        Column::new("签收时间", 17.0),
        Column::new("最近反馈", 17.0),
        Column::new("办结等次", 9.0),
        Column::wrapped("来源", 28.0),
    ]
}

/// The header of the ledger, as written (for callers and tests).
pub fn headers() -> Vec<String> {
    columns().into_iter().map(|c| c.header).collect()
}

/// Where a matter came from, in words.
async fn source_text(
    store: &Store,
    s: &Source,
    docs: &mut HashMap<i64, String>,
) -> Result<String, Error> {
    Ok(match s {
        Source::Document { document_id, .. } => {
            if !docs.contains_key(document_id) {
                let name = match store.document(*document_id).await {
                    Ok(d) => d.number.or(d.title).unwrap_or_default(),
                    Err(Error::NotFound(_)) => String::new(),
                    Err(e) => return Err(e),
                };
                docs.insert(*document_id, name);
            }
            format!("公文：{}", docs[document_id])
        }
        Source::Meeting { name, .. } => format!("会议：{name}"),
        Source::Instruction { leader, .. } => format!("领导批示：{leader}"),
        Source::List { list, item } => format!("清单：{list} 第{item}项"),
        Source::Appeal { channel, .. } => format!("企业群众诉求：{channel}"),
    })
}

/// Builds the ledger of the matters and tracks `filter` selects, with
/// lights as of `today`; its title says the times are in `zone`
/// ([`duban_domain::clock::LocalTime::zone`]).
pub async fn export_ledger(
    store: &Store,
    filter: &LedgerFilter,
    today: NaiveDate,
    zone: &str,
    cal: &Calendar,
) -> Result<Ledger, Error> {
    if filter.units.as_ref().is_some_and(|u| u.is_empty()) {
        return write(Vec::new(), 0, today, zone);
    }
    let names: HashMap<UnitId, String> = store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let unit = |id: UnitId| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("单位{id}"))
    };
    let in_view = |u: UnitId| filter.units.as_ref().is_none_or(|v| v.contains(&u));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut docs = HashMap::new();
    let (mut after, mut n) = (None, 0usize);
    loop {
        let page = store
            .board(&BoardQuery {
                units: filter.units.clone(),
                status: filter.status,
                after: after.clone(),
                ..BoardQuery::all(today, BoardSort::Oldest, 500)
            })
            .await?;
        if after.is_none() && page.total > EXPORT_MAX {
            return Err(Error::Invalid(format!(
                "共 {} 个事项，超过一次导出的上限 {EXPORT_MAX} 个；请按单位或状态筛选后分批导出",
                page.total
            )));
        }
        let track_ids: Vec<i64> = page
            .matters
            .iter()
            .flat_map(|m| m.tracks.iter().map(|t| t.track.id))
            .collect();
        let reports = store.last_reports(&track_ids).await?;
        for m in &page.matters {
            n += 1;
            let mm = &m.matter;
            let of_role = |r: Role| {
                m.tracks
                    .iter()
                    .filter(|t| t.track.role == r)
                    .map(|t| unit(t.track.unit_id))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let (lead, co) = (of_role(Role::Lead), of_role(Role::Co));
            let source = source_text(store, &mm.source, &mut docs).await?;
            let text = if mm.detail.trim().is_empty() {
                &mm.title
            } else {
                &mm.detail
            };
            for t in m.tracks.iter().filter(|t| in_view(t.track.unit_id)) {
                let tr = &t.track;
                let ty = &mm.matter_type;
                let limit = match limits::resolve_due(tr, ty, cal) {
                    Ok(Some(d)) => Cell::Date(d),
                    _ if ty.kind == MatterKind::Continuing => Cell::text("持续推进"),
                    Ok(None) => Cell::Empty,
                    Err(_) => Cell::text("无法计算"),
                };
                // The next limit, its step, and the days left or late.
                let next = match limits::next_due(tr, ty, cal, today) {
                    Ok(Some(d)) => {
                        let days = limits::days_to(ty, cal, today, d.date)
                            .map(|n| limits::days_text(ty.counting, n))
                            .unwrap_or_else(|_| "无法计算".to_string());
                        [
                            Cell::Date(d.date),
                            Cell::text(d.limit.label()),
                            Cell::text(days),
                        ]
                    }
                    Ok(None) => [Cell::Empty, Cell::Empty, Cell::Empty],
                    Err(_) => [Cell::text("无法计算"), Cell::Empty, Cell::Empty],
                };
                let [next_date, next_step, next_days] = next;
                let light = match limits::light(tr, ty, cal, today) {
                    Ok(l) => l.label().to_string(),
                    Err(_) => "无法计算".to_string(),
                };
                let at = |d: Option<chrono::NaiveDateTime>| d.map_or(Cell::Empty, Cell::DateTime);
                rows.push(vec![
                    Cell::Number(n as f64),
                    Cell::Number(mm.id as f64),
                    Cell::text(text.as_str()),
                    Cell::text(lead.as_str()),
                    Cell::text(co.as_str()),
                    Cell::text(unit(tr.unit_id)),
                    Cell::text(if tr.role == Role::Lead {
                        "牵头"
                    } else {
                        "配合"
                    }),
                    limit,
                    next_date,
                    next_step,
                    next_days,
                    reports
                        .get(&tr.id)
                        .map_or(Cell::Empty, |r| Cell::text(r.as_str())),
                    Cell::text(tr.state.label()),
                    Cell::text(light),
                    at(tr.signed_at),
                    at(tr.report_times.last().copied()),
                    tr.grade().map_or(Cell::Empty, |g| Cell::text(g.label())),
                    Cell::text(source.as_str()),
                ]);
            }
        }
        after = page.next.clone();
        if after.is_none() {
            break;
        }
    }
    write(rows, n, today, zone)
}

fn write(
    rows: Vec<Vec<Cell>>,
    matters: usize,
    today: NaiveDate,
    zone: &str,
) -> Result<Ledger, Error> {
    let count = rows.len();
    let spec = SheetSpec {
        name: "台账".into(),
        title: Some(format!("督办事项台账（截至 {today}，时间均为{zone}）")),
        columns: columns(),
        rows,
        merges: Vec::new(),
    };
    let bytes = xlsx::write(&[spec]).map_err(|e| Error::Invalid(e.to_string()))?;
    Ok(Ledger {
        bytes,
        matters,
        rows: count,
    })
}
