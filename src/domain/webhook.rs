//! Webhooks as the Standard Webhooks specification has them: a secret
//! `whsec_<base64>`, and each message signed as
//! `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`; plus which
//! addresses may receive them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The start of every secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new random secret.
pub fn new_secret() -> String {
    format!(
        "{SECRET_PREFIX}{}",
        STANDARD.encode(rand::random::<[u8; 32]>())
    )
}

/// The `webhook-signature` header of a message.
///
/// # Errors
/// A secret that is not `whsec_` and base64 (none made here).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let key = STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .map_err(|e| format!("the webhook secret is not base64: {e}"))?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
        .map_err(|e| format!("the webhook secret: {e}"))?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// Checks an endpoint's address: HTTPS, or plain HTTP to this machine only
/// (for tests and a receiver on the same host).
///
/// # Errors
/// What is wrong with it and what would do.
pub fn check_url(url: &str) -> Result<(), String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        format!("{url:?} is not an address: write it like https://example.gov.uk/hooks")
    })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_only = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host.is_empty()
        || host.contains('@')
        || url.len() > 2000
        || url.chars().any(char::is_whitespace)
    {
        return Err(format!(
            "{url:?} is not an address: write it like https://example.gov.uk/hooks"
        ));
    }
    match scheme {
        "https" => Ok(()),
        "http" if matches!(host_only, "127.0.0.1" | "localhost" | "[::1]") => Ok(()),
        "http" => Err("use https: plain http is allowed only to 127.0.0.1 or localhost".into()),
        other => Err(format!("{other}:// is not allowed: use https")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specification_example_signs_to_its_published_signature() {
        // The example in the Standard Webhooks specification.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn only_https_or_loopback_http_is_taken() {
        assert!(check_url("https://hooks.example.gov.uk/feedback").is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://localhost/hook").is_ok());
        assert!(
            check_url("http://example.gov.uk/hook")
                .unwrap_err()
                .contains("use https")
        );
        assert!(check_url("ftp://example.gov.uk").is_err());
        assert!(check_url("https://user@example.gov.uk").is_err());
        assert!(check_url("example.gov.uk").is_err());
    }
}
