//! The bulletin's Word file read back by python-docx (skipped with a
//! message when python-docx is missing, unless `DUBAN_REQUIRE_PYTHON=1`).

use serde_json::{json, Value};
use std::ops::Not;
use std::process::Command;

/// The bulletin's tables as python-docx reads them.
pub fn check_docx(bytes: &[u8]) {
    if Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .is_ok_and(|o| o.status.success())
        .not()
    {
        if std::env::var("DUBAN_REQUIRE_PYTHON").as_deref() == Ok("1") {
            panic!("DUBAN_REQUIRE_PYTHON=1 but python-docx cannot be imported");
        }
        eprintln!(
            "skipped: python-docx is not available; set DUBAN_REQUIRE_PYTHON=1 to fail instead"
        );
        return;
    }
    let path = std::env::temp_dir().join(format!("duban-bulletin-{}.docx", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let script = "import docx, json, sys\nd = docx.Document(sys.argv[1])\nprint(json.dumps({'paras': [p.text for p in d.paragraphs], 'tables': [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]}, ensure_ascii=False))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paras: Vec<&str> = v["paras"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    // The title is laid out on two lines; compare the text without breaks.
    let all = paras.join("").replace('\n', "");
    assert!(
        all.contains("关于2024年第三季度重点工作督办情况的通报"),
        "{all}"
    );
    assert!(all.contains("督通〔2024〕3号"), "{all}");
    assert!(all.contains("共交办督办事项11项"), "{all}");
    assert!(all.contains("按时签收8项，按时签收率为80.0%"), "{all}");
    assert!(all.contains("区卫生健康局等1个单位"), "{all}");
    let t = &v["tables"];
    assert_eq!(
        t[0],
        json!([
            [
                "序号",
                "责任单位",
                "交办\n任务",
                "按时\n签收率",
                "按时\n反馈率",
                "按时\n办结率",
                "逾期\n任务",
                "退回\n次数",
                "批准\n延期"
            ],
            [
                "1",
                "区发展和改革局",
                "4",
                "75.0%",
                "50.0%",
                "50.0%",
                "1",
                "1",
                "1"
            ],
            [
                "2",
                "区财政局",
                "3",
                "50.0%",
                "50.0%",
                "50.0%",
                "1",
                "0",
                "0"
            ],
            ["3", "区教育局", "0", "—", "—", "—", "0", "0", "0"],
            [
                "4",
                "区卫生健康局",
                "4",
                "100.0%",
                "100.0%",
                "100.0%",
                "0",
                "0",
                "0"
            ],
            ["", "合计", "11", "80.0%", "70.0%", "70.0%", "2", "1", "1"],
        ])
    );
    assert_eq!(
        t[1],
        json!([
            [
                "序号",
                "事项内容",
                "责任单位",
                "未办环节",
                "时限",
                "逾期\n天数"
            ],
            [
                "1",
                "清理拖欠企业账款",
                "区财政局",
                "签收部署",
                "2024年7月2日",
                "90"
            ],
            [
                "2",
                "开展粮食安全专项检查",
                "区发展和改革局",
                "首次反馈",
                "2024年9月23日",
                "7"
            ],
        ])
    );
}
