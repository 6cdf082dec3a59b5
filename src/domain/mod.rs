//! Pure domain logic: campaign definitions, questions, answers, references,
//! form tokens and the local-authority register rows. Nothing here knows
//! about HTTP or the database, so all of it is tested without either.

pub mod answer;
pub mod audit;
pub mod availability;
pub mod campaign;
pub mod clock;
pub mod contact;
pub mod council;
pub mod filter;
pub mod form;
pub mod lang;
pub mod officer;
pub mod qr;
pub mod question;
pub mod reference;
pub mod results;
pub mod schedule;
pub mod tally;
pub mod token;
pub mod webhook;
pub mod welsh;
