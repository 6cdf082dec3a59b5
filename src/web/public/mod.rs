//! The public pages: the landing page, survey forms and confirmations.

pub mod cache;
pub mod embed;
pub mod form_view;
pub mod landing;
pub mod outreach;
pub mod statements;
pub mod submit;
pub mod survey;
pub mod thanks;
pub mod words;
