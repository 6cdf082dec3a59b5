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

    /// The page with `token` in its place: the cached bytes are sent as
    /// they are, around the token, not copied into one buffer per visitor.
    pub fn with_token(&self, token: &str) -> PageBody {
        let token = self
            .tail
            .is_some()
            .then(|| Bytes::copy_from_slice(token.as_bytes()));
        PageBody::new([Some(self.head.clone()), token, self.tail.clone()])
    }
}

/// A response body of a few shared buffers, sent one after the other, its
/// length known (so it goes out with a `Content-Length`).
#[derive(Debug)]
pub struct PageBody {
    parts: std::collections::VecDeque<Bytes>,
    len: u64,
}

impl PageBody {
    fn new(parts: [Option<Bytes>; 3]) -> Self {
        let parts: std::collections::VecDeque<Bytes> = parts
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect();
        let len = parts.iter().map(|p| p.len() as u64).sum();
        Self { parts, len }
    }

    /// The whole body in one buffer (what a client receives).
    #[cfg(test)]
    fn to_vec(&self) -> Vec<u8> {
        self.parts.iter().flat_map(|p| p.iter().copied()).collect()
    }
}

impl http_body::Body for PageBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let part = this.parts.pop_front();
        if let Some(part) = &part {
            this.len -= part.len() as u64;
        }
        std::task::Poll::Ready(part.map(|p| Ok(http_body::Frame::data(p))))
    }

    fn is_end_stream(&self) -> bool {
        self.parts.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.len)
    }
}

/// Values by key, each kept for the TTL after it was put. Only keys of
/// things that exist are put (a survey's slug and version), so it stays as
/// small as the campaign.
#[derive(Debug)]
pub struct TtlMap<V> {
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry<V>>>,
}

/// A value, when it was put, and since when a caller has been refreshing it.
#[derive(Debug)]
struct Entry<V> {
    put_at: Instant,
    value: Arc<V>,
    refreshing_since: Option<Instant>,
}

/// How long the other callers are given the old value while one refreshes
/// it; past this, another tries (the first may have failed).
const REFRESH_GRACE: Duration = Duration::from_secs(1);

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

    /// The value for `key` if it was put less than the TTL ago. `None`
    /// tells the caller to read it afresh and [`TtlMap::put`] it: once the
    /// TTL is over, only the first caller is told so; the others get the
    /// old value meanwhile (for up to a second), rather than all reading
    /// it at once (64 survey pages rendered at the same moment every TTL
    /// were the p99 of the page, bench/README.md).
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        {
            let entries = self.entries.read().ok()?;
            let entry = entries.get(key)?;
            if entry.current(self.ttl) {
                return Some(Arc::clone(&entry.value));
            }
        }
        let mut entries = self.entries.write().ok()?;
        let entry = entries.get_mut(key)?;
        if entry.current(self.ttl) {
            return Some(Arc::clone(&entry.value));
        }
        entry.refreshing_since = Some(Instant::now());
        None
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
            let entry = Entry {
                put_at: Instant::now(),
                value,
                refreshing_since: None,
            };
            entries.insert(key, entry);
        }
    }
}

impl<V> Entry<V> {
    /// Put less than the TTL ago, or being refreshed by another caller.
    fn current(&self, ttl: Duration) -> bool {
        self.put_at.elapsed() < ttl
            || self
                .refreshing_since
                .is_some_and(|since| since.elapsed() < REFRESH_GRACE)
    }
}

/// Survey pages by language, then slug.
#[derive(Debug)]
pub struct PageCache {
    placeholder: String,
    pages: [TtlMap<CachedPage>; Lang::ALL.len()],
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
            pages: Lang::ALL.map(|_| TtlMap::new(seconds)),
        }
    }

    /// What to render in place of the token before [`PageCache::put`].
    pub fn placeholder(&self) -> Option<&str> {
        self.pages[0].enabled().then_some(self.placeholder.as_str())
    }

    /// The pages in `lang`.
    fn in_lang(&self, lang: Lang) -> &TtlMap<CachedPage> {
        match lang {
            Lang::En => &self.pages[0],
            Lang::Cy => &self.pages[1],
        }
    }

    /// The page for `slug` in `lang` if it was rendered less than the TTL ago.
    pub fn get(&self, slug: &str, lang: Lang) -> Option<Arc<CachedPage>> {
        self.in_lang(lang).get(slug)
    }

    /// Keeps `page` for its slug and language.
    pub fn put(&self, page: CachedPage) {
        self.in_lang(page.lang)
            .put(page.slug.clone(), Arc::new(page));
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.pages.iter().for_each(TtlMap::clear);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_rebuilt_around_each_token() {
        let page = CachedPage::split(("s", 1, Lang::En), "<input value=\"PH\">end", "PH").unwrap();
        assert_eq!(page.with_token("abc").to_vec(), b"<input value=\"abc\">end");
        assert_eq!(page.with_token("xyz").to_vec(), b"<input value=\"xyz\">end");
    }

    #[test]
    fn a_page_without_a_form_is_kept_whole_and_a_repeated_placeholder_is_not_kept() {
        let closed = CachedPage::split(("s", 1, Lang::En), "<p>Closed</p>", "PH").unwrap();
        assert_eq!(closed.with_token("abc").to_vec(), b"<p>Closed</p>");
        assert!(CachedPage::split(("s", 1, Lang::En), "PH and PH", "PH").is_none());
    }

    #[test]
    fn values_expire_after_the_ttl_and_one_caller_at_a_time_refreshes() {
        let map = TtlMap::new(1);
        map.put("k".into(), Arc::new(5));
        assert_eq!(map.get("k").as_deref(), Some(&5));
        std::thread::sleep(Duration::from_millis(1050));
        assert_eq!(
            map.get("k"),
            None,
            "the first caller after the TTL refreshes"
        );
        assert_eq!(
            map.get("k").as_deref(),
            Some(&5),
            "the others meanwhile get the old value"
        );
        map.put("k".into(), Arc::new(6));
        assert_eq!(map.get("k").as_deref(), Some(&6));
    }

    #[test]
    fn a_refresh_that_never_comes_back_is_tried_again_after_a_second() {
        let map = TtlMap::new(1);
        map.put("k".into(), Arc::new(5));
        std::thread::sleep(Duration::from_millis(1050));
        assert_eq!(map.get("k"), None);
        std::thread::sleep(REFRESH_GRACE + Duration::from_millis(50));
        assert_eq!(
            map.get("k"),
            None,
            "the first refresher failed: another tries"
        );
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
            (page.version_id, page.with_token("T").to_vec()),
            (7, b"aTb".to_vec())
        );
        assert!(on.get("other", Lang::Cy).is_none());
    }
}
