//! Register rows: columns, codes, the shipped register, duplicates.

use super::*;

#[test]
fn a_missing_column_is_named() {
    let header = csv::StringRecord::from(vec!["local-authority-code", "official-name", "nation"]);
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

#[test]
fn the_shipped_register_reads_without_a_refusal() {
    let file = read_register(EMBEDDED_REGISTER.as_bytes(), false, || {}).unwrap();
    assert_eq!(file.refused, vec![]);
    assert!(file.councils.len() > 350, "{}", file.councils.len());
    assert!(
        file.councils
            .iter()
            .any(|c| c.code == "BRD" && c.gss_code == "E08000032")
    );
    let with_former = read_register(EMBEDDED_REGISTER.as_bytes(), true, || {}).unwrap();
    assert_eq!(with_former.refused, vec![]);
    assert_eq!(
        with_former.councils.len(),
        file.councils.len() + file.former_skipped
    );
}

#[test]
fn a_code_twice_is_refused_on_its_second_line() {
    let csv = format!(
        "{}\nBRD,Bradford,E08000032,England,Yorkshire,Metropolitan district,True\n\
         BRD,Bradford again,E08000032,England,Yorkshire,Metropolitan district,True\n",
        REQUIRED_COLUMNS.join(",")
    );
    let file = read_register(csv.as_bytes(), false, || {}).unwrap();
    assert_eq!(file.councils.len(), 1);
    assert_eq!(
        file.refused,
        vec![(3, "local-authority-code BRD appears twice".to_string())]
    );
}
