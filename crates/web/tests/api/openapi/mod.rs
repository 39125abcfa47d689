//! The OpenAPI document against the OpenAPI 3.1 meta-schema, and every
//! typed response the tests receive against its schema in that document.
//!
//! `oas-3.1-schema.json` is the OpenAPI Initiative's published schema for
//! 3.1 documents (`https://spec.openapis.org/oas/3.1/schema/2022-10-07`,
//! Apache-2.0), vendored so the check needs no network. It checks the
//! document's structure; the schemas inside it are checked against the JSON
//! Schema 2020-12 meta-schema, which `jsonschema` carries.
//!
//! The check of each answer is `helpers::schema_check`, which the HTTP
//! helpers call on every typed answer.

use crate::helpers::schema_check::{typed_view, violations};
use serde_json::{json, Value};

const META_SCHEMA: &str = include_str!("oas-3.1-schema.json");

#[test]
fn the_document_is_a_valid_openapi_3_1_document() {
    let doc = duban_web::openapi::document();
    let meta: Value = serde_json::from_str(META_SCHEMA).expect("meta-schema");
    let validator = jsonschema::draft202012::new(&meta).expect("meta-schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The check can fail: a document of another version, or a path without
    // its responses, is refused.
    let mut old = doc.clone();
    old["openapi"] = json!("3.0.3");
    assert!(!validator.is_valid(&old));
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/matters"]["get"]
        .as_object_mut()
        .unwrap()
        .remove("responses");
    broken["paths"]["/api/v1/matters"]["get"]["parameters"] = json!("none");
    assert!(!validator.is_valid(&broken));
    // Every component schema is a valid JSON Schema 2020-12 schema.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Err(e) = jsonschema::meta::validate(schema) {
            panic!("components.schemas.{name}: {e}");
        }
    }
}

#[test]
fn every_json_answer_has_the_schema_of_its_type() {
    let doc = duban_web::openapi::document();
    let schemas = &doc["components"]["schemas"];
    let mut typed = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (code, response) in op["responses"].as_object().unwrap() {
                let schema = &response["content"]["application/json"]["schema"];
                if schema.is_null() || path == "/api/openapi.json" {
                    continue;
                }
                // A named component, derived from the type the handler
                // answers with (or the refusal's).
                let name = schema["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .unwrap_or_else(|| panic!("{method} {path} {code}: no typed schema: {schema}"));
                let component = &schemas[name];
                assert!(
                    component["properties"].is_object() || component["anyOf"].is_array(),
                    "{method} {path} {code}: {name} is {component}"
                );
                typed += 1;
            }
        }
    }
    assert!(typed > 100, "{typed}");
    assert_eq!(
        doc["paths"]["/api/v1/matters/{id}"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["$ref"],
        "#/components/schemas/MatterWrapper"
    );
    let board = &doc["components"]["schemas"]["BoardView"];
    assert_eq!(
        board["properties"]["matters"]["items"]["$ref"],
        "#/components/schemas/MatterView"
    );
    let schemas = &doc["components"]["schemas"];
    let text = format!("{}{}", schemas["MatterView"], schemas["MatterFields"]);
    for field in ["completion", "next", "light", "tracks", "status_label"] {
        assert!(
            text.contains(&format!("\"{field}\"")),
            "MatterView lacks {field}: {text}"
        );
    }
    if std::env::var_os("DUBAN_DUMP_OPENAPI").is_some() {
        println!("{}", serde_json::to_string_pretty(&doc).unwrap());
    }
}

#[test]
fn a_body_that_breaks_its_schema_is_caught() {
    // A board page as the API sends it, then with a field renamed and one
    // of the wrong type: the check must see both.
    let good = json!({
        "matters": [], "total": 0, "limit": 50, "offset": 0, "today": "2026-12-07",
    });
    assert!(
        violations("BoardView", &good).is_empty(),
        "{:?}",
        violations("BoardView", &good)
    );
    let bad = json!({
        "rows": [], "total": "none", "limit": 50, "offset": 0, "today": "2026-12-07",
    });
    let errors = violations("BoardView", &bad);
    assert!(errors.iter().any(|e| e.contains("matters")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("/total")), "{errors:?}");
    assert_eq!(
        typed_view("GET", "/api/v1/matters/12?x=1"),
        Some("MatterWrapper")
    );
    assert_eq!(typed_view("GET", "/api/v1/matters"), Some("BoardView"));
    assert_eq!(
        typed_view("POST", "/api/v1/matters"),
        Some("CreatedMatterView")
    );
    assert_eq!(typed_view("GET", "/api/v1/matters/12/withdraw"), None);
}

#[test]
fn the_typed_bodies_and_refusals_are_documented_by_name() {
    let doc = duban_web::openapi::document();
    let schemas = &doc["components"]["schemas"];
    for (method, path, body) in [
        ("post", "/api/v1/tracks/{id}/actions", "TrackAction"),
        ("put", "/api/v1/security/settings", "SecuritySettings"),
        (
            "post",
            "/api/v1/indicators/{matter_id}/{index}/values",
            "IndicatorValue",
        ),
    ] {
        let request = &doc["paths"][path][method]["requestBody"];
        assert_eq!(request["required"], true, "{path}");
        assert_eq!(
            request["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{body}"),
            "{path}"
        );
        // Exact: its fields, and no other.
        let schema = &schemas[body];
        let shapes: Vec<&Value> = match schema["oneOf"].as_array() {
            Some(variants) => variants.iter().collect(),
            None => vec![schema],
        };
        for s in shapes {
            assert_eq!(s["type"], "object", "{body}");
            assert_eq!(s["additionalProperties"], false, "{body}");
            assert!(
                s["properties"].as_object().is_some_and(|p| !p.is_empty()),
                "{body}: {s}"
            );
        }
    }
    let actions = schemas["TrackAction"]["oneOf"].as_array().unwrap();
    let close = actions
        .iter()
        .find(|v| v["properties"]["action"]["enum"] == json!(["close"]))
        .expect("a variant for close");
    assert!(close["required"]
        .as_array()
        .unwrap()
        .contains(&json!("grade")));
    assert_eq!(
        schemas["SecuritySettings"]["properties"]["accounts"]["properties"]["idle_minutes"]
            ["minimum"],
        5
    );
    assert!(schemas["IndicatorValue"]["properties"]["value"]["oneOf"].is_array());

    // The refusals that carry more than their words.
    let response = |path: &str, code: &str| {
        doc["paths"][path]["post"]["responses"][code]["content"]["application/json"]["schema"]
            .clone()
    };
    assert_eq!(
        response("/api/v1/session", "401")["$ref"],
        "#/components/schemas/TotpRequiredView"
    );
    for path in ["/api/v1/imports/tasks", "/api/v1/imports/projects"] {
        assert_eq!(
            response(path, "422")["$ref"],
            "#/components/schemas/ImportRefusedViewOrError",
            "{path}"
        );
        assert_eq!(
            schemas["ImportRefusedViewOrError"]["anyOf"],
            json!([
                { "$ref": "#/components/schemas/ImportRefusedView" },
                { "$ref": "#/components/schemas/Error" },
            ]),
            "{path}"
        );
    }
    assert_eq!(
        response("/api/v1/session", "400")["$ref"],
        "#/components/schemas/Error"
    );
    assert!(schemas["TotpRequiredView"]["properties"]["totp_required"].is_object());
    assert!(schemas["ImportRefusedView"]["properties"]["report"].is_object());
    // The similar matters of a creation are the similar-matters view.
    assert_eq!(
        schemas["CreatedMatterView"]["properties"]["similar"]["items"]["$ref"],
        "#/components/schemas/SimilarView"
    );
    assert_eq!(
        schemas["ConfirmedView"]["properties"]["similar"]["items"]["$ref"],
        "#/components/schemas/SimilarView"
    );
}
