//! Signed, stateless form tokens.
//!
//! `GET` writes nothing: the form carries a token naming the survey version,
//! a random submission id and the time it was issued, signed with HMAC-SHA256
//! under the instance's secret key. The submission id is unique in the
//! responses table, which is what makes a refresh, a double click or a retry
//! store one response.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use sha2::Sha256;

/// How long a form stays valid after it was shown.
pub const MAX_AGE: Duration = Duration::hours(24);
/// Tolerated clock difference between replicas.
const SKEW: Duration = Duration::minutes(5);

/// A verified form token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken {
    /// The survey version the form showed.
    pub version_id: i32,
    /// Unique per form shown; stored with the response.
    pub submission_id: String,
    /// When the form was shown.
    pub issued_at: DateTime<Utc>,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Missing, malformed, signed with another key or for another survey.
    #[error(
        "This form could not be checked. Your answers are below: check them and send the form again."
    )]
    Invalid,
    /// Older than [`MAX_AGE`].
    #[error(
        "This form was opened more than 24 hours ago and has expired. Your answers are below: check them and send the form again."
    )]
    Expired,
}

/// Signs and verifies tokens with one secret key.
#[derive(Clone)]
pub struct TokenSigner {
    key: Vec<u8>,
    /// HMAC keyed once, the form tokens' prefix already in: cloned per
    /// token rather than keyed again (a survey page issues one per view).
    form_mac: Hmac<Sha256>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner(<secret>)")
    }
}

impl TokenSigner {
    /// A signer over `key` (the instance's `SECRET_KEY`).
    pub fn new(key: &[u8]) -> Self {
        let mut form_mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
        form_mac.update(b"campaign-feedback form token v1\0");
        Self {
            key: key.to_vec(),
            form_mac,
        }
    }

    /// Issues a token for a new form of `survey_slug` at `version_id`.
    pub fn issue(
        &self,
        survey_slug: &str,
        version_id: i32,
        now: DateTime<Utc>,
        rng: &mut impl Rng,
    ) -> String {
        let nonce: [u8; 16] = rng.random();
        let mut hexed = [0u8; 32];
        let submission_id = hex_str(&nonce, &mut hexed);
        self.seal(
            survey_slug,
            payload(version_id, submission_id, now.timestamp()),
        )
    }

    /// Writes `token` with its signature; [`TokenSigner::issue`] is the usual way in.
    pub fn sign(&self, survey_slug: &str, token: &FormToken) -> String {
        let signed = payload(
            token.version_id,
            &token.submission_id,
            token.issued_at.timestamp(),
        );
        self.seal(survey_slug, signed)
    }

    /// `payload` with `.` and its signature appended.
    fn seal(&self, survey_slug: &str, mut payload: String) -> String {
        let signature = self.mac(survey_slug, &payload).finalize().into_bytes();
        let mut hexed = [0u8; 64];
        payload.push('.');
        payload.push_str(hex_str(&signature, &mut hexed));
        payload
    }

    /// Checks a token sent back with a form of `survey_slug`.
    ///
    /// # Errors
    /// [`TokenError::Invalid`] for anything not signed here for this survey,
    /// [`TokenError::Expired`] for a genuine token past [`MAX_AGE`].
    pub fn verify(
        &self,
        survey_slug: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<FormToken, TokenError> {
        let (payload, signature) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        let signature = unhex(signature).ok_or(TokenError::Invalid)?;
        self.mac(survey_slug, payload)
            .verify_slice(&signature)
            .map_err(|_| TokenError::Invalid)?;
        let mut parts = payload.split('.');
        let (Some(version), Some(submission_id), Some(issued), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        let version_id = version.parse().map_err(|_| TokenError::Invalid)?;
        let issued_at = issued
            .parse()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or(TokenError::Invalid)?;
        if issued_at > now + SKEW {
            return Err(TokenError::Invalid);
        }
        if now - issued_at > MAX_AGE {
            return Err(TokenError::Expired);
        }
        Ok(FormToken {
            version_id,
            submission_id: submission_id.to_string(),
            issued_at,
        })
    }

    /// The token in a contact's personal link, derived from the contact's
    /// random nonce: the database keeps the nonce and the token's hash
    /// ([`token_hash`]), so a copy of the database alone opens no link.
    pub fn contact_token(&self, nonce: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(b"campaign-feedback contact link v1\0");
        mac.update(nonce.as_bytes());
        hex(&mac.finalize().into_bytes()[..20])
    }

    /// Signs a short-lived follow-up of an embedded answer: the response's
    /// submission id, so "what was missing" is added to that answer once.
    pub fn follow_up(&self, survey_slug: &str, submission_id: &str) -> String {
        let mac = self.mac(survey_slug, &format!("follow-up.{submission_id}"));
        format!("{submission_id}.{}", hex(&mac.finalize().into_bytes()))
    }

    /// The submission id a follow-up token names, when it was signed here.
    pub fn verify_follow_up(&self, survey_slug: &str, token: &str) -> Option<String> {
        let (id, signature) = token.rsplit_once('.')?;
        let signature = unhex(signature)?;
        self.mac(survey_slug, &format!("follow-up.{id}"))
            .verify_slice(&signature)
            .ok()?;
        Some(id.to_string())
    }

    fn mac(&self, survey_slug: &str, payload: &str) -> Hmac<Sha256> {
        let mut mac = self.form_mac.clone();
        mac.update(survey_slug.as_bytes());
        mac.update(b"\0");
        mac.update(payload.as_bytes());
        mac
    }
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0; bytes.len() * 2];
    hex_into(bytes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Lowercase hexadecimal of `bytes` into `out`, which is twice as long.
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0x0f)];
    }
}

/// [`hex_into`] `out`, as text.
fn hex_str<'a>(bytes: &[u8], out: &'a mut [u8]) -> &'a str {
    hex_into(bytes, out);
    std::str::from_utf8(out).unwrap_or_default()
}

/// A token's signed part, `version.submission-id.issued`, in a buffer with
/// room for the signature that [`TokenSigner::seal`] appends.
fn payload(version_id: i32, submission_id: &str, issued: i64) -> String {
    use std::fmt::Write;
    // 11 + 1 + 32 + 1 + 20 + 1 + 64: the longest token.
    let mut out = String::with_capacity(130);
    let _ = write!(out, "{version_id}.{submission_id}.{issued}");
    out
}

/// The hash a secret link token is stored and looked up by (SHA-256, hex).
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares secrets in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    // Lowercase digits only, as `hex` writes them: `from_str_radix` alone
    // would also take `A`-`F` and a leading `+`, so one signature could be
    // spelled several ways.
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        "2026-11-27T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_token_verifies_for_its_survey_only() {
        let signer = TokenSigner::new(b"k");
        let token = signer.issue("governance", 3, now(), &mut rand::rng());
        let parsed = signer.verify("governance", &token, now()).unwrap();
        assert_eq!(parsed.version_id, 3);
        assert_eq!(parsed.submission_id.len(), 32);
        assert_eq!(
            signer.verify("procurement", &token, now()),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            TokenSigner::new(b"other").verify("governance", &token, now()),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn a_token_expires_after_a_day() {
        let signer = TokenSigner::new(b"k");
        let token = signer.issue("s", 1, now(), &mut rand::rng());
        assert!(
            signer
                .verify("s", &token, now() + Duration::hours(23))
                .is_ok()
        );
        assert_eq!(
            signer.verify("s", &token, now() + Duration::hours(25)),
            Err(TokenError::Expired)
        );
    }

    proptest! {
        #[test]
        fn any_change_to_a_token_is_refused(index in 0usize..200, replacement in "[0-9a-z.]") {
            let signer = TokenSigner::new(b"k");
            let token = signer.issue("s", 7, now(), &mut rand::rng());
            let index = index % token.len();
            let mut tampered = token.clone();
            tampered.replace_range(index..=index, &replacement);
            if tampered != token {
                prop_assert!(signer.verify("s", &tampered, now()).is_err());
            }
        }

        #[test]
        fn garbage_never_panics(s in "\\PC{0,100}") {
            let _ = TokenSigner::new(b"k").verify("s", &s, now());
        }
    }

    /// Found by `cargo fuzz run form_token`: an uppercase hex digit or a `+`
    /// in place of a leading `0` in the signature verified, so a token that
    /// `sign` never wrote was accepted.
    #[test]
    fn only_the_signature_as_signed_verifies() {
        let signer = TokenSigner::new(b"k");
        let token = "3.fedcba9876543210fedcba9876543210.1795698000.ed650b83e770099e7fb6777bd6afa44b1d9db55ac5d1912db01f7c5bf4702725";
        let parsed = signer.verify("s", token, now()).unwrap();
        assert_eq!(signer.sign("s", &parsed), token);
        for tampered in [
            token.replace("1d9db55", "1d9Db55"),
            {
                let (payload, signature) = token.rsplit_once('.').unwrap();
                format!("{payload}.{}", signature.to_uppercase())
            },
            token.replace(".ed650b83", ".ed65+b83"),
        ] {
            assert_ne!(tampered, token);
            assert_eq!(
                signer.verify("s", &tampered, now()),
                Err(TokenError::Invalid),
                "{tampered}"
            );
        }
    }
}
