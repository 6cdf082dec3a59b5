//! Decoding `application/x-www-form-urlencoded` bodies strictly: malformed
//! percent-encoding or UTF-8 is refused with the field's name rather than
//! silently replaced, and the number of fields is bounded.

/// The most fields a survey form may send; a real form sends far fewer.
pub const MAX_FIELDS: usize = 300;

/// A decoded form: name and value pairs in the order sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

/// Why a form body could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A name or value is not valid UTF-8 once decoded.
    #[error(
        "The form field “{0}” was not valid UTF-8 text. Check the characters you entered and send the form again."
    )]
    MalformedUtf8(String),
    /// A `%` is not followed by two hexadecimal digits.
    #[error("The form field “{0}” was not encoded correctly. Send the form again from its page.")]
    BadEncoding(String),
    /// A control character no keyboard types (NUL and the like): databases
    /// refuse some of them, and no answer needs them.
    #[error(
        "The form field “{0}” contained a control character that cannot be stored. Remove it (it may have come from a paste) and send the form again."
    )]
    ControlCharacter(String),
    /// More fields than any survey form sends.
    #[error(
        "The form sent more than {MAX_FIELDS} fields, which no survey here has. Send the form again from its page."
    )]
    TooManyFields,
}

impl FormData {
    /// Decodes a URL-encoded body.
    ///
    /// # Errors
    /// [`FormError`] for bad percent-encoding, bad UTF-8 or too many fields.
    pub fn parse(body: &[u8]) -> Result<Self, FormError> {
        let mut pairs = Vec::new();
        for part in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            if pairs.len() == MAX_FIELDS {
                return Err(FormError::TooManyFields);
            }
            let (raw_name, raw_value) = match part.iter().position(|b| *b == b'=') {
                Some(i) => (&part[..i], &part[i + 1..]),
                None => (part, &[][..]),
            };
            let lossy = || {
                String::from_utf8_lossy(raw_name)
                    .chars()
                    .take(60)
                    .collect::<String>()
            };
            let name = decode(raw_name).ok_or_else(|| FormError::BadEncoding(lossy()))?;
            let name = String::from_utf8(name).map_err(|_| FormError::MalformedUtf8(lossy()))?;
            let value = decode(raw_value).ok_or_else(|| FormError::BadEncoding(name.clone()))?;
            let value =
                String::from_utf8(value).map_err(|_| FormError::MalformedUtf8(name.clone()))?;
            if name.chars().chain(value.chars()).any(is_refused_control) {
                return Err(FormError::ControlCharacter(
                    name.chars().filter(|c| !c.is_control()).take(60).collect(),
                ));
            }
            pairs.push((name, value));
        }
        Ok(Self { pairs })
    }

    /// Builds a form from pairs, as a test or another channel would.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            pairs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The first value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name` (checkboxes send one pair each).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every field name sent, in order, with repeats.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(n, _)| n.as_str())
    }

    /// The pairs, for re-displaying what the respondent entered.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

fn decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = input.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

/// Control characters other than the line breaks and tab a text area sends.
fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn repeated_names_keep_every_value_in_order() {
        let form = FormData::parse(b"a=1&b=x+y&a=%C5%B5").unwrap();
        assert_eq!(form.all("a"), vec!["1", "ŵ"]);
        assert_eq!(form.get("b"), Some("x y"));
        assert_eq!(form.get("c"), None);
    }

    #[test]
    fn malformed_utf8_names_the_field() {
        assert_eq!(
            FormData::parse(b"missing=%FF%FE").unwrap_err(),
            FormError::MalformedUtf8("missing".into())
        );
        assert_eq!(
            FormData::parse(b"x=%G1").unwrap_err(),
            FormError::BadEncoding("x".into())
        );
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_and_tabs_are_kept() {
        assert_eq!(
            FormData::parse(b"missing=x%00y").unwrap_err(),
            FormError::ControlCharacter("missing".into())
        );
        assert_eq!(
            FormData::parse(b"a%1Bb=1").unwrap_err(),
            FormError::ControlCharacter("ab".into())
        );
        let kept = FormData::parse(b"missing=one%0D%0Atwo%09three").unwrap();
        assert_eq!(kept.get("missing"), Some("one\r\ntwo\tthree"));
    }

    #[test]
    fn too_many_fields_are_refused() {
        let body = vec!["a=1"; MAX_FIELDS + 1].join("&");
        assert_eq!(
            FormData::parse(body.as_bytes()).unwrap_err(),
            FormError::TooManyFields
        );
    }

    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn any_encoded_text_decodes_to_itself(name in "[a-z_-]{1,20}", value in any::<String>()) {
            let body = format!("{}={}", encode(&name), encode(&value));
            let form = FormData::parse(body.as_bytes()).unwrap();
            prop_assert_eq!(form.get(&name), Some(value.as_str()));
        }

        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = FormData::parse(&body);
        }
    }
}
