//! Arbitrary strings → `TokenSigner::verify`: never panics, and accepts only
//! what `sign` writes (a verified token must re-sign to the very same string).

#![no_main]

use campaign_feedback::domain::token::TokenSigner;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;

/// The seeds in `seeds/form_token` were signed for survey "s" with key "k"
/// within a day before this instant, so they verify and mutations start
/// from genuine tokens.
const NOW: &str = "2026-11-27T12:00:00Z";

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let now: DateTime<Utc> = NOW.parse().expect("fixed instant");
    let signer = TokenSigner::new(b"k");
    if let Ok(verified) = signer.verify("s", token, now) {
        assert_eq!(
            signer.sign("s", &verified),
            token,
            "verify accepted a token that sign did not write"
        );
    }
});
