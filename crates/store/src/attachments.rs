//! Files a unit attaches to what it writes (a progress report, a close
//! application, an extension plan): stored with the report, in the same
//! transaction as the action, never changed or deleted. The bytes live in
//! the database so a backup holds them too.

use crate::db::Tx;
use crate::{args, micros, Error, Result, Store};
use duban_domain::matter::TrackId;
use serde::Serialize;

/// The most one file may hold, and all files of one action together.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ACTION_BYTES: usize = 50 * 1024 * 1024;

/// A file as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A stored file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub report_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

/// What a unit wrote on a track, with its files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportEntry {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub created_at: i64,
    pub files: Vec<AttachmentInfo>,
}

/// Checks the files of one action before anything is written.
pub(crate) fn check(files: &[NewAttachment]) -> Result<()> {
    let mut total = 0;
    for f in files {
        if f.name.trim().is_empty() {
            return Err(Error::Invalid("附件缺少文件名".into()));
        }
        if f.bytes.is_empty() {
            return Err(Error::Invalid(format!("附件“{}”是空文件", f.name)));
        }
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(Error::Invalid(format!(
                "附件“{}”超过 {} MB；请压缩或拆分后再传",
                f.name,
                MAX_FILE_BYTES / 1024 / 1024
            )));
        }
        total += f.bytes.len();
    }
    if total > MAX_ACTION_BYTES {
        return Err(Error::Invalid(format!(
            "一次提交的附件合计超过 {} MB；请分次提交",
            MAX_ACTION_BYTES / 1024 / 1024
        )));
    }
    Ok(())
}

/// A file name as kept: the last path component, without control
/// characters, at most 120 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// A content type as kept and served: `type/subtype` of token characters
/// with optional `; name=value` parameters, at most 100 characters; anything
/// else (a line break, a control character, a quote, non-ASCII) becomes
/// `application/octet-stream`, so no stored value can break a download's
/// header.
pub fn clean_mime(mime: &str) -> String {
    const FALLBACK: &str = "application/octet-stream";
    let mime = mime.trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let mut parts = mime.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let valid_essence = essence
        .split_once('/')
        .is_some_and(|(t, s)| token(t) && token(s));
    let valid_params = parts.all(|p| {
        p.trim()
            .split_once('=')
            .is_some_and(|(k, v)| token(k.trim()) && token(v.trim().trim_matches('"')))
    });
    if mime.len() <= 100 && valid_essence && valid_params {
        mime.to_ascii_lowercase()
    } else {
        FALLBACK.to_string()
    }
}

/// Stores the files of the report `report_id` inside the action's
/// transaction; returns their ids, in order.
pub(crate) async fn insert(
    tx: &mut Tx,
    report_id: i64,
    files: &[NewAttachment],
) -> Result<Vec<i64>> {
    let now = micros(chrono::Utc::now());
    let mut ids = Vec::with_capacity(files.len());
    for f in files {
        ids.push(tx.insert(
            "INSERT INTO attachments (report_id, name, mime, bytes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            args![report_id, clean_name(&f.name), clean_mime(&f.mime), f.bytes.clone(), now],
        )
        .await?);
    }
    Ok(ids)
}

impl Store {
    /// What was written on a track, oldest first, each with its files.
    pub async fn report_entries(&self, track_id: TrackId) -> Result<Vec<ReportEntry>> {
        Ok(self
            .report_entries_of(&[track_id])
            .await?
            .into_iter()
            .map(|(_, r)| r)
            .collect())
    }

    /// What was written on some tracks, by track then oldest first, each
    /// with its files: one statement for any number of tracks.
    pub async fn report_entries_of(
        &self,
        tracks: &[TrackId],
    ) -> Result<Vec<(TrackId, ReportEntry)>> {
        if tracks.is_empty() {
            return Ok(Vec::new());
        }
        // The reports and their files in one statement: a report with n
        // files is n rows, one without is one row with the file's columns
        // null.
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT r.id, r.track_id, r.kind, r.body, r.author_id, r.created_at, \
                     a.id AS file_id, a.name AS file_name, a.mime AS file_mime, LENGTH(a.bytes) AS file_size \
                     FROM reports r LEFT JOIN attachments a ON a.report_id = r.id \
                     WHERE {} ORDER BY r.track_id, r.id, a.id",
                    self.pool.in_ids("r.track_id", "$1")
                ),
                vec![self.pool.ids(tracks)],
            )
            .await?;
        let mut out: Vec<(TrackId, ReportEntry)> = Vec::new();
        for r in &rows {
            let id = r.i64("id")?;
            if out.last().is_none_or(|(_, e)| e.id != id) {
                out.push((
                    r.i64("track_id")?,
                    ReportEntry {
                        id,
                        kind: r.str("kind")?,
                        body: r.str("body")?,
                        author_id: r.opt_i64("author_id")?,
                        created_at: r.i64("created_at")?,
                        files: Vec::new(),
                    },
                ));
            }
            if let Some(file) = r.opt_i64("file_id")? {
                let (_, entry) = out.last_mut().expect("pushed above");
                entry.files.push(AttachmentInfo {
                    id: file,
                    report_id: id,
                    name: r.str("file_name")?,
                    mime: r.str("file_mime")?,
                    size: r.i64("file_size")?,
                });
            }
        }
        Ok(out)
    }

    /// A stored file with its bytes and the track it belongs to (for the
    /// caller to check who may read it).
    pub async fn attachment(&self, id: i64) -> Result<(AttachmentInfo, TrackId, Vec<u8>)> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT a.id, a.report_id, a.name, a.mime, a.bytes, r.track_id FROM attachments a \
                 JOIN reports r ON r.id = a.report_id WHERE a.id = $1",
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("附件 {id} 不存在")))?;
        let bytes = r.bytes("bytes")?;
        Ok((
            AttachmentInfo {
                id: r.i64("id")?,
                report_id: r.i64("report_id")?,
                name: r.str("name")?,
                mime: r.str("mime")?,
                size: bytes.len() as i64,
            },
            r.i64("track_id")?,
            bytes,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, len: usize) -> NewAttachment {
        NewAttachment {
            name: name.into(),
            mime: "application/pdf".into(),
            bytes: vec![1; len],
        }
    }

    #[test]
    fn files_are_checked_before_anything_is_written() {
        assert!(check(&[file("检测报告.pdf", 10)]).is_ok());
        for (files, says) in [
            (vec![file(" ", 1)], "缺少文件名"),
            (vec![file("空.pdf", 0)], "空文件"),
            (vec![file("大.pdf", MAX_FILE_BYTES + 1)], "超过 20 MB"),
            (vec![file("a.pdf", MAX_FILE_BYTES); 3], "合计超过 50 MB"),
        ] {
            match check(&files) {
                Err(Error::Invalid(m)) => assert!(m.contains(says), "{m}"),
                other => panic!("{says}: {other:?}"),
            }
        }
    }

    #[test]
    fn content_types_are_kept_only_when_well_formed() {
        assert_eq!(clean_mime("application/pdf"), "application/pdf");
        assert_eq!(clean_mime(" text/plain\n"), "text/plain", "trimmed");
        assert_eq!(
            clean_mime("Text/Plain; charset=\"UTF-8\""),
            "text/plain; charset=\"utf-8\""
        );
        for bad in [
            "text/plain\r\nSet-Cookie: x=1",
            "文本/纯文本",
            "pdf",
            "a/b c",
            "",
        ] {
            assert_eq!(clean_mime(bad), "application/octet-stream", "{bad:?}");
        }
    }

    #[test]
    fn names_keep_only_the_file_name() {
        assert_eq!(clean_name("C:\\报告\\检测报告.pdf"), "检测报告.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b.txt"), "ab.txt");
    }
}
