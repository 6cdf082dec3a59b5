//! The audit log in words: what each recorded action means, and its
//! details as a reader would put them.

/// The actions the service records, with what they mean.
pub const ACTIONS: &[(&str, &str)] = &[
    ("export", "Responses exported"),
    ("response_deleted", "Response deleted"),
    ("digest_resent", "Digest sent again"),
    ("user_added", "Officer added"),
    ("user_disabled", "Officer disabled"),
    ("user_enabled", "Officer enabled"),
    ("password_reset_sent", "Password link sent"),
    ("password_reset_used", "Password set with a link"),
    ("personal_data_erased", "Email address erased"),
    (
        "personal_data_purged",
        "Contact emails deleted after the retention period",
    ),
    ("personal_data_reported", "Personal data reported"),
    ("campaign_published", "Campaign published"),
    ("campaign_uploaded", "Campaign uploaded as TOML"),
    ("campaign_draft_discarded", "Campaign draft discarded"),
];

/// What an action means; the code itself for one this list does not know.
pub fn action_label(action: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map_or(action, |(_, label)| label)
}

/// An entry's details as `name: value` pairs, in the order stored, nested
/// values written as JSON.
pub fn describe(detail: &serde_json::Value) -> String {
    let Some(fields) = detail.as_object() else {
        return detail.to_string();
    };
    fields
        .iter()
        .map(|(name, value)| {
            let value = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}: {value}", name.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_details_read_as_words() {
        assert_eq!(action_label("response_deleted"), "Response deleted");
        assert_eq!(action_label("something_new"), "something_new");
        let detail = serde_json::json!({ "reference": "K7QMX3TA", "rows": 3, "filters": { "survey": "governance" } });
        assert_eq!(
            describe(&detail),
            "filters: {\"survey\":\"governance\"}; reference: K7QMX3TA; rows: 3"
        );
    }
}
