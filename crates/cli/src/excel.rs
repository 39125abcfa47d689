//! `duban export ledger --out FILE.xlsx`: the 台账 as an Excel workbook;
//! `duban import tasks|projects FILE.xlsx`: a 任务分解表 or a 重点工程项目
//! list into matters, all rows or none, printing what became of every row.
//! The exit code is non-zero when the file was refused.

use crate::common::{local_now, open_store, run_async, ConfigArg};
use duban_domain::matter::MatterStatus;
use duban_domain::org;
use duban_service::excel::{self, ImportOptions, ImportReport, LedgerFilter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: Export,
}

#[derive(clap::Subcommand)]
enum Export {
    /// The ledger (台账): one row per matter and unit.
    Ledger {
        /// The .xlsx file to write (replaced if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Only this unit's rows (its name or an alias).
        #[arg(long)]
        unit: Option<String>,
        /// open (办理中) or closed (已销号).
        #[arg(long, value_parser = ["open", "closed", "withdrawn"])]
        status: Option<String>,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    what: Import,
}

#[derive(clap::Args)]
struct ImportFile {
    /// The .xlsx (or .xls) file.
    file: PathBuf,
    /// Matter type: 普通, 重大, 持续, or an active custom type (default 持续).
    #[arg(long = "type")]
    matter_type: Option<String>,
    /// Check every row and print the report; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The list's name on the matters (default: the sheet's title or the file name).
    #[arg(long)]
    list: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Subcommand)]
enum Import {
    /// A task list (任务分解表): 序号, 任务内容, 牵头单位, 配合单位, 完成时限.
    Tasks(ImportFile),
    /// A key-project list (重点工程项目): 项目名称, 项目单位, 总投资, 年度计划投资, 计划开工/竣工时间.
    Projects(ImportFile),
}

pub fn export(args: &ExportArgs) -> ExitCode {
    let Export::Ledger {
        out,
        unit,
        status,
        config,
    } = &args.what;
    run_async("export", async move {
        let (cfg, store) = open_store(config).await?;
        let units = match unit {
            Some(name) => {
                let all = store.units().await.map_err(|e| e.to_string())?;
                Some(vec![org::resolve_named(&all, name)?])
            }
            None => None,
        };
        let status = match status.as_deref() {
            Some("open") => Some(MatterStatus::Open),
            Some("closed") => Some(MatterStatus::Closed),
            Some("withdrawn") => Some(MatterStatus::Withdrawn),
            _ => None,
        };
        let cal = store.calendar().await.map_err(|e| e.to_string())?;
        let today = local_now(&cfg).date();
        let zone = cfg.clock().zone();
        let filter = LedgerFilter { units, status };
        let ledger = excel::export_ledger(&store, &filter, today, &zone, &cal)
            .await
            .map_err(|e| e.to_string())?;
        store.close().await;
        std::fs::write(out, &ledger.bytes)
            .map_err(|e| format!("无法写入 {}：{e}", out.display()))?;
        println!(
            "已导出台账到 {}：{} 个事项，{} 行",
            out.display(),
            ledger.matters,
            ledger.rows
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn import(args: &ImportArgs) -> ExitCode {
    let (projects, f) = match &args.what {
        Import::Tasks(f) => (false, f),
        Import::Projects(f) => (true, f),
    };
    run_async("import", async move {
        let bytes =
            std::fs::read(&f.file).map_err(|e| format!("无法读取 {}：{e}", f.file.display()))?;
        let (cfg, store) = open_store(&f.config).await?;
        let cal = store.calendar().await.map_err(|e| e.to_string())?;
        let now = local_now(&cfg);
        let name = f
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let options = ImportOptions {
            matter_type: f.matter_type.clone(),
            dry_run: f.dry_run,
            list: f.list.clone(),
        };
        let report = if projects {
            excel::import_projects(&store, None, &name, &bytes, &options, now, &cal).await
        } else {
            excel::import_tasks(&store, None, &name, &bytes, &options, now, &cal).await
        }
        .map_err(|e| e.to_string())?;
        store.close().await;
        if f.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        } else {
            print!("{}", render(&report));
        }
        Ok(if report.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

/// The report for a terminal: the file, then one line per row.
fn render(r: &ImportReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if let (Some(sheet), Some(h)) = (&r.sheet, r.header_row) {
        let _ = writeln!(
            s,
            "{}：工作表“{sheet}”，表头在第{h}行，清单“{}”",
            r.file, r.list
        );
        let cols: Vec<String> = r.columns.iter().map(|(l, h)| format!("{l}＝{h}")).collect();
        let _ = writeln!(s, "  读取的列：{}", cols.join("  "));
    }
    for n in &r.notes {
        let _ = writeln!(s, "  提示：{n}");
    }
    for row in &r.rows {
        let names = |u: &[excel::UnitRef]| {
            u.iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let what = match row.status {
            "accepted" => {
                let mut parts = vec![format!(
                    "[{}] {}",
                    row.item.as_deref().unwrap_or(""),
                    row.title.as_deref().unwrap_or("")
                )];
                parts.push(format!("牵头：{}", names(&row.lead)));
                if !row.co.is_empty() {
                    parts.push(format!("配合：{}", names(&row.co)));
                }
                parts.push(match row.deadline {
                    Some(d) => format!("完成时限 {d}"),
                    None => "无完成时限".into(),
                });
                parts.extend(row.matter_type.clone());
                if let Some(id) = row.matter_id {
                    parts.push(format!("事项 {id}"));
                }
                parts.join(" | ")
            }
            _ => {
                let head = row
                    .title
                    .as_ref()
                    .map(|t| format!("[{}] {t}：", row.item.as_deref().unwrap_or("")))
                    .unwrap_or_default();
                format!("{head}{}", row.reasons.join("；"))
            }
        };
        let _ = writeln!(s, "  第{}行  {}  {what}", row.row, row.status_label);
        for n in &row.notes {
            let _ = writeln!(s, "          提示：{n}");
        }
    }
    let _ = writeln!(s, "{}", r.summary());
    s
}
