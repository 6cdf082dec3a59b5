//! Codes for options left without one, made from their labels.

use super::OptionRow;

/// Gives each option with a label but no code one made from its label
/// (“Council officer” → `council_officer`), unique among the options.
pub(super) fn with_codes(mut rows: Vec<OptionRow>) -> Vec<OptionRow> {
    for i in 0..rows.len() {
        if !rows[i].value.is_empty() || rows[i].label.trim().is_empty() {
            continue;
        }
        let base = code_of(&rows[i].label);
        let mut code = base.clone();
        let mut n = 2;
        while rows.iter().any(|r| r.value == code) {
            code = format!("{base}_{n}");
            n += 1;
        }
        rows[i].value = code;
    }
    rows
}

/// A code from a label: lower-case ASCII letters and digits, `_` between words.
fn code_of(label: &str) -> String {
    let mut code = String::new();
    for c in label.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.is_empty() && !code.ends_with('_') {
            code.push('_');
        }
    }
    let mut code: String = code.trim_end_matches('_').chars().take(40).collect();
    code.truncate(code.trim_end_matches('_').len());
    match code.chars().next() {
        None => "option".into(),
        Some(c) if c.is_ascii_digit() => format!("n_{code}"),
        Some(_) => code,
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    fn row(value: &str, label: &str) -> OptionRow {
        OptionRow {
            value: value.into(),
            label: label.into(),
            hint: String::new(),
            cy_label: String::new(),
        }
    }

    #[test]
    fn an_option_without_a_code_gets_one_from_its_label() {
        let rows = with_codes(vec![
            row("", "Council officer"),
            row("", "Council officer!"),
            row("", "10 or more"),
            row("", "Cyngor Gwynedd – Ŵyr"),
            row("kept", "Anything"),
            row("", "  "),
        ]);
        let codes: Vec<&str> = rows.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(
            codes,
            [
                "council_officer",
                "council_officer_2",
                "n_10_or_more",
                "cyngor_gwynedd_yr",
                "kept",
                ""
            ]
        );
    }
}
