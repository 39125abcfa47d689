#!/usr/bin/env python3
"""Writes the document fixtures Duban's readers are tested on.

    scripts/make-fixtures.py gazettes OUT_DIR TXT...   each gazette as .docx and .pdf
    scripts/make-fixtures.py tables OUT_DIR            the task tables, the minimal OFD
                                                       and the bad files (checked in under
                                                       crates/formats/tests/files/)

The gazette .docx has one paragraph per line of the text (blank lines kept
as empty paragraphs). The gazette .pdf prints every line at its own place
with an embedded TrueType CJK font (reportlab writes a ToUnicode map), a
blank line leaving a line's space, 48 lines to a page. Pages are as wide as
the longest line needs, so no line wraps.

The task table (任务分解) is written as Word with python-docx: a title, a
two-row header (责任单位 over 牵头单位 | 配合单位), a 重点任务 cell merged
over the rows it groups, a 牵头单位 merged over two rows, and the header
repeated on every page; its PDF twin is printed by LibreOffice when it is
installed (as offices do), else by reportlab; its OFD twin is laid out
here, cells wrapped in their columns, borders drawn as paths (open over a
merged cell) and text written column by column. The minimal OFD follows
GB/T 33190: OFD.xml, Document.xml, one page of TextObjects in an order
that is not reading order, split at every script change.

Needs python-docx and reportlab; a TrueType CJK font (fonts-wqy-microhei or
fonts-droid-fallback).
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

FONTS = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", None),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
]


def cjk_font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in FONTS:
        if os.path.exists(path):
            font = TTFont("CJK", path, subfontIndex=index) if index is not None else TTFont("CJK", path)
            pdfmetrics.registerFont(font)
            return "CJK"
    sys.exit("no TrueType CJK font: apt-get install fonts-wqy-microhei")


def gazette_docx(lines, out):
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(out)


def gazette_pdf(lines, out):
    from reportlab.pdfgen import canvas

    font = cjk_font()
    size, pitch, margin = 10.5, 15.0, 56.0
    width = max(595.0, 2 * margin + size * max(len(l) for l in lines))
    per_page = 48
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    height = 2 * margin + pitch * (max(len(p) for p in pages) + 1)
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setTitle("")
    for page in pages:
        c.setFont(font, size)
        y = height - margin
        for line in page:
            if line.strip():
                # A printed page has no tabs: they are set as spaces.
                c.drawString(margin, y, line.replace("\t", "    "))
            y -= pitch
        c.showPage()
    c.save()


HEADER_TOP = ["序号", "重点任务", "具体内容", "责任单位", "责任单位", "完成时限"]
HEADER_BOTTOM = ["序号", "重点任务", "具体内容", "牵头单位", "配合单位", "完成时限"]
# (序号, 重点任务, 具体内容, 牵头单位, 配合单位, 完成时限); None = merged with the row above.
ROWS = [
    ("1", "优化营商环境", "建成企业开办一窗通办平台，压缩开办时间至1个工作日", "区行政审批局", "区市场监管局、区税务局", "2024年6月底前"),
    ("2", None, "开展涉企收费专项检查，清理违规收费", "区市场监管局", "区发改局\n区财政局", "2024年9月30日"),
    ("3", None, "建立重点企业包联服务制度", "区工信局", "各乡镇、街道", "每季度末"),
    ("4", "推进城市更新", "完成老旧小区改造12个，惠及居民3000户", "区住建局", "区财政局、各街道办事处", "年底前"),
    ("5", None, "新建改造城市道路8条", "区住建局", None, "2024年10月底前"),
    ("6", "保障改善民生", "新增城镇就业岗位5000个", "区人社局", "区教育局、区民政局", "2024年12月31日"),
    ("7", None, "建成社区养老服务中心3处", "区民政局", "区卫健委", "2024年11月底前"),
]
DOC_DATE = "2024年2月20日"
TITLE = "关于印发2024年重点工作任务分解方案的通知"
NUMBER = "示政办发〔2024〕5号"


def table_docx(out):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph(NUMBER)
    d.add_paragraph(TITLE)
    d.add_paragraph("各乡镇人民政府、街道办事处，区直各有关单位：")
    d.add_paragraph("现将2024年重点工作任务分解如下，请认真抓好落实。")
    t = d.add_table(rows=2 + len(ROWS), cols=6)
    t.style = "Table Grid"
    for row in (0, 1):
        tr = t.rows[row]._tr
        trPr = tr.get_or_add_trPr()
        h = OxmlElement("w:tblHeader")
        trPr.append(h)
    for i, name in enumerate(HEADER_BOTTOM):
        t.cell(0, i).text = HEADER_TOP[i]
        if HEADER_TOP[i] == HEADER_BOTTOM[i]:
            t.cell(0, i).merge(t.cell(1, i))
        else:
            t.cell(1, i).text = name
    t.cell(0, 3).merge(t.cell(0, 4))
    t.cell(0, 3).text = "责任单位"
    start = {}
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            cell = t.cell(2 + r, c)
            if value is None:
                continue
            for k, part in enumerate(value.split("\n")):
                if k == 0:
                    cell.text = part
                else:
                    cell.add_paragraph(part)
            start[c] = 2 + r
    # Merge the cells left empty with the one above them.
    for c in range(6):
        r = 2
        while r < 2 + len(ROWS):
            top = r
            while r + 1 < 2 + len(ROWS) and ROWS[r + 1 - 2][c] is None:
                r += 1
            if r > top:
                text = t.cell(top, c).text
                m = t.cell(top, c).merge(t.cell(r, c))
                # python-docx joins the texts of merged cells; keep the top one.
                for p in m.paragraphs[1:]:
                    p._element.getparent().remove(p._element)
                if len(text.split("\n")) > 1:
                    pass
            r += 1
    d.add_paragraph("示范区人民政府办公室")
    d.add_paragraph(DOC_DATE)
    d.save(out)


LEADS = ["区发改局", "区财政局", "区住建局", "区教育局", "区民政局"]


def long_table_docx(out):
    """Forty rows over several pages, the header marked to repeat on each."""
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.add_paragraph("关于印发重点项目推进任务清单的通知")
    t = d.add_table(rows=1 + 40, cols=5)
    t.style = "Table Grid"
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i, name in enumerate(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        t.cell(0, i).text = name
    for r in range(1, 41):
        row = [str(r), f"推进第{r}个重点项目建设，按期完成年度投资计划和形象进度目标", LEADS[r % 5], "区统计局", f"{(r % 12) + 1}月底前"]
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.add_paragraph("示范区人民政府办公室")
    d.save(out)


def table_pdf(docx_path, out):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [office, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                 "--convert-to", "pdf", "--outdir", tmp, docx_path],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180,
            )
            name = os.path.splitext(os.path.basename(docx_path))[0] + ".pdf"
            shutil.copy(os.path.join(tmp, name), out)
        return
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = cjk_font()
    st = ParagraphStyle("c", fontName=font, fontSize=9, leading=12)
    data = [HEADER_TOP, HEADER_BOTTOM]
    for row in ROWS:
        data.append([Paragraph((v or "").replace("\n", "<br/>"), st) for v in row])
    t = Table(data, repeatRows=2)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build([Paragraph(NUMBER, st), Paragraph(TITLE, st), t, Paragraph(DOC_DATE, st)])


def minimal_ofd(out):
    """One page; text objects written bottom first and split at every change
    of script, as OFD writers do; sizes in millimetres."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    ofd = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD {ns} DocType="OFD" Version="1.1"><ofd:DocBody><ofd:DocInfo><ofd:DocID>duban-test</ofd:DocID><ofd:Title>关于开展安全生产检查的通知</ofd:Title><ofd:CustomDatas><ofd:CustomData Name="发文字号">示安办发〔2024〕3号</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"""
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>40</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"""
    # (x, y, text): y is the line's top; the baseline is 4.2 mm below.
    runs = [
        (100.0, 270.0, "— 1 —"),
        (30.0, 60.0, "各乡镇人民政府，区直各有关单位："),
        (40.0, 70.0, "为防范化解重大安全风险，现就开展安全生产大检查通知如下。"),
        (40.0, 80.0, "一、全面排查隐患。"),
        (85.0, 80.0, "各乡镇"),
        (100.0, 80.0, "4"),
        (102.5, 80.0, "月"),
        (107.5, 80.0, "底前完成辖区企业排查（区应急局牵头，区住建局配合）。"),
        (40.0, 90.0, "二、建立整改台账。区应急局负责，"),
        (120.0, 90.0, "2024"),
        (130.0, 90.0, "年"),
        (135.0, 90.0, "6"),
        (137.5, 90.0, "月"),
        (142.5, 90.0, "30"),
        (147.5, 90.0, "日前报送。"),
        (150.0, 120.0, "示范区安全生产委员会办公室"),
        (160.0, 130.0, "2024年3月1日"),
        (60.0, 40.0, "关于开展安全生产检查的通知"),
        (85.0, 30.0, "示安办发〔2024〕3号"),
    ]
    objs = []
    for i, (x, y, text) in enumerate(runs):
        n = len(text)
        ascii_only = all(ord(ch) < 128 for ch in text)
        adv = 2.5 if ascii_only else 5.0
        deltas = f' DeltaX="g {n - 1} {adv}"' if n > 1 else ""
        objs.append(
            f'<ofd:TextObject ID="{i + 2}" Boundary="{x} {y} {n * adv + 1} 6" Font="1" Size="5">'
            f'<ofd:TextCode X="0" Y="4.2"{deltas}>{text}</ofd:TextCode></ofd:TextObject>'
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">'
        + "".join(objs)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", document)
        z.writestr("Doc_0/Pages/Page_0/Content.xml", content)


def table_ofd(out):
    """The task table of table_docx as an OFD page: cells wrapped in their
    columns, rules drawn as paths (left open over a cell merged with the one
    above), and the text objects written column by column, as OFD writers
    write forms; sizes in millimetres."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    ofd = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD {ns} DocType="OFD" Version="1.1"><ofd:DocBody><ofd:DocInfo><ofd:DocID>duban-table</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"""
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"""
    size, pitch = 3.5, 5.0
    edges = [20.0, 30.0, 52.0, 90.0, 122.0, 158.0, 190.0]

    def advance(ch):
        return size / 2 if ord(ch) < 128 else size

    def wrap(text, width):
        lines = []
        for part in text.split("\n"):
            line, w = "", 0.0
            for ch in part:
                if w + advance(ch) > width and line:
                    lines.append(line)
                    line, w = "", 0.0
                line += ch
                w += advance(ch)
            lines.append(line)
        return lines

    runs = []  # (column, x, y, text): y is the line's top
    paths = []  # (x1, x2, y)

    def text_run(col, x, y, text):
        runs.append((col, x, y, text))

    y = 30.0
    for line in (NUMBER, "", TITLE, "", "各乡镇人民政府、街道办事处，区直各有关单位：", "现将2024年重点工作任务分解如下，请认真抓好落实。", ""):
        if line:
            text_run(-1, 20.0 if line != TITLE else 45.0, y, line)
        y += pitch + 2
    top = y
    # Two header rows: 责任单位 over 牵头单位 and 配合单位; the rest merged down.
    paths.append((edges[0], edges[-1], top))
    def centred(left, right, text):
        return (left + right - sum(advance(ch) for ch in text)) / 2

    # Header texts centred in their cells, as tables are typeset.
    for c, name in enumerate(HEADER_TOP):
        if c == 4:
            continue
        right = edges[5] if c == 3 else edges[c + 1]
        text_run(c, centred(edges[c], right, name), top + 1, name)
    paths.append((edges[3], edges[5], top + pitch + 2))
    for c in (3, 4):
        text_run(c, centred(edges[c], edges[c + 1], HEADER_BOTTOM[c]), top + pitch + 3, HEADER_BOTTOM[c])
    y = top + 2 * (pitch + 2)
    paths.append((edges[0], edges[-1], y))
    for r, row in enumerate(ROWS):
        cells = [wrap(v, edges[c + 1] - edges[c] - 2) if v else [] for c, v in enumerate(row)]
        height = max(len(v) for v in cells) * pitch + 2
        for c, lines in enumerate(cells):
            for k, line in enumerate(lines):
                text_run(c, edges[c] + 1, y + 1 + k * pitch, line)
        y += height
        # The rule under this row, open over a column whose next cell is merged with it.
        nxt = ROWS[r + 1] if r + 1 < len(ROWS) else None
        for c in range(6):
            if nxt is None or nxt[c] is not None:
                paths.append((edges[c], edges[c + 1], y))
    text_run(-1, 130.0, y + 12, "示范区人民政府办公室")
    text_run(-1, 135.0, y + 12 + pitch + 2, DOC_DATE)
    objs, oid = [], 2
    # Column by column: a form's labels, then its values, as OFD writers do.
    for col, x, ty, text in sorted(runs, key=lambda r: (r[0], r[2])):
        deltas = " ".join(str(advance(ch)) for ch in text[:-1])
        dx = f' DeltaX="{deltas}"' if len(text) > 1 else ""
        width = sum(advance(ch) for ch in text) + 1
        objs.append(
            f'<ofd:TextObject ID="{oid}" Boundary="{x} {ty} {width} {pitch}" Font="1" Size="{size}">'
            f'<ofd:TextCode X="0" Y="3">{text}</ofd:TextCode></ofd:TextObject>'.replace('Y="3">', f'Y="3"{dx}>')
        )
        oid += 1
    for x1, x2, py in paths:
        objs.append(
            f'<ofd:PathObject ID="{oid}" Boundary="{x1} {py} {x2 - x1} 0.3" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M 0 0 L {x2 - x1} 0</ofd:AbbreviatedData></ofd:PathObject>"
        )
        oid += 1
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">'
        + "".join(objs)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", document)
        z.writestr("Doc_0/Pages/Page_0/Content.xml", content)


def bomb(out, inner):
    """A zip whose one part inflates to 300 MB of zeros from about 300 kB."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        if inner.startswith("Doc"):
            z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody>'
                       f"<ofd:DocRoot>{inner}</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        else:
            z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(inner, "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(chunk)


def encrypted_pdf(out):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    font = cjk_font()
    c = canvas.Canvas(out, encrypt=StandardEncryption("secret", canPrint=0))
    c.setFont(font, 12)
    c.drawString(72, 720, "关于开展安全生产检查的通知")
    c.save()


def scanned_pdf(out):
    """Two pages of a picture of text and no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # A small grey bitmap stands in for the scanned page.
    w, h = 64, 32
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        raw.extend((40 if (x // 4 + y // 4) % 2 else 230) for x in range(w))
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")
    c = canvas.Canvas(out)
    for _ in range(2):
        c.drawImage(ImageReader(io.BytesIO(png)), 50, 300, 500, 250)
        c.showPage()
    c.save()


def pdf_bomb(out):
    """A one-page PDF whose content stream inflates to 300 MB of spaces."""
    import zlib

    data = zlib.compress(b" " * (300 << 20), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        pdf += b"%010d 00000 n \n" % o
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(out, "wb") as f:
        f.write(pdf)


def tables(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    docx_path = os.path.join(out_dir, "task_table.docx")
    table_docx(docx_path)
    table_pdf(docx_path, os.path.join(out_dir, "task_table.pdf"))
    long_path = os.path.join(out_dir, "long_table.docx")
    long_table_docx(long_path)
    table_pdf(long_path, os.path.join(out_dir, "long_table.pdf"))
    minimal_ofd(os.path.join(out_dir, "minimal.ofd"))
    table_ofd(os.path.join(out_dir, "task_table.ofd"))
    with open(docx_path, "rb") as f:
        data = f.read()
    with open(os.path.join(out_dir, "truncated.docx"), "wb") as f:
        f.write(data[: len(data) * 2 // 3])
    bomb(os.path.join(out_dir, "bomb.docx"), "word/document.xml")
    bomb(os.path.join(out_dir, "bomb.ofd"), "Doc_0/Document.xml")
    pdf_bomb(os.path.join(out_dir, "bomb.pdf"))
    encrypted_pdf(os.path.join(out_dir, "encrypted.pdf"))
    scanned_pdf(os.path.join(out_dir, "scanned.pdf"))


def gazettes(out_dir, paths):
    os.makedirs(out_dir, exist_ok=True)
    for p in paths:
        with open(p, encoding="utf-8") as f:
            lines = f.read().split("\n")
        stem = os.path.splitext(os.path.basename(p))[0]
        gazette_docx(lines, os.path.join(out_dir, stem + ".docx"))
        gazette_pdf(lines, os.path.join(out_dir, stem + ".pdf"))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "tables":
        tables(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "gazettes":
        gazettes(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
