//! How much text a request may carry: every string field of a JSON body
//! and every field of a form, so three ten-megabyte reports cannot make a
//! matter's page thirty megabytes. File contents (`base64`) are bounded by
//! the attachment limits instead.

use crate::error::ApiError;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The most characters one text field may hold.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Fields holding file contents, not text.
const FILE_FIELDS: &[&str] = &["base64"];

/// The refusal of a field over the limit.
fn too_long(field: &str, chars: usize) -> ApiError {
    ApiError::BadRequest(format!(
        "“{field}”过长（{chars} 字）：每项文字最多 {MAX_TEXT_CHARS} 字；请精简，详细材料可作为附件上传"
    ))
}

/// Whether `value` of `field` is within the limit.
fn check(field: &str, value: &str) -> Result<(), ApiError> {
    // A byte count under the limit is a char count under it.
    if value.len() <= MAX_TEXT_CHARS || FILE_FIELDS.contains(&field) {
        return Ok(());
    }
    match value.chars().count() {
        n if n > MAX_TEXT_CHARS => Err(too_long(field, n)),
        _ => Ok(()),
    }
}

/// Checks the fields of a form.
pub fn check_fields<'a>(
    fields: impl IntoIterator<Item = &'a (String, String)>,
) -> Result<(), ApiError> {
    fields.into_iter().try_for_each(|(k, v)| check(k, v))
}

/// Checks every string of a JSON body, named by its key, without building
/// the body as a value. A body that is not JSON passes: the typed parse
/// that follows says what is wrong with it.
pub fn check_json(bytes: &[u8]) -> Result<(), ApiError> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = Walk {
        key: "",
        found: &mut found,
    }
    .deserialize(&mut de);
    found.map_or(Ok(()), Err)
}

/// A walk over a JSON document that keeps the first refusal.
struct Walk<'a> {
    key: &'a str,
    found: &'a mut Option<ApiError>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        if self.found.is_none() {
            *self.found = check(self.key, v).err();
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Walk { key, found } = self;
        while seq
            .next_element_seed(Walk {
                key,
                found: &mut *found,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let found = self.found;
        while let Some(key) = map.next_key::<String>()? {
            map.next_value_seed(Walk {
                key: &key,
                found: &mut *found,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &serde_json::Value) -> Option<String> {
        check_json(body.to_string().as_bytes())
            .err()
            .map(|e| e.status_and_message().1.to_string())
    }

    #[test]
    fn every_text_field_is_bounded_but_file_contents() {
        let long = "督".repeat(MAX_TEXT_CHARS + 1);
        let fits = "督".repeat(MAX_TEXT_CHARS);
        assert_eq!(refused(&serde_json::json!({ "text": fits })), None);
        let m = refused(&serde_json::json!({ "version": 2, "text": long })).unwrap();
        assert!(m.contains("“text”过长（10001 字）"), "{m}");
        let nested = serde_json::json!({ "targets": [{ "note": long }] });
        assert!(refused(&nested).unwrap().contains("“note”"));
        let file = serde_json::json!({ "files": [{ "base64": "A".repeat(100_000) }] });
        assert_eq!(refused(&file), None);
        assert!(check_json(b"{not json").is_ok());
        let form = vec![("reason".to_string(), long.clone())];
        assert!(check_fields(&form).is_err());
    }
}
