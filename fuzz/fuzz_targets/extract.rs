//! Runs the whole reader pipeline on arbitrary bytes: `decode` then `extract`
//! on the decoded text, and `extract` directly when the bytes are UTF-8.
//! The reader must never panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = duban_reader::decode(data).ok();
    if let Some(d) = &decoded {
        let _ = duban_reader::extract(&d.text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // Skip the repeat when decode returned exactly these bytes' text.
        if decoded.as_ref().map_or(true, |d| d.text != text) {
            let _ = duban_reader::extract(text);
        }
    }
});
