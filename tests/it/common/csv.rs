//! Uploading CSV files on the studio's import page, and reading what it answers.

use reqwest::multipart::Part;

use super::{Page, TestClient};

/// Uploads `bytes` as a file of `kind` on /studio/imports.
pub async fn upload(client: &TestClient, kind: &str, name: &str, bytes: Vec<u8>) -> Page {
    // The CSRF token is the first field, as in the app's forms.
    let form = client
        .multipart_form()
        .await
        .text("kind", kind.to_string())
        .part(
            "file",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("text/csv")
                .unwrap(),
        );
    client.post_multipart("/studio/imports", form).await
}

/// The rows of the error table: (line, column, message).
pub fn row_errors(page: &Page) -> Vec<(String, String, String)> {
    let cells = page.texts("[data-testid=import-errors] tbody td");
    cells
        .chunks(3)
        .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
        .collect()
}

/// A count of the import's summary (`rows`, `created`, `updated`, `unchanged`…).
pub fn summary(page: &Page, what: &str) -> String {
    page.texts(&format!("[data-testid=import-summary] [data-count={what}]"))
        .join("")
}
