//! Prints what `duban_formats::read` makes of a file: its text with line
//! numbers, its tables and warnings. `cargo run -p duban-formats --example
//! read -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: read FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    match duban_formats::read(&bytes, &duban_formats::Limits::default()) {
        Ok(r) => {
            for (i, l) in r.text.split('\n').enumerate() {
                println!("{:5} {l}", i + 1);
            }
            println!("-- {:?} pages {} meta {:?}", r.kind, r.pages, r.meta);
            for t in &r.tables {
                println!(
                    "-- table of {} rows at {:?}",
                    t.rows.len(),
                    t.rows.first().map(|r| r.span)
                );
                if std::env::var_os("ROWS").is_some() {
                    for r in &t.rows {
                        let cells: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
                        println!("   {:?} {:?}", r.span, cells);
                    }
                }
            }
            for w in &r.warnings {
                println!("-- warning {}: {}", w.line, w.message);
            }
        }
        Err(e) => println!("refused: {e}"),
    }
}
