//! `duban indicators [--unit NAME] [--json]`: the indicators (量化指标)
//! with their progress, as the API's `GET /api/v1/indicators` answers for
//! the office (the same value, [`duban_web::indicators::table`]), printed
//! as a table or as JSON.

use crate::common::{open_store, run_async, today, ConfigArg};
use duban_domain::org;
use duban_web::error::ApiError;
use duban_web::views::IndicatorListView;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Only the indicators this unit leads (its name or an alias).
    #[arg(long)]
    unit: Option<String>,
    /// Print the API's JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    run_async("indicators", async move {
        let (cfg, store) = open_store(&args.config).await?;
        let lead = match &args.unit {
            Some(name) => {
                let all = store.units().await.map_err(|e| e.to_string())?;
                Some(vec![org::resolve_named(&all, name)?])
            }
            None => None,
        };
        let today = today(&cfg);
        let data = duban_web::indicators::table(&store, None, lead.as_deref(), today)
            .await
            .map_err(|e| match e {
                ApiError::Internal(d) => d,
                other => format!("{other:?}"),
            })?;
        store.close().await;
        if args.json {
            // Through a `Value`, so the keys come in the order they always
            // have (sorted).
            let value = serde_json::to_value(&data).unwrap_or_default();
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        } else {
            print!("{}", render(&data));
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A number with at most two decimals, no trailing zeros.
fn num(v: Option<f64>) -> String {
    match v {
        Some(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        None => "—".into(),
    }
}

/// The table: one line per indicator, tab-separated so it pastes into a
/// spreadsheet, then the count and the definitions.
fn render(data: &IndicatorListView) -> String {
    let mut out =
        String::from("事项\t牵头单位\t指标\t目标\t最近一期\t完成比例\t应达值\t超前/落后\t状态\n");
    for i in &data.indicators {
        let p = &i.progress;
        let unit = &i.unit;
        let leads: Vec<&str> = i.leads.iter().map(|u| u.name.as_str()).collect();
        let latest = match &p.latest {
            None => "—".to_string(),
            Some(l) => format!("{} {}{unit}", l.period, num(Some(l.value))),
        };
        let ratio = p
            .ratio_of_target
            .map_or("—".into(), |r| format!("{:.1}%", r * 100.0));
        out.push_str(&format!(
            "{}\t{}\t{}\t{} {}{unit}\t{latest}\t{ratio}\t{}{unit}\t{}\t{}\n",
            i.title,
            leads.join("、"),
            i.text,
            i.op,
            num(Some(i.target)),
            num(Some(p.expected_by_now)),
            num(p.ahead_or_behind),
            p.status_label,
        ));
    }
    out.push_str(&format!(
        "共 {} 项指标（统计日期 {}）。\n{}\n",
        data.indicators.len(),
        data.today,
        data.definitions
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::indicator::{Status, TargetKind};
    use duban_domain::matter::MatterStatus;
    use duban_web::views::{IndicatorItem, PeriodValue, ProgressView, UnitRef};

    #[test]
    fn the_table_shows_each_indicator_on_a_line() {
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let data = IndicatorListView {
            today: day("2024-07-01"),
            total: 1,
            definitions: "口径".into(),
            indicators: vec![IndicatorItem {
                matter_id: 1,
                index: 1,
                title: "主要经济指标".into(),
                matter_status: MatterStatus::Open,
                matter_status_label: "办理中".into(),
                leads: vec![UnitRef {
                    id: 1,
                    name: "区发改局".into(),
                }],
                text: "公共充电桩13502台".into(),
                metric: "公共充电桩".into(),
                op: ">=".into(),
                target: 13502.0,
                unit: "台".into(),
                kind: TargetKind::Amount,
                kind_label: TargetKind::Amount.label().into(),
                start: day("2024-01-01"),
                by: day("2024-12-31"),
                progress: ProgressView {
                    latest: Some(PeriodValue {
                        period: "2024Q1".into(),
                        value: 3000.0,
                    }),
                    as_of: day("2024-03-31"),
                    pace: 0.25,
                    ratio_of_target: Some(0.2222),
                    expected_by_now: 3357.08,
                    ahead_or_behind: Some(-357.08),
                    status: Status::Behind,
                    status_label: "滞后".into(),
                },
            }],
        };
        let t = render(&data);
        assert!(t.contains("主要经济指标\t区发改局\t公共充电桩13502台\t>= 13502台\t2024Q1 3000台\t22.2%\t3357.08台\t-357.08\t滞后"), "{t}");
        assert!(t.contains("共 1 项指标"), "{t}");
    }
}
