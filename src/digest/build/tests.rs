//! Period labels and cut comments.

use super::*;

#[test]
fn periods_read_as_local_dates() {
    let tz = chrono_tz::Europe::London;
    let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    assert_eq!(
        period_label(at("2026-11-16T08:00:00Z"), at("2026-11-23T08:00:00Z"), tz),
        "16–23 November 2026"
    );
    assert_eq!(
        period_label(at("2026-10-26T08:00:00Z"), at("2026-11-02T08:00:00Z"), tz),
        "26 October – 2 November 2026"
    );
}

#[test]
fn long_comments_are_cut_at_a_word() {
    let long = "word ".repeat(100);
    let (text, was_cut) = cut(&long);
    assert!(was_cut && text.ends_with("word…") && text.chars().count() <= COMMENT_CHARS + 1);
    assert_eq!(cut("short"), ("short".into(), false));
}
