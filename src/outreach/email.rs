//! The invitation and reminder emails: `templates/email/invitation/` and
//! `templates/email/reminder/`, each a subject, a text and an HTML part,
//! with the personal link and the one-click unsubscribe address.

use crate::mail::Email;
use crate::store::campaigns::CampaignOutline;
use crate::store::contacts::Contact;
use minijinja::context;

/// What one email says and to whom.
#[derive(Debug)]
pub struct Letter<'a> {
    /// The recipient.
    pub contact: &'a Contact,
    /// The organisation they speak for, by name.
    pub organisation: &'a str,
    /// The campaign asking.
    pub campaign: &'a CampaignOutline,
    /// A reminder rather than the invitation.
    pub reminder: bool,
    /// The token of the contact's personal link.
    pub token: String,
    /// `OPERATOR_NAME`, who sends it.
    pub operator: Option<&'a str>,
}

/// The email, with `List-Unsubscribe` pointing at the one-click address.
///
/// # Errors
/// A template bug.
pub fn render(
    letter: &Letter<'_>,
    base_url: &str,
    message_id: String,
) -> Result<Email, minijinja::Error> {
    let link = format!("{base_url}/i/{}", letter.token);
    let unsubscribe = format!("{base_url}/unsubscribe/{}", letter.token);
    let resources: Vec<String> = letter
        .campaign
        .resources
        .iter()
        .filter(|r| r.surveys.iter().any(|s| !s.embedded))
        .map(|r| r.title.clone())
        .collect();
    let ctx = context! {
        name => letter.contact.name.clone(),
        organisation => letter.organisation.to_string(),
        campaign => letter.campaign.title.clone(),
        description => letter.campaign.description.clone(),
        resources,
        closes_on => letter.campaign.closes_on.map(|d| d.format("%-d %B %Y").to_string()),
        link,
        unsubscribe => unsubscribe.clone(),
        sender => letter.operator.unwrap_or("The campaign team"),
        reminder => letter.reminder,
    };
    let folder = if letter.reminder {
        "reminder"
    } else {
        "invitation"
    };
    let mut email = Email::from_templates(folder, ctx, &letter.contact.email, message_id)?;
    email.unsubscribe = Some(unsubscribe);
    Ok(email)
}
