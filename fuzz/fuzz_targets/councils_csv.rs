//! Arbitrary bytes read as the local-authority register, the way
//! `src/councils.rs::import` reads it, without the database: header, then
//! records one by one, collecting refusals. It must never panic.

#![no_main]

use campaign_feedback::domain::council::RegisterColumns;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let Ok(header) = reader.headers().cloned() else {
        return;
    };
    let Ok(columns) = RegisterColumns::from_header(&header) else {
        return;
    };
    let mut councils = Vec::new();
    let mut refused: Vec<(u64, String)> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => match columns.council(&record) {
                Ok(c) => {
                    assert!((2..=10).contains(&c.code.len()), "code {:?}", c.code);
                    assert!(
                        c.code
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                        "code {:?}",
                        c.code
                    );
                    assert!(!c.name.is_empty() && c.name.trim() == c.name);
                    councils.push(c);
                }
                Err(problem) => {
                    assert!(!problem.is_empty());
                    refused.push((line, problem));
                }
            },
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                let problem = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} fields where the header has {expected_len}"),
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                refused.push((line, problem));
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
        // Every iteration consumes input, so the loop ends: bound it anyway.
        assert!(councils.len() + refused.len() <= data.len() + 1);
    }
});
