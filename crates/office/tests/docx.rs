//! The .docx writer checked by an independent reader: the sample bulletin
//! (`examples/bulletin.rs`) is written to a temporary directory and read
//! back with Python's python-docx, which resolves the package, the styles
//! and their inheritance on its own. Every paragraph's text, style, faces
//! (East Asian and ASCII), size, weight, colour and alignment, every table
//! cell, the page set-up, both footers and the document properties are
//! compared with what the sample asked for.
//!
//! python-docx is installed by `.ci/run`; without it the test is skipped
//! with a message, unless `DUBAN_REQUIRE_PYTHON=1`, when it fails.

#[allow(dead_code)]
#[path = "../examples/bulletin.rs"]
mod bulletin;

use duban_office::docx::{self, Block};
use std::path::PathBuf;
use std::process::Command;

/// Prints one tab-separated line per fact; line feeds in text as `\n`.
const READER: &str = r#"
import sys
from docx import Document
from docx.oxml.ns import qn

d = Document(sys.argv[1])
defaults = d.styles.element.find(qn('w:docDefaults'))
def_rpr = defaults.find(qn('w:rPrDefault')).find(qn('w:rPr'))

def styles(style):
    while style is not None:
        yield style
        style = style.base_style

def east_asia(rpr):
    f = None if rpr is None else rpr.find(qn('w:rFonts'))
    return None if f is None else f.get(qn('w:eastAsia'))

def run_prop(par, get, get_xml=None):
    # The first run's direct formatting, then the paragraph style's chain,
    # then the document defaults: how Word resolves a run's properties.
    runs = par.runs
    if runs:
        v = get(runs[0].font) if get else get_xml(runs[0]._r.rPr)
        if v is not None:
            return v
    for st in styles(par.style):
        v = get(st.font) if get else get_xml(st.element.rPr)
        if v is not None:
            return v
    return None if get else get_xml(def_rpr)

def par_prop(par, get):
    v = get(par.paragraph_format)
    for st in styles(par.style):
        if v is not None:
            break
        v = get(st.paragraph_format)
    return v

def border(par):
    for ppr in [par._p.pPr] + [st.element.pPr for st in styles(par.style)]:
        e = None if ppr is None else ppr.find(qn('w:pBdr'))
        b = None if e is None else e.find(qn('w:bottom'))
        if b is not None:
            return b.get(qn('w:color'))
    return None

def show(v):
    if v is None or v is False:
        return '-'
    if v is True:
        return 'yes'
    return str(v)

def align_name(a):
    # python-docx 1.x enums have .name; 0.8 (Debian's python3-docx) keeps it
    # in _member_name.
    if a is None:
        return None
    return getattr(a, 'name', None) or getattr(a, '_member_name', None) or str(a)

def text(s):
    return s.replace('\n', '\\n')

def facts(par):
    size = run_prop(par, lambda f: f.size)
    color = run_prop(par, lambda f: f.color.rgb if f.color.type is not None else None)
    align = par_prop(par, lambda f: f.alignment)
    indent = par_prop(par, lambda f: f.first_line_indent)
    return [
        par.style.name,
        show(run_prop(par, None, east_asia)),
        show(run_prop(par, lambda f: f.name)),
        show(None if size is None else f'{size.pt:g}'),
        show(run_prop(par, lambda f: f.bold)),
        show(color),
        show(align_name(align)),
        show(None if indent is None else f'{indent.pt:g}'),
        show(border(par)),
    ]

for p in d.paragraphs:
    print('\t'.join(['P'] + facts(p) + [text(p.text)]))
for t, table in enumerate(d.tables):
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            p = cell.paragraphs[0]
            f = facts(p)
            print('\t'.join(['C', str(t), str(r), str(c), f[0], f[1], f[3], f[4], text(cell.text)]))

s = d.sections[0]
mm = lambda x: f'{x.mm:.1f}'
print('\t'.join(['S', mm(s.page_width), mm(s.page_height), mm(s.top_margin),
                 mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)]))
print('\t'.join(['E', show(d.settings.odd_and_even_pages_header_footer)]))
for name, footer in [('odd', s.footer), ('even', s.even_page_footer)]:
    p = footer.paragraphs[0]
    f = facts(p)
    has_page = any(' PAGE ' in (i.text or '') for i in footer._element.iter(qn('w:instrText')))
    print('\t'.join(['F', name, f[1], f[3], f[6], show(has_page), text(p.text)]))
cp = d.core_properties
print('\t'.join(['M', cp.title, cp.author, cp.created.strftime('%Y-%m-%dT%H:%M:%S')]))
"#;

/// Whether the reader can run; `Err` says why not.
fn python_docx() -> Result<(), String> {
    match Command::new("python3").args(["-c", "import docx"]).output() {
        Ok(out) if out.status.success() => Ok(()),
        // The last line of the traceback says what is missing.
        Ok(out) => Err(String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .unwrap_or("import failed")
            .to_string()),
        Err(e) => Err(format!("python3: {e}")),
    }
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-office-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn esc(s: &str) -> String {
    s.replace('\n', "\\n")
}

/// One expected paragraph line, as the reader prints it.
#[allow(clippy::too_many_arguments)]
fn p(
    style: &str,
    face: &str,
    size: &str,
    bold: bool,
    color: &str,
    align: &str,
    indent: &str,
    border: &str,
    text: &str,
) -> String {
    let bold = if bold { "yes" } else { "-" };
    [
        "P", style, face, face, size, bold, color, align, indent, border,
    ]
    .join("\t")
        + "\t"
        + &esc(text)
}

const XBS: &str = "方正小标宋简体";
const FS: &str = "仿宋_GB2312";
const HEI: &str = "黑体";
const KAI: &str = "楷体_GB2312";

#[test]
fn python_docx_reads_back_the_sample_bulletin() {
    if let Err(why) = python_docx() {
        if std::env::var("DUBAN_REQUIRE_PYTHON").as_deref() == Ok("1") {
            panic!(
                "DUBAN_REQUIRE_PYTHON=1 but python-docx cannot be imported ({why}); \
                 install it with `python3 -m pip install python-docx`"
            );
        }
        eprintln!("skipped: python-docx is not available ({why}); set DUBAN_REQUIRE_PYTHON=1 to fail instead");
        return;
    }
    let doc = bulletin::sample();
    let path = temp_path("bulletin.docx");
    std::fs::write(&path, docx::write(&doc)).unwrap();
    let out = Command::new("python3")
        .args(["-c", READER])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    assert!(
        out.status.success(),
        "python-docx failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let of = |kind: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.split('\t').next() == Some(kind))
            .map(|l| l.to_string())
            .collect()
    };

    // Paragraphs outside tables, in order, with their formatting.
    let mut want = vec![
        p(
            "发文机关标志",
            XBS,
            "42",
            false,
            "FF0000",
            "CENTER",
            "0",
            "-",
            &doc.issuer,
        ),
        p(
            "发文字号",
            FS,
            "16",
            false,
            "-",
            "CENTER",
            "0",
            "-",
            doc.number.as_deref().unwrap(),
        ),
        p(
            "版头分隔线",
            FS,
            "2",
            false,
            "-",
            "JUSTIFY",
            "0",
            "FF0000",
            "",
        ),
        // The title is broken into two balanced lines.
        p(
            "公文标题",
            XBS,
            "22",
            false,
            "-",
            "CENTER",
            "0",
            "-",
            "关于2024年第三季度\n重点工作督办情况的通报",
        ),
        p(
            "主送机关",
            FS,
            "16",
            false,
            "-",
            "LEFT",
            "0",
            "-",
            &format!("{}：", doc.addressee.as_deref().unwrap()),
        ),
    ];
    for block in &doc.blocks {
        match block {
            Block::Heading1(t) => want.push(p(
                "Heading 1",
                HEI,
                "16",
                false,
                "-",
                "JUSTIFY",
                "32",
                "-",
                t,
            )),
            Block::Heading2(t) => want.push(p(
                "Heading 2",
                KAI,
                "16",
                false,
                "-",
                "JUSTIFY",
                "32",
                "-",
                t,
            )),
            Block::Para(t) => want.push(p("Normal", FS, "16", false, "-", "JUSTIFY", "32", "-", t)),
            Block::Table { caption, .. } => want.push(p(
                "表格标题",
                HEI,
                "16",
                false,
                "-",
                "CENTER",
                "0",
                "-",
                caption.as_deref().unwrap(),
            )),
        }
    }
    want.push(p(
        "发文机关署名",
        FS,
        "16",
        false,
        "-",
        "RIGHT",
        "0",
        "-",
        doc.signature.as_deref().unwrap(),
    ));
    want.push(p(
        "成文日期",
        FS,
        "16",
        false,
        "-",
        "RIGHT",
        "0",
        "-",
        "2024年10月8日",
    ));
    assert_eq!(of("P"), want);

    // Every cell of every table: header row bold 黑体 小四, the rest 仿宋 小四.
    let mut want = Vec::new();
    let tables = doc.blocks.iter().filter_map(|b| match b {
        Block::Table { header, rows, .. } => Some((header, rows)),
        _ => None,
    });
    for (t, (header, rows)) in tables.enumerate() {
        let all = std::iter::once(header).chain(rows.iter());
        for (r, row) in all.enumerate() {
            for (c, text) in row.iter().enumerate() {
                let (style, face, bold) = if r == 0 {
                    ("表格表头", HEI, "yes")
                } else {
                    ("表格正文", FS, "-")
                };
                want.push(format!(
                    "C\t{t}\t{r}\t{c}\t{style}\t{face}\t12\t{bold}\t{}",
                    esc(text)
                ));
            }
        }
    }
    assert_eq!(of("C"), want);
    // The unit name with `&` survived the XML.
    assert!(stdout.contains("区城建投资公司（R&D中心）"));

    // A4 with the GB/T 9704 margins, odd and even footers with the page
    // number as — 1 — (right on odd pages, left on even ones).
    assert_eq!(of("S"), ["S\t210.0\t297.0\t37.0\t35.0\t28.0\t26.0"]);
    assert_eq!(of("E"), ["E\tyes"]);
    assert_eq!(
        of("F"),
        [
            "F\todd\t宋体\t14\tRIGHT\tyes\t— 1 —",
            "F\teven\t宋体\t14\tLEFT\tyes\t— 1 —"
        ]
    );
    assert_eq!(
        of("M"),
        [format!(
            "M\t{}\t{}\t2024-10-08T00:00:00",
            doc.title, doc.issuer
        )]
    );
}
