//! Writes the extract JSON of each file, as `duban extract -o DIR` does (the
//! serialised extraction plus a `source` with the path and line count), for
//! quick scoring while working on the reader without building the whole CLI.
//! `cargo run --release -p duban-reader --example extract -- OUT_DIR FILE...`

use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, files)) = args.split_first() else {
        eprintln!("usage: extract OUT_DIR FILE...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("output directory");
    for path in files {
        let bytes = std::fs::read(path).expect("readable file");
        let decoded = duban_reader::decode(&bytes).expect("decodable text");
        let extraction = duban_reader::extract(&decoded.text);
        let mut out = serde_json::to_value(&extraction).expect("serialisable");
        out["source"] = json!({
            "path": path,
            "encoding": decoded.encoding.name(),
            "lines": decoded.text.lines().count(),
        });
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = std::path::Path::new(dir).join(format!("{name}.json"));
        std::fs::write(target, format!("{out}\n")).expect("writable output");
    }
}
