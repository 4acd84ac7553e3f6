//! Renders an e-mail from `templates/emails/` in the recipient's language, with the
//! tenant's name and colours.

use lettre::message::Mailbox;
use tera::{Context, Tera};

use super::OutgoingEmail;
use crate::config::Settings;
use crate::db::tenants::Tenant;
use crate::i18n;
use crate::services::email::EmailMessage;

pub fn render(
    templates: &Tera,
    settings: &Settings,
    tenant: &Tenant,
    message: &EmailMessage,
) -> Result<OutgoingEmail, String> {
    let lang = message.locale.as_str();
    let mut ctx = Context::new();
    ctx.insert("lang", lang);
    ctx.insert("tenant", tenant);
    ctx.insert("tz", tenant.zone().name());
    ctx.insert("currency", tenant.currency().code);
    ctx.insert("to_name", &message.to_name);
    ctx.insert("args", &message.args);
    let base = settings.tenant_url(&tenant.slug, settings.server.port);
    ctx.insert("home_url", &base);
    // The link opens the pages in the e-mail's language.
    ctx.insert(
        "link",
        &message.link_path.as_ref().map(|p| {
            let sep = if p.contains('?') { '&' } else { '?' };
            format!("{base}{p}{sep}lang={lang}")
        }),
    );
    ctx.insert(
        "logo_url",
        &tenant.has_logo().then(|| format!("{base}/branding/logo")),
    );
    let subject = i18n::tr_args(
        message.locale,
        &format!("email-{}-subject", message.template.replace('_', "-")),
        &[("tenant", tenant.name.clone().into())],
    );
    ctx.insert("subject", &subject);
    let render = |ext: &str| {
        templates
            .render(&format!("emails/{}.{ext}", message.template), &ctx)
            .map_err(|e| {
                let cause = std::error::Error::source(&e)
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default();
                format!("rendering {} e-mail: {e}{cause}", message.template)
            })
    };
    let to: Mailbox = format!(
        "{} <{}>",
        message.to_name.replace(['<', '>', '"'], ""),
        message.to
    )
    .parse()
    .or_else(|_| message.to.parse())
    .map_err(|e| format!("recipient {}: {e}", message.to))?;
    let from_config: Mailbox = settings
        .email
        .from_address
        .parse()
        .map_err(|e| format!("email.from_address: {e}"))?;
    // The tenant's name as the sender's name, the platform's address.
    let from = Mailbox::new(Some(tenant.name.clone()), from_config.email);
    Ok(OutgoingEmail {
        tenant_id: tenant.id,
        to,
        from,
        subject,
        html: render("html")?,
        text: render("txt")?,
    })
}
