//! Sending e-mail: SMTP through lettre (with TLS, STARTTLS or plain), or `.eml` files
//! in development. Rendering is in `render`.

pub mod render;

use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{EmailSettings, EmailTransport, SmtpTls};

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files, one folder per tenant (`tenant-<id>`), so that the development mail
    /// page shows a tenant only its own.
    File(std::path::PathBuf),
}

/// A rendered e-mail, ready to send.
pub struct OutgoingEmail {
    pub tenant_id: crate::domain::TenantId,
    pub to: Mailbox,
    pub from: Mailbox,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// The one-click unsubscribe link of an e-mail that may be turned off (RFC 8058).
    pub unsubscribe: Option<String>,
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the mail client may
/// unsubscribe with one POST to the link, without opening it.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// Where the file transport writes a tenant's e-mails.
pub fn tenant_mail_dir(
    root: &std::path::Path,
    tenant_id: crate::domain::TenantId,
) -> std::path::PathBuf {
    root.join(format!("tenant-{tenant_id}"))
}

impl Mailer {
    /// `root` is the folder `email.file_dir` is relative to.
    pub fn from_settings(settings: &EmailSettings, root: &std::path::Path) -> Result<Self, String> {
        match settings.transport {
            EmailTransport::File => {
                let dir = root.join(&settings.file_dir);
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Mailer::File(dir))
            }
            EmailTransport::Smtp => {
                let host = settings.smtp_host.as_str();
                let builder = match settings.smtp_tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                        .map_err(|e| format!("SMTP relay {host}: {e}"))?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                        .map_err(|e| format!("SMTP relay {host}: {e}"))?,
                };
                let mut builder = builder
                    .port(settings.smtp_port)
                    .timeout(Some(Duration::from_millis(settings.smtp_timeout_ms)));
                if !settings.smtp_username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        settings.smtp_username.clone(),
                        settings.smtp_password.clone(),
                    ));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    pub async fn send(&self, email: OutgoingEmail) -> Result<(), String> {
        // A Message-ID on the sender's own domain (spam filters count its absence).
        let message_id = format!(
            "<{}.{:016x}@{}>",
            chrono::Utc::now().timestamp_micros(),
            rand::random::<u64>(),
            email.from.email.domain()
        );
        let mut builder = Message::builder().message_id(Some(message_id));
        if let Some(link) = email.unsubscribe {
            builder = builder
                .header(ListUnsubscribe(link))
                .header(ListUnsubscribePost);
        }
        let message = builder
            .from(email.from)
            .to(email.to)
            .subject(email.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(email.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(email.html),
                    ),
            )
            .map_err(|e| format!("building the message: {e}"))?;
        match self {
            Mailer::Smtp(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}")),
            Mailer::File(root) => {
                let dir = tenant_mail_dir(root, email.tenant_id);
                tokio::fs::create_dir_all(&dir)
                    .await
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("writing .eml: {e}"))
            }
        }
    }
}
