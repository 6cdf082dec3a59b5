//! The languages of the public pages, English and Welsh, and the messages
//! the rules produce, named by catalogue id so each language words them.

use serde::{Deserialize, Serialize};

/// A language the public pages are offered in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Welsh (Cymraeg).
    Cy,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Self; 2] = [Self::En, Self::Cy];

    /// The code stored with a response and used in `?lang=`: `en` or `cy`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Cy => "cy",
        }
    }

    /// The value of `<html lang>`.
    pub fn html(self) -> &'static str {
        match self {
            Self::En => "en-GB",
            Self::Cy => "cy",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Cy => "Cymraeg",
        }
    }

    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Self::En => Self::Cy,
            Self::Cy => Self::En,
        }
    }

    /// A language from its code (`cy`, `CY`, `cy-GB`, `en`, `en-GB`).
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "cy" => Some(Self::Cy),
            _ => None,
        }
    }

    /// The language an `Accept-Language` header prefers among ours: the
    /// highest quality, the first listed on a tie; none when it names neither.
    pub fn preferred(header: &str) -> Option<Self> {
        let mut best: Option<(Self, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Self::parse) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// A value given to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text, put in as it is.
    Text(String),
    /// A number (a message may change with it: one, two, few, many).
    Number(i64),
}

/// A message of the rules, named by its catalogue id with its values, so
/// each language words it (`locales/{en,cy}/main.ftl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// The catalogue id, such as `error-select`.
    pub id: &'static str,
    /// The values it takes, by name.
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    /// A message without values.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// The message with a text value.
    #[must_use]
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// The message with a number value.
    #[must_use]
    pub fn number(mut self, name: &'static str, value: i64) -> Self {
        self.args.push((name, Arg::Number(value)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_s_preference_is_read_by_quality() {
        assert_eq!(Lang::preferred("cy"), Some(Lang::Cy));
        assert_eq!(Lang::preferred("cy-GB,cy;q=0.9,en;q=0.8"), Some(Lang::Cy));
        assert_eq!(Lang::preferred("en-GB,en;q=0.9,cy;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::preferred("fr, cy;q=0.5, en;q=0.7"), Some(Lang::En));
        assert_eq!(Lang::preferred("fr,de"), None);
        assert_eq!(Lang::preferred("cy;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::preferred(""), None);
    }

    #[test]
    fn codes_parse_whatever_their_case_and_region() {
        for (code, lang) in [("cy", Lang::Cy), ("CY-gb", Lang::Cy), ("en_GB", Lang::En)] {
            assert_eq!(Lang::parse(code), Some(lang));
        }
        assert_eq!(Lang::parse("ga"), None);
        assert_eq!(Lang::Cy.other(), Lang::En);
    }
}
