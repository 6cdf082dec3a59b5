//! Officers: roles, the rules a password must meet, and how long an
//! account waits after failed sign-ins.

use serde::Serialize;

/// What an officer may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads results and exports.
    Analyst,
    /// Also manages their own digest subscriptions.
    Lead,
    /// Also sets up and changes campaigns, their surveys and questions.
    Editor,
    /// Does everything, including users, personal data and deletions.
    Admin,
}

impl Role {
    /// The role as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analyst => "analyst",
            Self::Lead => "lead",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    /// Reads a role name.
    ///
    /// # Errors
    /// A message listing the roles.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "analyst" => Ok(Self::Analyst),
            "lead" => Ok(Self::Lead),
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            other => Err(format!(
                "{other:?} is not a role; use admin, editor, lead or analyst"
            )),
        }
    }
}

/// Fewest characters in a password.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Most characters in a password (long passphrases are welcome).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Passwords people pick that are long enough to pass a length rule.
const COMMON: &[&str] = &[
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "123456789012",
    "1234567890123",
    "12345678910",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwertyuiopasdf",
    "qwerty123456",
    "qwertyqwerty",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "welcome123456",
    "administrator",
    "administrator1",
    "changeme1234",
    "abcdefghijkl",
    "abc123abc123",
    "111111111111",
    "000000000000",
    "aaaaaaaaaaaa",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "monkey123456",
    "dragon123456",
    "trustno1trustno1",
    "passw0rd1234",
    "p@ssword1234",
    "p@ssw0rd1234",
    "correcthorsebatterystaple",
    "london123456",
    "manchester12",
    "liverpool123",
    "arsenal12345",
    "chelsea12345",
    "summer2024!!",
    "winter2024!!",
    "spring2025!!",
    "autumn2025!!",
    "password2024",
    "password2025",
    "password2026",
];

/// Checks a new password; `email` is the officer's, which must not be the password.
///
/// # Errors
/// What to change, in one sentence.
pub fn check_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(format!(
            "Enter a password of at least {PASSWORD_MIN_CHARS} characters"
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(format!(
            "Enter a password of {PASSWORD_MAX_CHARS} characters or fewer"
        ));
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) || COMMON.contains(&lower.as_str()) {
        return Err("This password is too common: choose one that others are unlikely to use, such as three random words".into());
    }
    if lower == email.to_lowercase()
        || email
            .split('@')
            .next()
            .is_some_and(|local| lower == local.to_lowercase())
    {
        return Err("Do not use your email address as your password".into());
    }
    Ok(())
}

/// Checks and normalises an officer's email address (lowercase).
///
/// # Errors
/// A message when it is not an email address.
pub fn normalise_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        })
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err("Enter an email address in the correct format, like name@example.gov.uk".into())
    }
}

/// Failed sign-ins to one account (from any address, within the window)
/// before each further attempt must wait.
pub const ACCOUNT_FREE_FAILURES: u64 = 5;
/// The longest wait between attempts on one account: guessing stays slow
/// (at most one guess a minute from the whole internet), while an attacker
/// can never keep the officer out for longer than this.
pub const ACCOUNT_MAX_DELAY_SECONDS: i64 = 60;

/// How long after its latest failure an account takes the next attempt,
/// given its failures in the window: nothing for the first
/// [`ACCOUNT_FREE_FAILURES`], then 1, 2, 4, … seconds, up to
/// [`ACCOUNT_MAX_DELAY_SECONDS`].
pub fn account_delay(failures: u64) -> chrono::Duration {
    let Some(over) = failures.checked_sub(ACCOUNT_FREE_FAILURES) else {
        return chrono::Duration::zero();
    };
    let seconds = 1i64
        .checked_shl(u32::try_from(over).unwrap_or(u32::MAX))
        .filter(|s| *s > 0)
        .map_or(ACCOUNT_MAX_DELAY_SECONDS, |s| {
            s.min(ACCOUNT_MAX_DELAY_SECONDS)
        });
    chrono::Duration::seconds(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_uncommon_and_any_unicode() {
        assert!(check_password("short", "a@b.uk").is_err());
        assert!(
            check_password("Password1234", "a@b.uk")
                .unwrap_err()
                .contains("too common")
        );
        assert!(check_password("zzzzzzzzzzzzzz", "a@b.uk").is_err());
        assert!(check_password("ein Würstchen für Ŵyn", "a@b.uk").is_ok());
        assert!(
            check_password(&"x1".repeat(64), "a@b.uk").is_ok(),
            "128 characters are allowed"
        );
        assert!(
            check_password("lead.officer@council.gov.uk", "lead.officer@council.gov.uk").is_err()
        );
    }

    #[test]
    fn roles_order_by_what_they_may_do() {
        assert!(Role::Admin > Role::Lead && Role::Lead > Role::Analyst);
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn an_account_waits_longer_after_each_failure_but_never_more_than_a_minute() {
        let waits: Vec<i64> = (0..16).map(|n| account_delay(n).num_seconds()).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
        );
        assert_eq!(account_delay(u64::MAX).num_seconds(), 60);
        assert_eq!(account_delay(70).num_seconds(), 60);
    }
}
