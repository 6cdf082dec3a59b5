//! Rows of the UK local-authority register, read from the ONS/mySociety CSV.

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
        let get = |name: &str| row.get(self.0[name]).map(str::trim).unwrap_or("");
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
        Ok(Council {
            code: code.to_string(),
            name: name.to_string(),
            gss_code: get("gss-code").to_string(),
            nation: get("nation").to_string(),
            region: get("region").to_string(),
            org_type: get("local-authority-type-name").to_string(),
            current,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_column_is_named() {
        let header =
            csv::StringRecord::from(vec!["local-authority-code", "official-name", "nation"]);
        let missing = RegisterColumns::from_header(&header).unwrap_err();
        assert_eq!(
            missing,
            vec![
                "gss-code",
                "region",
                "local-authority-type-name",
                "current-authority"
            ]
        );
    }

    #[test]
    fn a_row_with_a_bad_code_is_refused() {
        let header = csv::StringRecord::from(REQUIRED_COLUMNS.to_vec());
        let columns = RegisterColumns::from_header(&header).unwrap();
        let row = csv::StringRecord::from(vec![
            "br",
            "Bradford",
            "E08000032",
            "England",
            "Yorkshire",
            "Metropolitan district",
            "True",
        ]);
        assert!(
            columns
                .council(&row)
                .unwrap_err()
                .contains("local-authority-code")
        );
        let row = csv::StringRecord::from(vec![
            "BRD",
            "Bradford",
            "E08000032",
            "England",
            "Yorkshire",
            "Metropolitan district",
            "True",
        ]);
        assert!(columns.council(&row).unwrap().current);
    }
}
