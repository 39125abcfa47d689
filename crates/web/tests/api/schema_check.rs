//! Typed answers checked against their schemas in the OpenAPI document.
//! [`check_response`] is called by the HTTP helpers of every session
//! (`helpers::Session`, the authorisation table's `send`), so each typed
//! answer any test receives is validated, not only those of
//! `tests/api/openapi`.
//!
//! The schema of an answer is the one the document gives the operation
//! (method and path) for its status: a typed view for a success, the
//! typed refusals (the log-in's second step, an import's report).

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The document, made once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(duban_web::openapi::document)
}

/// A validator per schema, built once each, keyed by the schema's text.
fn validator(schema: &Value) -> &'static jsonschema::Validator {
    static V: OnceLock<Mutex<HashMap<String, &'static jsonschema::Validator>>> = OnceLock::new();
    let key = schema.to_string();
    let mut all = V.get_or_init(Default::default).lock().unwrap();
    all.entry(key).or_insert_with(|| {
        let with_components = json!({
            "allOf": [schema],
            "components": document()["components"],
        });
        let v = jsonschema::draft202012::new(&with_components)
            .unwrap_or_else(|e| panic!("the schema {schema} does not compile: {e}"));
        Box::leak(Box::new(v))
    })
}

/// Whether a route template (`/api/v1/matters/{id}`) matches a path. A
/// parameter is a record's number, so `/api/v1/matters/similar` (a route
/// of its own) is not a matter.
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            t == p
                || (t.starts_with('{')
                    && t.ends_with('}')
                    && !p.is_empty()
                    && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// The JSON schema the document gives the answer `status` of `method` on
/// `path` (a concrete path, with its query), if it gives one.
pub fn response_schema(method: &str, path: &str, status: u16) -> Option<&'static Value> {
    let path = path.split('?').next().unwrap_or(path);
    let (_, item) = document()["paths"]
        .as_object()?
        .iter()
        .find(|(t, item)| matches(t, path) && item[method.to_lowercase()].is_object())?;
    let schema = &item[method.to_lowercase()]["responses"][status.to_string()]["content"]
        ["application/json"]["schema"];
    schema.is_object().then_some(schema)
}

/// The typed view a successful `method` on `path` answers with, if any:
/// the component its 200 (or, for a creation, 201) refers to.
pub fn typed_view(method: &str, path: &str) -> Option<&'static str> {
    [200, 201]
        .into_iter()
        .find_map(|status| response_schema(method, path, status))
        .and_then(|s| s["$ref"].as_str())
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// Panics, naming every violation, when a successful answer (200, or 201
/// for a creation) or a typed refusal (one whose schema is more than the
/// plain error) does not match its schema in the document.
pub fn check_response(method: &str, path: &str, status: u16, body: &[u8]) {
    let Some(schema) = response_schema(method, path, status) else {
        return;
    };
    let plain_error = schema["$ref"] == "#/components/schemas/Error";
    if !matches!(status, 200 | 201) && plain_error {
        return;
    }
    let value: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{method} {path}: the {status} is not JSON ({e})"));
    let errors: Vec<String> = validator(schema)
        .iter_errors(&value)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path}: the {status} does not match its schema {schema}:\n{}",
        errors.join("\n")
    );
}

/// Each way `value` breaks the component schema `name`.
pub fn violations(name: &str, value: &Value) -> Vec<String> {
    validator(&json!({ "$ref": format!("#/components/schemas/{name}") }))
        .iter_errors(value)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect()
}
