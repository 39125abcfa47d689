//! `duban indicators [--unit NAME] [--json]`: the indicators (量化指标)
//! with their progress, as the API's `GET /api/v1/indicators` answers for
//! the office (the same value, [`duban_web::indicators::table`]), printed
//! as a table or as JSON.

use crate::common::{open_store, run_async, today, ConfigArg};
use duban_domain::org;
use duban_web::error::ApiError;
use serde_json::Value;
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
            println!(
                "{}",
                serde_json::to_string_pretty(&data).unwrap_or_default()
            );
        } else {
            print!("{}", render(&data));
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A number with at most two decimals, no trailing zeros.
fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        None => "—".into(),
    }
}

/// The table: one line per indicator, tab-separated so it pastes into a
/// spreadsheet, then the count and the definitions.
fn render(data: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out =
        String::from("事项\t牵头单位\t指标\t目标\t最近一期\t完成比例\t应达值\t超前/落后\t状态\n");
    let items = data["indicators"].as_array().cloned().unwrap_or_default();
    for i in &items {
        let p = &i["progress"];
        let unit = s(&i["unit"]);
        let leads: Vec<String> = i["leads"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| s(&u["name"]))
            .collect();
        let latest = if p["latest"].is_null() {
            "—".to_string()
        } else {
            format!(
                "{} {}{unit}",
                s(&p["latest"]["period"]),
                num(&p["latest"]["value"])
            )
        };
        let ratio = p["ratio_of_target"]
            .as_f64()
            .map_or("—".into(), |r| format!("{:.1}%", r * 100.0));
        out.push_str(&format!(
            "{}\t{}\t{}\t{} {}{unit}\t{latest}\t{ratio}\t{}{unit}\t{}\t{}\n",
            s(&i["title"]),
            leads.join("、"),
            s(&i["text"]),
            s(&i["op"]),
            num(&i["target"]),
            num(&p["expected_by_now"]),
            num(&p["ahead_or_behind"]),
            s(&p["status_label"]),
        ));
    }
    out.push_str(&format!(
        "共 {} 项指标（统计日期 {}）。\n{}\n",
        items.len(),
        s(&data["today"]),
        s(&data["definitions"])
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_shows_each_indicator_on_a_line() {
        let data = json!({
            "today": "2024-07-01", "total": 1, "definitions": "口径",
            "indicators": [{
                "title": "主要经济指标", "leads": [{ "id": 1, "name": "区发改局" }],
                "text": "公共充电桩13502台", "op": ">=", "target": 13502.0, "unit": "台",
                "progress": {
                    "latest": { "period": "2024Q1", "value": 3000.0 }, "ratio_of_target": 0.2222,
                    "expected_by_now": 3357.08, "ahead_or_behind": -357.08, "status_label": "滞后",
                },
            }],
        });
        let t = render(&data);
        assert!(t.contains("主要经济指标\t区发改局\t公共充电桩13502台\t>= 13502台\t2024Q1 3000台\t22.2%\t3357.08台\t-357.08\t滞后"), "{t}");
        assert!(t.contains("共 1 项指标"), "{t}");
    }
}
