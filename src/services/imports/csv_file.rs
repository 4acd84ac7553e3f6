//! Reading an uploaded CSV file: UTF-8 with or without a byte-order mark, separated by
//! commas, semicolons (French Excel) or tabs, sniffed from the header line.

use super::RowError;

/// More rows than this are refused: split the file.
pub const MAX_ROWS: usize = 50_000;

/// A file's header and its non-blank rows.
#[derive(Debug)]
pub struct Table {
    /// The file's own column names, trimmed.
    pub headers: Vec<String>,
    /// What each column holds (a column of the import, or `""`); until the columns are
    /// resolved, the header lower-cased with `_` for spaces.
    pub keys: Vec<String>,
    pub rows: Vec<Record>,
}

#[derive(Debug)]
pub struct Record {
    /// The file's line where the row starts; the header is line 1.
    pub line: u64,
    values: Vec<String>,
}

impl Table {
    /// Rows given as values of the import's own columns (the integration API's items):
    /// a record's `line` is its index in the request.
    pub fn from_rows(columns: &[&str], rows: Vec<Vec<String>>) -> Table {
        let names: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        Table {
            headers: names.clone(),
            keys: names,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, values)| Record {
                    line: i as u64,
                    values,
                })
                .collect(),
        }
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.keys.iter().position(|h| h == name)
    }

    /// The file's header for a column of the import (the column's name if it has none).
    pub fn header<'a>(&'a self, name: &'a str) -> &'a str {
        self.column(name)
            .and_then(|i| self.headers.get(i))
            .map_or(name, String::as_str)
    }

    /// The trimmed cell of `name` in `record`; empty when the file has no such column.
    pub fn cell<'a>(&self, record: &'a Record, name: &str) -> &'a str {
        self.column(name)
            .and_then(|i| record.values.get(i))
            .map_or("", |v| v.trim())
    }
}

fn file_error(line: Option<u64>, key: &'static str, value: String) -> RowError {
    RowError {
        line,
        column: None,
        key,
        value,
        other_line: None,
    }
}

/// The separator used most on the first line, outside quotes (comma on a tie).
fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first_line.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == c {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// Line numbers from byte offsets. The csv crate's own line count is one short after a
/// CRLF (its record offset points at the `\n`), and Excel writes CRLF.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            newlines: 0,
        }
    }

    /// The line of the first character at or after `offset` that ends no line; offsets
    /// must not decrease between calls.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        let start = start.max(self.offset);
        self.newlines += self.text[self.offset..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.offset = start;
        self.newlines + 1
    }
}

/// Parses the whole file, or says what makes it unreadable.
pub fn read(bytes: &[u8]) -> Result<Table, Vec<RowError>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            return Err(vec![file_error(
                Some(line + 1),
                "error-import-not-utf8",
                String::new(),
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![file_error(None, "error-import-empty", String::new())]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|name| name.trim().to_string()).collect(),
        Err(_) => {
            return Err(vec![file_error(
                Some(1),
                "error-import-malformed",
                String::new(),
            )])
        }
    };
    let keys = headers
        .iter()
        .map(|h| h.to_lowercase().replace([' ', '-'], "_"))
        .collect();
    let mut errors = vec![];
    if headers.iter().any(|h| h.contains('\0')) {
        errors.push(file_error(Some(1), "error-import-nul", String::new()));
    }
    let mut rows = vec![];
    let mut lines = LineCounter::new(text);
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                errors.push(file_error(line, "error-import-malformed", String::new()));
                break;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue; // Spreadsheets often end with rows of empty cells.
        }
        if record.len() != headers.len() {
            errors.push(file_error(
                Some(line),
                "error-import-field-count",
                record.len().to_string(),
            ));
            continue;
        }
        // Postgres refuses NUL in text: a line error, before anything is written.
        for (i, value) in record.iter().enumerate() {
            if value.contains('\0') {
                errors.push(RowError {
                    line: Some(line),
                    column: headers.get(i).cloned(),
                    key: "error-import-nul",
                    value: String::new(),
                    other_line: None,
                });
            }
        }
        if rows.len() == MAX_ROWS {
            errors.push(file_error(
                None,
                "error-import-too-many-rows",
                MAX_ROWS.to_string(),
            ));
            break;
        }
        rows.push(Record {
            line,
            values: record.iter().map(str::to_string).collect(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![file_error(None, "error-import-empty", String::new())]);
    }
    Ok(Table {
        headers,
        keys,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_and_a_bom_are_understood() {
        let t = read("\u{feff}SKU;Name;Unit price\r\nA-1;\"Stick; 50 g\";12,90\r\n".as_bytes())
            .unwrap();
        assert_eq!(t.headers, vec!["SKU", "Name", "Unit price"]);
        assert_eq!(t.keys, vec!["sku", "name", "unit_price"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.cell(&t.rows[0], "name"), "Stick; 50 g");
        assert_eq!(t.cell(&t.rows[0], "unit_price"), "12,90");
        assert_eq!(t.cell(&t.rows[0], "missing"), "");
    }

    #[test]
    fn line_numbers_count_the_header_and_blank_rows_are_skipped() {
        let lines = |text: &str| -> Vec<u64> {
            read(text.as_bytes())
                .unwrap()
                .rows
                .iter()
                .map(|r| r.line)
                .collect()
        };
        assert_eq!(lines("a,b\n1,2\n,\n3,4\n"), vec![2, 4]);
        assert_eq!(lines("a,b\r\n1,2\r\n\r\n3,4\r\n"), vec![2, 4]);
        assert_eq!(lines("a,b\r\n\"x\r\ny\",2\r\n3,4"), vec![2, 4]);
    }

    #[test]
    fn unreadable_files_say_why() {
        let err = read(b"a,b\n1,2\n\xe9t\xe9,3\n").unwrap_err();
        assert_eq!(
            (err[0].key, err[0].line),
            ("error-import-not-utf8", Some(3))
        );
        assert_eq!(read(b"").unwrap_err()[0].key, "error-import-empty");
        assert_eq!(read(b"a,b\n").unwrap_err()[0].key, "error-import-empty");
        let err = read(b"a,b\n1,x\0y\n").unwrap_err();
        assert_eq!(
            (err[0].key, err[0].line, err[0].column.as_deref()),
            ("error-import-nul", Some(2), Some("b"))
        );
        let err = read(b"a,b\n1,2,3\n").unwrap_err();
        assert_eq!(
            (err[0].key, err[0].line),
            ("error-import-field-count", Some(2))
        );
    }
}
