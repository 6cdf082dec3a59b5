//! The optional `.env` file: `NAME=value` lines, `#` comments, optional
//! `export ` and double quotes.

use super::ConfigError;
use std::collections::HashMap;
use std::path::Path;

/// The variables of a `.env` file; none when there is no file.
///
/// # Errors
/// An unreadable file, or a line that is not `NAME=value`.
pub(super) fn read(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => {
            return Err(ConfigError {
                var: ".env",
                message: e.to_string(),
            });
        }
    };
    let mut vars = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.trim_start_matches("export ").split_once('=') else {
            return Err(ConfigError {
                var: ".env",
                message: format!("line {} is not NAME=value", n + 1),
            });
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        vars.insert(key.trim().to_string(), value.to_string());
    }
    Ok(vars)
}
