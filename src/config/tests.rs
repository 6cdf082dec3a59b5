//! Settings: defaults, refusals naming their variable, bounds, secrets.

use super::vars::NUMBERS;
use super::*;
use std::collections::HashMap;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|n| map.get(n).cloned())
}

#[test]
fn the_defaults_are_the_embedded_setup() {
    let c = config(&[]).unwrap();
    assert_eq!(c.database_url, "sqlite://campaign-feedback.db?mode=rwc");
    assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
    assert_eq!(c.mail_outbox_dir, PathBuf::from("./outbox"));
    assert_eq!(c.timezone, chrono_tz::Europe::London);
}

#[test]
fn a_bad_value_names_its_variable() {
    assert_eq!(
        config(&[("BIND_ADDR", "nowhere")]).unwrap_err().var,
        "BIND_ADDR"
    );
    assert_eq!(
        config(&[("SECRET_KEY", "short")]).unwrap_err().var,
        "SECRET_KEY"
    );
    assert_eq!(
        config(&[("DIGEST_TIMEZONE", "Mars/Olympus")])
            .unwrap_err()
            .var,
        "DIGEST_TIMEZONE"
    );
    assert_eq!(
        config(&[("SUBMIT_RATE_LIMIT", "-3")]).unwrap_err().var,
        "SUBMIT_RATE_LIMIT"
    );
    assert_eq!(
        config(&[("LOG_FORMAT", "xml")]).unwrap_err().var,
        "LOG_FORMAT"
    );
}

#[test]
fn every_whole_number_setting_is_bounded_and_the_refusal_names_it() {
    for &(name, default, least, most) in NUMBERS {
        for bad in [
            (u64::from(most) + 1).to_string(),
            u64::from(u32::MAX).to_string(),
            "18446744073709551616".to_string(),
            "-1".to_string(),
            "1.5".to_string(),
        ] {
            let e = config(&[(name, &bad)]).unwrap_err();
            assert_eq!(e.var, name, "{bad}");
            assert!(
                e.message.contains(&format!("from {least} to {most}")),
                "{name}={bad}: {}",
                e.message
            );
        }
        if least > 0 {
            assert_eq!(
                config(&[(name, &(least - 1).to_string())]).unwrap_err().var,
                name
            );
        }
        assert!(
            config(&[(name, &most.to_string())]).is_ok(),
            "{name}={most}"
        );
        assert!(
            config(&[(name, &default.to_string())]).is_ok(),
            "{name}={default}"
        );
    }
}

#[test]
fn the_longest_sessions_allowed_still_fit_on_the_calendar() {
    let c = config(&[
        ("SESSION_MAX_HOURS", "720"),
        ("SESSION_IDLE_MINUTES", "1440"),
    ])
    .unwrap();
    let life = c.session_lifetimes();
    let now = chrono::Utc::now();
    assert!(now.checked_add_signed(life.absolute).is_some());
    assert!(now.checked_sub_signed(life.idle).is_some());
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let c = config(&[("SECRET_KEY", "0123456789abcdef0123456789abcdef-very-secret")]).unwrap();
    assert!(!format!("{c:?}").contains("very-secret"));
}
