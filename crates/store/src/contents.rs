//! What units wrote and sent, in the chain: every report's text and every
//! attachment's bytes enter the event log as SHA-256 digests in the
//! transaction that stores them (a `report.create` event), so a report
//! body or a file changed in the database afterwards no longer matches
//! its digest and [`Store::verify_contents`] names it.

use crate::attachments::NewAttachment;
use crate::db::Tx;
use crate::events::{append, new_event, EventKind};
use crate::{args, Result, Store};
use duban_domain::events::sha256_hex;
use serde_json::{json, Value};

/// Records the digests of report `report` (its `body`) and of its `files`
/// (stored under `file_ids`).
pub(crate) async fn record_report(
    tx: &mut Tx,
    actor: Option<i64>,
    report: i64,
    track: i64,
    body: &str,
    files: &[NewAttachment],
    file_ids: &[i64],
) -> Result<()> {
    let files: Vec<Value> = files
        .iter()
        .zip(file_ids)
        .map(|(f, id)| json!({ "id": id, "sha256": sha256_hex(&f.bytes), "size": f.bytes.len() }))
        .collect();
    append(
        tx,
        new_event(
            actor,
            EventKind::ReportCreate,
            "report",
            report,
            json!(null),
            json!({ "track_id": track, "body_sha256": sha256_hex(body.as_bytes()), "files": files }),
        ),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Checks every report and attachment recorded in the chain against
    /// its digest; returns what does not match, in words (empty: all
    /// match). Reports stored before digests were recorded are not
    /// covered.
    pub async fn verify_contents(&self) -> Result<Vec<String>> {
        let mut wrong = Vec::new();
        let mut after = 0i64;
        loop {
            let rows = self
                .pool
                .fetch(
                    "SELECT seq, entity_id, after FROM events WHERE action = 'report.create' AND seq > $1 ORDER BY seq LIMIT 1000",
                    args![after],
                )
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.i64("seq")?;
            for r in &rows {
                let report = r.i64("entity_id")?;
                let recorded: Value = r.json("after")?;
                let body = self
                    .pool
                    .fetch_opt("SELECT body FROM reports WHERE id = $1", args![report])
                    .await?;
                match body {
                    None => wrong.push(format!("反馈 {report} 已不在数据库中")),
                    Some(b) if recorded["body_sha256"] != sha256_hex(b.str("body")?.as_bytes()) => {
                        wrong.push(format!("反馈 {report} 的内容已被改动"))
                    }
                    Some(_) => {}
                }
                for f in recorded["files"].as_array().into_iter().flatten() {
                    let id = f["id"].as_i64().unwrap_or_default();
                    let bytes = self
                        .pool
                        .fetch_opt(
                            "SELECT bytes FROM attachments WHERE id = $1 AND report_id = $2",
                            args![id, report],
                        )
                        .await?;
                    match bytes {
                        None => wrong.push(format!("附件 {id}（反馈 {report}）已不在数据库中")),
                        Some(b) if f["sha256"] != sha256_hex(&b.bytes("bytes")?) => {
                            wrong.push(format!("附件 {id}（反馈 {report}）的文件已被改动"))
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Ok(wrong)
    }
}
