//! Arbitrary UTF-8 → `CampaignDefinition::from_toml`; whatever it accepts
//! must write back with `to_toml` and read back equal.

#![no_main]

use campaign_feedback::domain::campaign::CampaignDefinition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(definition) = CampaignDefinition::from_toml(source) else {
        return;
    };
    let written = definition
        .to_toml()
        .unwrap_or_else(|e| panic!("to_toml failed on an accepted definition: {e}"));
    let again = CampaignDefinition::from_toml(&written)
        .unwrap_or_else(|e| panic!("to_toml output refused: {e}\n---\n{written}"));
    assert_eq!(
        again, definition,
        "round trip changed the definition\n---\n{written}"
    );
});
