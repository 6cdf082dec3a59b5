//! Response rates of a campaign's outreach: of the organisations invited,
//! how many followed a link and how many responded, overall and by nation
//! and region (counted by organisation, not by contact: a council with three
//! contacts that responded once has responded).

use super::{Contact, ledger};
use crate::entities::organisations;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::collections::{BTreeMap, HashMap};

/// Invited, followed and responded, for one group of organisations.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    /// The nation or region (empty overall).
    pub label: String,
    /// Organisations at least one of whose contacts was sent an invitation.
    pub invited: usize,
    /// Of those, organisations whose personal link was followed.
    pub followed: usize,
    /// Of those, organisations that responded.
    pub responded: usize,
    /// Responded as a whole percentage of invited (0 when none was).
    pub percent: usize,
}

impl Rate {
    fn with_percent(self) -> Self {
        Self {
            percent: (self.responded * 100)
                .checked_div(self.invited)
                .unwrap_or(0),
            ..self
        }
    }
}

/// A campaign's response rates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rates {
    /// Across the campaign.
    pub overall: Rate,
    /// By nation, alphabetically.
    pub by_nation: Vec<Rate>,
    /// By region, alphabetically.
    pub by_region: Vec<Rate>,
}

#[derive(Default)]
struct Seen {
    followed: bool,
    responded: bool,
    nation: String,
    region: String,
}

/// The rates of one campaign.
///
/// # Errors
/// The database's error.
pub async fn rates(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Rates, DbErr> {
    let contacts = super::list(db, campaign_id).await?;
    let sent = ledger::by_contact(db, campaign_id).await?;
    let invited = |c: &Contact| {
        sent.get(&c.id).is_some_and(|d| {
            d.iter()
                .any(|d| d.kind == ledger::INVITATION && d.status == "sent")
        })
    };
    // Who responded is read across every response: only when someone was invited.
    let (responded, places) = if contacts.iter().any(invited) {
        let places: HashMap<String, (String, String)> = organisations::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.code, (o.nation, o.region)))
            .collect();
        (super::responded(db, campaign_id).await?, places)
    } else {
        Default::default()
    };
    let mut organisations: BTreeMap<String, Seen> = BTreeMap::new();
    for contact in contacts.iter().filter(|c| invited(c)) {
        let key = match (&contact.organisation_code, &contact.organisation_name) {
            (Some(code), _) => code.clone(),
            (None, Some(name)) => format!("name:{}", name.to_lowercase()),
            (None, None) => continue,
        };
        let seen = organisations.entry(key).or_default();
        seen.followed |= contact.link_followed_at.is_some();
        seen.responded |= contact.has_responded(&responded);
        if let Some((nation, region)) = contact
            .organisation_code
            .as_ref()
            .and_then(|c| places.get(c))
        {
            seen.nation.clone_from(nation);
            seen.region.clone_from(region);
        }
    }
    let mut overall = Rate::default();
    let mut nations: BTreeMap<String, Rate> = BTreeMap::new();
    let mut regions: BTreeMap<String, Rate> = BTreeMap::new();
    for seen in organisations.values() {
        let nation = if seen.nation.is_empty() {
            "Other organisations"
        } else {
            &seen.nation
        };
        let region = if seen.region.is_empty() {
            nation
        } else {
            &seen.region
        };
        for rate in [
            &mut overall,
            nations.entry(nation.to_string()).or_default(),
            regions.entry(region.to_string()).or_default(),
        ] {
            rate.invited += 1;
            rate.followed += usize::from(seen.followed);
            rate.responded += usize::from(seen.responded);
        }
    }
    let labelled = |groups: BTreeMap<String, Rate>| {
        groups
            .into_iter()
            .map(|(label, rate)| Rate { label, ..rate }.with_percent())
            .collect()
    };
    Ok(Rates {
        overall: overall.with_percent(),
        by_nation: labelled(nations),
        by_region: labelled(regions),
    })
}
