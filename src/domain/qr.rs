//! QR codes of short links, for slides, posters and events: as SVG (sharp
//! at any size, for print) and PNG (for slides and documents), black on
//! white with the four-module quiet zone scanners need.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white around the code.
const QUIET: usize = 4;

/// The code's modules, dark or not, row by row, with its width.
fn modules(text: &str) -> Result<(Vec<bool>, usize), String> {
    // Medium error correction: survives a smudged poster or a logo sticker.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("the link cannot be a QR code: {e}"))?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((dark, width))
}

/// The QR code of `text` as an SVG document, one path for all dark modules.
///
/// # Errors
/// A text too long for a QR code.
pub fn svg(text: &str) -> Result<String, String> {
    let (dark, width) = modules(text)?;
    let size = width + 2 * QUIET;
    let mut path = String::new();
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width + QUIET, i / width + QUIET);
        path.push_str(&format!("M{x} {y}h1v1h-1z"));
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" role=\"img\"><title>{title}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        px = size * 8,
        title = escape(text),
    ))
}

/// The QR code of `text` as a greyscale PNG, `scale` pixels per module.
///
/// # Errors
/// A text too long for a QR code.
pub fn png(text: &str, scale: usize) -> Result<Vec<u8>, String> {
    let (dark, width) = modules(text)?;
    let scale = scale.clamp(1, 32);
    let side = (width + 2 * QUIET) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = ((i % width + QUIET) * scale, (i / width + QUIET) * scale);
        for row in y..y + scale {
            pixels[row * side + x..row * side + x + scale].fill(0);
        }
    }
    let mut out = Vec::new();
    let side32 = u32::try_from(side).map_err(|_| "the QR code is too large".to_string())?;
    let mut encoder = png::Encoder::new(&mut out, side32, side32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_is_a_square_image_with_a_white_quiet_zone_and_dark_finder_corner() {
        let bytes = png("https://feedback.example.gov.uk/s/governance", 4).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.width, info.height);
        let side = info.width as usize;
        assert_eq!(side % 4, 0);
        // The quiet zone is white; the finder pattern's corner just inside it is dark.
        assert_eq!(buf[0], 255);
        assert_eq!(buf[(QUIET * 4) * side + QUIET * 4], 0);
        // And a decoder reads the link back, as a phone's camera would.
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| buf[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, "https://feedback.example.gov.uk/s/governance");
    }

    #[test]
    fn the_svg_names_its_link_escaped_and_draws_modules() {
        let svg = svg("https://x.example/s/a?b=1&c=2").unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title>https://x.example/s/a?b=1&amp;c=2</title>"));
        assert!(svg.matches("h1v1h-1z").count() > 100);
    }
}
