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
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = cleaned.len() == LENGTH && cleaned.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(Self(cleaned))
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
