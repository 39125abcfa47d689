//! The layout ARCHITECTURE.md draws, held to the code: the graph of our
//! crates written there (its `deps` block) against every crate's
//! `Cargo.toml`, and the layers' rules about which libraries each may use
//! (no I/O in the reader, the document readers, the office files and the
//! domain; SQL only in the store; HTTP serving and HTML only in web).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Each crate's name and its normal (not dev, not build) dependencies.
fn manifests() -> BTreeMap<String, (PathBuf, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let doc: toml::Table = text.parse().unwrap_or_else(|e| panic!("{manifest:?}: {e}"));
        let name = doc["package"]["name"].as_str().unwrap().to_string();
        let deps = doc
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        out.insert(name, (dir, deps));
    }
    out
}

/// The `deps` block of ARCHITECTURE.md: `crate → ours…` per line.
fn drawn(text: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let start = text
        .find("```deps\n")
        .ok_or("ARCHITECTURE.md has no ```deps block")?
        + "```deps\n".len();
    let len = text[start..]
        .find("```")
        .ok_or("the deps block is not closed")?;
    let mut out = BTreeMap::new();
    for line in text[start..start + len].lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (name, deps) = line
            .split_once('→')
            .ok_or_else(|| format!("no → in the deps line {line:?}"))?;
        let deps = deps.split_whitespace().map(str::to_string).collect();
        if out.insert(name.trim().to_string(), deps).is_some() {
            return Err(format!("{} is drawn twice", name.trim()));
        }
    }
    Ok(out)
}

/// Where the drawing and the manifests disagree, one line per difference.
fn differences(
    drawn: &BTreeMap<String, BTreeSet<String>>,
    built: &BTreeMap<String, (PathBuf, BTreeSet<String>)>,
) -> Vec<String> {
    let ours: BTreeSet<&String> = built.keys().collect();
    let mut out = Vec::new();
    for (name, (_, deps)) in built {
        let Some(want) = drawn.get(name) else {
            out.push(format!("{name} is not in the drawing"));
            continue;
        };
        let have: BTreeSet<String> = deps.iter().filter(|d| ours.contains(d)).cloned().collect();
        for d in have.difference(want) {
            out.push(format!(
                "{name} depends on {d}, which the drawing does not show"
            ));
        }
        for d in want.difference(&have) {
            out.push(format!(
                "the drawing shows {name} → {d}, which Cargo.toml lacks"
            ));
        }
    }
    for name in drawn.keys() {
        if !built.contains_key(name) {
            out.push(format!("the drawing shows {name}, which is not a crate"));
        }
    }
    out
}

#[test]
fn the_crate_graph_is_the_one_drawn() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let drawn = drawn(&text).unwrap();
    let diff = differences(&drawn, &manifests());
    assert!(
        diff.is_empty(),
        "ARCHITECTURE.md and Cargo.toml disagree:\n{}",
        diff.join("\n")
    );
}

#[test]
fn a_drawing_that_differs_is_caught() {
    let built = manifests();
    // Each kind of difference, made from the real manifests.
    let mut missing_edge =
        drawn(&std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap()).unwrap();
    missing_edge.get_mut("duban-store").unwrap().clear();
    assert_eq!(
        differences(&missing_edge, &built),
        ["duban-store depends on duban-domain, which the drawing does not show"]
    );
    let mut extra_edge = missing_edge.clone();
    extra_edge
        .get_mut("duban-store")
        .unwrap()
        .extend(["duban-domain".to_string(), "duban-web".to_string()]);
    assert_eq!(
        differences(&extra_edge, &built),
        ["the drawing shows duban-store → duban-web, which Cargo.toml lacks"]
    );
    let mut no_crate = extra_edge;
    no_crate.get_mut("duban-store").unwrap().remove("duban-web");
    no_crate.remove("duban-reader");
    assert_eq!(
        differences(&no_crate, &built),
        ["duban-reader is not in the drawing"]
    );
    assert!(drawn("```deps\na → b\na → c\n```").is_err());
    assert!(drawn("no block").is_err());
}

/// The crates that do no I/O: they take bytes or values and return values.
const NO_IO: [&str; 4] = [
    "duban-domain",
    "duban-reader",
    "duban-formats",
    "duban-office",
];

#[test]
fn the_layers_use_only_their_libraries() {
    let built = manifests();
    let mut wrong = Vec::new();
    for (name, (dir, deps)) in &built {
        let io_free = NO_IO.contains(&name.as_str());
        for d in deps {
            let why = match d.as_str() {
                "tokio" | "reqwest" | "lettre" if io_free => "does no I/O",
                "sqlx" | "rusqlite" if name != "duban-store" => "only the store knows SQL",
                "axum" | "hyper" | "hyper-util" | "tower" | "maud" if name != "duban-web" => {
                    "only web serves HTTP and HTML"
                }
                _ => continue,
            };
            wrong.push(format!("{name} depends on {d}, but {why}"));
        }
        if io_free {
            for file in sources(&dir.join("src")) {
                let text = std::fs::read_to_string(&file).unwrap();
                for needle in ["std::fs", "std::net", "std::process", "tokio::"] {
                    if text.contains(needle) {
                        wrong.push(format!(
                            "{} names {needle}, but {name} does no I/O",
                            file.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        built.contains_key("duban-domain") && built.len() >= 10,
        "{built:?}"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The pages (`crates/web/src/ui/`) read and write only through the use
/// cases (the `*_data` functions of the API modules, which scope what the
/// caller sees and decide what they may do), never through the store: a
/// page and the JSON API answering the same question cannot then disagree.
#[test]
fn the_pages_read_and_write_through_the_use_cases_not_the_store() {
    // The check itself: a call split over lines counts, a comment and a
    // name that only starts with `store` do not.
    for (line, hit) in [
        ("let units = state.store.units().await?;", true),
        ("        .store", true),
        ("    let t = app.store.track(id).await?;", true),
        ("    // state.store.units() is not read here", false),
        ("let s = state.stores_of(id);", false),
        ("use duban_store::ProposalState;", false),
    ] {
        assert_eq!(names_the_store(line), hit, "{line}");
    }
    let src = root().join("crates/web/src");
    let mut wrong = Vec::new();
    for file in sources(&src.join("ui")) {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if names_the_store(line) {
                wrong.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the pages read and write through the use cases (the *_data functions of the \
         API modules, which decide scoping and authorisation), never through state.store; \
         call or add a use case for:\n{}",
        wrong.join("\n")
    );
}

/// Whether a line of Rust, outside its comment, names the store: a member
/// `.store` that is the whole name (`state.store.units()`, or `.store` alone
/// in a call split over lines), not `.stores_of`.
fn names_the_store(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    code.match_indices(".store")
        .any(|(at, m)| !code[at + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Inside `duban-web`, the pages (`src/ui/`) adapt the application to HTML
/// and the rest adapts it to JSON: HTML is written only under `ui/`, and
/// nothing outside it reaches into the pages but the application's wiring
/// (`lib.rs` mounts them, `server.rs`'s panic guard answers a page). The imports go one way, pages → use cases.
#[test]
fn only_the_pages_write_html_and_nothing_else_imports_them() {
    let src = root().join("crates/web/src");
    let mut wrong = Vec::new();
    for file in sources(&src) {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("ui/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for (needle, why) in [
                ("maud", "HTML is written only by the pages (ui/)"),
                ("html!", "HTML is written only by the pages (ui/)"),
                (
                    "crate::ui",
                    "only the wiring (lib.rs, server.rs) reaches into the pages",
                ),
                (
                    "ui::",
                    "only the wiring (lib.rs, server.rs) reaches into the pages",
                ),
            ] {
                let allowed =
                    matches!(rel.as_str(), "lib.rs" | "server.rs") && needle.contains("ui");
                if code.contains(needle) && !allowed {
                    wrong.push(format!("{rel}:{}: names {needle}: {why}", i + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
