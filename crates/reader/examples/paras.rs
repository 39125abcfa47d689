//! Prints each document's paragraphs with their first line: a tool for
//! looking at what the reader made of a file.
//! `cargo run -p duban-reader --example paras -- FILE [FROM TO]`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: paras FILE [FROM TO]");
        std::process::exit(2);
    };
    let from: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let to: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(u32::MAX);
    let bytes = std::fs::read(path).expect("readable file");
    let text = duban_reader::decode(&bytes).expect("decodable text").text;
    let input: Vec<&str> = text.split('\n').collect();
    let lay = duban_reader::layout::layout(&input);
    for (k, d) in lay.docs.iter().enumerate() {
        let full = duban_reader::para::full_width(&lay.lines, d);
        for p in duban_reader::para::paragraphs(&lay.lines, d, full) {
            let (a, b) = (p.first_line().unwrap_or(0), p.last_line().unwrap_or(0));
            if b >= from && a <= to {
                println!("[doc {k}] {a}-{b}: {}", p.text());
            }
        }
    }
}
