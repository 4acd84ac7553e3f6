//! Renders an e-mail from `templates/emails/` in the recipient's language, with the
//! tenant's name and colours.

use lettre::message::Mailbox;
use tera::{Context, Tera};

use super::OutgoingEmail;
use crate::config::Settings;
use crate::db::tenants::Tenant;
use crate::domain::notifications::{category, Unsubscribe};
use crate::domain::UserId;
use crate::i18n;
use crate::services::email::EmailMessage;

/// Renders an e-mail with no known recipient account: no unsubscribe link.
pub fn render(
    templates: &Tera,
    settings: &Settings,
    tenant: &Tenant,
    message: &EmailMessage,
) -> Result<OutgoingEmail, String> {
    render_for(templates, settings, tenant, message, None)
}

/// Renders an e-mail to `recipient`; one that may be turned off carries their one-click
/// unsubscribe link (in its footer and its `List-Unsubscribe` header).
pub fn render_for(
    templates: &Tera,
    settings: &Settings,
    tenant: &Tenant,
    message: &EmailMessage,
    recipient: Option<UserId>,
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
    let optional = category(&message.template).filter(|c| c.optional());
    let unsubscribe = optional.zip(recipient).map(|(category, user)| {
        let token = Unsubscribe {
            tenant: tenant.id,
            user,
            category,
        }
        .token(settings.security.secret_key.as_bytes());
        format!("{base}/unsubscribe/{token}")
    });
    ctx.insert("unsubscribe_url", &unsubscribe);
    ctx.insert(
        "category_name",
        &optional.map(|c| i18n::tr(message.locale, &c.label_key())),
    );
    ctx.insert("preferences_url", &format!("{base}/account/notifications"));
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
        // Every text e-mail gets the same unsubscribe footer, whichever its template.
        text: match &unsubscribe {
            Some(_) => format!(
                "{}\n{}",
                render("txt")?.trim_end(),
                footer(templates, &ctx)?
            ),
            None => render("txt")?,
        },
        unsubscribe,
    })
}

fn footer(templates: &Tera, ctx: &Context) -> Result<String, String> {
    templates
        .render("emails/unsubscribe.txt", ctx)
        .map_err(|e| format!("rendering the unsubscribe footer: {e}"))
}
