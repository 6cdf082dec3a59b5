//! Arbitrary bytes read as the local-authority register by the import's
//! own reader (`domain::council::read_register`, which `councils import`
//! calls before writing): it must never panic, and whatever it keeps must
//! be well formed.

#![no_main]

use campaign_feedback::domain::council::read_register;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut rows = 0usize;
    let Ok(file) = read_register(data, true, || rows += 1) else {
        return;
    };
    for c in &file.councils {
        assert!((2..=10).contains(&c.code.len()), "code {:?}", c.code);
        assert!(
            c.code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
            "code {:?}",
            c.code
        );
        assert!(!c.name.is_empty() && c.name.trim() == c.name);
        assert!(c.gss_code.is_empty() || c.gss_code.len() == 9, "{:?}", c.gss_code);
    }
    assert!(file.refused.iter().all(|(_, problem)| !problem.is_empty()));
    // Every row read is kept, skipped or refused, once.
    assert!(file.councils.len() + file.refused.len() + file.former_skipped <= rows + 1);
});
