//! Finding a council by the name people use: "Bradford", "Anglesey",
//! "Merthyr Tudful", "perth". Case, accents and punctuation do not matter;
//! the closest matches come first.

/// What a council can be found by.
#[derive(Debug, Clone, Copy)]
pub struct Findable<'a> {
    /// The name people use, such as "Bradford".
    pub short_name: &'a str,
    /// The official name.
    pub name: &'a str,
    /// Other names and spellings.
    pub alt_names: &'a [String],
}

/// The candidates matching `query`, as indices, best first, at most `limit`:
/// the name people use exactly, then starting with the query, then any
/// name exactly or starting with it, then a word starting with it, then
/// the query anywhere. Ties keep the order given.
pub fn search(query: &str, candidates: &[Findable<'_>], limit: usize) -> Vec<usize> {
    let wanted = fold(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u8, usize)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score(&wanted, c).map(|s| (s, i)))
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, i)| i).collect()
}

fn score(wanted: &str, c: &Findable<'_>) -> Option<u8> {
    let short = fold(c.short_name);
    let others: Vec<String> = std::iter::once(c.name)
        .chain(c.alt_names.iter().map(String::as_str))
        .map(fold)
        .collect();
    let all = || std::iter::once(&short).chain(others.iter());
    if short == wanted {
        Some(0)
    } else if short.starts_with(wanted) {
        Some(1)
    } else if others.iter().any(|o| o == wanted || o.starts_with(wanted)) {
        Some(2)
    } else if all().any(|n| n.split(' ').any(|word| word.starts_with(wanted))) {
        Some(3)
    } else if all().any(|n| n.contains(wanted)) {
        Some(4)
    } else {
        None
    }
}

/// Lower case, accents taken off, `&` as "and", anything else that is not a
/// letter or digit a single space: "Perth & Kinross" and "perth and
/// kinross", "Ynys Môn" and "ynys mon" read the same.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.trim().chars() {
        if c == '&' {
            if !space {
                out.push(' ');
            }
            out.push_str("and ");
            space = true;
            continue;
        }
        let c = unaccented(c.to_lowercase().next().unwrap_or(c));
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

fn unaccented(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ẁ' | 'ẃ' | 'ŵ' | 'ẅ' => 'w',
        'ỳ' | 'ý' | 'ŷ' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::council::{EMBEDDED_REGISTER, read_register};

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Perth & Kinross "), "perth and kinross");
        assert_eq!(fold("Ynys Môn"), "ynys mon");
        assert_eq!(fold("Merthyr Tudful"), "merthyr tudful");
        assert_eq!(fold("St. Helens"), "st helens");
        assert_eq!(fold("King's Lynn"), "king s lynn");
    }

    /// The councils people name first, found in the shipped register.
    #[test]
    fn the_names_people_use_find_the_pilot_councils_first() {
        let register = read_register(EMBEDDED_REGISTER.as_bytes(), false, || {}).unwrap();
        let councils = register.councils;
        let findable: Vec<Findable<'_>> = councils
            .iter()
            .map(|c| Findable {
                short_name: c.short_name.as_deref().unwrap_or(&c.name),
                name: &c.name,
                alt_names: c.alt_names.as_deref().unwrap_or_default(),
            })
            .collect();
        for (typed, code) in [
            ("Westminster", "WSM"),
            ("Merthyr Tydfil", "MTY"),
            ("merthyr tudful", "MTY"),
            ("Perth and Kinross", "PKN"),
            ("perth & kinross", "PKN"),
            ("Bradford", "BRD"),
            ("Dorset", "DST"),
            ("Sutton", "STN"),
            ("Croydon", "CRY"),
            ("Edinburgh", "EDH"),
            ("Camden", "CMD"),
            ("Highland", "HLD"),
            ("Anglesey", "AGY"),
            ("Isle of Anglesey", "AGY"),
        ] {
            let found = search(typed, &findable, 10);
            let first = found.first().map(|&i| councils[i].code.as_str());
            assert_eq!(
                first,
                Some(code),
                "{typed:?} found {:?}",
                found
                    .iter()
                    .map(|&i| &councils[i].short_name)
                    .collect::<Vec<_>>()
            );
        }
        assert!(search("zzzz", &findable, 10).is_empty());
        assert!(search("  ", &findable, 10).is_empty());
        assert_eq!(search("a", &findable, 5).len(), 5, "at most the limit");
    }
}
