//! `duban extract` and `duban bench` as a user runs them: the real binary on
//! real files.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn duban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(args)
        .output()
        .expect("the duban binary runs")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is one JSON object"))
        .collect()
}

const CASE: &str = "运城市人民政府办公室\n关于加强示范工作的通知\n\n运政办函〔2023〕5 号\n\n各县（市、区）人民政府：\n\n现将有关事项通知如下。\n\n运城市人民政府办公室\n\n2023 年 2 月 1 日\n\n（此件公开发布）\n\n（一）加强组织领导。2023年底前建立工作机制。（市应急局牵头，市公安局等按职责分工负责）\n";

#[test]
fn extracts_a_gazette_to_the_json_contract() {
    let sample = repo().join("samples/004_52b7b3caced91b16.txt");
    let out = duban(&["extract", sample.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objs = json_lines(&out);
    assert_eq!(objs.len(), 1);
    let o = &objs[0];
    assert_eq!(o["source"]["encoding"], "utf-8");
    // 4,309 line ends, and a last line without one.
    assert_eq!(o["source"]["lines"], 4310);
    assert_eq!(o["source"]["sha256"].as_str().map(str::len), Some(64));
    let docs = o["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 21);
    let plan = docs
        .iter()
        .find(|d| d["number"] == "运盐政办发〔2022〕8号")
        .expect("the 任务分解 document");
    assert_eq!(plan["date"], "2022-03-22");
    assert_eq!(plan["publication"], "此件公开发布");
    let first = &plan["tasks"][0];
    assert_eq!(first["path"], serde_json::json!(["一、", "1."]));
    assert_eq!(first["lead_units"], serde_json::json!(["区发改局"]));
    assert_eq!(first["owner_scope"], "item");
    assert_eq!(first["deadline"], Value::Null);
    assert_eq!(first["targets"][0]["value"], 8.5);
    assert_eq!(first["targets"][0]["unit"], "%");
    // Every task points back into the file.
    for d in docs {
        for t in d["tasks"].as_array().unwrap() {
            let spans = t["spans"].as_array().unwrap();
            assert!(!spans.is_empty());
            for s in spans {
                let (a, b) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
                assert!(1 <= a && a <= b && b <= 4310, "span {a}-{b}");
            }
        }
    }
}

#[test]
fn detects_gbk_and_utf16_and_reads_the_same() {
    let dir = scratch("enc");
    let utf8 = dir.join("utf8.txt");
    let gbk = dir.join("gbk.txt");
    let utf16 = dir.join("utf16.txt");
    std::fs::write(&utf8, CASE).unwrap();
    std::fs::write(&gbk, encoding_rs::GB18030.encode(CASE).0).unwrap();
    let mut le = vec![0xFF, 0xFE];
    for u in CASE.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, le).unwrap();
    let out = duban(&[
        "extract",
        utf8.to_str().unwrap(),
        gbk.to_str().unwrap(),
        utf16.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objs = json_lines(&out);
    let encodings: Vec<&str> = objs
        .iter()
        .map(|o| o["source"]["encoding"].as_str().unwrap())
        .collect();
    assert_eq!(encodings, ["utf-8", "gb18030", "utf-16"]);
    for o in &objs[1..] {
        assert_eq!(o["documents"], objs[0]["documents"]);
    }
    let task = &objs[0]["documents"][0]["tasks"][0];
    assert_eq!(task["lead_units"], serde_json::json!(["市应急局"]));
    assert_eq!(task["co_units"], serde_json::json!(["市公安局"]));
    assert_eq!(task["deadline"]["date"], "2023-12-31");
}

#[test]
fn bad_files_fail_alone_with_one_line_each() {
    let dir = scratch("bad");
    let good = dir.join("good.txt");
    let empty = dir.join("empty.txt");
    let binary = dir.join("image.png");
    let garbage = dir.join("garbage.txt");
    std::fs::write(&good, CASE).unwrap();
    std::fs::write(&empty, b"").unwrap();
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    std::fs::write(&garbage, [0xFFu8, 0xFF, 0xFE, 0x80, 0x81, 0xFF]).unwrap();
    let missing = dir.join("missing.txt");
    let args: Vec<&str> = ["extract"]
        .into_iter()
        .chain(
            [&empty, &good, &binary, &garbage, &missing]
                .iter()
                .map(|p| p.to_str().unwrap()),
        )
        .collect();
    let out = duban(&args);
    assert!(!out.status.success());
    let objs = json_lines(&out);
    assert_eq!(objs.len(), 1, "only the good file is printed");
    assert!(objs[0]["source"]["path"]
        .as_str()
        .unwrap()
        .ends_with("good.txt"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{stderr}");
    for (line, name) in lines
        .iter()
        .zip(["empty.txt", "image.png", "garbage.txt", "missing.txt"])
    {
        assert!(line.contains(name), "{line} names {name}");
    }
    assert!(lines[0].contains("为空"));
    assert!(lines[1].contains("二进制"));
    assert!(lines[2].contains("编码"));
}

#[test]
fn text_outline_and_output_directory() {
    let dir = scratch("text");
    let input = dir.join("notice.txt");
    std::fs::write(&input, CASE).unwrap();
    let out = duban(&["extract", input.to_str().unwrap(), "--format", "text"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("■ 运政办函〔2023〕5号 关于加强示范工作的通知"),
        "{text}"
    );
    assert!(text.contains("牵头：市应急局  配合：市公安局"), "{text}");
    assert!(text.contains("时限：2023年底前（2023-12-31）"), "{text}");
    let outdir = dir.join("out");
    let out = duban(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        outdir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written =
        std::fs::read_to_string(outdir.join("notice.txt.json")).expect("one file per input");
    let v: Value = serde_json::from_str(written.trim()).unwrap();
    assert_eq!(v["documents"][0]["number"], "运政办函〔2023〕5号");
}

#[test]
fn outline_shows_warnings_beside_the_task() {
    let dir = scratch("warn");
    let input = dir.join("notice.txt");
    let text = "运城市人民政府办公室\n关于做好防汛工作的通知\n\n运政办函〔2023〕6 号\n\n（一）排查隐患。（责任单位：市水利局、县级市）\n";
    std::fs::write(&input, text).unwrap();
    let out = duban(&["extract", input.to_str().unwrap(), "--format", "text"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let task = text.find("（一）排查隐患").expect("the task is listed");
    let beside = text[task..]
        .find("⚠ 第 6 行")
        .expect("its warning follows it");
    let next = text[task..].find("提示：").unwrap_or(usize::MAX);
    assert!(beside < next, "{text}");
    assert!(text.contains("“县级市”不像单位名称"), "{text}");
}

#[test]
fn bench_reports_throughput() {
    let dir = scratch("bench");
    let input = dir.join("notice.txt");
    std::fs::write(&input, CASE).unwrap();
    let out = duban(&[
        "bench",
        "extract",
        input.to_str().unwrap(),
        "--mb",
        "1",
        "--runs",
        "1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.starts_with("extract: 1.0 MB") && s.contains("MB/s"),
        "{s}"
    );
}

#[test]
fn extracts_documents_of_every_format_and_refuses_bad_ones() {
    let files = repo().join("crates/formats/tests/files");
    let dir = scratch("formats");
    // 200 MB, refused from its size without being read.
    let big = dir.join("big.pdf");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(200 << 20))
        .unwrap();
    let path = |n: &str| files.join(n).to_string_lossy().into_owned();
    let (docx, pdf, ofd, bomb, scan) = (
        path("task_table.docx"),
        path("task_table.pdf"),
        path("minimal.ofd"),
        path("bomb.docx"),
        path("scanned.pdf"),
    );
    let out = duban(&[
        "extract",
        &docx,
        &pdf,
        &ofd,
        &bomb,
        &scan,
        big.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let objs = json_lines(&out);
    let formats: Vec<&str> = objs
        .iter()
        .map(|o| o["source"]["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["docx", "pdf", "ofd"]);
    for o in &objs[..2] {
        assert_eq!(o["source"]["task_tables"], 1, "{o}");
        let tasks = o["documents"][0]["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 7, "{o}");
        assert_eq!(tasks[0]["lead_units"], serde_json::json!(["区行政审批局"]));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].contains("bomb.docx") && lines[0].contains("安全上限"),
        "{stderr}"
    );
    assert!(
        lines[1].contains("scanned.pdf") && lines[1].contains("OCR"),
        "{stderr}"
    );
    assert!(
        lines[2].contains("big.pdf") && lines[2].contains("文件太大"),
        "{stderr}"
    );
}

/// `duban ingest`, `duban reindex` and `duban search` on one SQLite
/// database: the document is found by its 发文字号, at its line.
#[test]
fn reindex_and_search_find_an_ingested_document() {
    let dir = scratch("search");
    let file = dir.join("通知.txt");
    std::fs::write(&file, CASE).unwrap();
    let url = format!("sqlite://{}", dir.join("d.db").display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_duban"))
            .args(args)
            .env("DUBAN_DATABASE_URL", &url)
            .env_remove("DUBAN_CONFIG")
            .output()
            .expect("the duban binary runs")
    };
    let out = run(&["ingest", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["reindex"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("公文 1 篇"), "{text}");
    assert!(dir.join("d.db.search").is_dir());
    let out = run(&["search", "运政办函〔2023〕5号"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("共 1 条结果") && text.contains("关于加强示范工作的通知"),
        "{text}"
    );
    let out = run(&["search", "示范工作", "--kind", "memo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法识别"));
    // By standing: nothing repeals it, so it is in force.
    let out = run(&["search", "运政办函〔2023〕5号", "--in-force", "有效"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("共 1 条结果") && text.contains("有效"),
        "{text}"
    );
    let out = run(&["search", "运政办函〔2023〕5号", "--in-force", "已废止"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("共 0 条结果"), "{text}");
    let out = run(&["search", "示范工作", "--in-force", "作废"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已废止"));
}
