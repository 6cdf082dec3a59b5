//! Reading a page's form as a browser would send it: every field with the
//! value it shows (ticked boxes and chosen options only), no button.

/// The HTML entities the templates write, back to text.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields of the form posting to `action`, as a browser sends them.
pub fn fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .match_indices("<form ")
        .map(|(at, _)| at)
        .find(|&at| {
            let tag = &html[at..at + html[at..].find('>').unwrap_or(0)];
            attribute(tag, "action").as_deref() == Some(action)
        })
        .unwrap_or_else(|| panic!("no form posts to {action}"));
    let end = html[start..].find("</form>").expect("the form ends") + start;
    let form = &html[start..end];
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = form[at..].find('<').map(|i| i + at) {
        let close = form[open..].find('>').map_or(form.len(), |i| i + open);
        let tag = &form[open..close];
        at = close;
        let name = attribute(tag, "name");
        if tag.starts_with("<input") {
            let Some(name) = name else { continue };
            let kind = attribute(tag, "type").unwrap_or_default();
            let value = attribute(tag, "value").unwrap_or_default();
            let ticked = tag.contains(" checked");
            if !matches!(kind.as_str(), "checkbox" | "radio") || ticked {
                out.push((name, value));
            }
        } else if tag.starts_with("<textarea") {
            let Some(name) = name else { continue };
            let text_end = form[close..].find("</textarea>").expect("textarea ends") + close;
            // As in a browser, one line break right after the tag is not content.
            let content = &form[close + 1..text_end];
            let content = content.strip_prefix('\n').unwrap_or(content);
            out.push((name, unescape(content)));
        } else if tag.starts_with("<select") {
            let Some(name) = name else { continue };
            let select_end = form[close..].find("</select>").expect("select ends") + close;
            let options = &form[close..select_end];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| options.split("<option").nth(1))
                .and_then(|o| attribute(&format!(" {o}"), "value"))
                .unwrap_or_default();
            out.push((name, chosen));
        }
    }
    out
}

/// `fields` with some values replaced (or added); a name starting with `-`
/// takes that field out, as unticking a box does.
pub fn with(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        if let Some(name) = name.strip_prefix('-') {
            fields.retain(|(n, _)| n != name);
            continue;
        }
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((name.to_string(), value.to_string())),
        }
    }
    fields
}

#[test]
fn a_form_is_read_as_a_browser_sends_it() {
    let html = r#"<form method="post" action="/x"><input type="hidden" name="a" value="1 &amp; 2">
<input type="checkbox" name="b" value="yes" checked><input type="checkbox" name="c" value="yes">
<textarea name="d" rows="2">
line &lt;one&gt;
two</textarea><select name="e"><option value="p">P</option><option value="q" selected>Q</option></select>
<button type="submit">Go</button></form>"#;
    assert_eq!(
        fields(html, "/x"),
        [
            ("a".into(), "1 & 2".into()),
            ("b".into(), "yes".into()),
            ("d".into(), "line <one>\ntwo".into()),
            ("e".into(), "q".into()),
        ]
    );
}
