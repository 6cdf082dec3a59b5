//! The language of a public page: `?lang=cy` or `?lang=en` (the switch
//! link, remembered in a cookie for a year), then the cookie, then the
//! browser's `Accept-Language`, then English. Officers' pages are English.

use crate::domain::lang::Lang;
use crate::i18n::{self, Here};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// The cookie that remembers the language chosen.
pub const COOKIE: &str = "lang";

/// The `lang` query parameter of an address, and the address without it.
fn split_query(path: &str, query: Option<&str>) -> (Option<Lang>, String) {
    let mut asked = None;
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| match pair.strip_prefix("lang=") {
            Some(code) => {
                asked = Lang::parse(code).or(asked);
                false
            }
            None => true,
        })
        .collect();
    let address = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    (asked, address)
}

/// The language a cookie remembers.
fn remembered(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// Sets the cookie that remembers `lang`.
pub fn remember(response: &mut Response, lang: Lang, secure: bool) {
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        lang.code(),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The language a public request is served in, chosen before it runs.
#[derive(Debug)]
pub struct Choice {
    lang: Lang,
    /// Asked for with `?lang=` (remembered in a cookie afterwards).
    asked: Option<Lang>,
    /// The address without `lang`, for the switch link.
    address: String,
    /// The embedded form's pages set no cookie at all.
    embedded: bool,
}

/// The language of a public request; `None` for officers' pages (English).
pub fn choose(request: &Request) -> Option<Choice> {
    let path = request.uri().path();
    if path.starts_with("/admin") {
        return None;
    }
    let (asked, address) = split_query(path, request.uri().query());
    let headers = request.headers();
    let lang = asked
        .or_else(|| remembered(headers))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::preferred)
        })
        .unwrap_or_default();
    Some(Choice {
        lang,
        asked,
        address,
        embedded: path.starts_with("/e/"),
    })
}

impl Choice {
    /// Runs `work` in the language chosen.
    pub async fn serve<F: Future<Output = Response>>(&mut self, work: F) -> Response {
        let here = Here {
            lang: self.lang,
            address: std::mem::take(&mut self.address),
        };
        i18n::scope(here, work).await
    }

    /// Says which language the response is in (`Content-Language`, unless
    /// the page set its own), and remembers one asked for.
    pub fn finish(self, response: &mut Response, secure_cookies: bool) {
        if let Some(lang) = self.asked.filter(|_| !self.embedded) {
            remember(response, lang, secure_cookies);
        }
        let headers = response.headers_mut();
        if !headers.contains_key(header::CONTENT_LANGUAGE) {
            headers.insert(
                header::CONTENT_LANGUAGE,
                HeaderValue::from_static(self.lang.html()),
            );
        }
        headers.append(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_rest_of_the_address() {
        assert_eq!(
            split_query("/", Some("lang=cy")),
            (Some(Lang::Cy), "/".into())
        );
        assert_eq!(
            split_query("/surveys/x/thanks", Some("ref=ABCD2345&lang=en")),
            (Some(Lang::En), "/surveys/x/thanks?ref=ABCD2345".into())
        );
        assert_eq!(split_query("/", Some("lang=fr")), (None, "/".into()));
        assert_eq!(split_query("/a", None), (None, "/a".into()));
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("session=x; lang=cy"),
        );
        assert_eq!(remembered(&headers), Some(Lang::Cy));
    }
}
