//! Small helpers over quick-xml events shared by the Word and OFD readers:
//! names without their namespace prefix and attribute values by local name.

use quick_xml::events::BytesStart;

/// The element's name without its prefix (`w:p` → `p`, `ofd:TextCode` →
/// `TextCode`).
pub fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// The value of the attribute whose local name is `name`, unescaped.
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}
