//! OFD (GB/T 33190): the container's `OFD.xml` names the document root;
//! its `Document.xml` lists the pages and their templates; every page's
//! `Content.xml` holds TextObjects whose TextCodes carry text at a position
//! (`X`, `Y` and the per-glyph advances `DeltaX`, with the `g` repeat form)
//! inside the object's `Boundary`, scaled by its `CTM`. Writers split text
//! at every font change and write it in any order, so each TextCode becomes
//! positioned glyphs and [`crate::page`] puts them into lines; the
//! horizontal segments that PathObjects draw are the page's rules, which
//! tell a table's merged cells as they do in a PDF. The document
//! information gives the title and, in its custom data, the 发文字号, kept
//! where the text bears them out. Text made of private-use code points
//! (fonts with private encodings) cannot be recovered without OCR and is
//! refused as such.

use crate::page::{self, Glyph, Page};
use crate::safezip::SafeZip;
use crate::text::{borne_out, Builder};
use crate::xml::{attr, local};
use crate::{Error, Kind, Limits, Meta, Read};
use quick_xml::events::Event;
use quick_xml::Reader;

/// Reads an .ofd.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Read, Error> {
    let mut zip = SafeZip::open(bytes, limits.zip)?;
    let ofd = zip
        .read_text("OFD.xml")?
        .ok_or_else(|| Error::Damaged("缺少 OFD.xml".into()))?;
    let info = doc_info(&ofd);
    let root = info
        .root
        .clone()
        .ok_or_else(|| Error::Damaged("OFD.xml 未指明文档（DocRoot）".into()))?;
    let document = zip
        .read_text(&root)?
        .ok_or_else(|| Error::Damaged(format!("缺少 {root}")))?;
    let base = root
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| format!("{d}/"));
    let doc = document_xml(&document);
    if doc.pages.len() > limits.max_pages {
        return Err(Error::TooManyPages {
            pages: doc.pages.len(),
            limit: limits.max_pages,
        });
    }
    if doc.pages.is_empty() {
        return Err(Error::Damaged("文档没有页面".into()));
    }
    let mut pages = Vec::new();
    for (loc, templates, area) in &doc.pages {
        let (width, height) = area.or(doc.area).unwrap_or((210.0, 297.0));
        let mut page = Page {
            width,
            height,
            glyphs: Vec::new(),
            rules: Vec::new(),
        };
        for t in templates {
            if let Some((_, tloc)) = doc.templates.iter().find(|(id, _)| id == t) {
                if let Some(x) = zip.read_text(&resolve(&base, tloc))? {
                    content(&x, &mut page);
                }
            }
        }
        let xml = zip
            .read_text(&resolve(&base, loc))?
            .ok_or_else(|| Error::Damaged(format!("缺少页面 {loc}")))?;
        content(&xml, &mut page);
        pages.push(page);
    }
    let all: Vec<char> = pages
        .iter()
        .flat_map(|p| p.glyphs.iter().flat_map(|g| g.text.chars()))
        .filter(|c| !c.is_whitespace())
        .collect();
    if all.is_empty() {
        return Err(Error::NoText { pages: pages.len() });
    }
    let pua = all.iter().filter(|c| private_use(**c)).count();
    let share = (pua * 100 / all.len()) as u32;
    if share >= 20 {
        return Err(Error::Unreadable { share });
    }
    let mut out = Builder::default();
    page::lay_out(&pages, &mut out);
    if pua > 0 {
        out.warn(
            0,
            format!("有 {pua} 个字符使用私有编码，无法还原（需 OCR 核对）"),
        );
    }
    let text = out.text();
    Ok(Read {
        kind: Kind::Ofd,
        encoding: "ofd".into(),
        meta: Meta {
            title: borne_out(info.title, &text),
            number: borne_out(info.number, &text),
        },
        text,
        tables: out.tables,
        pages: pages.len(),
        warnings: out.warnings,
    })
}

fn private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// A path inside the container: absolute (`/Doc_0/…`) or relative to the
/// document's folder.
fn resolve(base: &str, loc: &str) -> String {
    match loc.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if loc.starts_with(base) && !base.is_empty() => loc.to_string(),
        None => format!("{base}{loc}"),
    }
}

#[derive(Default)]
struct Info {
    root: Option<String>,
    title: Option<String>,
    number: Option<String>,
}

/// The first document's root and its information.
fn doc_info(xml: &str) -> Info {
    let mut r = Reader::from_str(xml);
    let mut info = Info::default();
    let mut field: Option<String> = None;
    let mut custom: Option<String> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                let name = local(&e);
                if name == "CustomData" {
                    custom = attr(&e, "Name");
                }
                field = Some(name);
            }
            Ok(Event::Text(t)) => {
                let v = t.xml10_content().trim().to_string();
                match field.as_deref() {
                    Some("DocRoot") if info.root.is_none() => info.root = Some(v),
                    Some("Title") if info.title.is_none() && !v.is_empty() => info.title = Some(v),
                    Some("CustomData")
                        if custom.as_deref().is_some_and(|n| {
                            n.contains("文号")
                                || n.contains("字号")
                                || n.eq_ignore_ascii_case("DocNumber")
                        }) =>
                    {
                        info.number = Some(v)
                    }
                    _ => {}
                }
            }
            Ok(Event::End(_)) => field = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    info
}

/// A page: its content's location, its templates' ids, its own size.
type PageRef = (String, Vec<String>, Option<(f32, f32)>);

/// Pages in order, templates by id, the default page size.
#[derive(Default)]
struct DocumentXml {
    pages: Vec<PageRef>,
    templates: Vec<(String, String)>,
    area: Option<(f32, f32)>,
}

fn document_xml(xml: &str) -> DocumentXml {
    let mut r = Reader::from_str(xml);
    let mut d = DocumentXml::default();
    let mut in_box = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(&e).as_str() {
                "Page" => {
                    if let Some(loc) = attr(&e, "BaseLoc") {
                        d.pages.push((loc, Vec::new(), None));
                    }
                }
                "TemplatePage" => {
                    if let (Some(id), Some(loc)) = (attr(&e, "ID"), attr(&e, "BaseLoc")) {
                        d.templates.push((id, loc));
                    }
                }
                "PhysicalBox" => in_box = true,
                _ => {}
            },
            Ok(Event::Text(t)) if in_box => {
                let v: Vec<f32> = t
                    .xml10_content()
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                if v.len() == 4 && d.area.is_none() {
                    d.area = Some((v[2], v[3]));
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "PhysicalBox" => in_box = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    d
}

/// The positioned glyphs of a page's (or template's) content, and the
/// horizontal rules its paths draw (a table's borders).
fn content(xml: &str, page: &mut Page) {
    let out = &mut page.glyphs;
    let mut r = Reader::from_str(xml);
    // The open TextObject: boundary origin, CTM, size.
    let mut obj: Option<([f32; 2], [f32; 6], f32)> = None;
    let mut code: Option<(f32, f32, Vec<f32>, Vec<f32>)> = None;
    // The open PathObject's boundary origin and CTM, and whether it is
    // inside its AbbreviatedData.
    let mut path: Option<([f32; 2], [f32; 6])> = None;
    let mut in_data = false;
    let mut text = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => match local(&e).as_str() {
                "TextObject" => obj = Some(text_object(&e)),
                "PathObject" => {
                    let (origin, ctm, _) = text_object(&e);
                    path = Some((origin, ctm));
                }
                "AbbreviatedData" => in_data = path.is_some(),
                "TextCode" => {
                    let num = |n: &str| attr(&e, n).and_then(|v| v.trim().parse::<f32>().ok());
                    code = Some((
                        num("X").unwrap_or(0.0),
                        num("Y").unwrap_or(0.0),
                        deltas(&attr(&e, "DeltaX").unwrap_or_default()),
                        deltas(&attr(&e, "DeltaY").unwrap_or_default()),
                    ));
                    text.clear();
                }
                _ => {}
            },
            Ok(Event::Text(t)) if code.is_some() => text.push_str(&t.xml10_content()),
            Ok(Event::Text(t)) if in_data => {
                if let Some((origin, ctm)) = path {
                    if page.rules.len() < MAX_RULES {
                        horizontal_rules(&t.xml10_content(), origin, ctm, &mut page.rules);
                    }
                }
            }
            Ok(Event::GeneralRef(g)) if code.is_some() => {
                if let Ok(Some(c)) = g.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(match &*g.into_inner() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "TextCode" => {
                    if let (Some((x, y, dx, dy)), Some((origin, ctm, size))) = (code.take(), obj) {
                        place(&text, x, y, &dx, &dy, origin, ctm, size, out);
                    }
                }
                "TextObject" => obj = None,
                "PathObject" => path = None,
                "AbbreviatedData" => in_data = false,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// The most rules kept from one page: a table's borders are a few
/// hundred; a drawing of thousands of strokes is no table.
const MAX_RULES: usize = 20_000;

/// The horizontal segments of a path's `AbbreviatedData` (`M x y`, `L x y`,
/// `C` closing to the start; curves are skipped but move the pen), in page
/// coordinates: `(left, right, y)` with y measured down from the top, as
/// OFD measures it. A rectangle gives its top and bottom edges.
fn horizontal_rules(data: &str, origin: [f32; 2], m: [f32; 6], out: &mut Vec<(f32, f32, f32)>) {
    let at = |x: f32, y: f32| {
        (
            origin[0] + m[0] * x + m[2] * y + m[4],
            origin[1] + m[1] * x + m[3] * y + m[5],
        )
    };
    let mut add = |a: (f32, f32), b: (f32, f32)| {
        if (a.1 - b.1).abs() < 0.3 && (a.0 - b.0).abs() > 2.0 && out.len() < MAX_RULES {
            out.push((a.0.min(b.0), a.0.max(b.0), (a.1 + b.1) / 2.0));
        }
    };
    let mut tokens = data.split_whitespace();
    let num = |t: &mut std::str::SplitWhitespace| t.next().and_then(|v| v.parse::<f32>().ok());
    let (mut cur, mut start) = ((0.0, 0.0), (0.0, 0.0));
    while let Some(op) = tokens.next() {
        let point = |t: &mut std::str::SplitWhitespace| Some(at(num(t)?, num(t)?));
        match op {
            "S" | "M" => {
                let Some(p) = point(&mut tokens) else { break };
                (cur, start) = (p, p);
            }
            "L" => {
                let Some(p) = point(&mut tokens) else { break };
                add(cur, p);
                cur = p;
            }
            "C" => {
                add(cur, start);
                cur = start;
            }
            // Curves (`Q`: 2 points, `B`: 3) and arcs (`A rx ry angle
            // large sweep x y`): the pen moves to their end point.
            "Q" | "B" | "A" => {
                let skip = match op {
                    "Q" => 2,
                    "B" => 4,
                    _ => 5,
                };
                for _ in 0..skip {
                    num(&mut tokens);
                }
                let Some(p) = point(&mut tokens) else { break };
                cur = p;
            }
            _ => {}
        }
    }
}

fn text_object(e: &quick_xml::events::BytesStart) -> ([f32; 2], [f32; 6], f32) {
    let nums = |n: &str| -> Vec<f32> {
        attr(e, n)
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect()
    };
    let b = nums("Boundary");
    let origin = [
        b.first().copied().unwrap_or(0.0),
        b.get(1).copied().unwrap_or(0.0),
    ];
    let c = nums("CTM");
    let ctm = if c.len() == 6 {
        [c[0], c[1], c[2], c[3], c[4], c[5]]
    } else {
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    };
    let size = nums("Size").first().copied().unwrap_or(3.5);
    (origin, ctm, size)
}

/// `DeltaX`/`DeltaY` values with the `g N v` form (v repeated N times)
/// expanded; at most a few thousand, whatever the file claims.
pub fn deltas(s: &str) -> Vec<f32> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while let Some(tok) = it.next() {
        if out.len() > 100_000 {
            break;
        }
        if tok == "g" {
            let n: usize = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            let v: f32 = it.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            out.extend(std::iter::repeat_n(v, n.min(100_000)));
        } else if let Ok(v) = tok.parse() {
            out.push(v);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn place(
    text: &str,
    x: f32,
    y: f32,
    dx: &[f32],
    dy: &[f32],
    origin: [f32; 2],
    m: [f32; 6],
    size: f32,
    out: &mut Vec<Glyph>,
) {
    let scale = (m[0] * m[0] + m[1] * m[1]).sqrt().max(1e-6);
    let (mut cx, mut cy) = (x, y);
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let adv = dx.get(i).copied().unwrap_or(if dx.is_empty() {
            size
        } else {
            *dx.last().unwrap_or(&size)
        });
        let px = origin[0] + m[0] * cx + m[2] * cy + m[4];
        let py = origin[1] + m[1] * cx + m[3] * cy + m[5];
        out.push(Glyph {
            x: px,
            y: py,
            size: size * scale,
            width: if i + 1 < chars.len() {
                adv * scale
            } else {
                size * scale * if c.is_ascii() { 0.5 } else { 1.0 }
            },
            text: c.to_string(),
        });
        cx += adv;
        if let Some(d) = dy.get(i) {
            cy += d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_give_their_horizontal_segments_in_page_coordinates() {
        let id = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let mut rules = Vec::new();
        // A rectangle: its top and bottom edges, not its sides.
        horizontal_rules(
            "M 0 0 L 100 0 L 100 8 L 0 8 C",
            [20.0, 50.0],
            id,
            &mut rules,
        );
        assert_eq!(rules, [(20.0, 120.0, 50.0), (20.0, 120.0, 58.0)]);
        // A curve moves the pen; a short tick and a vertical line are no rules.
        rules.clear();
        horizontal_rules(
            "M 0 0 B 1 1 2 2 10 5 L 60 5 M 0 9 L 1 9 M 3 0 L 3 30",
            [0.0, 0.0],
            id,
            &mut rules,
        );
        assert_eq!(rules, [(10.0, 60.0, 5.0)]);
        // Scaled by the CTM; damaged data stops the path, keeping what came before.
        rules.clear();
        horizontal_rules(
            "M 0 0 L 10 0 L 20 x",
            [0.0, 0.0],
            [2.0, 0.0, 0.0, 2.0, 0.0, 0.0],
            &mut rules,
        );
        assert_eq!(rules, [(0.0, 20.0, 0.0)]);
    }

    #[test]
    fn deltas_expand_the_repeat_form() {
        assert_eq!(deltas("1 g 3 2.5 4"), [1.0, 2.5, 2.5, 2.5, 4.0]);
        assert_eq!(deltas(""), Vec::<f32>::new());
        assert_eq!(deltas("g 2"), [0.0, 0.0]);
    }

    #[test]
    fn paths_resolve_against_the_document_folder() {
        assert_eq!(
            resolve("Doc_0/", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0/", "/Doc_0/Pages/P.xml"), "Doc_0/Pages/P.xml");
        assert_eq!(resolve("Doc_0/", "Doc_0/Tpls/T.xml"), "Doc_0/Tpls/T.xml");
    }
}
#[cfg(test)]
mod info_tests {
    #[test]
    fn custom_data_number() {
        let x = r#"<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocInfo><ofd:Title>标题</ofd:Title><ofd:CustomDatas><ofd:CustomData Name="发文字号">示安办发〔2024〕3号</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
        let i = super::doc_info(x);
        assert_eq!(i.number.as_deref(), Some("示安办发〔2024〕3号"));
    }
}
