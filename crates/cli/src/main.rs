//! The `duban` command: parses arguments and calls into the library crates.
//! No business rule lives here.

fn main() {}
