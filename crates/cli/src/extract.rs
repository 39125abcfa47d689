//! `duban extract FILE... --format json|text`: the extraction contract of
//! `shared/spec/extract-json.md`, one JSON object per input file. Files of
//! every format Duban reads (text, .docx, .pdf, .ofd, .doc/.wps through
//! LibreOffice) go through the same intake as uploads
//! (`duban_service::intake`); `source.format` says which it was.

use duban_reader::Extraction;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files to read: text (UTF-8, GB18030/GBK or UTF-16 with BOM), Word
    /// (.docx; .doc and .wps with LibreOffice installed), PDF or OFD.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write one `<name>.json` (or `.txt`) per input into this directory
    /// instead of printing.
    #[arg(long, short = 'o')]
    out_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Serialize)]
struct Source<'a> {
    path: &'a str,
    sha256: String,
    encoding: &'a str,
    /// text, docx, pdf, ofd or doc: what the bytes were found to be.
    format: &'static str,
    lines: usize,
    /// Tables read as task tables (one task per row).
    task_tables: usize,
}

#[derive(Serialize)]
struct Output<'a> {
    source: Source<'a>,
    #[serde(flatten)]
    extraction: &'a Extraction,
}

pub fn run(args: &Args) -> ExitCode {
    let mut failed = false;
    let stdout = std::io::stdout();
    for path in &args.files {
        let rendered = match read_one(path, args.format) {
            Ok(r) => r,
            Err(message) => {
                eprintln!("duban extract: {}: {message}", path.display());
                failed = true;
                continue;
            }
        };
        let written = match &args.out_dir {
            Some(dir) => write_file(dir, path, args.format, &rendered),
            None => stdout
                .lock()
                .write_all(rendered.as_bytes())
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = written {
            eprintln!("duban extract: {}: 写出结果失败：{e}", path.display());
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads a file no larger than the intake takes, without reading a larger
/// one into memory first.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let limit = duban_formats::Limits::default().max_input;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("无法读取文件：{e}"))?
        .len();
    if size > limit as u64 {
        return Err(duban_formats::Error::TooLarge {
            size: size as usize,
            limit,
        }
        .to_string());
    }
    std::fs::read(path).map_err(|e| format!("无法读取文件：{e}"))
}

fn read_one(path: &Path, format: Format) -> Result<String, String> {
    let bytes = read_limited(path)?;
    let intake = duban_service::intake::read(&bytes).map_err(|e| e.to_string())?;
    let extraction = intake.extraction;
    let shown = path.to_string_lossy();
    let text_kind = intake.read.kind == duban_formats::Kind::Text;
    let out = Output {
        source: Source {
            path: &shown,
            sha256: intake.sha256,
            // The decoded text's encoding; a container's text is Unicode.
            encoding: if text_kind {
                &intake.read.encoding
            } else {
                "utf-8"
            },
            format: intake.read.kind.name(),
            lines: intake.read.text.lines().count(),
            task_tables: intake
                .read
                .tables
                .iter()
                .filter(|t| duban_reader::table::tasks(t, None).is_some())
                .count(),
        },
        extraction: &extraction,
    };
    Ok(match format {
        Format::Json => {
            let mut s = serde_json::to_string(&out).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        Format::Text => outline(&out),
    })
}

fn write_file(dir: &Path, input: &Path, format: Format, rendered: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let stem = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = match format {
        Format::Json => "json",
        Format::Text => "txt",
    };
    std::fs::write(dir.join(format!("{stem}.{ext}")), rendered).map_err(|e| e.to_string())
}

/// A readable outline for a person: documents, tasks with owners and
/// deadlines, warnings.
fn outline(out: &Output) -> String {
    let mut s = String::new();
    let e = out.extraction;
    let tasks: usize = e.documents.iter().map(|d| d.tasks.len()).sum();
    let _ = writeln!(
        s,
        "{}（{}，{} 行）：{} 个文件，{} 项任务，{} 条提示",
        out.source.path,
        if out.source.format == "text" {
            out.source.encoding
        } else {
            out.source.format
        },
        out.source.lines,
        e.documents.len(),
        tasks,
        e.warnings.len()
    );
    for d in &e.documents {
        let _ = writeln!(
            s,
            "\n■ {} {}",
            d.number.as_deref().unwrap_or("（无文号）"),
            d.title.as_deref().unwrap_or("（无标题）")
        );
        let spans: Vec<String> = d.spans.iter().map(|[a, b]| format!("{a}-{b}")).collect();
        let _ = writeln!(
            s,
            "  发文机关：{}  成文日期：{}  类别：{}  公开：{}  行：{}",
            if d.issuer.is_empty() {
                "—".to_string()
            } else {
                d.issuer.join("、")
            },
            d.date.map_or("—".to_string(), |d| d.to_string()),
            d.kind.as_deref().unwrap_or("—"),
            d.publication.as_deref().unwrap_or("—"),
            spans.join(",")
        );
        for t in &d.tasks {
            let head: String = t.text.chars().take(40).collect();
            let line = t.spans.first().map_or(0, |s| s[0]);
            let _ = writeln!(s, "  • [{}] {} {}", line, t.path.join(""), head);
            let _ = writeln!(
                s,
                "      牵头：{}  配合：{}{}",
                if t.lead_units.is_empty() {
                    "—".to_string()
                } else {
                    t.lead_units.join("、")
                },
                if t.co_units.is_empty() {
                    "—".to_string()
                } else {
                    t.co_units.join("、")
                },
                match t.owner_scope {
                    duban_reader::OwnerScope::Group => "（同组条款）",
                    duban_reader::OwnerScope::Prose => "（正文表述）",
                    duban_reader::OwnerScope::Item => "",
                }
            );
            if let Some(dl) = &t.deadline {
                let _ = writeln!(
                    s,
                    "      时限：{}{}",
                    dl.text,
                    dl.date.map_or(String::new(), |d| format!("（{d}）"))
                );
            }
            for tg in &t.targets {
                let _ = writeln!(s, "      指标：{}", tg.text);
            }
            // What the reader was unsure of in this task's lines, beside it.
            for w in e
                .warnings
                .iter()
                .filter(|w| t.spans.iter().any(|[a, b]| (*a..=*b).contains(&w.line)))
            {
                let _ = writeln!(s, "      ⚠ 第 {} 行：{}", w.line, w.message);
            }
        }
    }
    if !e.warnings.is_empty() {
        let _ = writeln!(s, "\n提示：");
        for w in &e.warnings {
            let _ = writeln!(s, "  第 {} 行：{}", w.line, w.message);
        }
    }
    s
}
