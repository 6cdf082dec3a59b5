//! Bar charts as SVG, made on the server: no JavaScript, a title and a text
//! alternative, and the same numbers in a table beside each chart.

use std::fmt::Write;

/// Escapes text for XML content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A horizontal bar chart of `bars` (label, count). `id` must be unique in the page.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, i64)]) -> String {
    const ROW: usize = 28;
    const LABEL_WIDTH: usize = 240;
    const BAR_WIDTH: usize = 380;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let height = ROW * bars.len().max(1) + 8;
    let width = LABEL_WIDTH + BAR_WIDTH + 60;
    let description = bars
        .iter()
        .map(|(l, c)| format!("{l}: {c}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(&description)
    );
    for (i, (label, count)) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let length = (*count as f64 / max as f64 * BAR_WIDTH as f64).round() as usize;
        let short: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(['…']).collect()
        } else {
            label.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-family=\"Arial, sans-serif\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{length}\" height=\"{}\" fill=\"#1d70b8\"/>\
             <text x=\"{}\" y=\"{}\" font-family=\"Arial, sans-serif\" font-size=\"14\" fill=\"#0b0c0c\">{count}</text>",
            LABEL_WIDTH - 8,
            y + 17,
            escape(&short),
            ROW - 8,
            LABEL_WIDTH + length + 6,
            y + 17,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_a_title_a_text_alternative_and_escaped_labels() {
        let svg = bar_chart(
            "q1",
            "Usefulness <b>",
            &[("<script>".into(), 3), ("Very useful".into(), 6)],
        );
        assert!(svg.contains("<title id=\"q1-title\">Usefulness &lt;b&gt;</title>"));
        assert!(svg.contains("<desc id=\"q1-desc\">&lt;script&gt;: 3; Very useful: 6</desc>"));
        assert!(!svg.contains("<script>"));
        assert!(
            svg.contains("width=\"380\""),
            "the longest bar fills the width"
        );
        assert!(
            svg.contains("width=\"190\""),
            "half the count, half the length"
        );
    }
}
