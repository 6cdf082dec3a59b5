//! What the public pages reuse for `SURVEY_PAGE_CACHE_SECONDS`: the survey
//! page as a first-time visitor sees it (only the form token differs between
//! visitors, so the page is kept as the bytes before and after the token)
//! and each survey's definition, which a submission is checked against.
//!
//! Nothing authoritative is cached: whether a survey takes submissions is
//! checked in the transaction that stores them (`store::responses`), and the
//! register in the database. A change made with `campaign import` or
//! `councils import` (another process) shows on the page within the TTL; one
//! published in the editor shows at once (the publish clears both caches).

use crate::domain::lang::Lang;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// A rendered page split around its form token.
#[derive(Debug)]
pub struct CachedPage {
    /// The survey's slug and version, which the token is issued for.
    pub slug: String,
    /// The version shown.
    pub version_id: i32,
    /// The language it is in.
    pub lang: Lang,
    /// The bytes before the token, or the whole page when it has no form.
    head: Bytes,
    /// The bytes after the token; `None` for a page without a form.
    tail: Option<Bytes>,
}

impl CachedPage {
    /// Splits `html`, rendered with `placeholder` as its token. `None` when
    /// the placeholder is there more than once, so the page cannot be reused.
    pub fn split(
        (slug, version_id, lang): (&str, i32, Lang),
        html: &str,
        placeholder: &str,
    ) -> Option<Self> {
        let mut parts = html.split(placeholder);
        let head = Bytes::copy_from_slice(parts.next()?.as_bytes());
        let tail = parts.next().map(|t| Bytes::copy_from_slice(t.as_bytes()));
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            slug: slug.to_string(),
            version_id,
            lang,
            head,
            tail,
        })
    }

    /// The page with `token` in its place.
    pub fn with_token(&self, token: &str) -> Vec<u8> {
        let tail = self.tail.as_deref().unwrap_or_default();
        let mut body = Vec::with_capacity(self.head.len() + token.len() + tail.len());
        body.extend_from_slice(&self.head);
        if self.tail.is_some() {
            body.extend_from_slice(token.as_bytes());
        }
        body.extend_from_slice(tail);
        body
    }
}

/// Values by key, each kept for the TTL after it was put. Only keys of
/// things that exist are put (a survey's slug and version), so it stays as
/// small as the campaign.
#[derive(Debug)]
pub struct TtlMap<V> {
    ttl: Duration,
    entries: RwLock<HashMap<String, (Instant, Arc<V>)>>,
}

impl<V> TtlMap<V> {
    /// Keeps values for `seconds`; 0 keeps none.
    pub fn new(seconds: u32) -> Self {
        Self {
            ttl: Duration::from_secs(seconds.into()),
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// Whether anything is kept at all.
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The value for `key` if it was put less than the TTL ago.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let entries = self.entries.read().ok()?;
        entries
            .get(key)
            .filter(|(put_at, _)| put_at.elapsed() < self.ttl)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Forgets every value (a campaign was published in this process).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    /// Keeps `value` for `key`.
    pub fn put(&self, key: String, value: Arc<V>) {
        if self.enabled()
            && let Ok(mut entries) = self.entries.write()
        {
            entries.insert(key, (Instant::now(), value));
        }
    }
}

/// Survey pages by slug.
#[derive(Debug)]
pub struct PageCache {
    placeholder: String,
    pages: TtlMap<CachedPage>,
}

impl PageCache {
    /// Keeps pages for `seconds`; 0 keeps none.
    pub fn new(seconds: u32) -> Self {
        Self {
            // Random per process, so no survey text can contain it.
            placeholder: format!(
                "token-placeholder-{}",
                crate::domain::token::hex(&rand::random::<[u8; 16]>())
            ),
            pages: TtlMap::new(seconds),
        }
    }

    /// What to render in place of the token before [`PageCache::put`].
    pub fn placeholder(&self) -> Option<&str> {
        self.pages.enabled().then_some(self.placeholder.as_str())
    }

    /// The page for `slug` in `lang` if it was rendered less than the TTL ago.
    pub fn get(&self, slug: &str, lang: Lang) -> Option<Arc<CachedPage>> {
        self.pages.get(&format!("{slug}#{}", lang.code()))
    }

    /// Keeps `page` for its slug and language.
    pub fn put(&self, page: CachedPage) {
        let key = format!("{}#{}", page.slug, page.lang.code());
        self.pages.put(key, Arc::new(page));
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.pages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_rebuilt_around_each_token() {
        let page = CachedPage::split(("s", 1, Lang::En), "<input value=\"PH\">end", "PH").unwrap();
        assert_eq!(page.with_token("abc"), b"<input value=\"abc\">end");
        assert_eq!(page.with_token("xyz"), b"<input value=\"xyz\">end");
    }

    #[test]
    fn a_page_without_a_form_is_kept_whole_and_a_repeated_placeholder_is_not_kept() {
        let closed = CachedPage::split(("s", 1, Lang::En), "<p>Closed</p>", "PH").unwrap();
        assert_eq!(closed.with_token("abc"), b"<p>Closed</p>");
        assert!(CachedPage::split(("s", 1, Lang::En), "PH and PH", "PH").is_none());
    }

    #[test]
    fn values_expire_after_the_ttl() {
        let map = TtlMap::new(1);
        map.put("k".into(), Arc::new(5));
        assert_eq!(map.get("k").as_deref(), Some(&5));
        std::thread::sleep(Duration::from_millis(1050));
        assert_eq!(map.get("k"), None);
    }

    #[test]
    fn pages_are_kept_by_slug_and_a_zero_ttl_keeps_nothing() {
        let off = PageCache::new(0);
        assert_eq!(off.placeholder(), None);
        off.put(CachedPage::split(("s", 1, Lang::En), "x", "PH").unwrap());
        assert!(off.get("s", Lang::En).is_none(), "nothing kept");

        let on = PageCache::new(60);
        let placeholder = on.placeholder().unwrap().to_string();
        assert!(placeholder.len() > 30);
        assert_ne!(placeholder, PageCache::new(60).placeholder().unwrap());
        on.put(
            CachedPage::split(
                ("s", 7, Lang::Cy),
                &format!("a{placeholder}b"),
                &placeholder,
            )
            .unwrap(),
        );
        assert!(on.get("s", Lang::En).is_none(), "kept by language");
        let page = on.get("s", Lang::Cy).unwrap();
        assert_eq!(
            (page.version_id, page.with_token("T")),
            (7, b"aTb".to_vec())
        );
        assert!(on.get("other", Lang::Cy).is_none());
    }
}
