//! Rows of the UK local-authority register, read from the ONS/mySociety CSV.

/// The register that ships with the project (mySociety's, MIT licence:
/// `data/uk_local_authorities.LICENSE`), loaded on first start.
pub const EMBEDDED_REGISTER: &str = include_str!("../../../data/uk_local_authorities.csv");

pub mod search;

use std::collections::HashMap;

/// The columns the import needs, by their names in the register.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "local-authority-code",
    "official-name",
    "gss-code",
    "nation",
    "region",
    "local-authority-type-name",
    "current-authority",
];

/// Columns read when the register has them: the name people use and
/// other spellings (the ONS/mySociety register has both).
pub const OPTIONAL_COLUMNS: &[&str] = &["nice-name", "alt-names"];

/// Types of the register that are not councils: they are kept apart from
/// councils in the organisation picker.
pub const NOT_COUNCILS: &[&str] = &["Combined authority", "Strategic Regional Authority"];

/// One council of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Council {
    /// The register's code: three letters for most councils (`BRD` for Bradford), longer for combined authorities (`WYCA`).
    pub code: String,
    /// The official name, such as "City of Bradford Metropolitan District Council".
    pub name: String,
    /// The ONS GSS code, such as `E08000032`.
    pub gss_code: String,
    /// England, Scotland, Wales or Northern Ireland.
    pub nation: String,
    /// The region (for England) or the nation again.
    pub region: String,
    /// The type, such as "Metropolitan district".
    pub org_type: String,
    /// Whether the council exists today.
    pub current: bool,
    /// The name people use, such as "Bradford" (the official name when its
    /// cell is empty); `None` when the file has no `nice-name` column, so
    /// what is stored stays.
    pub short_name: Option<String>,
    /// Other spellings and names, such as "Sir Ynys Môn", for search;
    /// `None` when the file has no `alt-names` column.
    pub alt_names: Option<Vec<String>>,
}

impl Council {
    /// Whether it is a council, not a combined authority or another body.
    pub fn is_council(org_type: &str) -> bool {
        !NOT_COUNCILS.contains(&org_type)
    }
}

/// Maps the register's header to column positions.
#[derive(Debug, Clone)]
pub struct RegisterColumns(HashMap<&'static str, usize>);

impl RegisterColumns {
    /// Finds every required column in `header`.
    ///
    /// # Errors
    /// The names of the missing columns, in the register's spelling.
    pub fn from_header(header: &csv::StringRecord) -> Result<Self, Vec<&'static str>> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for name in REQUIRED_COLUMNS {
            match header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *name)
            {
                Some(i) => {
                    found.insert(*name, i);
                }
                None => missing.push(*name),
            }
        }
        for name in OPTIONAL_COLUMNS {
            if let Some(i) = header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *name)
            {
                found.insert(*name, i);
            }
        }
        if missing.is_empty() {
            Ok(Self(found))
        } else {
            Err(missing)
        }
    }

    /// Reads one data row.
    ///
    /// # Errors
    /// What is wrong with the row, naming the column.
    pub fn council(&self, row: &csv::StringRecord) -> Result<Council, String> {
        let get = |name: &str| {
            self.0
                .get(name)
                .and_then(|&i| row.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        let code = get("local-authority-code");
        let well_formed = (2..=10).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(format!(
                "local-authority-code {code:?} is not 2 to 10 capital letters, digits or hyphens"
            ));
        }
        let name = get("official-name");
        if name.is_empty() {
            return Err("official-name is empty".into());
        }
        let current = match get("current-authority").to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" | "" => false,
            other => return Err(format!("current-authority {other:?} is not True or False")),
        };
        let nation = get("nation");
        let Some(&(nation, gss_letter)) = NATIONS.iter().find(|(n, _)| *n == nation) else {
            return Err(format!(
                "nation {nation:?} is not one of England, Scotland, Wales or Northern Ireland"
            ));
        };
        let gss_code = get("gss-code");
        check_gss_code(gss_code, gss_letter, current)?;
        Ok(Council {
            code: code.to_string(),
            name: name.to_string(),
            gss_code: gss_code.to_string(),
            nation: nation.to_string(),
            region: get("region").to_string(),
            org_type: get("local-authority-type-name").to_string(),
            current,
            short_name: self
                .0
                .contains_key("nice-name")
                .then(|| match get("nice-name") {
                    "" => name.to_string(),
                    short => short.to_string(),
                }),
            alt_names: self
                .0
                .contains_key("alt-names")
                .then(|| alt_names(get("alt-names"))),
        })
    }
}

/// The register's other names, comma-separated, each once whatever its case.
fn alt_names(field: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in field.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !names.iter().any(|seen| seen.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    }
    names
}

/// The four nations, with the first letter of their GSS codes.
const NATIONS: &[(&str, char)] = &[
    ("England", 'E'),
    ("Scotland", 'S'),
    ("Wales", 'W'),
    ("Northern Ireland", 'N'),
];

/// A GSS code is the nation's letter and eight digits (`E08000032`); only
/// a former council may have none (the register's old Northern Irish ones).
fn check_gss_code(code: &str, nation_letter: char, current: bool) -> Result<(), String> {
    if code.is_empty() && !current {
        return Ok(());
    }
    let mut chars = code.chars();
    let letter = chars.next();
    let digits = chars.as_str();
    let shaped = letter.is_some_and(|c| "ENSW".contains(c))
        && digits.len() == 8
        && digits.bytes().all(|b| b.is_ascii_digit());
    if !shaped {
        return Err(format!(
            "gss-code {code:?} is not a GSS code: a letter E, N, S or W then eight digits, such as E08000032"
        ));
    }
    if letter != Some(nation_letter) {
        return Err(format!(
            "gss-code {code:?} starts with the wrong letter for its nation: {nation_letter} expected"
        ));
    }
    Ok(())
}

/// Why a register file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterFileError {
    /// The header lacks columns the import needs.
    #[error("the file has no column {}; the register's header must include {}", quoted(.0), quoted(REQUIRED_COLUMNS))]
    MissingColumns(Vec<&'static str>),
    /// The file cannot be read as CSV at all.
    #[error("the file cannot be read as CSV: {0}")]
    Unreadable(String),
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A register file, read: the councils to keep and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFile {
    /// The good rows, in file order (former councils only when asked for).
    pub councils: Vec<Council>,
    /// Former councils left out (no `--include-former`).
    pub former_skipped: usize,
    /// Rows refused, as (line number, problem).
    pub refused: Vec<(u64, String)>,
}

/// Reads a register CSV: every row is checked, and each refused one is
/// listed with its line number, so the caller can refuse the whole file.
/// `on_row` is called after each row read (for a progress bar).
///
/// # Errors
/// [`RegisterFileError`] when the header is wrong or the file is not CSV.
pub fn read_register(
    input: impl std::io::Read,
    include_former: bool,
    mut on_row: impl FnMut(),
) -> Result<RegisterFile, RegisterFileError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| RegisterFileError::Unreadable(e.to_string()))?
        .clone();
    let columns =
        RegisterColumns::from_header(&header).map_err(RegisterFileError::MissingColumns)?;
    let mut file = RegisterFile::default();
    let mut seen = std::collections::HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => match columns.council(&record) {
                Ok(c) if !seen.insert(c.code.clone()) => {
                    let problem = format!("local-authority-code {} appears twice", c.code);
                    file.refused.push((line, problem));
                }
                Ok(c) if !c.current && !include_former => file.former_skipped += 1,
                Ok(c) => file.councils.push(c),
                Err(problem) => file.refused.push((line, problem)),
            },
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                let go_on = matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                );
                file.refused.push((line, csv_problem(&e)));
                if !go_on {
                    break;
                }
            }
        }
        on_row();
    }
    Ok(file)
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests;
