//! Streamed CSV downloads: every table of the analytics pages exports through here.
//!
//! A handler parses its query (so that bad input is still a 4xx page), then calls
//! [`csv`] with a file name, the header and a closure that reads the rows and hands each
//! one to the [`RowSink`]. The closure runs on the blocking pool in one read-only
//! snapshot (`db::stream`); rows go out in chunks of about 32 KiB as they are written, so
//! a 100,000-line export never sits in memory. Read big results with diesel's
//! `load_iter::<_, PgRowByRowLoadingMode>` so the database does not buffer them either.
//!
//! `?format=excel-fr` gives the "French Excel" variant: a UTF-8 byte order mark, `;`
//! between fields and `,` before decimals (`RowSink::decimal`); otherwise RFC 4180 with
//! `,` and `.`. Every text field is made spreadsheet-safe (no formula injection).

use actix_web::http::header;
use actix_web::HttpResponse;
use bytes::Bytes;
use diesel::PgConnection;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::db::{self, DbPool};
use crate::domain::values::spreadsheet_safe;
use crate::error::AppError;

/// Flush to the client once this much is written.
const CHUNK: usize = 32 * 1024;

/// The `format` query parameter of an export link.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Format {
    #[default]
    #[serde(rename = "csv")]
    Csv,
    #[serde(rename = "excel-fr")]
    ExcelFr,
}

impl Format {
    /// Reads `format` from a query string; anything else is the plain CSV.
    pub fn from_query(query: &str) -> Self {
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .find(|(k, _)| k == "format")
            .map_or(Format::Csv, |(_, v)| {
                if v == "excel-fr" {
                    Format::ExcelFr
                } else {
                    Format::Csv
                }
            })
    }
}

/// Where an export's rows go.
pub struct RowSink {
    writer: csv::Writer<Vec<u8>>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    format: Format,
    rows: u64,
}

/// The download was abandoned (the client went away): stop reading.
#[derive(Debug, thiserror::Error)]
#[error("the download was closed")]
pub struct Closed;

impl From<Closed> for diesel::result::Error {
    fn from(_: Closed) -> Self {
        diesel::result::Error::RollbackTransaction
    }
}

impl RowSink {
    fn new(format: Format, tx: mpsc::Sender<Result<Bytes, std::io::Error>>) -> Self {
        let start = match format {
            Format::Csv => Vec::new(),
            Format::ExcelFr => vec![0xEF, 0xBB, 0xBF],
        };
        let writer = Self::writer(format, start);
        RowSink {
            writer,
            tx,
            format,
            rows: 0,
        }
    }

    fn writer(format: Format, start: Vec<u8>) -> csv::Writer<Vec<u8>> {
        let delimiter = match format {
            Format::Csv => b',',
            Format::ExcelFr => b';',
        };
        csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(start)
    }

    /// Writes one row (text made spreadsheet-safe); sends a chunk when enough is buffered.
    pub fn row<I, S>(&mut self, fields: I) -> Result<(), Closed>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let record: Vec<String> = fields
            .into_iter()
            .map(|f| {
                let f = f.as_ref();
                if is_number(f) {
                    f.to_string()
                } else {
                    spreadsheet_safe(f)
                }
            })
            .collect();
        if self.writer.write_record(&record).is_err() {
            return Err(Closed);
        }
        self.rows += 1;
        if self.writer.get_ref().len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// A decimal number from an integer of `scale` decimal places (cents: 2), written
    /// with the format's decimal separator.
    pub fn decimal(&self, value: i64, scale: u32) -> String {
        let sign = if value < 0 { "-" } else { "" };
        let abs = value.unsigned_abs();
        let plain = match scale {
            0 => abs.to_string(),
            s => {
                let unit = 10u64.pow(s);
                format!("{}.{:0width$}", abs / unit, abs % unit, width = s as usize)
            }
        };
        let text = format!("{sign}{plain}");
        match self.format {
            Format::Csv => text,
            Format::ExcelFr => text.replace('.', ","),
        }
    }

    /// Rows written so far (the header included).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    fn flush(&mut self) -> Result<(), Closed> {
        let full = std::mem::replace(&mut self.writer, Self::writer(self.format, Vec::new()));
        let chunk = full.into_inner().map_err(|_| Closed)?;
        if chunk.is_empty() {
            return Ok(());
        }
        self.tx
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| Closed)
    }
}

/// A negative number is data, not a formula: "-12", "-1234,56", "3.5".
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && digits.chars().filter(|c| *c == '.' || *c == ',').count() <= 1
        && digits.starts_with(|c: char| c.is_ascii_digit())
}

/// Streams a CSV download: `header`, then the rows `produce` writes. A failure after the
/// first byte cuts the download short (logged); the client never gets half a file that
/// looks whole, because the response has no `Content-Length`.
pub async fn csv<F>(
    pool: &DbPool,
    file_name: &str,
    format: Format,
    header: Vec<String>,
    produce: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut PgConnection, &mut RowSink) -> Result<(), diesel::result::Error>
        + Send
        + 'static,
{
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let failed = tx.clone();
    db::stream(pool, move |conn| {
        let mut sink = RowSink::new(format, tx);
        sink.row(header)?;
        match produce(conn, &mut sink) {
            Ok(()) => {
                sink.flush()?;
                Ok(())
            }
            Err(error) => {
                // The client must see a broken download, not a short file.
                let _ = failed.blocking_send(Err(std::io::Error::other("export failed")));
                Err(error)
            }
        }
    })
    .await
    .map_err(|e| match e {
        db::RunError::Pool(e) => AppError::Unavailable(format!("database pool: {e}")),
        _ => AppError::internal(anyhow::anyhow!("export not started")),
    })?;
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_query() {
        assert_eq!(
            Format::from_query("from=2026-01-01&format=excel-fr"),
            Format::ExcelFr
        );
        assert_eq!(Format::from_query("format=xlsx"), Format::Csv);
        assert_eq!(Format::from_query("%zz=&&="), Format::Csv);
    }

    #[test]
    fn french_excel_has_a_bom_semicolons_and_decimal_commas() {
        let (tx, mut rx) = mpsc::channel(8);
        let mut sink = RowSink::new(Format::ExcelFr, tx);
        let amount = sink.decimal(-123_456, 2);
        std::thread::spawn(move || {
            sink.row(["Pharmacie; du port", "=cmd", &amount]).unwrap();
            sink.flush().unwrap();
        })
        .join()
        .unwrap();
        let chunk = rx.try_recv().unwrap().unwrap();
        assert_eq!(
            &chunk[..],
            "\u{feff}\"Pharmacie; du port\";'=cmd;-1234,56\n".as_bytes()
        );
    }
}
