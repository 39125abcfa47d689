fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut big = String::new();
    let mb: usize = std::env::var("MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let iters: usize = std::env::var("ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    while big.len() < mb * 1_000_000 {
        big.push_str(&text);
        big.push('\n');
    }
    let input: Vec<&str> = big.split('\n').collect();
    let mut best = [f64::MAX; 3];
    for _ in 0..iters {
        let t = std::time::Instant::now();
        let lay = duban_reader::layout::layout(&input);
        let t1 = t.elapsed().as_secs_f64();
        let mut paras_all = Vec::new();
        for d in &lay.docs {
            let full = duban_reader::para::full_width(&lay.lines, d);
            paras_all.push(duban_reader::para::paragraphs(&lay.lines, d, full));
        }
        let t2 = t.elapsed().as_secs_f64();
        let mut nt = 0;
        for p in &paras_all {
            nt += duban_reader::tasks::tasks(p, None).0.len();
        }
        let t3 = t.elapsed().as_secs_f64();
        best[0] = best[0].min(t1);
        best[1] = best[1].min(t2 - t1);
        best[2] = best[2].min(t3 - t2);
        let _ = nt;
    }
    eprintln!(
        "best: layout {:.3} paras {:.3} tasks {:.3}",
        best[0], best[1], best[2]
    );
}
