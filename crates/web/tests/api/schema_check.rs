//! Typed answers checked against their schemas in the OpenAPI document.
//! [`check_response`] is called by the HTTP helpers of every session
//! (`helpers::Session`, the authorisation table's `send`), so each typed
//! answer any test receives is validated, not only those of
//! `tests/api/openapi`.

use duban_web::views::{TYPED_ERRORS, TYPED_ROUTES};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A validator per typed view, built once from the served document.
fn validators() -> &'static HashMap<&'static str, jsonschema::Validator> {
    static V: OnceLock<HashMap<&'static str, jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| {
        let doc = duban_web::openapi::document();
        TYPED_ROUTES
            .iter()
            .map(|(_, _, view)| *view)
            .chain(TYPED_ERRORS.iter().map(|(.., view, _)| *view))
            .chain(["Error"])
            .map(|view| (view, validator_of(&doc, view)))
            .collect()
    })
}

/// A validator for the component schema `name` of `doc`, with the other
/// components beside it so its `$ref`s resolve.
fn validator_of(doc: &Value, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("the schema of {name} does not compile: {e}"))
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

/// The typed view a successful `method` on `path` answers with, if any.
pub fn typed_view(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    TYPED_ROUTES
        .iter()
        .find(|(m, t, _)| *m == method && matches(t, path))
        .map(|(_, _, view)| *view)
}

/// The typed refusal `method` on `path` answers `status` with, if any,
/// and whether the plain error may come instead.
pub fn typed_error(method: &str, path: &str, status: u16) -> Option<(&'static str, bool)> {
    let path = path.split('?').next().unwrap_or(path);
    TYPED_ERRORS
        .iter()
        .find(|(m, t, s, ..)| *m == method && *s == status && matches(t, path))
        .map(|(.., view, alone)| (*view, !*alone))
}

/// Panics, naming every violation, when a successful answer (200, or 201
/// for a creation) of a typed route, or a typed refusal (the log-in's 401,
/// an import's 422), does not match its schema.
pub fn check_response(method: &str, path: &str, status: u16, body: &[u8]) {
    if let Some((view, or_error)) = typed_error(method, path, status) {
        let value: Value = serde_json::from_slice(body)
            .unwrap_or_else(|e| panic!("{method} {path}: the refusal is not JSON ({e})"));
        let errors = violations(view, &value);
        let plain = or_error && violations("Error", &value).is_empty();
        assert!(
            errors.is_empty() || plain,
            "{method} {path}: the {status} does not match the schema {view}:\n{}",
            errors.join("\n")
        );
        return;
    }
    if !matches!(status, 200 | 201) {
        return;
    }
    let Some(view) = typed_view(method, path) else {
        return;
    };
    let value: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{method} {path}: the answer is not JSON ({e})"));
    let errors = violations(view, &value);
    assert!(
        errors.is_empty(),
        "{method} {path}: the answer does not match the schema {view}:\n{}",
        errors.join("\n")
    );
}

/// Each way `value` breaks the schema of `view`.
pub fn violations(view: &str, value: &Value) -> Vec<String> {
    validators()[view]
        .iter_errors(value)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect()
}
