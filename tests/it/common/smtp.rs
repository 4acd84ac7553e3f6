//! A real SMTP server for tests: it speaks the protocol over TCP and keeps what it
//! receives. It can be stopped and started again on the same port.

use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: actix_web::rt::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(0, Arc::new(Mutex::new(vec![]))).await
    }

    async fn start_on(port: u16, received: Arc<Mutex<Vec<Received>>>) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let store = received.clone();
        let task = actix_web::rt::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                actix_web::rt::spawn(async move {
                    let _ = serve(socket, store).await;
                });
            }
        });
        SmtpSink {
            port,
            received,
            task,
        }
    }

    /// Stops listening: connections are refused until `restart`.
    pub fn stop(self) -> (u16, Arc<Mutex<Vec<Received>>>) {
        self.task.abort();
        (self.port, self.received)
    }

    pub async fn restart(stopped: (u16, Arc<Mutex<Vec<Received>>>)) -> SmtpSink {
        // The aborted accept loop releases the port on its next poll.
        for _ in 0..50 {
            if std::net::TcpListener::bind(("127.0.0.1", stopped.0)).is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        Self::start_on(stopped.0, stopped.1).await
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut to = vec![];
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write
                .write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("MAIL FROM") {
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            let addr = line.trim()[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string();
            to.push(addr);
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("DATA") {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            store.lock().unwrap().push(Received {
                to: to.clone(),
                data,
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

impl Received {
    /// The decoded Subject header.
    pub fn subject(&self) -> String {
        let raw = self
            .data
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or_default()
            .trim()
            .to_string();
        decode_encoded_words(&raw)
    }

    pub fn header(&self, name: &str) -> String {
        let prefix = format!("{name}: ");
        let raw = self
            .data
            .lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .unwrap_or_default();
        decode_encoded_words(raw.trim())
    }

    /// The decoded text/plain part.
    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    pub fn html(&self) -> String {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> String {
        let data = self.data.replace("\r\n", "\n");
        let start = data
            .find(&format!("Content-Type: {content_type}"))
            .expect("part present");
        let rest = &data[start..];
        let headers_end = rest.find("\n\n").expect("part body");
        let headers = &rest[..headers_end];
        let body = &rest[headers_end + 2..];
        let body = &body[..body.find("\n--").unwrap_or(body.len())];
        if headers.contains("quoted-printable") {
            decode_qp(body)
        } else if headers.contains("base64") {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap(),
            )
            .unwrap()
        } else {
            body.to_string()
        }
    }

    /// The first link to the given path prefix in the text part.
    pub fn link(&self, path_prefix: &str) -> String {
        let text = self.text();
        let start = text.find("http").expect("a link");
        let link: String = text[start..].split_whitespace().next().unwrap().to_string();
        assert!(
            link.contains(path_prefix),
            "{link} should contain {path_prefix}"
        );
        link
    }
}

fn decode_qp(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_encoded_words(raw: &str) -> String {
    // =?utf-8?b?…?= words; whitespace between two encoded words is not part of the text.
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in raw.split_whitespace() {
        let inner = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?="));
        let decoded = match inner.map(|w| w.splitn(3, '?').collect::<Vec<_>>()) {
            Some(parts) if parts.len() == 3 && parts[1].eq_ignore_ascii_case("b") => Some(
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(parts[2])
                        .unwrap(),
                )
                .unwrap(),
            ),
            Some(parts) if parts.len() == 3 && parts[1].eq_ignore_ascii_case("q") => {
                Some(decode_qp(&parts[2].replace('_', " ")))
            }
            _ => None,
        };
        if !out.is_empty() && (!previous_encoded || decoded.is_none()) {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(&decoded.unwrap_or_else(|| word.to_string()));
    }
    out
}
