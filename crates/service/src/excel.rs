//! Excel in and out of the supervision record. Importing a 任务分解表 or a
//! 重点工程项目 list: read the workbook (`duban_office`), resolve every unit
//! name to the registry (an unknown name refuses its row, naming the
//! closest units), refuse rows a person must fix (a past deadline, a row
//! imported before), and only when every row is accepted create all the
//! matters in one transaction — a refused file leaves nothing behind. The
//! report lists every row with what it became or why it was refused.
//! Exporting the 台账 lives in [`ledger`].

pub mod ledger;
mod report;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterKind, MatterType, Source};
use duban_domain::org::{self, Unit};
use duban_office::table::{Outcome, Parsed, RowReport};
use duban_office::{projects, tasklist, xlsx};
use duban_store::{Error, NewMatter, Store};
use serde_json::json;

pub use ledger::{export_ledger, Ledger, LedgerFilter};
pub use report::{title_of, ImportReport, ReportRow, UnitRef};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The matter type by name (普通, 重大, 持续, or an active custom
    /// type); 持续推进 when none is given.
    pub matter_type: Option<String>,
    /// Check and report only; write nothing.
    pub dry_run: bool,
    /// The list's name on the matters' source; the sheet's title, else
    /// the file's name, when none is given.
    pub list: Option<String>,
}

/// A row read and ready to be checked against the registry and the
/// record.
struct Candidate {
    item: String,
    title: String,
    detail: String,
    lead: Vec<String>,
    co: Vec<String>,
    deadline: Option<NaiveDate>,
    continuing: bool,
    targets: serde_json::Value,
}

/// Resolves printed unit names; every name that matches no unit is a
/// reason naming the closest units.
fn resolve_names(units: &[Unit], names: &[String], role: &str) -> (Vec<UnitRef>, Vec<String>) {
    let name_of = |id: i64| units.iter().find(|u| u.id == id).map(|u| u.name.clone());
    let (mut ids, mut problems): (Vec<UnitRef>, Vec<String>) = (Vec::new(), Vec::new());
    for n in names {
        match org::resolve_named(units, n) {
            Ok(id) => {
                if !ids.iter().any(|u| u.id == id) {
                    ids.push(UnitRef {
                        id,
                        name: name_of(id).unwrap_or_default(),
                    });
                }
            }
            Err(why) => problems.push(format!("{role}{why}")),
        }
    }
    (ids, problems)
}

/// The report row of a sheet row that was skipped or refused while read;
/// a refused row's unit names are checked too, so one pass shows every
/// reason.
fn unread_row<T>(r: &RowReport<T>, units: &[Unit]) -> Option<ReportRow> {
    let mut row = ReportRow {
        row: r.row,
        status: "skipped",
        status_label: "跳过",
        item: None,
        title: None,
        lead: Vec::new(),
        co: Vec::new(),
        deadline: None,
        matter_type: None,
        matter_id: None,
        reasons: Vec::new(),
        notes: r.notes.clone(),
    };
    match &r.outcome {
        Outcome::Read { .. } => return None,
        Outcome::Skipped { reason } => row.reasons.push(reason.clone()),
        Outcome::Refused {
            reasons,
            item,
            title,
            units: names,
        } => {
            row.status = "refused";
            row.status_label = "不能导入";
            row.item = Some(item.clone());
            row.title = Some(title.clone()).filter(|t| !t.is_empty());
            row.reasons = reasons.clone();
            for (role, name) in names {
                let (found, problems) = resolve_names(units, std::slice::from_ref(name), role);
                row.reasons.extend(problems);
                if role == "配合单位" {
                    row.co.extend(found);
                } else {
                    row.lead.extend(found);
                }
            }
        }
    }
    Some(row)
}

/// Imports a 任务分解表. `Err` only when the store fails; a refused file is
/// an `Ok` report whose `ok()` is false, with nothing written.
#[allow(clippy::too_many_arguments)]
pub async fn import_tasks(
    store: &Store,
    actor: Option<i64>,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
    now: NaiveDateTime,
    cal: &Calendar,
) -> Result<ImportReport, Error> {
    let mut report = ImportReport::new("tasks", file, options.dry_run);
    let parsed = match xlsx::read(bytes)
        .map_err(|e| e.to_string())
        .and_then(|sheets| tasklist::parse(&sheets, now.year()))
    {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(e);
            return Ok(report);
        }
    };
    let units = store.units().await?;
    let rows = candidates(&mut report, &parsed, &units, |t: &tasklist::Task| {
        Candidate {
            item: t.item.clone(),
            title: title_of(&t.text),
            detail: t.detail.clone(),
            lead: t.lead.clone(),
            co: t.co.clone(),
            deadline: t.deadline,
            continuing: t.continuing,
            targets: json!([]),
        }
    });
    finish(store, actor, report, rows, &units, options, now, cal).await
}

/// Imports a 重点工程项目 list: each project becomes a matter of its units
/// with the planned completion as deadline and the investment figures and
/// planned dates as targets.
#[allow(clippy::too_many_arguments)]
pub async fn import_projects(
    store: &Store,
    actor: Option<i64>,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
    now: NaiveDateTime,
    cal: &Calendar,
) -> Result<ImportReport, Error> {
    let mut report = ImportReport::new("projects", file, options.dry_run);
    let parsed = match xlsx::read(bytes)
        .map_err(|e| e.to_string())
        .and_then(|sheets| projects::parse(&sheets, now.year()))
    {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(e);
            return Ok(report);
        }
    };
    let units = store.units().await?;
    let rows = candidates(&mut report, &parsed, &units, project_candidate);
    finish(store, actor, report, rows, &units, options, now, cal).await
}

fn project_candidate(p: &projects::Project) -> Candidate {
    let money = |v: f64| format!("{}", (v * 10_000.0).round() / 10_000.0);
    let mut detail = vec![p.name.clone()];
    if let Some(c) = &p.content {
        detail.push(format!("建设内容：{c}"));
    }
    let mut plan = Vec::new();
    let mut targets = Vec::new();
    if let Some(t) = p.total_investment {
        plan.push(format!("总投资{}万元", money(t)));
        targets.push(json!({
            "text": format!("总投资{}万元", money(t)), "metric": "总投资", "op": "=",
            "value": t, "unit": "万元", "by": p.planned_finish,
        }));
    }
    if let Some(a) = p.annual_investment {
        let by = NaiveDate::from_ymd_opt(p.annual_year, 12, 31);
        plan.push(format!("{}年计划投资{}万元", p.annual_year, money(a)));
        targets.push(json!({
            "text": format!("{}年计划投资{}万元", p.annual_year, money(a)),
            "metric": "年度计划投资", "op": ">=", "value": a, "unit": "万元", "by": by,
        }));
    }
    if let Some(s) = p.planned_start {
        plan.push(format!("计划开工{s}"));
        targets.push(json!({
            "text": format!("计划开工时间：{s}"), "metric": "计划开工时间", "kind": "milestone", "date": s,
        }));
    }
    plan.push(format!("计划竣工{}", p.planned_finish));
    targets.push(json!({
        "text": format!("计划竣工时间：{}", p.planned_finish), "metric": "计划竣工时间",
        "kind": "milestone", "date": p.planned_finish,
    }));
    detail.push(plan.join("；"));
    Candidate {
        item: p.item.clone(),
        title: title_of(&p.name),
        detail: detail.join("\n"),
        lead: p.lead.clone(),
        co: p.co.clone(),
        deadline: Some(p.planned_finish),
        continuing: false,
        targets: json!(targets),
    }
}

/// Fills the report's sheet-level fields and the rows refused or skipped
/// while reading; returns the rows read, by their sheet row.
fn candidates<T>(
    report: &mut ImportReport,
    parsed: &Parsed<T>,
    units: &[Unit],
    make: impl Fn(&T) -> Candidate,
) -> Vec<(u32, Vec<String>, Candidate)> {
    report.sheet = Some(parsed.sheet.clone());
    report.header_row = Some(parsed.header_row);
    report.columns = parsed
        .columns
        .iter()
        .map(|c| (c.label.to_string(), c.header.clone()))
        .collect();
    report.notes = parsed.notes.clone();
    if let Some(t) = parsed.title.as_deref().filter(|t| t.chars().count() <= 100) {
        report.list = t.to_string();
    }
    let mut out = Vec::new();
    for r in &parsed.rows {
        match &r.outcome {
            Outcome::Read { item } => out.push((r.row, r.notes.clone(), make(item))),
            _ => report.rows.extend(unread_row(r, units)),
        }
    }
    out
}

/// Checks every row read against the registry and the record, and writes
/// them all in one transaction when none is refused.
#[allow(clippy::too_many_arguments)]
async fn finish(
    store: &Store,
    actor: Option<i64>,
    mut report: ImportReport,
    rows: Vec<(u32, Vec<String>, Candidate)>,
    units: &[Unit],
    options: &ImportOptions,
    now: NaiveDateTime,
    cal: &Calendar,
) -> Result<ImportReport, Error> {
    if let Some(l) = options
        .list
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        report.list = l.to_string();
    }
    let chosen = match options
        .matter_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(name) => match store.matter_type_named(name).await {
            Ok(t) => t,
            Err(Error::Invalid(m)) => {
                report.error = Some(m);
                return Ok(report);
            }
            Err(e) => return Err(e),
        },
        None => MatterType::continuing(),
    };
    if rows.is_empty() && !report.rows.iter().any(|r| r.status == "refused") {
        report.error = Some(format!(
            "工作表“{}”的表头（第{}行）下没有可导入的行",
            report.sheet.as_deref().unwrap_or(""),
            report.header_row.unwrap_or(0)
        ));
        return Ok(report);
    }
    let earlier = store.list_matters(&report.list).await?;
    let today = now.date();
    let mut matters = Vec::new();
    let mut seen: Vec<(String, String, u32)> = Vec::new();
    for (row, mut notes, c) in rows {
        let (lead, mut reasons) = resolve_names(units, &c.lead, "牵头单位");
        let (co, more) = resolve_names(units, &c.co, "配合单位");
        reasons.extend(more);
        for u in co.iter().filter(|u| lead.iter().any(|l| l.id == u.id)) {
            reasons.push(format!(
                "“{}”同时是牵头单位和配合单位；请只保留一处",
                u.name
            ));
        }
        if let Some(d) = c.deadline.filter(|d| *d < today) {
            reasons.push(format!(
                "完成时限 {d} 早于今天（{today}）；请核对年份，或改为今后的日期"
            ));
        }
        if let Some(m) = earlier
            .iter()
            .find(|m| m.item == c.item && m.title == c.title)
        {
            reasons.push(format!(
                "清单“{}”的第{}项已于此前导入（事项 {}）；同一任务不重复交办",
                report.list, c.item, m.id
            ));
        }
        if let Some((.., first)) = seen.iter().find(|(i, t, _)| *i == c.item && *t == c.title) {
            reasons.push(format!("与第{first}行重复"));
        }
        seen.push((c.item.clone(), c.title.clone(), row));
        let ty = if c.continuing && chosen.kind != MatterKind::Continuing {
            notes.push(format!(
                "完成时限为持续性表述，按持续推进事项导入（而非{}）",
                chosen.name
            ));
            MatterType::continuing()
        } else {
            chosen.clone()
        };
        let accepted = reasons.is_empty();
        report.rows.push(ReportRow {
            row,
            status: if accepted { "accepted" } else { "refused" },
            status_label: if accepted {
                "可导入"
            } else {
                "不能导入"
            },
            item: Some(c.item.clone()),
            title: Some(c.title.clone()),
            lead: lead.clone(),
            co: co.clone(),
            deadline: c.deadline,
            matter_type: Some(ty.name.clone()),
            matter_id: None,
            reasons,
            notes,
        });
        if accepted {
            matters.push((
                row,
                NewMatter {
                    title: c.title,
                    detail: c.detail,
                    matter_type: ty,
                    source: Source::List {
                        list: report.list.clone(),
                        item: c.item,
                    },
                    deadline: c.deadline,
                    targets: c.targets,
                    lead: lead.iter().map(|u| u.id).collect(),
                    co: co.iter().map(|u| u.id).collect(),
                    raised_by: None,
                },
            ));
        }
    }
    report.rows.sort_by_key(|r| r.row);
    count(&mut report);
    if !report.ok() || options.dry_run {
        return Ok(report);
    }
    let (rows_of, batch): (Vec<u32>, Vec<NewMatter>) = matters.into_iter().unzip();
    match store.create_matters(actor, batch, now, cal).await {
        Ok(records) => {
            for (row, rec) in rows_of.iter().zip(&records) {
                if let Some(r) = report.rows.iter_mut().find(|r| r.row == *row) {
                    r.matter_id = Some(rec.matter.id);
                    r.status_label = "已导入";
                }
            }
            report.written = true;
        }
        // A row the store refuses (a limit the calendar cannot give, a
        // repeat imported meanwhile) refuses the file like any other;
        // nothing was written.
        Err(duban_store::ledger::BatchError {
            index: Some(i),
            error: e @ (Error::Invalid(_) | Error::Duplicate(_) | Error::Rule(_)),
        }) => {
            let m = e.to_string();
            if let Some(r) = report
                .rows
                .iter_mut()
                .find(|r| Some(r.row) == rows_of.get(i).copied())
            {
                r.status = "refused";
                r.status_label = "不能导入";
                r.reasons.push(m);
            }
            count(&mut report);
        }
        Err(e) => return Err(e.error),
    }
    Ok(report)
}

fn count(report: &mut ImportReport) {
    let n = |s: &str| report.rows.iter().filter(|r| r.status == s).count();
    let counts = (n("accepted"), n("refused"), n("skipped"));
    (report.accepted, report.refused, report.skipped) = counts;
}
