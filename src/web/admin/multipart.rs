//! Reading a `multipart/form-data` body already held in memory (the guard
//! has read it to check the CSRF token): the one form that sends a file.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

/// One part of the form: its name, the file name a file was sent with, and its bytes.
#[derive(Debug, Clone)]
pub struct Part {
    /// The field's name.
    pub name: String,
    /// The file's name, for a file.
    pub file_name: Option<String>,
    /// What was sent.
    pub data: Bytes,
}

/// The boundary of a multipart body, or `None` for any other body.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(content_type).ok()
}

/// Every part of a multipart body.
///
/// # Errors
/// A body that is not well-formed multipart.
pub async fn parts(body: Bytes, boundary: &str) -> Result<Vec<Part>, multer::Error> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await?;
        out.push(Part {
            name,
            file_name,
            data,
        });
    }
    Ok(out)
}

/// The parts of an upload form's body, or a 400 saying how to send it.
///
/// # Errors
/// [`crate::error::AppError::BadRequest`] for a body that is not a multipart form.
pub async fn upload(headers: &HeaderMap, body: Bytes) -> crate::error::AppResult<Vec<Part>> {
    use crate::error::AppError;
    let boundary = boundary(headers).ok_or_else(|| {
        AppError::BadRequest("Send the file with the upload form on this page.".into())
    })?;
    parts(body, &boundary)
        .await
        .map_err(|e| AppError::BadRequest(format!("The upload could not be read: {e}")))
}

/// The text of the part called `name`.
pub fn text<'a>(parts: &'a [Part], name: &str) -> Option<&'a str> {
    parts
        .iter()
        .find(|p| p.name == name && p.file_name.is_none())
        .and_then(|p| std::str::from_utf8(&p.data).ok())
}
