//! Proofs of a sale (photos or PDFs of the invoice): judged by their content, never by
//! their name, size-limited, and given a small JPEG thumbnail when they are images.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use crate::domain::values::ErrorKey;

/// At most this many files per declaration.
pub const MAX_PROOFS: usize = 5;
/// At most this many bytes per file.
pub const MAX_PROOF_BYTES: usize = 10 * 1024 * 1024;
/// Thumbnails fit in a square of this many pixels.
const THUMBNAIL_SIZE: u32 = 320;

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct ProofUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file that passed the checks.
#[derive(Debug, Clone)]
pub struct CheckedProof {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub thumbnail: Option<Vec<u8>>,
}

/// The content type of an accepted file, from its first bytes.
fn content_type(bytes: &[u8]) -> Option<&'static str> {
    match infer::get(bytes)?.mime_type() {
        "image/jpeg" => Some("image/jpeg"),
        "image/png" => Some("image/png"),
        "image/webp" => Some("image/webp"),
        "application/pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// A JPEG of the image scaled down; `None` when it cannot be decoded within the limits
/// (then the file is not the image it claims to be, or a decompression bomb).
fn thumbnail(bytes: &[u8], format: ImageFormat) -> Option<Vec<u8>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let small = image.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE).into_rgb8();
    let mut out = Cursor::new(Vec::new());
    small.write_to(&mut out, ImageFormat::Jpeg).ok()?;
    Some(out.into_inner())
}

fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// Checks every file (count, size, type by content, images decodable) and makes the
/// thumbnails. The error is the translation key to show next to the file field.
pub fn check(uploads: Vec<ProofUpload>) -> Result<Vec<CheckedProof>, ErrorKey> {
    if uploads.len() > MAX_PROOFS {
        return Err("error-proofs-too-many");
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for upload in uploads {
        if upload.bytes.len() > MAX_PROOF_BYTES {
            return Err("error-proof-too-large");
        }
        let Some(content_type) = content_type(&upload.bytes) else {
            return Err("error-proof-type");
        };
        let format = match content_type {
            "image/jpeg" => Some(ImageFormat::Jpeg),
            "image/png" => Some(ImageFormat::Png),
            "image/webp" => Some(ImageFormat::WebP),
            _ => None,
        };
        let thumbnail = match format {
            Some(format) => Some(thumbnail(&upload.bytes, format).ok_or("error-proof-unreadable")?),
            None => None,
        };
        checked.push(CheckedProof {
            file_name: clean_name(&upload.file_name),
            content_type,
            bytes: upload.bytes,
            thumbnail,
        });
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(800, 400, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn upload(name: &str, bytes: Vec<u8>) -> ProofUpload {
        ProofUpload {
            file_name: name.into(),
            bytes,
        }
    }

    #[test]
    fn images_get_a_jpeg_thumbnail_and_pdfs_none() {
        let checked = check(vec![
            upload("C:\\photos\\receipt.png", png()),
            upload(
                "invoice.pdf",
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
            ),
        ])
        .unwrap();
        assert_eq!(checked[0].content_type, "image/png");
        assert_eq!(checked[0].file_name, "receipt.png");
        let thumb = checked[0].thumbnail.as_ref().unwrap();
        let decoded = image::load_from_memory(thumb).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (320, 160));
        assert_eq!(checked[1].content_type, "application/pdf");
        assert!(checked[1].thumbnail.is_none());
    }

    #[test]
    fn files_are_judged_by_content_size_and_count() {
        let text = upload("photo.jpg", b"just some text, not a photo".to_vec());
        assert_eq!(check(vec![text]).unwrap_err(), "error-proof-type");
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0; 64]);
        assert_eq!(
            check(vec![upload("x.png", fake)]).unwrap_err(),
            "error-proof-unreadable"
        );
        let mut big = png();
        big.resize(MAX_PROOF_BYTES + 1, 0);
        assert_eq!(
            check(vec![upload("big.png", big)]).unwrap_err(),
            "error-proof-too-large"
        );
        let six = (0..6).map(|i| upload(&format!("{i}.png"), png())).collect();
        assert_eq!(check(six).unwrap_err(), "error-proofs-too-many");
    }
}
