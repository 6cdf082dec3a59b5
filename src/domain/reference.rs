//! Response references: what a respondent quotes to find their response.

use rand::Rng;
use std::fmt;

/// 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V, 5/S).
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRTWXYZ2346789";
/// Characters in a reference.
pub const LENGTH: usize = 8;

/// A response reference such as `K7QMX3TA`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    /// A new random reference; uniqueness is enforced by the database.
    pub fn generate(rng: &mut impl Rng) -> Self {
        Self(
            (0..LENGTH)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect(),
        )
    }

    /// Reads a reference as a person might type it: any case, with spaces or hyphens.
    pub fn parse(input: &str) -> Option<Self> {
        Self::read(input).ok()
    }

    /// As [`Reference::parse`], saying what is wrong with text that is not
    /// a reference, for the person who typed it.
    ///
    /// # Errors
    /// The length, or the characters no reference has.
    pub fn read(input: &str) -> Result<Self, String> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .flat_map(char::to_uppercase)
            .collect();
        let mut strangers: Vec<char> = cleaned
            .chars()
            .filter(|c| !c.is_ascii() || !ALPHABET.contains(&(*c as u8)))
            .collect();
        strangers.dedup();
        if !strangers.is_empty() {
            let list: Vec<String> = strangers.iter().map(|c| c.to_string()).collect();
            return Err(format!(
                "“{}” has {} {}, which no reference has: references use only the letters and digits {}. Check the reference and try again",
                input.trim(),
                if strangers.len() == 1 {
                    "the character"
                } else {
                    "the characters"
                },
                list.join(", "),
                String::from_utf8_lossy(ALPHABET),
            ));
        }
        let count = cleaned.chars().count();
        if count != LENGTH {
            return Err(format!(
                "“{}” has {count} characters; a reference has {LENGTH}, like K7QMX3TA",
                input.trim()
            ));
        }
        Ok(Self(cleaned))
    }

    /// The reference as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_mistyped_reference_says_what_is_wrong() {
        let e = Reference::read("NOPE1234").unwrap_err();
        assert!(
            e.starts_with("“NOPE1234” has the characters O, 1, which no reference has"),
            "{e}"
        );
        let e = Reference::read("k7qmx3t").unwrap_err();
        assert_eq!(
            e,
            "“k7qmx3t” has 7 characters; a reference has 8, like K7QMX3TA"
        );
        assert_eq!(Reference::read("k7qm-x3ta").unwrap().as_str(), "K7QMX3TA");
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"0O1IL5SUV" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
    }

    proptest! {
        #[test]
        fn generated_references_parse_back_however_typed(seed in any::<u64>()) {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let r = Reference::generate(&mut rng);
            prop_assert_eq!(r.as_str().len(), LENGTH);
            let typed = format!(" {}-{} ", &r.as_str()[..4].to_lowercase(), &r.as_str()[4..]);
            prop_assert_eq!(Reference::parse(&typed), Some(r));
        }

        #[test]
        fn anything_else_is_not_a_reference(s in "\\PC{0,12}") {
            if let Some(r) = Reference::parse(&s) {
                prop_assert!(r.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            }
        }
    }
}
