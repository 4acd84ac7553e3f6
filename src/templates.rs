//! The Tera templates with the translation function and filters, loaded once at start-up
//! by the web server and by the job worker (e-mails).

use tera::Tera;

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
#[error("cannot load templates: {0}")]
pub struct TemplateError(String);

pub fn load(settings: &Settings) -> Result<Tera, TemplateError> {
    let pattern = settings.root.join("templates/**/*");
    let mut tera = Tera::new(&pattern.to_string_lossy()).map_err(|e| {
        let cause = std::error::Error::source(&e)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        TemplateError(format!("{e}{cause}"))
    })?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", crate::i18n::TeraTranslate);
    tera.register_filter("num", crate::i18n::tera_number);
    tera.register_filter("when", crate::i18n::tera_datetime);
    tera.register_filter("money", crate::i18n::tera_money);
    Ok(tera)
}
