//! The public pages: the landing page, survey forms and confirmations.

pub mod form_view;
pub mod landing;
pub mod page_cache;
pub mod submit;
pub mod survey;
pub mod thanks;
